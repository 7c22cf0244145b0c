import { RegistryError } from '../errors';
import { namesOf } from './generic';
import type { RegistryAdapter, RegistryAdapterContext, TagInfo } from './types';
import {
  CATALOG_SCOPE,
  paginate,
  repositoryPath,
  repositoryScope,
  V2Location,
} from './v2';

/**
 * A product that holds several docker repositories of its own, each serving the V2 API under
 * a path of one origin (Nexus `/repository/<name>/`, Artifactory
 * `/artifactory/api/docker/<name>/`). Inventory names are `<product repository>/<image>`, as
 * images are pulled with path-based routing. Subclasses say which repositories to read, where
 * each one's API is, and the product's fix for a refusal.
 */
export abstract class PerRepositoryV2Adapter implements RegistryAdapter {
  constructor(protected readonly context: RegistryAdapterContext) {}

  /** The product repositories to read, from its own API, checked against the chosen ones. */
  protected abstract productRepositories(): Promise<string[]>;
  /** The path before `/v2/` of one product repository. */
  protected abstract apiPath(productRepository: string): string;
  /** The refusal with the product's fix, or the error as is. */
  protected abstract advised(error: unknown, what: string): unknown;

  /** The client of one product repository's V2 API: the registry's, unless on its own origin. */
  protected clientOf(_productRepository: string) {
    return this.context.http;
  }

  protected get chosen(): string[] | undefined {
    return this.context.connection.options.repositories as string[] | undefined;
  }

  async testConnection(): Promise<void> {
    for (const name of await this.productRepositories()) {
      try {
        await this.clientOf(name).request({
          kind: 'ping',
          url: `${this.apiPath(name)}/v2/`,
        });
      } catch (error) {
        throw this.advised(error, `docker repository "${name}"`);
      }
    }
  }

  async *listRepositories(): AsyncIterable<string[]> {
    for (const name of await this.productRepositories()) {
      const pages = paginate({
        http: this.clientOf(name),
        kind: 'catalog',
        path: `${this.apiPath(name)}/v2/_catalog`,
        scope: CATALOG_SCOPE,
        pageSize: this.context.connection.transport.pageSize,
        signal: this.context.signal,
        read: body => ({ items: namesOf(body, 'repositories', true) }),
      });
      try {
        for await (const page of pages) {
          yield page.map(image => `${name}/${image}`);
        }
      } catch (error) {
        throw this.advised(error, `docker repository "${name}"`);
      }
    }
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    const { prefix, repository: image, http } = this.v2Location(repository);
    const pages = paginate({
      http: http ?? this.context.http,
      kind: 'tags',
      path: `${prefix}/v2/${repositoryPath(image)}/tags/list`,
      scope: repositoryScope(image),
      pageSize: this.context.connection.transport.pageSize,
      signal: this.context.signal,
      read: body => ({
        items: namesOf(body, 'tags', typeof (body as any)?.name === 'string'),
      }),
    });
    for await (const names of pages) yield names.map(name => ({ name }));
  }

  v2Location(repository: string): V2Location {
    const slash = repository.indexOf('/');
    if (slash < 1) {
      throw new RegistryError(
        'invalid-response',
        `"${repository}" names no product repository before its image name`,
      );
    }
    const name = repository.slice(0, slash);
    const http = this.clientOf(name);
    return {
      prefix: this.apiPath(name),
      repository: repository.slice(slash + 1),
      ...(http !== this.context.http ? { http } : {}),
    };
  }
}

/**
 * The port of a product repository in `"<name>=<port>"` entries (checked by the option's
 * pattern), or undefined when it has none.
 */
export function portOf(entries: unknown, name: string): number | undefined {
  const entry = ((entries as string[] | undefined) ?? []).find(
    e => e.slice(0, e.lastIndexOf('=')) === name,
  );
  return entry ? Number(entry.slice(entry.lastIndexOf('=') + 1)) : undefined;
}

/** The origin of a repository served on a port of the registry's host. */
export function portOrigin(registryUrl: string, port: number): string {
  const base = new URL(registryUrl);
  return `${base.protocol}//${base.hostname}:${port}`;
}

/** The error with `fix` before its own words, or as is when there is no fix. */
export function withFix(
  error: unknown,
  fix: (e: RegistryError) => string | undefined,
) {
  if (!(error instanceof RegistryError)) return error;
  const message = fix(error);
  return message
    ? new RegistryError(error.reason, `${message} (${error.message})`, {
        status: error.status,
      })
    : error;
}
