import type { IncomingMessage, ServerResponse } from 'node:http';
import { forwardToRegistry } from './registryProxy';
import { sendJson } from './scriptedServer';

/**
 * A Harbor 2.x API double, written from Harbor's API reference (`/api/v2.0`, swagger
 * `api/v2.0/swagger.yaml`): `page`/`page_size` paging with `X-Total-Count` and a `Link`
 * header holding `rel="prev"`/`rel="next"`, `page_size` at most 100 (422 above), repository
 * names under a project encoded twice in paths, and errors as `{"errors":[{code,message}]}`.
 */

export interface HarborArtifactFixture {
  digest: string;
  manifest_media_type: string;
  push_time: string;
  tags: { name: string; push_time: string }[];
  extra_attrs?: Record<string, unknown>;
  references?: {
    child_digest: string;
    platform: Record<string, string>;
    annotations?: Record<string, string>;
  }[];
}

export interface HarborProjectFixture {
  /** Repository name without the project → its artifacts. */
  repositories: Record<string, HarborArtifactFixture[]>;
  /** Artifacts not listed under a tag (platform images of an index), by digest. */
  children?: Record<string, HarborArtifactFixture>;
  /** Members may list it; others get 403 as Harbor answers a project they are not in. */
  members?: string[];
}

export interface HarborFixture {
  users: Record<string, string>;
  projects: Record<string, HarborProjectFixture>;
  /** Request paths (without query) answered 429 once, with `Retry-After: 0`. */
  rateLimitOnce?: Set<string>;
  /** The registry serving Harbor's `/v2/` (a real distribution registry). */
  registry?: string;
}

const harborError = (
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
) => sendJson(res, status, { errors: [{ code, message }] });

function userOf(req: IncomingMessage, fixture: HarborFixture) {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return { user: undefined, ok: true };
  const [user, ...rest] = Buffer.from(header.slice(6), 'base64')
    .toString('utf8')
    .split(':');
  return { user, ok: fixture.users[user] === rest.join(':') };
}

function sendPage(res: ServerResponse, url: URL, items: unknown[]) {
  const page = Number(url.searchParams.get('page') ?? 1);
  const size = Number(url.searchParams.get('page_size') ?? 10);
  const slice = items.slice((page - 1) * size, page * size);
  const link = (p: number) => {
    const target = new URL(url);
    target.searchParams.set('page', String(p));
    return `<${target.pathname}${target.search}>`;
  };
  const links = [
    ...(page > 1 ? [`${link(page - 1)}; rel="prev"`] : []),
    ...(page * size < items.length ? [`${link(page + 1)}; rel="next"`] : []),
  ];
  sendJson(res, 200, slice, {
    'x-total-count': String(items.length),
    ...(links.length ? { link: links.join(' , ') } : {}),
  });
}

/** Serves the fixture as Harbor's API does, and `/v2/` from `fixture.registry` (else 404). */
export function harborHandler(fixture: HarborFixture) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://harbor');
    if (fixture.rateLimitOnce?.delete(url.pathname)) {
      res.writeHead(429, {
        'retry-after': '0',
        'content-type': 'application/json',
      });
      res.end(
        JSON.stringify({
          errors: [{ code: 'TOO_MANY_REQUESTS', message: 'too many requests' }],
        }),
      );
      return undefined;
    }
    if (url.pathname.startsWith('/v2/') && fixture.registry) {
      forwardToRegistry(req, res, `${url.pathname}${url.search}`, {
        target: fixture.registry,
      });
      return undefined;
    }
    const { user, ok } = userOf(req, fixture);
    if (!ok) return harborError(res, 401, 'UNAUTHORIZED', 'unauthorized');
    const size = Number(url.searchParams.get('page_size') ?? 10);
    if (size > 100) {
      return harborError(
        res,
        422,
        'UNPROCESSABLE_ENTITY',
        'validation failure list:\npage_size in query should be less than or equal to 100',
      );
    }
    const visible = (name: string) => {
      const members = fixture.projects[name]?.members;
      return !members || (user !== undefined && members.includes(user));
    };
    const parts = url.pathname.split('/').slice(1);
    // api, v2.0, projects, {project}, repositories, {repo}, artifacts, {digest}
    if (parts[0] !== 'api' || parts[1] !== 'v2.0' || parts[2] !== 'projects') {
      return harborError(res, 404, 'NOT_FOUND', 'not found');
    }
    if (parts.length === 3) {
      const names = Object.keys(fixture.projects).filter(visible).sort();
      return sendPage(
        res,
        url,
        names.map((name, i) => ({ project_id: i + 1, name })),
      );
    }
    const projectName = decodeURIComponent(parts[3]);
    const project = fixture.projects[projectName];
    if (!project)
      return harborError(
        res,
        404,
        'NOT_FOUND',
        `project ${projectName} not found`,
      );
    if (!visible(projectName))
      return harborError(res, 403, 'FORBIDDEN', 'forbidden');
    if (parts.length === 5 && parts[4] === 'repositories') {
      const names = Object.keys(project.repositories).sort();
      return sendPage(
        res,
        url,
        names.map((name, i) => ({
          id: i + 1,
          name: `${projectName}/${name}`,
          artifact_count: project.repositories[name].length,
        })),
      );
    }
    // The raw path keeps Harbor's double encoding: "a%252Fb" decodes once to "a%2Fb".
    const repositoryName = decodeURIComponent(
      decodeURIComponent(parts[5] ?? ''),
    );
    if (
      parts[5]?.includes('/') ||
      (parts[5] && !parts[5].includes('%25') && repositoryName.includes('/'))
    ) {
      return harborError(res, 404, 'NOT_FOUND', 'repository not found');
    }
    const artifacts = project.repositories[repositoryName];
    if (!artifacts || parts[6] !== 'artifacts')
      return harborError(
        res,
        404,
        'NOT_FOUND',
        `repository ${repositoryName} not found`,
      );
    if (parts.length === 7) return sendPage(res, url, artifacts);
    const child = project.children?.[decodeURIComponent(parts[7])];
    if (!child) return harborError(res, 404, 'NOT_FOUND', 'artifact not found');
    return sendJson(res, 200, child);
  };
}
