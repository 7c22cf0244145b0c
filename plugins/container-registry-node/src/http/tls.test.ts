import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
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
      (_req, res) => {
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

  const ping = (transport: Partial<TransportSettings>) => {
    const client = new RegistryHttpClient(
      testConnection(url, { transport: { maxRetries: 0, ...transport } }),
    );
    clients.push(client);
    return client.request({ kind: 'ping', url: '/v2/' });
  };

  it('refuses a certificate it cannot verify, and says it is about TLS', async () => {
    await expect(ping({})).rejects.toMatchObject({ reason: 'tls' });
  });

  it('trusts a custom CA', async () => {
    await expect(ping({ caCert: ca })).resolves.toMatchObject({ status: 200 });
  });

  it('skips verification only when told to', async () => {
    await expect(ping({ insecureSkipTlsVerify: true })).resolves.toMatchObject({
      status: 200,
    });
  });
});
