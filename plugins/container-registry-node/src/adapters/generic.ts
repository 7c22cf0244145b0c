import { RegistryError } from '../errors';
import type {
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from './types';
import { CATALOG_SCOPE, paginate, repositoryPath, repositoryScope } from './v2';

/**
 * The names of one listing page. A page without the field is not an empty listing (reading it
 * as one would remove every image of the repository): it is an invalid answer. Distribution
 * answers `"tags": null` next to the repository's `name` for a repository without tags, and
 * some registries answer `"repositories": null` for an empty catalog: those are empty.
 */
export function namesOf(body: unknown, field: string, nullMeansEmpty: boolean) {
  const value =
    body && typeof body === 'object'
      ? (body as Record<string, unknown>)[field]
      : undefined;
  if (value === null && nullMeansEmpty) return [];
  if (value === undefined || value === null) {
    throw new RegistryError(
      'invalid-response',
      `The registry answered a listing page without "${field}"`,
    );
  }
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
    throw new RegistryError(
      'invalid-response',
      `"${field}" is not a list of names`,
    );
  }
  return value as string[];
}

/** Any registry that implements the Docker Registry V2 / OCI distribution API. */
export class GenericRegistryAdapter implements RegistryAdapter {
  constructor(private readonly context: RegistryAdapterContext) {}

  async testConnection(): Promise<void> {
    await this.context.http.request({ kind: 'ping', url: '/v2/' });
    // The catalog is what a crawl needs first: check it can be read with these credentials.
    const { repositories } = this.context.connection;
    if (repositories.length === 0 || repositories.some(p => p.includes('*'))) {
      await this.context.http.request({
        kind: 'catalog',
        url: '/v2/_catalog?n=1',
        scope: CATALOG_SCOPE,
      });
    }
  }

  listRepositories(): AsyncIterable<string[]> {
    return paginate({
      http: this.context.http,
      kind: 'catalog',
      path: '/v2/_catalog',
      scope: CATALOG_SCOPE,
      pageSize: this.context.connection.transport.pageSize,
      signal: this.context.signal,
      read: body => ({
        items: namesOf(body, 'repositories', true),
      }),
    });
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    const pages = paginate({
      http: this.context.http,
      kind: 'tags',
      path: `/v2/${repositoryPath(repository)}/tags/list`,
      scope: repositoryScope(repository),
      pageSize: this.context.connection.transport.pageSize,
      signal: this.context.signal,
      read: body => ({
        items: namesOf(body, 'tags', typeof (body as any)?.name === 'string'),
      }),
    });
    for await (const names of pages) {
      yield names.map(name => ({ name }));
    }
  }
}

export const genericAdapterFactory: RegistryAdapterFactory = {
  type: 'generic',
  title: 'Docker Registry V2 / OCI distribution',
  create: context => new GenericRegistryAdapter(context),
};
