import { testConnection } from '../__testUtils__/connection';
import {
  ScriptedServer,
  sendJson,
  startScriptedServer,
} from '../__testUtils__/scriptedServer';
import { RegistryError, redactUrls, snippet } from '../errors';
import { RegistryHttpClient } from './RegistryHttpClient';

describe('what error messages may carry', () => {
  const servers: ScriptedServer[] = [];
  const clients: RegistryHttpClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(c => c.close()));
    await Promise.all(servers.splice(0).map(s => s.close()));
  });
  const failure = async (
    handler: Parameters<typeof startScriptedServer>[0],
  ): Promise<RegistryError> => {
    const server = await startScriptedServer(handler);
    servers.push(server);
    const http = new RegistryHttpClient(
      testConnection(server.url, { transport: { maxRetries: 0 } }),
    );
    clients.push(http);
    return http
      .request({ kind: 'manifest', url: '/v2/a/manifests/latest' })
      .then(
        () => {
          throw new Error('expected a failure');
        },
        error => error,
      );
  };

  it("keeps a short excerpt of the registry's own message, without control characters", async () => {
    const error = await failure((_req, res) =>
      sendJson(res, 404, {
        errors: [
          {
            code: 'MANIFEST_UNKNOWN',
            message: `unknown\r\n\u001b[31m${'x'.repeat(100_000)}`,
          },
        ],
      }),
    );
    expect(error.reason).toBe('not-found');
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toMatch(/MANIFEST_UNKNOWN: unknown \[31mxxx/);
    // eslint-disable-next-line no-control-regex
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('drops the query of a presigned URL the registry echoes', async () => {
    const error = await failure((_req, res) =>
      sendJson(res, 403, {
        errors: [
          {
            code: 'DENIED',
            message:
              'see https://bucket.s3.example.com/blob?X-Amz-Signature=SECRET&X-Amz-Credential=KEY',
          },
        ],
      }),
    );
    expect(error.message).toContain('https://bucket.s3.example.com/blob');
    expect(error.message).not.toMatch(/SECRET|KEY|X-Amz/);
  });

  it('redacts user-info and queries of any URL, and caps excerpts', () => {
    expect(
      redactUrls('GET https://u:pw@h.example/p?sig=1#f failed; http://x/?a'),
    ).toBe('GET https://h.example/p#f failed; http://x/');
    expect(snippet('a\u0000b', 10)).toBe('a b');
    expect(snippet('abcdef', 3)).toBe('abc…');
  });
});
