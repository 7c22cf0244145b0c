import {
  createPrivateKey,
  randomUUID,
  sign,
  X509Certificate,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCertificate } from './network';

export interface TokenServer {
  url: string;
  realm: string;
  service: string;
  issuer: string;
  certificatePath: string;
  tokensIssued(): number;
  close(): Promise<void>;
}

const base64url = (data: Buffer | string) =>
  Buffer.from(data).toString('base64url');

/** The registry trusts this certificate as its root; its key signs the tokens. */
function createSigningCertificate(dir: string) {
  const { keyPath, certificatePath } = createSelfSignedCertificate(dir, {
    commonName: 'test-token-issuer',
  });
  const certificate = new X509Certificate(readFileSync(certificatePath));
  return {
    key: createPrivateKey(readFileSync(keyPath)),
    certificate,
    certificatePath,
  };
}

/** `repository:acme/app:pull,push` → `{ type, name, actions }`; names may contain colons. */
function requestedAccess(url: URL) {
  return url.searchParams
    .getAll('scope')
    .flatMap(scopes => scopes.split(' '))
    .filter(Boolean)
    .map(scope => {
      const [type, ...rest] = scope.split(':');
      const actions = rest.pop() ?? '';
      return {
        type,
        name: rest.join(':'),
        actions: actions.split(',').filter(Boolean),
      };
    });
}

function basicUser(req: IncomingMessage, users: Record<string, string>) {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return undefined;
  const [user, ...password] = Buffer.from(header.slice(6), 'base64')
    .toString('utf8')
    .split(':');
  return Object.hasOwn(users, user) && users[user] === password.join(':')
    ? user
    : undefined;
}

function signJwt(
  header: object,
  claims: object,
  key: ReturnType<typeof createPrivateKey>,
) {
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(
    JSON.stringify(claims),
  )}`;
  // JWS wants the raw r||s pair, not the DER sequence node signs with by default.
  const signature = sign('sha256', Buffer.from(unsigned), {
    key,
    dsaEncoding: 'ieee-p1363',
  });
  return `${unsigned}.${base64url(signature)}`;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(status === 401 ? { 'www-authenticate': 'Basic realm="token"' } : {}),
  });
  res.end(JSON.stringify(body));
}

/**
 * The Docker registry token protocol: checks Basic credentials and answers an ES256 JWT that
 * grants what was asked, signed with a certificate carried in the header's `x5c`.
 */
export async function startTokenServer(options: {
  dir: string;
  users: Record<string, string>;
  expiresInSeconds: number;
}): Promise<TokenServer> {
  const { key, certificate, certificatePath } = createSigningCertificate(
    options.dir,
  );
  const service = 'test-registry';
  const issuer = 'test-token-issuer';
  const header = {
    typ: 'JWT',
    alg: 'ES256',
    x5c: [certificate.raw.toString('base64')],
  };
  let issued = 0;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://token');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const subject = basicUser(req, options.users);
    if (!subject) {
      sendJson(res, 401, {
        errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }],
      });
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(
      header,
      {
        iss: issuer,
        sub: subject,
        aud: url.searchParams.get('service') ?? service,
        exp: now + options.expiresInSeconds,
        // A second of slack for clocks that read differently within the same second.
        nbf: now - 1,
        iat: now,
        jti: randomUUID(),
        access: requestedAccess(url),
      },
      key,
    );
    issued++;
    sendJson(res, 200, {
      token,
      access_token: token,
      expires_in: options.expiresInSeconds,
      issued_at: new Date(now * 1000).toISOString(),
    });
  };

  const server = createServer(handle);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    realm: `${url}/token`,
    service,
    issuer,
    certificatePath,
    tokensIssued: () => issued,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
