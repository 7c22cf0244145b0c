import type { RegistryAuth } from '../../connection/types';
import { RegistryError } from '../../errors';
import type { RegistryHttpClient } from '../../http/RegistryHttpClient';
import { isValidDigest } from '../../manifests';
import { withFix } from '../perRepositoryV2';
import type {
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from '../types';
import type { V2Location } from '../v2/V2Api';
import { ACCESS_TOKEN_USER, GoogleCredentials } from './googleAuth';

const DEFAULT_API_URL = 'https://artifactregistry.googleapis.com';
const API_MAX_PAGE = 1000;
const MAX_PAGES = 100_000;
const LEAST_PRIVILEGE =
  'grant the service account roles/artifactregistry.reader on the project or the repositories';

interface GarVersion {
  name?: unknown;
  createTime?: unknown;
  relatedTags?: { name?: unknown }[];
}

function isoDate(value: unknown): string | undefined {
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The tags of one version of `…/versions?view=FULL`: its digest (the version id), pushed at `createTime`. */
export function versionTags(version: GarVersion): TagInfo[] {
  const id = typeof version?.name === 'string' ? version.name : '';
  const digest = decodeURIComponent(id.slice(id.lastIndexOf('/') + 1));
  const pushed = isoDate(version.createTime);
  return (version.relatedTags ?? []).flatMap(tag => {
    const name =
      typeof tag?.name === 'string'
        ? decodeURIComponent(tag.name.slice(tag.name.lastIndexOf('/') + 1))
        : '';
    if (!name) return [];
    return [
      {
        name,
        ...(isValidDigest(digest) ? { digest } : {}),
        ...(pushed ? { pushed } : {}),
      },
    ];
  });
}

/**
 * Google Artifact Registry: docker repositories of one project and location from the Artifact
 * Registry API, their packages (images), and each package's versions with `view=FULL`, which
 * names the digest, the tags and the upload time, so an unchanged recrawl reads no manifest.
 * A service-account key is turned into OAuth access tokens by `google-auth-library` (which
 * renews them); the registry takes the current one as `oauth2accesstoken`. An access token
 * given as the connection's token is used as is.
 */
export class GarAdapter implements RegistryAdapter {
  private readonly api: RegistryHttpClient;
  private readonly google: GoogleCredentials;
  private readonly project: string;
  private readonly location: string;
  private readonly registryAuth: RegistryAuth = {
    type: 'auto',
    username: ACCESS_TOKEN_USER,
  };
  private registry?: RegistryHttpClient;
  /** Package resource name by image path (`project/repository/image`). */
  private readonly packages = new Map<string, string>();

  constructor(private readonly context: RegistryAdapterContext) {
    const { connection } = context;
    const options = connection.options as {
      project: string;
      location?: string;
      apiUrl?: string;
      tokenUri?: string;
    };
    this.project = options.project;
    const fromHost = /^([a-z0-9-]+)-docker\.pkg\.dev$/.exec(
      new URL(connection.url).hostname,
    )?.[1];
    const location = options.location ?? fromHost;
    if (!location) {
      throw new RegistryError(
        'invalid-response',
        `Give the location (options.location): ${connection.url} is not <location>-docker.pkg.dev`,
      );
    }
    this.location = location;
    this.api = context.clientFor(options.apiUrl ?? DEFAULT_API_URL, {
      type: 'none',
    });
    this.google = new GoogleCredentials(connection, options.tokenUri);
  }

  private accessToken(): Promise<string> {
    return this.google.accessToken();
  }

  /** The registry's client with the current access token as `oauth2accesstoken`. */
  private async loggedIn(): Promise<RegistryHttpClient> {
    this.registryAuth.password = await this.accessToken();
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

  private get parent() {
    return `v1/projects/${encodeURIComponent(
      this.project,
    )}/locations/${encodeURIComponent(this.location)}`;
  }

  /** Every page of an API listing by `pageToken`. */
  private async *pages(
    path: string,
    field: string,
    query = '',
  ): AsyncGenerator<Record<string, unknown>[]> {
    const pageSize = Math.min(
      this.context.connection.transport.pageSize,
      API_MAX_PAGE,
    );
    let pageToken: string | undefined;
    for (let page = 0; page === 0 || pageToken; page++) {
      if (page >= MAX_PAGES) {
        throw new RegistryError(
          'pagination-loop',
          `${path} kept answering nextPageToken`,
        );
      }
      const params = new URLSearchParams(query);
      params.set('pageSize', String(pageSize));
      if (pageToken) params.set('pageToken', pageToken);
      const response = await this.api.request({
        kind: 'api',
        url: `/${path}?${params}`,
        accept: 'application/json',
        authorization: `Bearer ${await this.accessToken()}`,
      });
      const body = JSON.parse(response.body.toString('utf8'));
      const items = body?.[field] ?? [];
      if (!Array.isArray(items)) {
        throw new RegistryError(
          'invalid-response',
          `${path} answered no "${field}" list`,
        );
      }
      if (items.length) yield items;
      pageToken =
        typeof body?.nextPageToken === 'string' && body.nextPageToken
          ? body.nextPageToken
          : undefined;
    }
  }

  private advised(error: unknown): unknown {
    return withFix(error, e => {
      if (e.reason === 'forbidden')
        return `Google denied the service account access to project "${this.project}": ${LEAST_PRIVILEGE}`;
      if (e.reason === 'not-found')
        return `Artifact Registry knows no project "${this.project}" in location "${this.location}"`;
      if (e.reason === 'unauthorized')
        return 'Google refused the access token: give a current one, or a service account key';
      return undefined;
    });
  }

  async testConnection(): Promise<void> {
    // A refused key says what is wrong by itself; what follows is the API's verdict.
    await this.accessToken();
    try {
      for await (const _ of this.pages(
        `${this.parent}/repositories`,
        'repositories',
      )) {
        break;
      }
      await (await this.loggedIn()).request({ kind: 'ping', url: '/v2/' });
    } catch (error) {
      throw this.advised(error);
    }
  }

  async *listRepositories(): AsyncIterable<string[]> {
    await this.accessToken();
    try {
      for await (const repositories of this.pages(
        `${this.parent}/repositories`,
        'repositories',
      )) {
        for (const repository of repositories) {
          if (repository.format !== 'DOCKER') continue;
          const resource = String(repository.name);
          const id = resource.slice(resource.lastIndexOf('/') + 1);
          for await (const packages of this.pages(
            `v1/${resource}/packages`,
            'packages',
          )) {
            yield packages.map(p => {
              const name = String(p.name);
              const image = decodeURIComponent(
                name.slice(name.lastIndexOf('/') + 1),
              );
              const path = `${this.project}/${id}/${image}`;
              this.packages.set(path, name);
              return path;
            });
          }
        }
      }
    } catch (error) {
      throw this.advised(error);
    }
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    await this.loggedIn();
    const [, id, ...image] = repository.split('/');
    const resource =
      this.packages.get(repository) ??
      `projects/${this.project}/locations/${
        this.location
      }/repositories/${id}/packages/${encodeURIComponent(image.join('/'))}`;
    for await (const versions of this.pages(
      `v1/${resource}/versions`,
      'versions',
      'view=FULL',
    )) {
      yield (versions as GarVersion[]).flatMap(versionTags);
    }
  }
}

export const garAdapterFactory: RegistryAdapterFactory = {
  type: 'gar',
  title: 'Google Artifact Registry',
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
      help: 'The Google Cloud project id.',
    },
    {
      key: 'location',
      label: 'Location',
      kind: 'text',
      help: 'Region or multi-region (europe, us-central1); read from <location>-docker.pkg.dev when absent.',
    },
    {
      key: 'apiUrl',
      label: 'API URL',
      kind: 'url',
      help: `The Artifact Registry API; ${DEFAULT_API_URL} by default.`,
    },
    {
      key: 'tokenUri',
      label: 'Token URI',
      kind: 'url',
      help: "Where service-account tokens come from; the key's token_uri by default.",
    },
  ],
  create: context => new GarAdapter(context),
};
