import { RegistryError } from '../../errors';
import { sleep } from '../../http/abortable';
import { parseNextLink } from '../../http/linkHeader';
import type {
  RegistryHttpClient,
  RegistryResponse,
} from '../../http/RegistryHttpClient';
import { rateLimitWaitMs } from '../../http/retryPolicy';
import { isValidDigest } from '../../manifests';
import { withFix } from '../perRepositoryV2';
import type {
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from '../types';

const DEFAULT_API_URL = 'https://api.github.com';
/** GitHub answers at most 100 entries per page. */
const GITHUB_MAX_PER_PAGE = 100;
const MAX_PAGES = 100_000;
/** Tries of a request GitHub's rate limits refuse with 403 (it retries 429 by itself). */
const RATE_LIMIT_TRIES = 5;
/** A rate limit that resets later than this fails the crawl instead of holding it. */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

/** An owner of packages: an organisation, or a user (the token's own user sees its private ones). */
interface Owner {
  kind: 'org' | 'user';
  name: string;
}

interface PackageVersion {
  name?: unknown;
  created_at?: unknown;
  metadata?: { container?: { tags?: unknown } };
}

function isoDate(value: unknown): string | undefined {
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The tags of one package version: its digest (`name`) under each tag, pushed at `created_at`. */
export function versionTags(version: PackageVersion): TagInfo[] {
  const tags = version?.metadata?.container?.tags;
  // Untagged versions (old pushes, platform images and attestations of an index) are no
  // image anyone pulls by name.
  if (!Array.isArray(tags)) return [];
  const digest = isValidDigest(version.name) ? version.name : undefined;
  const pushed = isoDate(version.created_at);
  return tags
    .filter((tag): tag is string => typeof tag === 'string' && tag !== '')
    .map(name => ({
      name,
      ...(digest ? { digest } : {}),
      ...(pushed ? { pushed } : {}),
    }));
}

/** GitHub's rate limits (primary and secondary) answer 403 with these headers, not 429. */
function isRateLimited(response: RegistryResponse): boolean {
  return (
    response.status === 403 &&
    (response.header('retry-after') !== undefined ||
      response.header('x-ratelimit-remaining') === '0')
  );
}

/**
 * GitHub Container Registry: container packages of the given organisations and users from
 * the GitHub REST packages API (`package_type=container`), paged by `Link`, and their
 * versions, whose `name` is the digest and `metadata.container.tags` the tags, so an
 * unchanged recrawl reads no manifest; a first crawl reads one manifest per digest, for its
 * platforms, which the API does not give. Both the API and ghcr.io take the user name and a
 * personal access token with `read:packages`.
 */
export class GhcrAdapter implements RegistryAdapter {
  private readonly api: RegistryHttpClient;
  /** Package name by repository, as the API spells it (the repository is lowercase). */
  private readonly packages = new Map<string, { owner: Owner; name: string }>();

  constructor(private readonly context: RegistryAdapterContext) {
    const { auth, options } = context.connection;
    const token = auth.token ?? auth.password;
    this.api = context.clientFor(
      (options.apiUrl as string | undefined) ?? DEFAULT_API_URL,
      token ? { type: 'bearer', token } : { type: 'none' },
    );
  }

  private get owners(): Owner[] {
    const { organizations, users } = this.context.connection.options as {
      organizations?: string[];
      users?: string[];
    };
    return [
      ...(organizations ?? []).map(name => ({ kind: 'org' as const, name })),
      ...(users ?? []).map(name => ({ kind: 'user' as const, name })),
    ];
  }

  /** The API path of an owner's packages; the token's own user sees its private ones too. */
  private ownerPath(owner: Owner): string {
    if (owner.kind === 'org') return `/orgs/${encodeURIComponent(owner.name)}`;
    const self = this.context.connection.auth.username;
    return self && self.toLowerCase() === owner.name.toLowerCase()
      ? '/user'
      : `/users/${encodeURIComponent(owner.name)}`;
  }

  /** One GET; 403s of GitHub's rate limits wait for the reset the answer names. */
  private async get(url: string | URL): Promise<RegistryResponse> {
    for (let attempt = 1; ; attempt++) {
      const response = await this.api.request({
        kind: 'api',
        url,
        accept: 'application/vnd.github+json',
        passStatuses: [403],
      });
      if (response.status !== 403) return response;
      const wait = rateLimitWaitMs(response.header);
      if (
        !isRateLimited(response) ||
        attempt >= RATE_LIMIT_TRIES ||
        (wait ?? 0) > MAX_RATE_LIMIT_WAIT_MS
      ) {
        const path = response.url.pathname;
        throw isRateLimited(response)
          ? new RegistryError(
              'rate-limited',
              `${path}: GitHub's API rate limit is exhausted until ${
                wait !== undefined
                  ? new Date(Date.now() + wait).toISOString()
                  : 'later'
              }`,
              { status: 403 },
            )
          : new RegistryError('forbidden', `${path} answered 403`, {
              status: 403,
            });
      }
      await sleep(wait ?? 1000 * attempt, this.context.signal);
    }
  }

  /** Every page of a GitHub listing (a JSON array), following `Link: rel="next"` on its origin. */
  private async *pages(path: string): AsyncGenerator<unknown[]> {
    const perPage = Math.min(
      this.context.connection.transport.pageSize,
      GITHUB_MAX_PER_PAGE,
    );
    const first = this.api.resolve(path);
    first.searchParams.set('per_page', String(perPage));
    let url: URL | undefined = first;
    const seen = new Set<string>();
    while (url) {
      if (this.context.signal?.aborted)
        throw new RegistryError('aborted', 'The crawl was cancelled');
      if (seen.has(url.href) || seen.size >= MAX_PAGES) {
        throw new RegistryError(
          'pagination-loop',
          `${first.pathname} kept linking to more pages (${seen.size} read)`,
        );
      }
      seen.add(url.href);
      const response = await this.get(url);
      let body: unknown;
      try {
        body = JSON.parse(response.body.toString('utf8'));
      } catch {
        body = undefined;
      }
      if (!Array.isArray(body)) {
        throw new RegistryError(
          'invalid-response',
          `${first.pathname} answered a page that is not a list`,
        );
      }
      if (body.length) yield body;
      const next = parseNextLink(response.header('link'), response.url);
      if (next && next.origin !== response.url.origin) {
        throw new RegistryError(
          'cross-host',
          `${first.pathname} linked its next page to ${next.origin}`,
        );
      }
      url = next;
    }
  }

  private advised(error: unknown, owner: Owner): unknown {
    const what = owner.kind === 'org' ? 'organisation' : 'user';
    return withFix(error, e => {
      if (e.reason === 'unauthorized')
        return 'GitHub refused the token: give a personal access token (classic) with the read:packages scope, or a fine-grained one, as the password';
      if (e.reason === 'forbidden')
        return `GitHub does not let the token list the packages of ${what} "${
          owner.name
        }": it needs the read:packages scope${
          owner.kind === 'org'
            ? ', and SSO authorisation for the organisation if it enforces SAML'
            : ''
        }`;
      if (e.reason === 'not-found')
        return `GitHub has no ${what} "${owner.name}", or the token cannot see it`;
      return undefined;
    });
  }

  async testConnection(): Promise<void> {
    if (this.owners.length === 0) {
      throw new RegistryError(
        'invalid-response',
        'Name at least one organisation or user whose packages to load',
      );
    }
    for (const owner of this.owners) {
      try {
        await this.get(
          `${this.ownerPath(owner)}/packages?package_type=container&per_page=1`,
        );
      } catch (error) {
        throw this.advised(error, owner);
      }
    }
    try {
      await this.context.http.request({ kind: 'ping', url: '/v2/' });
    } catch (error) {
      throw withFix(error, e =>
        e.reason === 'unauthorized'
          ? 'ghcr.io refused the user name and token: give the GitHub user name and a personal access token with the read:packages scope'
          : undefined,
      );
    }
  }

  async *listRepositories(): AsyncIterable<string[]> {
    for (const owner of this.owners) {
      try {
        for await (const page of this.pages(
          `${this.ownerPath(owner)}/packages?package_type=container`,
        )) {
          yield (page as { name?: unknown; owner?: { login?: unknown } }[])
            .filter(p => typeof p?.name === 'string')
            .map(p => {
              const login =
                typeof p.owner?.login === 'string' ? p.owner.login : owner.name;
              const repository = `${login}/${p.name}`.toLowerCase();
              this.packages.set(repository, { owner, name: p.name as string });
              return repository;
            });
        }
      } catch (error) {
        throw this.advised(error, owner);
      }
    }
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    const known = this.packages.get(repository);
    const slash = repository.indexOf('/');
    const owner = known?.owner ?? {
      kind: 'org' as const,
      name: repository.slice(0, slash),
    };
    const name = known?.name ?? repository.slice(slash + 1);
    const path = `${this.ownerPath(
      owner,
    )}/packages/container/${encodeURIComponent(name)}/versions`;
    for await (const page of this.pages(path)) {
      yield (page as PackageVersion[]).flatMap(versionTags);
    }
  }
}

export const ghcrAdapterFactory: RegistryAdapterFactory = {
  type: 'ghcr',
  title: 'GitHub Container Registry',
  credentials: {
    username: 'GitHub user name',
    password: 'Personal access token with read:packages',
  },
  options: [
    {
      key: 'organizations',
      label: 'Organisations',
      kind: 'list',
      help: 'Organisations whose container packages to load.',
    },
    {
      key: 'users',
      label: 'Users',
      kind: 'list',
      help: "Users whose container packages to load; the token's own user includes its private ones.",
    },
    {
      key: 'apiUrl',
      label: 'API URL',
      kind: 'url',
      help: `GitHub's REST API; ${DEFAULT_API_URL} by default (GitHub Enterprise: https://HOST/api/v3).`,
    },
  ],
  create: context => new GhcrAdapter(context),
};
