import {
  createServer,
  request,
  IncomingMessage,
  ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from './scriptedServer';

/**
 * A small reverse proxy in front of a real registry, to serve its V2 API the way products
 * mount it: under a path prefix (`/repository/docker-hosted` → `/`), with the token realm of
 * the challenge moved to another origin (GitLab's `/jwt/auth`), and with `Link` headers kept
 * as the registry wrote them, or given the prefix, as the product does.
 */
export interface RegistryProxyOptions {
  /** The registry's origin, `http://127.0.0.1:5000`. */
  target: string;
  /** Requests under this path reach the registry without it; others answer 404. */
  prefix?: string;
  /** Replaces the `realm` of every `WWW-Authenticate` challenge. */
  realm?: string;
  /** Puts the prefix before `Link` targets (true), or leaves them as the registry wrote them. */
  prefixLinks?: boolean;
  /** Drops `Link` headers, as products that page only by `last` do (Nexus group repositories). */
  dropLinks?: boolean;
  /** Paths (after the prefix, without query) answered 429 once, with `Retry-After: 0`. */
  rateLimitOnce?: Set<string>;
  /** Paths the product refuses: 403 with distribution's `DENIED` error. */
  denied?: RegExp;
}

export interface RegistryProxy {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function rewriteHeaders(
  headers: IncomingMessage['headers'],
  options: RegistryProxyOptions,
) {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = value;
  }
  const challenge = out['www-authenticate'];
  if (options.realm && typeof challenge === 'string') {
    out['www-authenticate'] = challenge.replace(
      /realm="[^"]*"/,
      `realm="${options.realm}"`,
    );
  }
  if (options.dropLinks) delete out.link;
  const link = out.link;
  if (options.prefix && options.prefixLinks && typeof link === 'string') {
    out.link = link.replace(/<\//g, `<${options.prefix}/`);
  }
  const location = out.location;
  if (
    options.prefix &&
    typeof location === 'string' &&
    location.startsWith('/')
  ) {
    out.location = `${options.prefix}${location}`;
  }
  return out;
}

/** Sends one request on to the registry, `path` being what follows the prefix. */
export function forwardToRegistry(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  options: RegistryProxyOptions,
) {
  const upstream = request(
    `${options.target}${path}`,
    {
      method: req.method,
      headers: { ...req.headers, host: new URL(options.target).host },
    },
    answer => {
      res.writeHead(
        answer.statusCode!,
        rewriteHeaders(answer.headers, options),
      );
      answer.pipe(res);
    },
  );
  upstream.on('error', error => {
    res.writeHead(502).end(String(error));
  });
  req.pipe(upstream);
}

export async function startRegistryProxy(
  options: RegistryProxyOptions,
): Promise<RegistryProxy> {
  const requests: RecordedRequest[] = [];
  const prefix = options.prefix ?? '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method!, url: req.url!, headers: req.headers });
    if (!req.url!.startsWith(`${prefix}/`)) {
      res.writeHead(404).end();
      return;
    }
    const path = req.url!.slice(prefix.length);
    const pathname = path.split('?')[0];
    if (options.rateLimitOnce?.delete(pathname)) {
      res.writeHead(429, { 'retry-after': '0' }).end();
      return;
    }
    if (options.denied?.test(pathname)) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          errors: [
            {
              code: 'DENIED',
              message: 'requested access to the resource is denied',
            },
          ],
        }),
      );
      return;
    }
    forwardToRegistry(req, res, path, options);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
