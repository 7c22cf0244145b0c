import type { ImagePlatform } from '@container-inventory/plugin-container-registry-common';
import { RegistryError } from '../../errors';
import type { RegistryHttpClient } from '../../http/RegistryHttpClient';
import { isValidDigest } from '../../manifests';
import { withFix } from '../perRepositoryV2';
import type {
  ListedImage,
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from '../types';

const DEFAULT_HUB_API_URL = 'https://hub.docker.com';
const DEFAULT_TOKEN_SERVICE_URL = 'https://auth.docker.io';
/** The Hub API answers at most 100 entries per page. */
const HUB_MAX_PAGE_SIZE = 100;
const MAX_PAGES = 100_000;
/** Used when the Hub token carries no readable expiry. */
const FALLBACK_TOKEN_LIFETIME_MS = 5 * 60_000;
/** Renew this long before expiry, so a token does not expire between check and use. */
const RENEW_BEFORE_MS = 30_000;

interface HubPage {
  next?: unknown;
  results?: unknown;
}

interface HubImage {
  architecture?: unknown;
  os?: unknown;
  variant?: unknown;
  digest?: unknown;
}

interface HubTag {
  name?: unknown;
  digest?: unknown;
  media_type?: unknown;
  tag_last_pushed?: unknown;
  images?: unknown;
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

const text = (value: unknown) =>
  typeof value === 'string' && value ? value : undefined;

/** The Hub writes microseconds; the inventory keeps ISO dates to the millisecond. */
function isoDate(value: unknown): string | undefined {
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The `exp` of a JWT in milliseconds, without verifying it: only to know when to renew. */
function jwtExpiryMs(token: string): number | undefined {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    );
    return typeof payload?.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Platforms from the tag's `images[]`; attestations (`unknown/unknown`) are not platforms. */
function platformsOf(
  images: HubImage[],
  digest: string,
  mediaType: string,
): ImagePlatform[] | undefined {
  const index = INDEX_TYPES.has(mediaType);
  const platforms: ImagePlatform[] = [];
  for (const image of images) {
    const os = text(image?.os);
    const architecture = text(image?.architecture);
    if (!os || !architecture || os === 'unknown') continue;
    const variant = text(image.variant);
    const child = text(image.digest);
    if (index && !child) return undefined;
    platforms.push({
      os,
      architecture,
      ...(variant ? { variant } : {}),
      ...(index ? { digest: child } : {}),
    });
  }
  // A single image must be described by exactly its own entry to be trusted.
  if (!index && (platforms.length !== 1 || images.length !== 1)) {
    return undefined;
  }
  if (!index && text(images[0].digest) && images[0].digest !== digest) {
    return undefined;
  }
  return platforms.length ? platforms : undefined;
}

/** A tag of the Hub listing; its image is described when digest, media type and platforms are. */
export function hubTagInfo(tag: HubTag): TagInfo | undefined {
  const name = text(tag?.name);
  if (!name) return undefined;
  const digest =
    text(tag.digest) && isValidDigest(tag.digest as string)
      ? (tag.digest as string)
      : undefined;
  const pushed = isoDate(tag.tag_last_pushed);
  const info: TagInfo = {
    name,
    ...(digest ? { digest } : {}),
    ...(pushed ? { pushed } : {}),
  };
  const mediaType = text(tag.media_type);
  if (!digest || !mediaType || !Array.isArray(tag.images)) return info;
  const platforms = platformsOf(tag.images as HubImage[], digest, mediaType);
  if (!platforms) return info;
  const image: ListedImage = { mediaType, platforms };
  return { ...info, image };
}

/**
 * Docker Hub: repositories of the given namespaces (users or organisations) and their tags
 * from the Hub API, which gives each tag's digest, media type, platforms (`images[]`) and
 * push time, so neither a first crawl nor a recrawl reads a manifest for them (manifest GETs
 * count against Hub's pull limit). The API takes a short-lived token from its login endpoint,
 * obtained from the user name and personal access token and renewed before it expires or
 * when the API refuses it; the registry takes the same user name and token through its own
 * token service.
 */
export class DockerHubAdapter implements RegistryAdapter {
  private readonly api: RegistryHttpClient;
  private token?: { value: string; renewAt: number };
  private login?: Promise<string>;

  constructor(private readonly context: RegistryAdapterContext) {
    const apiUrl =
      (context.connection.options.hubApiUrl as string | undefined) ??
      DEFAULT_HUB_API_URL;
    this.api = context.clientFor(apiUrl, { type: 'none' });
  }

  private get namespaces(): string[] {
    return this.context.connection.options.namespaces as string[];
  }

  private get username() {
    return this.context.connection.auth.username;
  }

  /** The Hub API token, from the login endpoint; none for anonymous (public) listings. */
  private async authorization(renew = false): Promise<string | undefined> {
    const { username, password } = this.context.connection.auth;
    if (!username || !password) return undefined;
    if (!renew && this.token && Date.now() < this.token.renewAt)
      return `Bearer ${this.token.value}`;
    this.login ??= this.logIn(username, password).finally(() => {
      this.login = undefined;
    });
    return `Bearer ${await this.login}`;
  }

  private async logIn(username: string, secret: string): Promise<string> {
    let body: { access_token?: unknown; token?: unknown };
    try {
      const response = await this.api.request({
        kind: 'token',
        method: 'POST',
        url: '/v2/auth/token',
        accept: 'application/json',
        authorization: '',
        payload: {
          contentType: 'application/json',
          content: JSON.stringify({ identifier: username, secret }),
        },
      });
      body = JSON.parse(response.body.toString('utf8'));
    } catch (error) {
      throw withFix(error, e =>
        e.reason === 'unauthorized' || e.reason === 'forbidden'
          ? `Docker Hub refused the personal access token of "${username}": create one under Account settings → Personal access tokens with the "Read-only" access permission (or "Public Repo Read-only" for public repositories) and give it as the password`
          : undefined,
      );
    }
    const token = text(body?.access_token) ?? text(body?.token);
    if (!token) {
      throw new RegistryError(
        'invalid-response',
        'The Docker Hub login answered no token',
      );
    }
    const expiry =
      jwtExpiryMs(token) ?? Date.now() + FALLBACK_TOKEN_LIFETIME_MS;
    this.token = { value: token, renewAt: expiry - RENEW_BEFORE_MS };
    return token;
  }

  /** One Hub API GET; a refused token is renewed once (it may have expired early). */
  private async getPage(url: string | URL): Promise<HubPage> {
    let authorization = await this.authorization();
    for (let attempt = 0; ; attempt++) {
      const response = await this.api.request({
        kind: 'api',
        url,
        accept: 'application/json',
        authorization: authorization ?? '',
        passStatuses: attempt === 0 && authorization ? [401] : [],
      });
      if (response.status === 401) {
        authorization = await this.authorization(true);
        continue;
      }
      try {
        return JSON.parse(response.body.toString('utf8'));
      } catch {
        throw new RegistryError(
          'invalid-response',
          `${response.url.pathname} answered non-JSON`,
        );
      }
    }
  }

  /** Every page of a Hub listing, following its absolute `next` on the API's origin only. */
  private async *pages(path: string): AsyncGenerator<unknown[]> {
    const pageSize = Math.min(
      this.context.connection.transport.pageSize,
      HUB_MAX_PAGE_SIZE,
    );
    let url: URL | undefined = this.api.resolve(
      `${path}?page_size=${pageSize}`,
    );
    const seen = new Set<string>();
    while (url) {
      if (this.context.signal?.aborted)
        throw new RegistryError('aborted', 'The crawl was cancelled');
      if (seen.has(url.href) || seen.size >= MAX_PAGES) {
        throw new RegistryError(
          'pagination-loop',
          `${path} kept linking to more pages (${seen.size} read)`,
        );
      }
      seen.add(url.href);
      const body = await this.getPage(url);
      if (!Array.isArray(body?.results)) {
        throw new RegistryError(
          'invalid-response',
          `${path} answered no "results" list`,
        );
      }
      if (body.results.length) yield body.results;
      const next: URL | undefined = text(body.next)
        ? new URL(body.next as string, url)
        : undefined;
      if (next && next.origin !== url.origin) {
        throw new RegistryError(
          'cross-host',
          `${path} linked its next page to ${next.origin}`,
        );
      }
      url = next;
    }
  }

  private advised(error: unknown, namespace: string): unknown {
    return withFix(error, e => {
      if (e.reason === 'not-found')
        return `Docker Hub has no namespace "${namespace}": give a user or organisation name`;
      if (e.reason === 'forbidden' || e.reason === 'unauthorized')
        return `Docker Hub does not show the repositories of "${namespace}" to ${
          this.username ? `"${this.username}"` : 'anonymous users'
        }: make the user a member of the organisation with read access, and give a token with the "Read-only" access permission`;
      return undefined;
    });
  }

  async testConnection(): Promise<void> {
    await this.authorization();
    for (const namespace of this.namespaces) {
      try {
        await this.getPage(
          `/v2/namespaces/${encodeURIComponent(
            namespace,
          )}/repositories?page_size=1`,
        );
      } catch (error) {
        throw this.advised(error, namespace);
      }
    }
    try {
      await this.context.http.request({ kind: 'ping', url: '/v2/' });
    } catch (error) {
      throw withFix(error, e =>
        e.reason === 'unauthorized'
          ? `The Docker Hub registry refused "${this.username}" with the token: check that the token is still valid and has at least the "Read-only" (or "Public Repo Read-only") access permission`
          : undefined,
      );
    }
  }

  async *listRepositories(): AsyncIterable<string[]> {
    for (const namespace of this.namespaces) {
      const path = `/v2/namespaces/${encodeURIComponent(
        namespace,
      )}/repositories`;
      try {
        for await (const page of this.pages(path)) {
          yield (page as { name?: unknown; namespace?: unknown }[]).flatMap(r =>
            text(r?.name)
              ? [`${text(r.namespace) ?? namespace}/${r.name}`]
              : [],
          );
        }
      } catch (error) {
        throw this.advised(error, namespace);
      }
    }
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    const slash = repository.indexOf('/');
    const path = `/v2/namespaces/${encodeURIComponent(
      repository.slice(0, slash),
    )}/repositories/${encodeURIComponent(repository.slice(slash + 1))}/tags`;
    for await (const page of this.pages(path)) {
      yield (page as HubTag[]).flatMap(tag => {
        const info = hubTagInfo(tag);
        return info ? [info] : [];
      });
    }
  }
}

export const dockerHubAdapterFactory: RegistryAdapterFactory = {
  type: 'dockerhub',
  title: 'Docker Hub',
  credentials: {
    username: 'Docker ID',
    password: 'Personal access token (Read-only)',
  },
  options: [
    {
      key: 'namespaces',
      label: 'Namespaces',
      kind: 'list',
      required: true,
      help: 'Users or organisations whose repositories to load ("library" for official images).',
    },
    {
      key: 'hubApiUrl',
      label: 'Hub API URL',
      kind: 'url',
      help: `Where the Hub API answers; ${DEFAULT_HUB_API_URL} by default.`,
    },
    {
      key: 'tokenServiceUrl',
      label: 'Registry token service URL',
      kind: 'url',
      help: `The registry's token service, which receives the credentials; ${DEFAULT_TOKEN_SERVICE_URL} by default.`,
    },
  ],
  credentialOrigins: connection => [
    new URL(
      (connection.options.tokenServiceUrl as string | undefined) ??
        DEFAULT_TOKEN_SERVICE_URL,
    ).origin,
  ],
  create: context => new DockerHubAdapter(context),
};
