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

interface NexusRepository {
  name?: unknown;
  format?: unknown;
  type?: unknown;
}

/**
 * Sonatype Nexus Repository 3: the docker repositories come from Nexus's REST API, and each
 * is read through its own V2 API under `/repository/<name>/v2/` (one origin, one connection
 * pool and one set of credentials for all), or at the root of its connector port when one
 * is given (a client of its own, named by the adapter). Without a choice, hosted repositories are
 * loaded: proxies cache other registries and groups repeat their members.
 */
export class NexusAdapter extends PerRepositoryV2Adapter {
  private readonly connectors = new Map<string, RegistryHttpClient>();

  private connectorPort(name: string): number | undefined {
    return portOf(this.context.connection.options.connectorPorts, name);
  }

  /** A repository with a connector port is served at the root of that port. */
  protected apiPath(name: string): string {
    return this.connectorPort(name)
      ? ''
      : `/repository/${encodeURIComponent(name)}`;
  }

  protected clientOf(name: string) {
    const port = this.connectorPort(name);
    if (!port) return this.context.http;
    let client = this.connectors.get(name);
    if (!client) {
      client = this.context.clientFor(
        portOrigin(this.context.connection.url, port),
      );
      this.connectors.set(name, client);
    }
    return client;
  }

  protected advised(error: unknown, what: string): unknown {
    return withFix(error, e => {
      if (e.reason === 'unauthorized')
        return 'Nexus refused the user name or password';
      if (e.reason === 'forbidden')
        return `Nexus does not let this user read ${what}: give it nx-repository-view-docker-<repository>-browse and -read (or a role holding them)`;
      return undefined;
    });
  }

  protected async productRepositories(): Promise<string[]> {
    let body: unknown;
    try {
      body = await getJson(this.context.http, '/service/rest/v1/repositories');
    } catch (error) {
      throw this.advised(error, 'the list of repositories');
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
    {
      key: 'connectorPorts',
      label: 'Connector ports',
      kind: 'list',
      pattern: '^[^=\\s]+=\\d{1,5}$',
      patternHint: '"<repository>=<port>"',
      help: 'For repositories read through an HTTP connector instead of /repository/<name>/: "<repository>=<port>" each.',
    },
  ],
  create: context => new NexusAdapter(context),
};
