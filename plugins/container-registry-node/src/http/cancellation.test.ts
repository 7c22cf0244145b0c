import type { ServerResponse } from 'node:http';
import { testConnection } from '../__testUtils__/connection';
import {
  ScriptedServer,
  startScriptedServer,
} from '../__testUtils__/scriptedServer';
import type { TransportSettings } from '../connection/types';
import { RegistryHttpClient } from './RegistryHttpClient';

describe('cancellation and deadlines', () => {
  const servers: ScriptedServer[] = [];
  const clients: RegistryHttpClient[] = [];
  /** Answers a test left hanging, so the server can close. */
  const hanging: ServerResponse[] = [];
  afterEach(async () => {
    hanging.splice(0).forEach(res => res.destroy());
    await Promise.all(clients.splice(0).map(c => c.close()));
    await Promise.all(servers.splice(0).map(s => s.close()));
  });
  const start = async (handler: Parameters<typeof startScriptedServer>[0]) => {
    const server = await startScriptedServer(handler);
    servers.push(server);
    return server;
  };
  const client = (
    url: string,
    transport: Partial<TransportSettings>,
    signal?: AbortSignal,
  ) => {
    const http = new RegistryHttpClient(testConnection(url, { transport }), {
      signal,
    });
    clients.push(http);
    return http;
  };
  /** Resolves once the server has seen `count` requests. */
  const seen = async (server: ScriptedServer, count: number) => {
    while (server.requests.length < count) {
      await new Promise(resolve => setImmediate(resolve));
    }
  };

  it('aborts a request in flight and one waiting for a free connection', async () => {
    const server = await start((_req, res) => {
      hanging.push(res);
    });
    const crawl = new AbortController();
    const http = client(
      server.url,
      { maxConnections: 1, poolTimeoutMs: 600_000, readTimeoutMs: 600_000 },
      crawl.signal,
    );
    const inFlightAndWaiting = Promise.allSettled([
      http.request({ kind: 'ping', url: '/v2/' }),
      http.request({ kind: 'ping', url: '/v2/' }),
    ]);
    await seen(server, 1);
    crawl.abort();
    expect(await inFlightAndWaiting).toEqual([
      {
        status: 'rejected',
        reason: expect.objectContaining({ reason: 'aborted' }),
      },
      {
        status: 'rejected',
        reason: expect.objectContaining({ reason: 'aborted' }),
      },
    ]);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts the wait before a retry', async () => {
    const server = await start((_req, res) =>
      res.writeHead(503, { 'retry-after': '50' }).end(),
    );
    const crawl = new AbortController();
    const http = client(server.url, { maxRetries: 10 }, crawl.signal);
    const request = http.request({ kind: 'ping', url: '/v2/' });
    while (http.stats.retries === 0) {
      await new Promise(resolve => setImmediate(resolve));
    }
    crawl.abort();
    await expect(request).rejects.toMatchObject({ reason: 'aborted' });
  });

  it('aborts the wait for the rate limiter', async () => {
    const server = await start((_req, res) => res.writeHead(200).end('{}'));
    const crawl = new AbortController();
    const http = client(
      server.url,
      { maxRequestsPerSecond: 0.001 },
      crawl.signal,
    );
    await http.request({ kind: 'ping', url: '/v2/' });
    const throttled = http.request({ kind: 'ping', url: '/v2/' });
    await new Promise(resolve => setImmediate(resolve));
    crawl.abort();
    await expect(throttled).rejects.toMatchObject({ reason: 'aborted' });
    expect(server.requests).toHaveLength(1);
  });

  it('ends an answer that drips in slower than the request deadline, as a timeout', async () => {
    const server = await start((_req, res) => {
      hanging.push(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      // Each byte comes well within the read timeout, the whole never does.
      const drip = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(drip));
    });
    const http = client(server.url, {
      readTimeoutMs: 10_000,
      requestTimeoutMs: 300,
      maxRetries: 0,
    });
    await expect(
      http.request({ kind: 'ping', url: '/v2/' }),
    ).rejects.toMatchObject({
      reason: 'timeout',
      message: expect.stringMatching(/request timeout/),
    });
  });
});
