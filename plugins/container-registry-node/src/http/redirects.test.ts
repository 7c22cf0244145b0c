import type { LookupAddress } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConnection } from '../__testUtils__/connection';
import {
  ScriptedServer,
  sendJson,
  startScriptedServer,
} from '../__testUtils__/scriptedServer';
import type { TransportSettings } from '../connection/types';
import { createSelfSignedCertificate } from '../testUtils/network';
import { RegistryHttpClient } from './RegistryHttpClient';

describe('where redirects may lead', () => {
  let dir: string;
  /** Certificates of two unrelated servers, each self-signed. */
  const certs: Record<'registry' | 'cdn', { key: Buffer; cert: string }> =
    {} as any;
  const servers: ScriptedServer[] = [];
  const clients: RegistryHttpClient[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'redirects-'));
    for (const name of ['registry', 'cdn'] as const) {
      const { keyPath, certificatePath } = createSelfSignedCertificate(dir, {
        commonName: `${name}.test`,
        ipAddress: '127.0.0.1',
      });
      certs[name] = {
        key: readFileSync(keyPath),
        cert: readFileSync(certificatePath, 'utf8'),
      };
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(c => c.close()));
    await Promise.all(servers.splice(0).map(s => s.close()));
  });

  const start = async (...args: Parameters<typeof startScriptedServer>) => {
    const server = await startScriptedServer(...args);
    servers.push(server);
    return server;
  };
  const blobStore = (tls?: { key: Buffer; cert: string }) =>
    start((_req, res) => sendJson(res, 200, { blob: true }), { tls });
  /** A registry that sends blob downloads to `location()`. */
  const registry = (
    location: () => string,
    tls?: { key: Buffer; cert: string },
  ) =>
    start((_req, res) => res.writeHead(307, { location: location() }).end(), {
      tls,
    });
  const fetchBlob = (
    url: string,
    transport: Partial<TransportSettings> = {},
    lookup?: (host: string) => string,
  ) => {
    const http = new RegistryHttpClient(
      testConnection(url, { transport: { maxRetries: 0, ...transport } }),
      {
        lookup: lookup
          ? (((host: string, _options: unknown, callback: Function) =>
              callback(null, [
                { address: lookup(host), family: 4 },
              ] as LookupAddress[])) as any)
          : undefined,
      },
    );
    clients.push(http);
    return http.request({ kind: 'blob', url: '/v2/a/blobs/sha256:1' });
  };

  it('refuses to leave https for http', async () => {
    const store = await blobStore();
    const reg = await registry(() => `${store.url}/blob`, certs.registry);
    await expect(
      fetchBlob(reg.url, { caCert: certs.registry.cert }),
    ).rejects.toMatchObject({
      reason: 'cross-host',
      message: expect.stringMatching(/from https to http:.*refused/),
    });
    expect(store.requests).toHaveLength(0);
  });

  it('applies "skip TLS verification" to the registry only, not where it redirects', async () => {
    const store = await blobStore(certs.cdn);
    const reg = await registry(() => `${store.url}/blob`, certs.registry);
    await expect(
      fetchBlob(reg.url, { insecureSkipTlsVerify: true }),
    ).rejects.toMatchObject({ reason: 'tls' });
    expect(store.requests).toHaveLength(0);
  });

  it('trusts the custom CA on a listed host, and only there', async () => {
    const store = await blobStore(certs.cdn);
    const reg = await registry(() => `${store.url}/blob`, certs.registry);
    const caCert = `${certs.registry.cert}\n${certs.cdn.cert}`;
    await expect(fetchBlob(reg.url, { caCert })).rejects.toMatchObject({
      reason: 'tls',
    });
    await expect(
      fetchBlob(reg.url, { caCert, allowedHosts: ['127.0.0.1'] }),
    ).resolves.toMatchObject({ status: 200 });
  });

  it('follows a host on the same kind of network as the registry', async () => {
    const store = await blobStore();
    const reg = await registry(
      () => `${store.url.replace('127.0.0.1', 'cdn.test')}/blob`,
    );
    await expect(
      fetchBlob(reg.url, {}, () => '127.0.0.1'),
    ).resolves.toMatchObject({ status: 200 });
  });

  it('refuses a name that resolves to a link-local address, unless listed', async () => {
    const looked: string[] = [];
    const reg = await registry(() => 'http://metadata.test:9/latest');
    await expect(
      fetchBlob(reg.url, {}, host => {
        looked.push(host);
        return '169.254.169.254';
      }),
    ).rejects.toMatchObject({
      reason: 'cross-host',
      message: expect.stringMatching(/metadata\.test \(169\.254\.169\.254\)/),
    });
    expect(looked).toEqual(['metadata.test']);
  });

  it('refuses a link-local address literal without looking it up', async () => {
    const reg = await registry(() => 'http://169.254.169.254/latest/meta-data');
    await expect(fetchBlob(reg.url)).rejects.toMatchObject({
      reason: 'cross-host',
      message: expect.stringMatching(/cloud metadata/),
    });
  });
});
