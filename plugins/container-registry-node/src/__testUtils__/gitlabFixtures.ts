import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './scriptedServer';

/**
 * A GitLab instance's API double, written from GitLab's REST API reference (container
 * registry API, pagination, authentication): `GET /api/v4/groups/:id/registry/repositories`
 * (repositories of the group and its subgroups) and `/projects/:id/registry/repositories`,
 * ids as numbers or URL-encoded full paths, offset paging with `page`/`per_page` (at most
 * 100) answered with `X-Page`, `X-Next-Page`, `X-Total` and `Link`, tokens as
 * `Authorization: Bearer` or `PRIVATE-TOKEN`, and errors as GitLab words them:
 * `{"message":"401 Unauthorized"}`, `{"message":"404 Group Not Found"}`, and 403
 * `insufficient_scope` for a token without read_api. `/jwt/auth` issues registry tokens.
 */
export interface GitLabFixture {
  /** Tokens the API takes, with their scopes. */
  tokens: Record<string, string[]>;
  /** Full group path → full project paths in it (subgroups' projects under their path). */
  groups: Record<string, string[]>;
  /** Full project path → registry repository paths (the project's own path for its root image). */
  projects: Record<string, string[]>;
  /** Where `/jwt/auth` requests go, query and credentials as received (a token server). */
  jwtAuth?: string;
  /** Request paths answered 429 once, as GitLab's rate limits do, with `Retry-After`. */
  rateLimitOnce?: Set<string>;
}

function tokenOf(req: IncomingMessage): string | undefined {
  const bearer = req.headers.authorization;
  if (bearer?.startsWith('Bearer ')) return bearer.slice(7);
  const header = req.headers['private-token'];
  return typeof header === 'string' ? header : undefined;
}

function sendPage(res: ServerResponse, url: URL, items: unknown[]) {
  const page = Number(url.searchParams.get('page') ?? 1);
  const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 20), 100);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const more = page * perPage < items.length;
  const link = (p: number, rel: string) => {
    const target = new URL(url);
    target.searchParams.set('page', String(p));
    return `<${target.href}>; rel="${rel}"`;
  };
  const links = [...(more ? [link(page + 1, 'next')] : []), link(1, 'first')];
  sendJson(res, 200, slice, {
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-next-page': more ? String(page + 1) : '',
    'x-total': String(items.length),
    link: links.join(', '),
  });
}

async function forwardJwtAuth(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
) {
  const url = new URL(req.url!, 'http://gitlab');
  // GitLab grants the catalog scope to administrators only; the fixture has none.
  const scopes = url.searchParams
    .getAll('scope')
    .filter(scope => !scope.startsWith('registry:catalog:'));
  url.searchParams.delete('scope');
  scopes.forEach(scope => url.searchParams.append('scope', scope));
  const answer = await fetch(`${target}${url.search}`, {
    headers: req.headers.authorization
      ? { authorization: req.headers.authorization }
      : {},
  });
  res.writeHead(answer.status, { 'content-type': 'application/json' });
  res.end(Buffer.from(await answer.arrayBuffer()));
}

/** Serves the fixture at the instance's origin, as GitLab does. */
export function gitlabHandler(fixture: GitLabFixture, origin: () => string) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, origin());
    if (fixture.rateLimitOnce?.delete(url.pathname)) {
      res.writeHead(429, { 'retry-after': '0', 'content-type': 'text/plain' });
      res.end('Retry later');
      return undefined;
    }
    if (url.pathname === '/jwt/auth' && fixture.jwtAuth) {
      return forwardJwtAuth(req, res, fixture.jwtAuth);
    }
    const token = tokenOf(req);
    if (token !== undefined && !fixture.tokens[token]) {
      return sendJson(res, 401, { message: '401 Unauthorized' });
    }
    if (token !== undefined && !fixture.tokens[token].includes('read_api')) {
      return sendJson(res, 403, {
        error: 'insufficient_scope',
        error_description:
          'The request requires higher privileges than provided by the access token.',
        scope: 'api read_api',
      });
    }
    if (token === undefined) {
      // Everything in the fixture is private: anonymous users see none of it.
      return sendJson(res, 404, { message: '404 Group Not Found' });
    }
    const match =
      /^\/api\/v4\/(groups|projects)\/([^/]+)\/registry\/repositories$/.exec(
        url.pathname,
      );
    if (!match) return sendJson(res, 404, { message: '404 Not Found' });
    const path = decodeURIComponent(match[2]);
    const isGroup = match[1] === 'groups';
    const known = isGroup ? fixture.groups[path] : fixture.projects[path];
    if (!known) {
      return sendJson(res, 404, {
        message: isGroup ? '404 Group Not Found' : '404 Project Not Found',
      });
    }
    const projects = isGroup
      ? Object.entries(fixture.groups)
          .filter(([group]) => group === path || group.startsWith(`${path}/`))
          .flatMap(([, inGroup]) => inGroup)
      : [path];
    const repositories = projects.flatMap((project, p) =>
      (fixture.projects[project] ?? []).map((repository, r) => ({
        id: p * 100 + r + 1,
        name: repository.slice(project.length + 1),
        path: repository,
        project_id: p + 1,
        location: `registry.example.com/${repository}`,
        created_at: '2026-01-01T00:00:00.000Z',
      })),
    );
    return sendPage(res, url, repositories);
  };
}
