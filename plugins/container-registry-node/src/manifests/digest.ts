import { createHash } from 'node:crypto';

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The bytes a signed schema1 manifest's digest is taken over: the JWS payload, that is the
 * document without its `signatures`, rebuilt from the `formatLength`/`formatTail` of the
 * first signature's protected header.
 */
export function schema1Payload(bytes: Buffer): Buffer {
  const doc = JSON.parse(bytes.toString('utf8'));
  const protectedHeader = doc?.signatures?.[0]?.protected;
  if (typeof protectedHeader !== 'string') return bytes;
  const header = JSON.parse(
    Buffer.from(protectedHeader, 'base64url').toString('utf8'),
  );
  if (
    typeof header.formatLength !== 'number' ||
    typeof header.formatTail !== 'string'
  ) {
    return bytes;
  }
  return Buffer.concat([
    bytes.subarray(0, header.formatLength),
    Buffer.from(header.formatTail, 'base64url'),
  ]);
}
