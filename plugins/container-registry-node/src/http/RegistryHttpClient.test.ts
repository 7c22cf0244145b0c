import {
  startScriptedServer,
  ScriptedServer,
  sendJson,
} from '../__testUtils__/scriptedServer';
import { testConnection } from '../__testUtils__/connection';
import { MAX_RESPONSE_BYTES, RegistryHttpClient } from './RegistryHttpClient';

describe('RegistryHttpClient', () => {
  const servers: ScriptedServer[] = [];
  const clients: RegistryHttpClient[] = [];
  const start = async (handler: Parameters<typeof startScriptedServer>[0]) => {
    const server = await startScriptedServer(handler);
    servers.push(server);
    return server;
  };
  const client = (...args: Parameters<typeof testConnection>) => {
    const c = new RegistryHttpClient(testConnection(...args));
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(c => c.close()));
    await Promise.all(servers.splice(0).map(s => s.close()));
  });

  it('answers a Basic challenge with the credentials, then sends them up front', async () => {
    const server = await start((req, res) => {
      if (
        req.headers.authorization !==
        `Basic ${Buffer.from('u:p').toString('base64')}`
      ) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
      } else sendJson(res, 200, {});
    });
    const http = client(server.url, {
      auth: { type: 'auto', username: 'u', password: 'p' },
    });
    await http.request({ kind: 'ping', url: '/v2/' });
    await http.request({ kind: 'ping', url: '/v2/' });
    expect(server.requests.map(r => !!r.headers.authorization)).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('gets a bearer token for the challenged scope once and reuses it', async () => {
    let issued = 0;
    const services: Array<string | null> = [];
    const server = await start((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/token') {
        issued++;
        services.push(url.searchParams.get('service'));
        sendJson(res, 200, {
          token: `t-${url.searchParams.get('scope')}`,
          expires_in: 300,
        });
      } else if (req.headers.authorization === 'Bearer t-repository:a/b:pull') {
        sendJson(res, 200, { tags: [] });
      } else {
        res
          .writeHead(401, {
            'www-authenticate': `Bearer realm="${server.url}/token",service="reg",scope="repository:a/b:pull"`,
          })
          .end();
      }
    });
    const http = client(server.url, {
      auth: { type: 'auto', username: 'u', password: 'p' },
    });
    for (let i = 0; i < 3; i++) {
      await http.request({
        kind: 'tags',
        url: '/v2/a/b/tags/list',
        scope: 'repository:a/b:pull',
      });
    }
    expect(issued).toBe(1);
    expect(services).toEqual(['reg']);
    // The token service got the credentials: it is on the registry's host.
    const tokenRequest = server.requests.find(r => r.url.startsWith('/token'))!;
    expect(tokenRequest.headers.authorization).toMatch(/^Basic /);
  });

  it('gets a new token once when the registry stops taking the cached one', async () => {
    let issued = 0;
    const server = await start((req, res) => {
      if (req.url!.startsWith('/token'))
        return sendJson(res, 200, { token: `t${++issued}`, expires_in: 300 });
      // The registry honours only the newest token, as if older ones expired early.
      if (req.headers.authorization === `Bearer t${issued}` && issued > 0) {
        return sendJson(res, 200, {}, {});
      }
      return res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${server.url}/token",service="reg"`,
        })
        .end();
    });
    const http = client(server.url, {
      auth: { type: 'auto', username: 'u', password: 'p' },
    });
    await http.request({ kind: 'ping', url: '/v2/' });
    issued++; // the server moves on: the cached t1 is no longer valid
    await http.request({ kind: 'ping', url: '/v2/' });
    expect(issued).toBe(3);
  });

  it('stops after one new token when the registry refuses it too', async () => {
    const server = await start((req, res) => {
      if (req.url!.startsWith('/token'))
        return sendJson(res, 200, { token: 'never-good' });
      return res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${server.url}/token",service="reg"`,
        })
        .end();
    });
    const http = client(server.url, {
      auth: { type: 'auto', username: 'u', password: 'wrong' },
    });
    await expect(
      http.request({ kind: 'ping', url: '/v2/' }),
    ).rejects.toMatchObject({ reason: 'unauthorized' });
    expect(server.requests.filter(r => r.url === '/v2/')).toHaveLength(2);
  });

  it('reports a token that lacks the scope as forbidden, without looping', async () => {
    const server = await start((req, res) => {
      if (req.url!.startsWith('/token'))
        return sendJson(res, 200, { access_token: 'weak' });
      return res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${
            server.url
          }/token",service="reg",scope="registry:catalog:*"${
            req.headers.authorization ? ',error="insufficient_scope"' : ''
          }`,
        })
        .end();
    });
    const http = client(server.url, {
      auth: { type: 'auto', username: 'u', password: 'p' },
    });
    await expect(
      http.request({
        kind: 'catalog',
        url: '/v2/_catalog',
        scope: 'registry:catalog:*',
      }),
    ).rejects.toMatchObject({ reason: 'forbidden' });
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it('follows a redirect to another host without the Authorization header', async () => {
    const blobStore = await start((_req, res) => {
      res.writeHead(200).end('blob');
    });
    const server = await start((req, res) => {
      if (!req.headers.authorization)
        return res
          .writeHead(401, { 'www-authenticate': 'Basic realm="r"' })
          .end();
      return res
        .writeHead(307, {
          location: `${blobStore.url.replace(
            '127.0.0.1',
            'localhost',
          )}/bucket/blob?sig=1`,
        })
        .end();
    });
    const http = client(server.url, {
      auth: { type: 'basic', username: 'u', password: 'secret' },
    });
    const response = await http.request({
      kind: 'blob',
      url: '/v2/a/blobs/sha256:x',
    });
    expect(response.body.toString()).toBe('blob');
    expect(blobStore.requests).toHaveLength(1);
    expect(blobStore.requests[0].headers.authorization).toBeUndefined();
  });

  it('retries 429 and 503 after Retry-After and counts the retries', async () => {
    let calls = 0;
    const server = await start((_req, res) => {
      calls++;
      if (calls === 1) return res.writeHead(429, { 'retry-after': '0' }).end();
      if (calls === 2) return res.writeHead(503).end();
      return sendJson(res, 200, { ok: true });
    });
    const http = client(server.url);
    const response = await http.request({ kind: 'ping', url: '/v2/' });
    expect(response.status).toBe(200);
    expect(http.stats.retries).toBe(2);
  });

  it('retries a connection the server resets', async () => {
    let calls = 0;
    const server = await start((req, res) => {
      if (++calls === 1) {
        req.socket.destroy();
        return;
      }
      sendJson(res, 200, { ok: true });
    });
    const http = client(server.url);
    await expect(
      http.request({ kind: 'ping', url: '/v2/' }),
    ).resolves.toMatchObject({ status: 200 });
    expect(http.stats.retries).toBe(1);
  });

  it('gives up on a server that asks to wait too long, as rate-limited', async () => {
    const server = await start((_req, res) =>
      res.writeHead(429, { 'retry-after': '3600' }).end(),
    );
    await expect(
      client(server.url).request({ kind: 'ping', url: '/v2/' }),
    ).rejects.toMatchObject({
      reason: 'rate-limited',
    });
  });

  it('turns a slow answer into a timeout', async () => {
    const server = await start(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"repositories":[');
      await new Promise(resolve => setTimeout(resolve, 1500));
      res.end(']}');
    });
    const http = client(server.url, {
      transport: { readTimeoutMs: 200, maxRetries: 0 },
    });
    await expect(
      http.request({ kind: 'catalog', url: '/v2/_catalog' }),
    ).rejects.toMatchObject({
      reason: 'timeout',
    });
  });

  it('keeps its requests within max connections', async () => {
    const server = await start(async (_req, res) => {
      await new Promise(resolve => setTimeout(resolve, 20));
      sendJson(res, 200, {});
    });
    const http = client(server.url, { transport: { maxConnections: 3 } });
    await Promise.all(
      Array.from({ length: 30 }, () =>
        http.request({ kind: 'ping', url: '/v2/' }),
      ),
    );
    expect(server.peakConnections).toBeLessThanOrEqual(3);
    expect(http.stats.peakInFlight).toBeLessThanOrEqual(3);
  });

  it('keeps at most max keep-alive connections open once the burst is over', async () => {
    const server = await start(async (_req, res) => {
      await new Promise(resolve => setTimeout(resolve, 20));
      sendJson(res, 200, {});
    });
    const http = client(server.url, {
      transport: { maxConnections: 6, maxKeepAliveConnections: 2 },
    });
    await Promise.all(
      Array.from({ length: 30 }, () =>
        http.request({ kind: 'ping', url: '/v2/' }),
      ),
    );
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(server.peakConnections).toBeGreaterThan(2);
    expect(server.openConnections).toBeLessThanOrEqual(2);
  });

  it('fails a request that waits longer than the pool timeout for a connection', async () => {
    const server = await start(async (_req, res) => {
      await new Promise(resolve => setTimeout(resolve, 300));
      sendJson(res, 200, {});
    });
    const http = client(server.url, {
      transport: { maxConnections: 1, poolTimeoutMs: 50 },
    });
    const results = await Promise.allSettled([
      http.request({ kind: 'ping', url: '/v2/' }),
      http.request({ kind: 'ping', url: '/v2/' }),
    ]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1]).toMatchObject({
      status: 'rejected',
      reason: {
        reason: 'timeout',
        message: expect.stringMatching(/pool timeout/),
      },
    });
  });

  it('never starts more requests per second than max requests per second', async () => {
    const starts: number[] = [];
    const server = await start((_req, res) => {
      starts.push(performance.now());
      sendJson(res, 200, {});
    });
    const http = client(server.url, {
      transport: { maxRequestsPerSecond: 20 },
    });
    await Promise.all(
      Array.from({ length: 30 }, () =>
        http.request({ kind: 'ping', url: '/v2/' }),
      ),
    );
    // Counted at the server: any 20 consecutive arrivals span at least (nearly) one second.
    for (let i = 20; i < starts.length; i++) {
      expect(starts[i] - starts[i - 20]).toBeGreaterThanOrEqual(950);
    }
  });

  it('refuses to send a registry request to another origin', async () => {
    const server = await start((_req, res) => sendJson(res, 200, {}));
    await expect(
      client(server.url).request({
        kind: 'tags',
        url: new URL('http://example.invalid/v2/x'),
      }),
    ).rejects.toMatchObject({ reason: 'cross-host' });
  });

  it('stops reading an answer that never ends, as an invalid response', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let written = 0;
    const server = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (written <= 2 * MAX_RESPONSE_BYTES && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => {
        written = Infinity;
      });
      pump();
    });
    await expect(
      client(server.url).request({ kind: 'catalog', url: '/v2/_catalog' }),
    ).rejects.toMatchObject({ reason: 'invalid-response' });
  });
});
