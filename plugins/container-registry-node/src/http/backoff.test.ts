import { testConnection } from '../__testUtils__/connection';
import {
  ScriptedServer,
  sendJson,
  startScriptedServer,
} from '../__testUtils__/scriptedServer';
import { RegistryHttpClient } from './RegistryHttpClient';
import { RATE_LIMIT_TRIP_COUNT, SharedBackoff } from './SharedBackoff';

describe('back-off shared by all requests to a registry', () => {
  const servers: ScriptedServer[] = [];
  const clients: RegistryHttpClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(c => c.close()));
    await Promise.all(servers.splice(0).map(s => s.close()));
  });
  const start = async (handler: Parameters<typeof startScriptedServer>[0]) => {
    const server = await startScriptedServer(handler);
    servers.push(server);
    return server;
  };
  const client = (url: string) => {
    const http = new RegistryHttpClient(
      testConnection(url, { transport: { maxRetries: 3 } }),
    );
    clients.push(http);
    return http;
  };

  it("holds every request while the registry's Retry-After runs", async () => {
    let rateLimitedAt = 0;
    const arrivals: Record<string, number> = {};
    const server = await start((req, res) => {
      arrivals[req.url!] ??= Date.now();
      if (req.url === '/v2/a' && !rateLimitedAt) {
        rateLimitedAt = Date.now();
        return res.writeHead(429, { 'retry-after': '1' }).end();
      }
      return sendJson(res, 200, {});
    });
    const http = client(server.url);
    const first = http.request({ kind: 'tags', url: '/v2/a' });
    while (http.stats.retries === 0) {
      await new Promise(resolve => setImmediate(resolve));
    }
    await http.request({ kind: 'tags', url: '/v2/b' });
    await first;
    // Another request, started after the 429, waited for the pause too: the registry saw it
    // no earlier than the second it asked for (a lower bound only, never flaky).
    expect(arrivals['/v2/b'] - rateLimitedAt).toBeGreaterThanOrEqual(990);
  });

  it(`stops asking a registry that answers ${RATE_LIMIT_TRIP_COUNT} requests in a row with 429`, async () => {
    const server = await start((_req, res) =>
      res.writeHead(429, { 'retry-after': '0' }).end(),
    );
    const http = client(server.url);
    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push(
        await http
          .request({ kind: 'tags', url: `/v2/r${i}/tags/list` })
          .catch(error => error),
      );
    }
    expect(server.requests).toHaveLength(RATE_LIMIT_TRIP_COUNT);
    expect(http.halted).toMatchObject({
      reason: 'rate-limited',
      message: expect.stringMatching(/429 .* 20 requests in a row/),
    });
    expect(outcomes.at(-1)).toBe(http.halted);
  });

  it('starts the count over after any other answer', () => {
    const backoff = new SharedBackoff(3);
    expect(backoff.rateLimited()).toBe(false);
    expect(backoff.rateLimited()).toBe(false);
    backoff.answered();
    expect(backoff.rateLimited()).toBe(false);
    expect(backoff.rateLimited()).toBe(false);
    expect(backoff.rateLimited()).toBe(true);
  });
});
