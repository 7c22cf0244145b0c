import type { IncomingMessage, ServerResponse } from 'node:http';
import { forwardToRegistry } from './registryProxy';
import { sendJson } from './scriptedServer';

/**
 * A Quay double, written from Quay's API reference: `GET /api/v1/repository?namespace=`
 * answers `{repositories: [{namespace, name, kind, is_public, …}], next_page?}`, paged by the
 * opaque `next_page` token; `GET /api/v1/repository/{ns}/{repo}/tag/?onlyActiveTags=true&
 * limit=&page=` answers `{tags: [{name, manifest_digest, start_ts, is_manifest_list,
 * last_modified, …}], page, has_additional}` with `limit` at most 100. The API takes OAuth
 * tokens as Bearer; errors are `{status, error_type, title, detail, error_message}`. `/v2/`
 * goes to a real registry, where robot accounts log in.
 */
export interface QuayTagFixture {
  name: string;
  manifest_digest: string;
  start_ts: number;
}

export interface QuayFixture {
  /** OAuth tokens and whether they may read repositories (`repo:read`). */
  tokens: Record<string, { read: boolean }>;
  /** `namespace/name` → active tags. */
  repositories: Record<string, QuayTagFixture[]>;
  /** Repositories per page of the repository listing (quay.io uses 100). */
  repositoriesPerPage: number;
  registry?: string;
  rateLimitOnce?: Set<string>;
}

function quayError(
  res: ServerResponse,
  status: number,
  type: string,
  detail: string,
) {
  sendJson(res, status, {
    status,
    error_type: type,
    title: type,
    detail,
    error_message: detail,
    type: `https://quay.io/api/v1/error/${type}`,
  });
}

export function quayHandler(fixture: QuayFixture, origin: () => string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, origin());
    if (fixture.rateLimitOnce?.delete(url.pathname)) {
      res.writeHead(429, { 'retry-after': '0' }).end();
      return undefined;
    }
    if (url.pathname.startsWith('/v2/') && fixture.registry) {
      forwardToRegistry(req, res, `${url.pathname}${url.search}`, {
        target: fixture.registry,
      });
      return undefined;
    }
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ')
      ? fixture.tokens[header.slice(7)]
      : undefined;
    if (!token)
      return quayError(res, 401, 'invalid_token', 'Requires authentication');
    if (!token.read)
      return quayError(res, 403, 'insufficient_scope', 'Unauthorized');
    if (url.pathname === '/api/v1/repository') {
      const namespace = url.searchParams.get('namespace');
      const names = Object.keys(fixture.repositories)
        .filter(name => name.startsWith(`${namespace}/`))
        .sort();
      const start = Number(
        url.searchParams.get('next_page')?.replace('cursor-', '') ?? 0,
      );
      const page = names.slice(start, start + fixture.repositoriesPerPage);
      const more = start + fixture.repositoriesPerPage < names.length;
      return sendJson(res, 200, {
        repositories: page.map(name => ({
          namespace,
          name: name.slice(namespace!.length + 1),
          kind: 'image',
          is_public: false,
          state: 'NORMAL',
        })),
        ...(more
          ? { next_page: `cursor-${start + fixture.repositoriesPerPage}` }
          : {}),
      });
    }
    const match = /^\/api\/v1\/repository\/([^/]+)\/([^/]+)\/tag\/$/.exec(
      url.pathname,
    );
    const tags = match && fixture.repositories[`${match[1]}/${match[2]}`];
    if (!tags) return quayError(res, 404, 'not_found', 'Not Found');
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    return sendJson(res, 200, {
      tags: tags.slice((page - 1) * limit, page * limit).map(tag => ({
        ...tag,
        reversion: false,
        is_manifest_list: false,
        size: 1234,
        last_modified: new Date(tag.start_ts * 1000).toUTCString(),
      })),
      page,
      has_additional: page * limit < tags.length,
    });
  };
}
