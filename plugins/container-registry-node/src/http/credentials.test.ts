import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConnection } from '../__testUtils__/connection';
import {
  ScriptedServer,
  sendJson,
  startScriptedServer,
} from '../__testUtils__/scriptedServer';
import type { RegistryAuth } from '../connection/types';
import { createSelfSignedCertificate } from '../testUtils/network';
import { RegistryHttpClient } from './RegistryHttpClient';

const BASIC = `Basic ${Buffer.from('u:secret').toString('base64')}`;

describe('credentials stay on the registry origin', () => {
  let dir: string;
  let tls: { key: Buffer; cert: string };
  const servers: ScriptedServer[] = [];
  const clients: RegistryHttpClient[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'creds-'));
    const { keyPath, certificatePath } = createSelfSignedCertificate(dir, {
      commonName: 'registry.test',
      ipAddress: '127.0.0.1',
    });
    tls = {
      key: readFileSync(keyPath),
      cert: readFileSync(certificatePath, 'utf8'),
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(c => c.close()));
    await Promise.all(servers.splice(0).map(s => s.close()));
  });

  const start = async (
    handler: Parameters<typeof startScriptedServer>[0],
    options?: Parameters<typeof startScriptedServer>[1],
  ) => {
    const server = await startScriptedServer(handler, options);
    servers.push(server);
    return server;
  };

  /** A token service that hands out a token to anyone, recording what it was sent. */
  const tokenService = () =>
    start((_req, res) => sendJson(res, 200, { token: 'tok', expires_in: 300 }));

  /** A registry whose challenge names `realm`, and that takes the token `tok`. */
  const registry = (realm: () => string, options?: { tls?: typeof tls }) =>
    start((req, res) => {
      if (req.headers.authorization === 'Bearer tok') {
        return sendJson(res, 200, {});
      }
      return res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${realm()}/token",service="reg"`,
        })
        .end();
    }, options);

  const client = (url: string, auth: Partial<RegistryAuth> = {}) => {
    const http = new RegistryHttpClient(
      testConnection(url, {
        auth: { type: 'auto', username: 'u', password: 'secret', ...auth },
        transport: { caCert: tls.cert, maxRetries: 0 },
      }),
    );
    clients.push(http);
    return http;
  };

  it('sends no credentials to a realm on the same host but another port', async () => {
    const realm = await tokenService();
    const reg = await registry(() => realm.url);
    await client(reg.url).request({ kind: 'ping', url: '/v2/' });
    expect(realm.requests).toHaveLength(1);
    expect(realm.requests[0].headers.authorization).toBeUndefined();
  });

  it('sends credentials to a realm origin the admin listed', async () => {
    const realm = await tokenService();
    const reg = await registry(() => realm.url);
    await client(reg.url, { realmHosts: [realm.url] }).request({
      kind: 'ping',
      url: '/v2/',
    });
    expect(realm.requests[0].headers.authorization).toBe(BASIC);
  });

  it('sends credentials to the registry origin itself', async () => {
    const reg: ScriptedServer = await start((req, res) => {
      if (req.url!.startsWith('/token')) {
        return sendJson(res, 200, { token: 'tok' });
      }
      if (req.headers.authorization === 'Bearer tok') {
        return sendJson(res, 200, {});
      }
      return res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${reg.url}/token"`,
        })
        .end();
    });
    await client(reg.url).request({ kind: 'ping', url: '/v2/' });
    const token = reg.requests.find(r => r.url.startsWith('/token'));
    expect(token?.headers.authorization).toBe(BASIC);
  });

  it('never sends credentials over http for an https registry, even to a listed realm', async () => {
    const realm = await tokenService();
    const reg = await registry(() => realm.url, { tls });
    await client(reg.url, { realmHosts: [realm.url] }).request({
      kind: 'ping',
      url: '/v2/',
    });
    expect(reg.url).toMatch(/^https:/);
    expect(realm.requests[0].headers.authorization).toBeUndefined();
  });

  it('ignores a challenge from a redirect hop on another origin', async () => {
    const elsewhere: ScriptedServer = await start((req, res) => {
      if (req.url!.startsWith('/token')) {
        return sendJson(res, 200, { token: 'stolen' });
      }
      return res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${elsewhere.url}/token"`,
        })
        .end();
    });
    const reg = await start((req, res) => {
      if (req.headers.authorization !== BASIC) {
        return res.writeHead(401, { 'www-authenticate': 'Basic' }).end();
      }
      if (req.url!.includes('/blobs/')) {
        return res.writeHead(307, { location: `${elsewhere.url}/b` }).end();
      }
      return sendJson(res, 200, {});
    });
    const http = client(reg.url);
    await http.request({ kind: 'ping', url: '/v2/' });
    await expect(
      http.request({ kind: 'blob', url: '/v2/a/blobs/sha256:1' }),
    ).rejects.toMatchObject({ reason: 'unauthorized' });
    expect(elsewhere.requests.map(r => r.url)).toEqual(['/b']);
    // The registry's own scheme stays in force for the next requests.
    await http.request({ kind: 'ping', url: '/v2/' });
    expect(reg.requests.at(-1)?.headers.authorization).toBe(BASIC);
  });
});
