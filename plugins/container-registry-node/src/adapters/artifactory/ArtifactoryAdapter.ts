import { RegistryError } from '../../errors';
import type { RegistryHttpClient } from '../../http/RegistryHttpClient';
import {
  PerRepositoryV2Adapter,
  portOf,
  portOrigin,
  withFix,
} from '../perRepositoryV2';
import { getJson } from '../productApi';
import type { RegistryAdapterFactory } from '../types';

interface ArtifactoryRepository {
  key?: unknown;
  type?: unknown;
  packageType?: unknown;
}

type AccessMethod = 'repositoryPath' | 'subdomain' | 'port';

/** Repository kinds loaded without a choice: remote ones cache others, virtual ones repeat. */
const OWN_CONTENT = new Set(['LOCAL', 'FEDERATED']);

/**
 * JFrog Artifactory: docker repositories from `/api/repositories?packageType=docker`, each
 * read through its V2 API by the access method its admin set up: the repository path
 * (`/api/docker/<key>/v2/` under the Artifactory URL, one origin for all), a subdomain
 * (`<key>.<host>`) or a port per repository. The connection URL is Artifactory's own, with
 * its context path (`https://jfrog.example.com/artifactory`).
 */
export class ArtifactoryAdapter extends PerRepositoryV2Adapter {
  private readonly clients = new Map<string, RegistryHttpClient>();

  private get method(): AccessMethod {
    return (this.context.connection.options.accessMethod ??
      'repositoryPath') as AccessMethod;
  }

  protected apiPath(key: string): string {
    return this.method === 'repositoryPath'
      ? `/api/docker/${encodeURIComponent(key)}`
      : '';
  }

  protected clientOf(key: string) {
    if (this.method === 'repositoryPath') return this.context.http;
    let client = this.clients.get(key);
    if (!client) {
      client = this.context.clientFor(this.originOf(key));
      this.clients.set(key, client);
    }
    return client;
  }

  /** The origin of a repository served on a subdomain or on a port of its own. */
  private originOf(key: string): string {
    const base = new URL(this.context.connection.url);
    if (this.method === 'subdomain') {
      return `${base.protocol}//${key.toLowerCase()}.${base.host}`;
    }
    const port = portOf(this.context.connection.options.ports, key);
    if (!port || port > 65535) {
      throw new RegistryError(
        'not-found',
        `Artifactory repository "${key}" has no port in artifactory.ports: add "${key}=<port>" as its reverse proxy serves it`,
      );
    }
    return portOrigin(this.context.connection.url, port);
  }

  protected advised(error: unknown, what: string): unknown {
    return withFix(error, e => {
      if (e.reason === 'unauthorized')
        return 'Artifactory refused the credentials: check the user and password, API key or access token';
      if (e.reason === 'forbidden')
        return `Artifactory does not let these credentials read ${what}: give the user or token Read permission on the repository (a permission target that includes it)`;
      return undefined;
    });
  }

  protected async productRepositories(): Promise<string[]> {
    let body: unknown;
    try {
      body = await getJson(
        this.context.http,
        '/api/repositories?packageType=docker',
      );
    } catch (error) {
      throw this.advised(error, 'the list of repositories');
    }
    if (!Array.isArray(body)) {
      throw new RegistryError(
        'invalid-response',
        '/api/repositories did not answer a list',
      );
    }
    const docker = (body as ArtifactoryRepository[]).filter(
      r =>
        typeof r?.key === 'string' &&
        String(r.packageType).toLowerCase() === 'docker',
    );
    const chosen = this.chosen;
    if (!chosen) {
      return docker
        .filter(r => OWN_CONTENT.has(String(r.type).toUpperCase()))
        .map(r => r.key as string);
    }
    const missing = chosen.filter(key => !docker.some(r => r.key === key));
    if (missing.length) {
      throw new RegistryError(
        'not-found',
        `Artifactory shows these credentials no docker repository ${missing
          .map(key => `"${key}"`)
          .join(', ')}: check the keys (Artifactory lists ${
          docker.map(r => r.key).join(', ') || 'none'
        }) and give Read permission on them`,
      );
    }
    return chosen;
  }
}

export const artifactoryAdapterFactory: RegistryAdapterFactory = {
  type: 'artifactory',
  title: 'JFrog Artifactory',
  credentials: {
    username: 'User name',
    password: 'Password or API key',
    token: 'Access token (instead of user and password)',
  },
  options: [
    {
      key: 'accessMethod',
      label: 'Docker access method',
      kind: 'choice',
      choices: ['repositoryPath', 'subdomain', 'port'],
      help: 'How Artifactory serves each docker repository: under /api/docker/<key>/ (repository path, the default), as <key>.<host> (subdomain), or on a port of its own.',
    },
    {
      key: 'repositories',
      label: 'Artifactory repositories to load',
      kind: 'list',
      help: 'Docker repository keys to inventory; all local and federated docker repositories the credentials can read when empty.',
    },
    {
      key: 'ports',
      label: 'Ports by repository',
      kind: 'list',
      pattern: '^[^=\\s]+=\\d{1,5}$',
      patternHint: '"<key>=<port>"',
      help: 'For the port method: "<key>=<port>" for each repository.',
    },
  ],
  create: context => new ArtifactoryAdapter(context),
};
