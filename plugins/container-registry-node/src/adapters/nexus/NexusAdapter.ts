import { RegistryError } from '../../errors';
import { namesOf } from '../generic';
import { getJson } from '../productApi';
import type {
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from '../types';
import {
  CATALOG_SCOPE,
  paginate,
  repositoryPath,
  repositoryScope,
  V2Location,
} from '../v2';

interface NexusRepository {
  name?: unknown;
  format?: unknown;
  type?: unknown;
}

/** `docker-hosted/acme/app` → the Nexus repository and the image name inside it. */
function splitName(repository: string): V2Location {
  const slash = repository.indexOf('/');
  if (slash < 1) {
    throw new RegistryError(
      'invalid-response',
      `"${repository}" names no Nexus repository`,
    );
  }
  return {
    prefix: `/repository/${encodeURIComponent(repository.slice(0, slash))}`,
    repository: repository.slice(slash + 1),
  };
}

/** Nexus's own fix for a refused request. */
function nexusFix(error: RegistryError, what: string): string | undefined {
  if (error.reason === 'unauthorized')
    return 'Nexus refused the user name or password';
  if (error.reason === 'forbidden')
    return `Nexus does not let this user read ${what}: give it nx-repository-view-docker-<repository>-browse and -read (or a role holding them)`;
  return undefined;
}

function advised(error: unknown, what: string): unknown {
  if (!(error instanceof RegistryError)) return error;
  const fix = nexusFix(error, what);
  return fix
    ? new RegistryError(error.reason, `${fix} (${error.message})`, {
        status: error.status,
      })
    : error;
}

/**
 * Sonatype Nexus Repository 3: the docker repositories come from Nexus's REST API, and each
 * is read through its own V2 API under `/repository/<name>/v2/` (path-based routing, so one
 * origin, one connection pool and one set of credentials for all). Inventory names are
 * `<nexus repository>/<image>`, as images are pulled with path-based routing. Without a
 * choice, hosted repositories are loaded: proxies cache other registries and groups repeat
 * their members.
 */
export class NexusAdapter implements RegistryAdapter {
  constructor(private readonly context: RegistryAdapterContext) {}

  private get chosen(): string[] | undefined {
    return this.context.connection.options.repositories as string[] | undefined;
  }

  private async dockerRepositories(): Promise<string[]> {
    let body: unknown;
    try {
      body = await getJson(this.context.http, '/service/rest/v1/repositories');
    } catch (error) {
      throw advised(error, 'the list of repositories');
    }
    if (!Array.isArray(body)) {
      throw new RegistryError(
        'invalid-response',
        '/service/rest/v1/repositories did not answer a list',
      );
    }
    const docker = (body as NexusRepository[]).filter(
      r => r?.format === 'docker' && typeof r.name === 'string',
    );
    const chosen = this.chosen;
    if (!chosen) {
      return docker.filter(r => r.type === 'hosted').map(r => r.name as string);
    }
    const missing = chosen.filter(name => !docker.some(r => r.name === name));
    if (missing.length) {
      throw new RegistryError(
        'not-found',
        `Nexus shows this user no docker repository ${missing
          .map(name => `"${name}"`)
          .join(', ')}: check the names (Nexus lists ${
          docker.map(r => r.name).join(', ') || 'none'
        }) and give the user nx-repository-view-docker-<repository>-browse and -read`,
      );
    }
    return chosen;
  }

  async testConnection(): Promise<void> {
    for (const name of await this.dockerRepositories()) {
      try {
        await this.context.http.request({
          kind: 'ping',
          url: `/repository/${encodeURIComponent(name)}/v2/`,
        });
      } catch (error) {
        throw advised(error, `docker repository "${name}"`);
      }
    }
  }

  async *listRepositories(): AsyncIterable<string[]> {
    for (const name of await this.dockerRepositories()) {
      const pages = paginate({
        http: this.context.http,
        kind: 'catalog',
        path: `/repository/${encodeURIComponent(name)}/v2/_catalog`,
        scope: CATALOG_SCOPE,
        pageSize: this.context.connection.transport.pageSize,
        signal: this.context.signal,
        read: body => ({ items: namesOf(body, 'repositories', true) }),
      });
      try {
        for await (const page of pages)
          yield page.map(image => `${name}/${image}`);
      } catch (error) {
        throw advised(error, `docker repository "${name}"`);
      }
    }
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    const { prefix, repository: image } = splitName(repository);
    const pages = paginate({
      http: this.context.http,
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
    return splitName(repository);
  }
}

export const nexusAdapterFactory: RegistryAdapterFactory = {
  type: 'nexus',
  title: 'Sonatype Nexus Repository',
  credentials: { username: 'User name', password: 'Password or user token' },
  options: [
    {
      key: 'repositories',
      label: 'Nexus repositories to load',
      kind: 'list',
      help: 'Docker repositories (hosted, proxy or group) to inventory; all hosted docker repositories the user can browse when empty.',
    },
  ],
  create: context => new NexusAdapter(context),
};
