import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './scriptedServer';

/**
 * A Docker Hub API double, written from the Hub API reference:
 * `POST /v2/auth/token` with `{identifier, secret}` answers `{access_token}` (a JWT) or 401
 * `{detail, message}`; `GET /v2/namespaces/{ns}/repositories?page_size=` answers
 * `{count, next, previous, results: [{name, namespace, is_private, …}]}` with `next` an
 * absolute URL; `GET /v2/namespaces/{ns}/repositories/{repo}/tags?page_size=` answers
 * `{count, next, previous, results: [{name, digest, media_type, tag_last_pushed,
 * images: [{architecture, os, variant, digest, status, last_pushed}]}]}`. Throttled
 * requests answer 429 with `x-ratelimit-limit`, `x-ratelimit-remaining` and
 * `x-ratelimit-reset` (epoch seconds).
 */
export interface HubTagFixture {
  name: string;
  digest?: string;
  media_type?: string;
  tag_last_pushed: string;
  images?: Array<{
    architecture: string;
    os: string;
    variant?: string;
    digest?: string;
  }>;
}

export interface DockerHubFixture {
  /** Docker ID → personal access token. */
  users: Record<string, string>;
  /** Namespaces each user may read (besides public repositories). */
  members: Record<string, string[]>;
  /** `namespace/name` → tags; repositories under `public:` prefix keys are public. */
  repositories: Record<string, HubTagFixture[]>;
  publicRepositories?: Set<string>;
  /** Entries per page at most, whatever page_size asks. */
  perPage: number;
  /** Tokens the login issued, and those revoked (as expired) since. */
  issued: string[];
  expired: Set<string>;
  /** Seconds a token lives (its JWT `exp`). */
  tokenLifetimeS?: number;
  /** Paths answered 429 once. */
  rateLimitOnce?: Set<string>;
}

function jwt(subject: string, lifetimeS: number, serial: number): string {
  const part = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({
    sub: subject,
    jti: `t${serial}`,
    exp: Math.floor(Date.now() / 1000) + lifetimeS,
  })}.signature`;
}

function pageOf<T>(
  items: T[],
  url: URL,
  perPage: number,
): { count: number; next: string | null; previous: null; results: T[] } {
  const size = Math.min(
    Number(url.searchParams.get('page_size') ?? 10),
    perPage,
  );
  const page = Number(url.searchParams.get('page') ?? 1);
  const next = new URL(url);
  next.searchParams.set('page', String(page + 1));
  return {
    count: items.length,
    next: page * size < items.length ? next.href : null,
    previous: null,
    results: items.slice((page - 1) * size, page * size),
  };
}

export function dockerHubHandler(
  fixture: DockerHubFixture,
  origin: () => string,
) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, origin());
    if (fixture.rateLimitOnce?.delete(url.pathname)) {
      return sendJson(
        res,
        429,
        { message: 'Too Many Requests' },
        {
          'x-ratelimit-limit': '180',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
        },
      );
    }
    if (url.pathname === '/v2/auth/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const { identifier, secret } = JSON.parse(body || '{}');
      if (!identifier || fixture.users[identifier] !== secret) {
        return sendJson(res, 401, {
          detail: 'Incorrect authentication credentials',
          message: 'Incorrect authentication credentials',
        });
      }
      const token = jwt(
        identifier,
        fixture.tokenLifetimeS ?? 600,
        fixture.issued.length,
      );
      fixture.issued.push(token);
      return sendJson(res, 200, { access_token: token });
    }
    const header = req.headers.authorization ?? '';
    let user: string | undefined;
    if (header.startsWith('Bearer ')) {
      const token = header.slice(7);
      if (!fixture.issued.includes(token) || fixture.expired.has(token)) {
        return sendJson(res, 401, {
          detail: 'Token is invalid or expired',
          message: 'Token is invalid or expired',
        });
      }
      user = JSON.parse(
        Buffer.from(token.split('.')[1], 'base64url').toString('utf8'),
      ).sub;
    }
    const visible = (name: string) =>
      fixture.publicRepositories?.has(name) ||
      (user !== undefined &&
        (fixture.members[user] ?? []).includes(name.split('/')[0]));
    const repos = /^\/v2\/namespaces\/([^/]+)\/repositories\/?$/.exec(
      url.pathname,
    );
    if (repos) {
      const namespace = decodeURIComponent(repos[1]);
      const names = Object.keys(fixture.repositories)
        .filter(n => n.startsWith(`${namespace}/`) && visible(n))
        .sort();
      if (
        !Object.keys(fixture.repositories).some(n =>
          n.startsWith(`${namespace}/`),
        )
      ) {
        return sendJson(res, 404, { message: 'object not found' });
      }
      return sendJson(
        res,
        200,
        pageOf(
          names.map(n => ({
            name: n.slice(namespace.length + 1),
            namespace,
            repository_type: 'image',
            is_private: !fixture.publicRepositories?.has(n),
          })),
          url,
          fixture.perPage,
        ),
      );
    }
    const tags =
      /^\/v2\/namespaces\/([^/]+)\/repositories\/([^/]+)\/tags\/?$/.exec(
        url.pathname,
      );
    const name = tags && `${tags[1]}/${tags[2]}`;
    if (!name || !fixture.repositories[name] || !visible(name)) {
      return sendJson(res, 404, { message: 'object not found' });
    }
    return sendJson(
      res,
      200,
      pageOf(
        fixture.repositories[name].map(tag => ({
          ...tag,
          last_updated: tag.tag_last_pushed,
          tag_status: 'active',
          images: (tag.images ?? []).map(image => ({
            ...image,
            status: 'active',
            last_pushed: tag.tag_last_pushed,
          })),
        })),
        url,
        fixture.perPage,
      ),
    );
  };
}
