import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './scriptedServer';

/**
 * A GitHub REST API double for container packages, written from GitHub's reference:
 * `GET /orgs/{org}/packages?package_type=container`, `/users/{user}/packages` and
 * `/user/packages` answer `[{id, name, package_type, owner: {login}, visibility, …}]`;
 * `GET …/packages/container/{name}/versions` answers `[{id, name: <digest>, created_at,
 * updated_at, metadata: {package_type: 'container', container: {tags: []}}}]`. Pages are
 * `per_page` (≤ 100) long and linked by `Link: <…>; rel="next"`. Errors are
 * `{message, documentation_url}`: 401 "Bad credentials", 403 "You need at least
 * read:packages scope to list packages.", and rate limits as 403 with `x-ratelimit-remaining:
 * 0` (primary) or `retry-after` (secondary).
 */
export interface GhcrVersionFixture {
  digest: string;
  tags: string[];
  created_at: string;
}

export interface GhcrFixture {
  /** Tokens and their scopes (`x-oauth-scopes`). */
  tokens: Record<string, { login: string; scopes: string[] }>;
  /** `owner/package` → versions; owners under `orgs` are organisations. */
  packages: Record<string, GhcrVersionFixture[]>;
  orgs: Set<string>;
  /** Entries per page at most, whatever per_page asks. */
  perPage: number;
  /** Paths answered once with a secondary rate limit (403, `retry-after: 0`). */
  secondaryRateLimitOnce?: Set<string>;
}

const DOCS = 'https://docs.github.com/rest/packages/packages';

function page<T>(
  res: ServerResponse,
  items: T[],
  url: URL,
  perPage: number,
  scopes: string,
) {
  const size = Math.min(
    Number(url.searchParams.get('per_page') ?? 30),
    perPage,
  );
  const number = Number(url.searchParams.get('page') ?? 1);
  const headers: Record<string, string> = {
    'x-oauth-scopes': scopes,
    'x-ratelimit-remaining': '4999',
  };
  if (number * size < items.length) {
    const next = new URL(url);
    next.searchParams.set('page', String(number + 1));
    headers.link = `<${next.href}>; rel="next", <${next.href}>; rel="last"`;
  }
  sendJson(res, 200, items.slice((number - 1) * size, number * size), headers);
}

export function ghcrHandler(fixture: GhcrFixture, origin: () => string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, origin());
    if (fixture.secondaryRateLimitOnce?.delete(url.pathname)) {
      return sendJson(
        res,
        403,
        {
          message: 'You have exceeded a secondary rate limit.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
        { 'retry-after': '0' },
      );
    }
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ')
      ? fixture.tokens[header.slice(7)]
      : undefined;
    if (!token) {
      return sendJson(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      });
    }
    const scopes = token.scopes.join(', ');
    if (!token.scopes.includes('read:packages')) {
      return sendJson(
        res,
        403,
        {
          message: 'You need at least read:packages scope to list packages.',
          documentation_url: DOCS,
        },
        {
          'x-oauth-scopes': scopes,
          'x-accepted-oauth-scopes': 'read:packages',
        },
      );
    }
    const listing =
      /^\/(?:orgs\/([^/]+)|users\/([^/]+)|user)\/packages(?:\/container\/([^/]+)\/versions)?$/.exec(
        url.pathname,
      );
    const owner = listing && (listing[1] ?? listing[2] ?? token.login);
    const knownOwner =
      owner &&
      (listing![1] ? fixture.orgs.has(owner) : !fixture.orgs.has(owner));
    if (!listing || !knownOwner) {
      return sendJson(res, 404, {
        message: 'Not Found',
        documentation_url: DOCS,
      });
    }
    if (!listing[3]) {
      if (url.searchParams.get('package_type') !== 'container') {
        return sendJson(res, 400, { message: 'package_type is required' });
      }
      const names = Object.keys(fixture.packages)
        .filter(n => n.startsWith(`${owner}/`))
        .sort();
      return page(
        res,
        names.map((n, i) => ({
          id: i + 1,
          name: n.slice(owner!.length + 1),
          package_type: 'container',
          owner: { login: owner, type: listing[1] ? 'Organization' : 'User' },
          visibility: 'private',
        })),
        url,
        fixture.perPage,
        scopes,
      );
    }
    const versions =
      fixture.packages[`${owner}/${decodeURIComponent(listing[3])}`];
    if (!versions) {
      return sendJson(res, 404, {
        message: 'Package not found.',
        documentation_url: DOCS,
      });
    }
    return page(
      res,
      versions.map((v, i) => ({
        id: 1000 + i,
        name: v.digest,
        package_html_url: `https://github.com/${owner}/packages`,
        created_at: v.created_at,
        updated_at: v.created_at,
        metadata: { package_type: 'container', container: { tags: v.tags } },
      })),
      url,
      fixture.perPage,
      scopes,
    );
  };
}
