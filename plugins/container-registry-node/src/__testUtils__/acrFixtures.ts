import type { IncomingMessage, ServerResponse } from 'node:http';
import { forwardToRegistry } from './registryProxy';
import { sendJson } from './scriptedServer';

/**
 * Azure doubles written from Microsoft's references.
 *
 * Azure AD (v2.0 endpoints, as MSAL calls them): `GET /{tenant}/v2.0/.well-known/
 * openid-configuration` names the token endpoint; `POST /{tenant}/oauth2/v2.0/token` with
 * `grant_type=client_credentials` answers `{token_type, expires_in, access_token}`, or 401
 * `{error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret …'}`.
 *
 * ACR: `POST /oauth2/exchange` (form `grant_type=access_token&service&tenant&access_token`)
 * answers `{refresh_token}`; `GET /oauth2/token?service&scope` with Basic
 * `00000000-0000-0000-0000-000000000000:<refresh token>` or an admin user answers
 * `{access_token}`; `/acr/v1/_catalog` answers `{repositories}` and `/acr/v1/{repo}/_tags`
 * `{registry, imageName, tags: [{name, digest, createdTime, lastUpdateTime, signed,
 * changeableAttributes}]}`, both paged by `n` (≤ 1000) and `last` with a `Link` header. A
 * request without a fitting token answers 401 with a Bearer challenge, `insufficient_scope`
 * when the identity lacks the role. `/v2/` goes on to a real registry.
 */
export interface AcrTagFixture {
  name: string;
  digest: string;
  createdTime: string;
  lastUpdateTime: string;
}

export interface AcrFixture {
  tenant: string;
  /** Service principals: client id → secret, and whether they hold AcrPull. */
  principals: Record<string, { secret: string; acrPull: boolean }>;
  /** Admin user or token: name → password. */
  users: Record<string, string>;
  repositories: Record<string, AcrTagFixture[]>;
  perPage: number;
  /** The real registry and its credentials, for `/v2/`. */
  registry: { url: string; username: string; password: string };
  /** Exchanges done, for tests of renewal. */
  exchanges: number;
  /** Paths answered 429 once. */
  rateLimitOnce?: Set<string>;
}

async function formOf(req: IncomingMessage) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

export function aadHandler(fixture: AcrFixture, origin: () => string) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, origin());
    const base = `${origin()}/${fixture.tenant}`;
    if (
      url.pathname ===
      `/${fixture.tenant}/v2.0/.well-known/openid-configuration`
    ) {
      return sendJson(res, 200, {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        issuer: `${base}/v2.0`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        token_endpoint_auth_methods_supported: ['client_secret_post'],
        response_types_supported: ['code', 'id_token', 'token'],
      });
    }
    if (url.pathname === `/${fixture.tenant}/oauth2/v2.0/token`) {
      const form = await formOf(req);
      const principal = fixture.principals[form.get('client_id') ?? ''];
      if (!principal || principal.secret !== form.get('client_secret')) {
        return sendJson(res, 401, {
          error: 'invalid_client',
          error_description:
            "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '…'.",
          error_codes: [7000215],
        });
      }
      return sendJson(res, 200, {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: `aad.${form.get('client_id')}`,
      });
    }
    return sendJson(res, 404, { error: 'not_found' });
  };
}

function challenge(
  res: ServerResponse,
  origin: string,
  scope: string | undefined,
  error?: string,
) {
  const host = new URL(origin).host;
  res.writeHead(401, {
    'content-type': 'application/json',
    'www-authenticate': `Bearer realm="${origin}/oauth2/token",service="${host}"${
      scope ? `,scope="${scope}"` : ''
    }${error ? `,error="${error}"` : ''}`,
  });
  res.end(
    JSON.stringify({
      errors: [
        {
          code: 'UNAUTHORIZED',
          message:
            'authentication required, visit https://aka.ms/acr/authorization for more information.',
        },
      ],
    }),
  );
}

function page<T>(
  items: T[],
  url: URL,
  key: (item: T) => string,
  perPage: number,
) {
  const n = Math.min(Number(url.searchParams.get('n') ?? 100), perPage);
  const last = url.searchParams.get('last');
  const start = last ? items.findIndex(i => key(i) === last) + 1 : 0;
  const slice = items.slice(start, start + n);
  const more = start + n < items.length;
  return {
    slice,
    link: more
      ? `<${url.pathname}?last=${encodeURIComponent(
          key(slice[slice.length - 1]),
        )}&n=${n}&orderby=>; rel="next"`
      : undefined,
  };
}

