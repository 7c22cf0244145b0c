import type { IncomingMessage, ServerResponse } from 'node:http';
import { forwardToRegistry } from './registryProxy';
import { sendJson } from './scriptedServer';

/**
 * A JFrog Artifactory double, written from its REST API reference: under the context path
 * `/artifactory`, `GET /api/repositories?packageType=docker` answers the repositories the
 * caller may read as `{key, type: LOCAL|REMOTE|VIRTUAL|FEDERATED, url, packageType}`;
 * errors are `{"errors":[{"status":401,"message":"Bad credentials"}]}`. Each docker
 * repository's V2 API is under `/api/docker/<key>/v2/`, here a real distribution registry
 * whose next-page `Link` headers name `/v2/…` without the repository path, as Artifactory's
 * do.
 */
export interface ArtifactoryRepositoryFixture {
  key: string;
  type: 'LOCAL' | 'REMOTE' | 'VIRTUAL' | 'FEDERATED';
  packageType: 'Docker' | 'Maven';
  target?: string;
  /** Users with Read on it; everyone when absent. */
  readers?: string[];
}

export interface ArtifactoryFixture {
  users: Record<string, string>;
  repositories: ArtifactoryRepositoryFixture[];
  rateLimitOnce?: Set<string>;
}

const errors = (res: ServerResponse, status: number, message: string) =>
  sendJson(res, status, { errors: [{ status, message }] });

function basicUser(req: IncomingMessage, users: Record<string, string>) {
  const header = req.headers.authorization ?? '';
  if (!header.toLowerCase().startsWith('basic ')) return { user: undefined };
  const [user, ...rest] = Buffer.from(header.slice(6), 'base64')
    .toString('utf8')
    .split(':');
  return users[user] === rest.join(':') ? { user } : { user, wrong: true };
}

export function artifactoryHandler(
  fixture: ArtifactoryFixture,
  origin: () => string,
) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, origin());
    if (fixture.rateLimitOnce?.delete(url.pathname)) {
      res.writeHead(429, { 'retry-after': '0' }).end();
      return undefined;
    }
    const { user, wrong } = basicUser(req, fixture.users);
    if (wrong) return errors(res, 401, 'Bad credentials');
    const mayRead = (repo: ArtifactoryRepositoryFixture) =>
      !repo.readers || (user !== undefined && repo.readers.includes(user));
    if (url.pathname === '/artifactory/api/repositories') {
      const type = url.searchParams.get('packageType')?.toLowerCase();
      return sendJson(
        res,
        200,
        fixture.repositories
          .filter(
            r => mayRead(r) && (!type || r.packageType.toLowerCase() === type),
          )
          .map(r => ({
            key: r.key,
            type: r.type,
            url: `${origin()}/artifactory/${r.key}`,
            packageType: r.packageType,
          })),
      );
    }
    const match = /^\/artifactory\/api\/docker\/([^/]+)(\/v2\/.*)$/.exec(
      url.pathname,
    );
    const repo = fixture.repositories.find(r => r.key === match?.[1]);
    if (!match || !repo?.target) return errors(res, 404, 'Not Found');
    if (user !== undefined && !mayRead(repo))
      return errors(res, 403, 'Forbidden');
    forwardToRegistry(req, res, `${match[2]}${url.search}`, {
      target: repo.target,
    });
    return undefined;
  };
}
