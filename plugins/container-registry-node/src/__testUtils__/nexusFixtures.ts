import type { IncomingMessage, ServerResponse } from 'node:http';
import { forwardToRegistry } from './registryProxy';
import { sendJson } from './scriptedServer';

/**
 * A Nexus Repository 3 double, written from its REST API reference: `GET
 * /service/rest/v1/repositories` answers every repository the user may browse as
 * `{name, format, type, url, attributes}` (no paging), 401 without valid Basic credentials;
 * each docker repository serves the V2 API under `/repository/<name>/v2/`, here by a real
 * distribution registry. Group repositories page their catalog without `Link` headers.
 */
export interface NexusRepositoryFixture {
  name: string;
  format: 'docker' | 'maven2' | 'npm';
  type: 'hosted' | 'proxy' | 'group';
  /** The registry serving its V2 API. */
  target?: string;
  /** Users allowed to browse it; everyone when absent. */
  viewers?: string[];
}

export interface NexusFixture {
  users: Record<string, string>;
  repositories: NexusRepositoryFixture[];
  /** Paths answered 429 once (a rate-limiting proxy in front of Nexus). */
  rateLimitOnce?: Set<string>;
}

function basicUser(req: IncomingMessage, users: Record<string, string>) {
  const header = req.headers.authorization ?? '';
  if (!header.toLowerCase().startsWith('basic ')) return { user: undefined };
  const [user, ...rest] = Buffer.from(header.slice(6), 'base64')
    .toString('utf8')
    .split(':');
  return users[user] === rest.join(':') ? { user } : { user, wrong: true };
}

export function nexusHandler(fixture: NexusFixture, origin: () => string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, origin());
    if (fixture.rateLimitOnce?.delete(url.pathname)) {
      res.writeHead(429, { 'retry-after': '0' }).end();
      return;
    }
    const { user, wrong } = basicUser(req, fixture.users);
    const mayView = (repo: NexusRepositoryFixture) =>
      !repo.viewers || (user !== undefined && repo.viewers.includes(user));
    if (url.pathname === '/service/rest/v1/repositories') {
      if (wrong || !user) {
        res
          .writeHead(401, {
            'www-authenticate':
              'BASIC realm="Sonatype Nexus Repository Manager"',
          })
          .end();
        return;
      }
      sendJson(
        res,
        200,
        fixture.repositories.filter(mayView).map(repo => ({
          name: repo.name,
          format: repo.format,
          type: repo.type,
          url: `${origin()}/repository/${repo.name}`,
          attributes: {},
        })),
      );
      return;
    }
    const match = /^\/repository\/([^/]+)(\/.*)$/.exec(url.pathname);
    const repo = fixture.repositories.find(r => r.name === match?.[1]);
    if (!match || !repo?.target) {
      res.writeHead(404).end();
      return;
    }
    if (user !== undefined && !wrong && !mayView(repo)) {
      res.writeHead(403).end();
      return;
    }
    forwardToRegistry(req, res, `${match[2]}${url.search}`, {
      target: repo.target,
      dropLinks: repo.type === 'group',
    });
  };
}