export function acrHandler(fixture: AcrFixture, origin: () => string) {
  /** Access tokens issued: token → who, and whether it may read. */
  const issued = new Map<string, boolean>();
  const refreshTokens = new Map<string, string>();
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, origin());
    if (fixture.rateLimitOnce?.delete(url.pathname)) {
      return sendJson(
        res,
        429,
        { errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests' }] },
        { 'retry-after': '0' },
      );
    }
    if (url.pathname === '/oauth2/exchange' && req.method === 'POST') {
      const form = await formOf(req);
      const aad = form.get('access_token') ?? '';
      const principal = aad.startsWith('aad.') ? aad.slice(4) : undefined;
      if (
        form.get('grant_type') !== 'access_token' ||
        form.get('tenant') !== fixture.tenant ||
        !principal ||
        !fixture.principals[principal]
      ) {
        return sendJson(res, 401, {
          errors: [
            { code: 'UNAUTHORIZED', message: 'invalid AAD access token' },
          ],
        });
      }
      fixture.exchanges++;
      const refresh = `acr-refresh-${principal}-${fixture.exchanges}`;
      refreshTokens.set(refresh, principal);
      return sendJson(res, 200, { refresh_token: refresh });
    }
    if (url.pathname === '/oauth2/token') {
      const header = req.headers.authorization ?? '';
      const [user, password] = header.startsWith('Basic ')
        ? Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')
        : [];
      let mayRead: boolean | undefined;
      if (user === '00000000-0000-0000-0000-000000000000') {
        const principal = refreshTokens.get(password);
        if (principal) mayRead = fixture.principals[principal].acrPull;
      } else if (user && fixture.users[user] === password) {
        mayRead = true;
      }
      if (mayRead === undefined) {
        return sendJson(res, 401, {
          errors: [
            { code: 'UNAUTHORIZED', message: 'authentication required' },
          ],
        });
      }
      const token = `acr-access-${issued.size}`;
      issued.set(token, mayRead);
      return sendJson(res, 200, { access_token: token });
    }
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const mayRead = token ? issued.get(token) : undefined;
    const catalog = url.pathname === '/acr/v1/_catalog';
    const tags = /^\/acr\/v1\/(.+)\/_tags$/.exec(url.pathname);
    const v2 = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(url.pathname);
    let scope: string | undefined;
    if (catalog) scope = 'registry:catalog:*';
    else if (tags)
      scope = `repository:${decodeURIComponent(tags[1])}:metadata_read`;
    else if (v2) scope = `repository:${v2[1]}:pull`;
    if (mayRead === undefined) return challenge(res, origin(), scope);
    if (!mayRead) return challenge(res, origin(), scope, 'insufficient_scope');
    if (url.pathname.startsWith('/v2/')) {
      req.headers.authorization = `Basic ${Buffer.from(
        `${fixture.registry.username}:${fixture.registry.password}`,
      ).toString('base64')}`;
      forwardToRegistry(req, res, `${url.pathname}${url.search}`, {
        target: fixture.registry.url,
      });
      return undefined;
    }
    if (catalog) {
      const { slice, link } = page(
        Object.keys(fixture.repositories).sort(),
        url,
        name => name,
        fixture.perPage,
      );
      return sendJson(res, 200, { repositories: slice }, link ? { link } : {});
    }
    const name = tags && decodeURIComponent(tags[1]);
    if (!name || !fixture.repositories[name]) {
      return sendJson(res, 404, {
        errors: [
          {
            code: 'NAME_UNKNOWN',
            message: 'repository name not known to registry',
          },
        ],
      });
    }
    const { slice, link } = page(
      fixture.repositories[name],
      url,
      tag => tag.name,
      fixture.perPage,
    );
    return sendJson(
      res,
      200,
      {
        registry: new URL(origin()).host,
        imageName: name,
        tags: slice.map(tag => ({
          ...tag,
          signed: false,
          changeableAttributes: {
            deleteEnabled: true,
            writeEnabled: true,
            readEnabled: true,
            listEnabled: true,
          },
        })),
      },
      link ? { link } : {},
    );
  };
}
