import { verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTokenServer, TokenServer } from './tokenServer';

jest.setTimeout(30_000);

const decodePart = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

describe('startTokenServer', () => {
  let dir: string;
  let server: TokenServer;
  const basic = (user: string, password: string) => ({
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString(
      'base64',
    )}`,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'token-server-'));
    server = await startTokenServer({
      dir,
      users: { admin: 'secret' },
      expiresInSeconds: 120,
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('issues an ES256 JWT granting what was asked, signed by its certificate', async () => {
    const url = new URL(server.realm);
    url.searchParams.set('service', server.service);
    url.searchParams.append('scope', 'repository:acme/app:pull,push');
    url.searchParams.append('scope', 'registry:catalog:*');
    const response = await fetch(url, { headers: basic('admin', 'secret') });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      token: expect.any(String),
      access_token: body.token,
      expires_in: 120,
      issued_at: expect.any(String),
    });

    const [header, claims, signature] = body.token.split('.');
    const certificate = new X509Certificate(
      readFileSync(server.certificatePath),
    );
    expect(decodePart(header)).toEqual({
      typ: 'JWT',
      alg: 'ES256',
      x5c: [certificate.raw.toString('base64')],
    });
    const now = Date.now() / 1000;
    expect(decodePart(claims)).toEqual({
      iss: server.issuer,
      sub: 'admin',
      aud: server.service,
      exp: expect.any(Number),
      nbf: expect.any(Number),
      iat: expect.any(Number),
      jti: expect.any(String),
      access: [
        { type: 'repository', name: 'acme/app', actions: ['pull', 'push'] },
        { type: 'registry', name: 'catalog', actions: ['*'] },
      ],
    });
    expect(decodePart(claims).exp).toBeGreaterThan(now + 100);
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${claims}`),
        { key: certificate.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
    expect(server.tokensIssued()).toBe(1);
  });

  it('refuses anonymous and wrong credentials', async () => {
    const before = server.tokensIssued();
    expect((await fetch(server.realm)).status).toBe(401);
    const wrong = await fetch(server.realm, {
      headers: basic('admin', 'nope'),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(server.tokensIssued()).toBe(before);
  });
});
