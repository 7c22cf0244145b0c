import { createHash } from 'node:crypto';
import { RegistryError } from '../errors';

function parseJson(bytes: Buffer, message: string): any {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RegistryError('invalid-response', message);
  }
}

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

/** The OCI digest grammar (`algorithm:encoded`), and the exact shapes of the registered algorithms. */
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const REGISTERED_DIGESTS: Record<string, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};

/**
 * Whether a digest read from a document is safe to put in a URL and can be checked: it
 * follows the OCI grammar and is a sha256 or sha512 digest with the right number of lowercase
 * hex digits. Other algorithms are refused, as their content could not be verified.
 */
export function isValidDigest(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 256) return false;
  if (!DIGEST_GRAMMAR.test(value)) return false;
  const [algorithm, encoded] = value.split(':');
  const shape = REGISTERED_DIGESTS[algorithm];
  return shape ? shape.test(encoded) : false;
}

/** The digest of `bytes` in the algorithm of `like` (sha256 or sha512). */
export function digestLike(like: string, bytes: Buffer): string {
  const algorithm = like.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The bytes a signed schema1 manifest's digest is taken over: the JWS payload, that is the
 * document without its `signatures`, rebuilt from the `formatLength`/`formatTail` of the
 * first signature's protected header.
 */
export function schema1Payload(bytes: Buffer): Buffer {
  const doc = parseJson(bytes, 'The schema1 manifest is not valid JSON');
  const protectedHeader = doc?.signatures?.[0]?.protected;
  if (typeof protectedHeader !== 'string') return bytes;
  const header = parseJson(
    Buffer.from(protectedHeader, 'base64url'),
    'The protected header of the schema1 signature is not valid JSON',
  );
  if (
    typeof header?.formatLength !== 'number' ||
    typeof header?.formatTail !== 'string' ||
    !Number.isInteger(header.formatLength) ||
    header.formatLength < 0 ||
    header.formatLength > bytes.length
  ) {
    throw new RegistryError(
      'invalid-response',
      'The schema1 signature does not say which bytes it signs',
    );
  }
  return Buffer.concat([
    bytes.subarray(0, header.formatLength),
    Buffer.from(header.formatTail, 'base64url'),
  ]);
}
