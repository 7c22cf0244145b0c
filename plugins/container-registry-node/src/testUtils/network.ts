import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A loopback port that was free a moment ago (callers retry if it is taken meanwhile). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * A self-signed P-256 certificate and its key, written by the openssl command line into `dir`:
 * for a TLS test server, or for signing registry tokens.
 */
export function createSelfSignedCertificate(
  dir: string,
  options: { commonName: string; ipAddress?: string },
): { keyPath: string; certificatePath: string } {
  const keyPath = join(dir, `${options.commonName}.key`);
  const certificatePath = join(dir, `${options.commonName}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certificatePath,
      '-days',
      '2',
      '-subj',
      `/CN=${options.commonName}`,
      ...(options.ipAddress
        ? ['-addext', `subjectAltName=IP:${options.ipAddress}`]
        : []),
    ],
    { stdio: 'pipe' },
  );
  return { keyPath, certificatePath };
}
