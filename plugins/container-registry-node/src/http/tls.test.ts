import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { join } from 'node:path';
import { testConnection } from '../__testUtils__/connection';
import type { TransportSettings } from '../connection/types';
import { createSelfSignedCertificate } from '../testUtils/network';
import { RegistryHttpClient } from './RegistryHttpClient';

describe('TLS settings', () => {
  let dir: string;
  let server: Server;
  let url: string;
  let ca: string;
  /** Where the registry sends blob downloads, when set. */
  let redirectTo: string | undefined;
  const clients: RegistryHttpClient[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tls-'));
    const { keyPath, certificatePath } = createSelfSignedCertificate(dir, {
      commonName: 'registry.test',
      ipAddress: '127.0.0.1',
    });
    ca = readFileSync(certificatePath, 'utf8');
    server = createServer(
      { key: readFileSync(keyPath), cert: ca },
      (req, res) => {
        if (redirectTo && req.url!.includes('/blobs/')) {
          res.writeHead(307, { location: redirectTo }).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      },
    );
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()));
    await new Promise(resolve => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const ping = (transport: Partial<TransportSettings>, path = '/v2/') => {
    const client = new RegistryHttpClient(
      testConnection(url, { transport: { maxRetries: 0, ...transport } }),
    );
    clients.push(client);
    return client.request({ kind: 'ping', url: path });
  };

  it('refuses a certificate it cannot verify, and says it is about TLS', async () => {
    await expect(ping({})).rejects.toMatchObject({ reason: 'tls' });
  });

  it('trusts a custom CA', async () => {
    await expect(ping({ caCert: ca })).resolves.toMatchObject({ status: 200 });
  });

  it('trusts the default CAs besides a custom one, for blobs redirected to another host', async () => {
    const { keyPath, certificatePath } = createSelfSignedCertificate(dir, {
      commonName: 'cdn.test',
      ipAddress: '127.0.0.1',
    });
    const cdnCertificate = readFileSync(certificatePath, 'utf8');
    const cdn = createServer(
      { key: readFileSync(keyPath), cert: cdnCertificate },
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      },
    );
    await new Promise<void>(resolve => cdn.listen(0, '127.0.0.1', resolve));
    const cdnUrl = `https://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
    redirectTo = `${cdnUrl}/blob`;
    // Stands in for a public CA: the CDN's certificate joins the process's default CAs.
    const defaults = getCACertificates('default');
    setDefaultCACertificates([...defaults, cdnCertificate]);
    try {
      await expect(
        ping({ caCert: ca }, '/v2/app/blobs/sha256:abc'),
      ).resolves.toMatchObject({ status: 200 });
    } finally {
      setDefaultCACertificates(defaults);
      redirectTo = undefined;
      await new Promise(resolve => cdn.close(resolve));
    }
  });

  it('skips verification only when told to', async () => {
    await expect(ping({ insecureSkipTlsVerify: true })).resolves.toMatchObject({
      status: 200,
    });
  });
});
