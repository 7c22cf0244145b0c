import type { RegistryAuth } from '../../connection/types';
import { RegistryError } from '../../errors';
import type { RegistryHttpClient } from '../../http/RegistryHttpClient';
import { isValidDigest } from '../../manifests';
import { namesOf } from '../generic';
import { withFix } from '../perRepositoryV2';
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
} from '../v2';
import type { V2Location } from '../v2/V2Api';
import { ACCESS_TOKEN_USER, GoogleCredentials } from './googleAuth';

interface GcrManifestEntry {
  tag?: unknown;
  timeUploadedMs?: unknown;
}

/** Tag → digest and upload time, from the `manifest` map of GCR's tag list. */
export function gcrTagInfos(body: unknown): Map<string, TagInfo> {
  const manifests = (body as { manifest?: unknown })?.manifest;
  const byTag = new Map<string, TagInfo>();
  if (!manifests || typeof manifests !== 'object') return byTag;
  for (const [digest, entry] of Object.entries(
    manifests as Record<string, GcrManifestEntry>,
  )) {
    if (!isValidDigest(digest) || !Array.isArray(entry?.tag)) continue;
    const ms = Number(entry.timeUploadedMs);
    const pushed =
      Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
    for (const name of entry.tag) {
      if (typeof name === 'string' && name)
        byTag.set(name, { name, digest, ...(pushed ? { pushed } : {}) });
    }
  }
  return byTag;
}

/**
 * Container Registry hosts (`gcr.io`, `eu.gcr.io`, …, served by Artifact Registry now):
 * repositories of the project from the V2 `_catalog`, and tags from the V2 tag list, whose
 * `manifest` map names each tag's digest and upload time, so an unchanged recrawl reads no
 * manifest. Credentials as for Artifact Registry: access tokens from a service-account key
 * through `google-auth-library`, sent as `oauth2accesstoken`.
 */
export class GcrAdapter implements RegistryAdapter {
  private readonly google: GoogleCredentials;
  private readonly registryAuth: RegistryAuth = {
    type: 'auto',
    username: ACCESS_TOKEN_USER,
  };
  private registry?: RegistryHttpClient;

  constructor(private readonly context: RegistryAdapterContext) {
    this.google = new GoogleCredentials(
      context.connection,
      context.connection.options.tokenUri as string | undefined,
    );
  }

  private get project() {
    return this.context.connection.options.project as string;
  }

  private async loggedIn(): Promise<RegistryHttpClient> {
    this.registryAuth.password = await this.google.accessToken();
    this.registry ??= this.context.clientFor(
      this.context.connection.url,
      this.registryAuth,
    );
    return this.registry;
  }

  v2Location(repository: string): V2Location {
    if (!this.registry) {
      throw new RegistryError(
        'unauthorized',
        'The registry was read before an access token was obtained',
      );
    }
    return { prefix: '', repository, http: this.registry };
  }

  private advised(error: unknown): unknown {
    return withFix(error, e =>
      e.reason === 'forbidden' || e.reason === 'unauthorized'
        ? `The registry refused the service account: grant it roles/artifactregistry.reader on project "${this.project}" (gcr.io repositories live in Artifact Registry)`
        : undefined,
    );
  }

  async testConnection(): Promise<void> {
    const http = await this.loggedIn();
    try {
      await http.request({
        kind: 'catalog',
        url: '/v2/_catalog?n=1',
        scope: CATALOG_SCOPE,
      });
    } catch (error) {
      throw this.advised(error);
    }
  }

  async *listRepositories(): AsyncIterable<string[]> {
    const http = await this.loggedIn();
    const prefix = `${this.project}/`;
    try {
      for await (const names of paginate({
        http,
        kind: 'catalog',
        path: '/v2/_catalog',
        scope: CATALOG_SCOPE,
        pageSize: this.context.connection.transport.pageSize,
        signal: this.context.signal,
        read: body => ({ items: namesOf(body, 'repositories', true) }),
      })) {
        // The catalog of a host may hold other projects' repositories the account can read.
        const own = names.filter(name => name.startsWith(prefix));
        if (own.length) yield own;
      }
    } catch (error) {
      throw this.advised(error);
    }
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    const http = await this.loggedIn();
    // Filled as pages are read; GCR repeats the whole map on every page.
    const described = new Map<string, TagInfo>();
    const pages = paginate({
      http,
      kind: 'tags',
      path: `/v2/${repositoryPath(repository)}/tags/list`,
      scope: repositoryScope(repository),
      pageSize: this.context.connection.transport.pageSize,
      signal: this.context.signal,
      read: body => {
        for (const [name, info] of gcrTagInfos(body)) described.set(name, info);
        return {
          items: namesOf(
            body,
            'tags',
            typeof (body as { name?: unknown })?.name === 'string',
          ),
        };
      },
    });
    for await (const names of pages) {
      yield names.map(name => described.get(name) ?? { name });
    }
  }
}

export const gcrAdapterFactory: RegistryAdapterFactory = {
  type: 'gcr',
  title: 'Google Container Registry hosts (gcr.io)',
  credentials: {
    password: 'Service account JSON key (roles/artifactregistry.reader)',
    token: 'Or: an OAuth access token',
  },
  options: [
    {
      key: 'project',
      label: 'Project',
      kind: 'text',
      required: true,
      help: 'The Google Cloud project id, the first part of every repository name.',
    },
    {
      key: 'tokenUri',
      label: 'Token URI',
      kind: 'url',
      help: "Where service-account tokens come from; the key's token_uri by default.",
    },
  ],
  create: context => new GcrAdapter(context),
};
