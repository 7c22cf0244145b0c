import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const CONFIG_KEY = 'containerRegistry.encryption.keys';
const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
// 32 bytes are 43 base64 characters and one '=' of padding; base64url spelling is accepted too.
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/** An encryption key of `containerRegistry.encryption.keys`. */
export interface SecretKey {
  id: string;
  /** 32 bytes. */
  material: Buffer;
}

/**
 * A value that cannot be decrypted. The message names the key id and what to do,
 * never the value or the key.
 */
export class SecretDecryptionError extends Error {
  readonly name = 'SecretDecryptionError';
}

interface SealedValue {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/**
 * Encrypts credentials with AES-256-GCM. The first key encrypts, every key decrypts, so a
 * key is rotated by putting a new one first and re-encrypting what the older ones sealed.
 *
 * A sealed value is `v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts). An optional
 * context (for instance the registry and field a credential belongs to) is authenticated
 * with it, so a value copied to another row or field fails to decrypt instead of sending
 * one registry's password to another registry's host.
 */
export class SecretBox {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #encryptingKeyId: string | undefined;

  /** Reads `containerRegistry.encryption.keys`; without it the box can only refuse to encrypt. */
  static fromConfig(config: Config): SecretBox {
    const entries = config.getOptionalConfigArray(CONFIG_KEY) ?? [];
    return new SecretBox(
      entries.map((entry, index) => readKey(entry, `${CONFIG_KEY}[${index}]`)),
    );
  }

  constructor(keys: SecretKey[]) {
    const byId = new Map<string, Buffer>();
    keys.forEach((key, index) => {
      if (!KEY_ID_PATTERN.test(key.id)) {
        throw new InputError(
          `${CONFIG_KEY}[${index}].id must be 1 to 64 letters, digits, '-' or '_'`,
        );
      }
      if (byId.has(key.id)) {
        throw new InputError(
          `${CONFIG_KEY}[${index}].id: the id "${key.id}" is used twice; give every key its own id`,
        );
      }
      if (key.material.length !== KEY_BYTES) {
        throw new InputError(
          `${CONFIG_KEY}[${index}].secret must be ${KEY_BYTES} bytes`,
        );
      }
      byId.set(key.id, key.material);
    });
    this.#keys = byId;
    this.#encryptingKeyId = keys[0]?.id;
  }

  /** Whether a key is configured, that is whether credentials can be stored at all. */
  get canEncrypt(): boolean {
    return this.#encryptingKeyId !== undefined;
  }

  /** Seals a value under the first key; refused with a how-to when no key is configured. */
  encrypt(plaintext: string, context = ''): string {
    const keyId = this.#encryptingKeyId;
    if (keyId === undefined) {
      throw new InputError(
        `Credentials cannot be stored: no encryption key is configured. Set ${CONFIG_KEY} ` +
          `to a list like [{ id: "key-1", secret: "<output of openssl rand -base64 32>" }] ` +
          `in the backend's config and restart it`,
      );
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#keys.get(keyId)!, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(associatedData(keyId, context));
    const ciphertext = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
    ]);
    return [
      VERSION,
      keyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join(':');
  }

  /** Opens a value sealed by `encrypt` with the same context, under any configured key. */
  decrypt(sealed: string, context = ''): string {
    const { keyId, iv, tag, ciphertext } = parseSealed(sealed);
    const key = this.#keys.get(keyId);
    if (!key) {
      throw new SecretDecryptionError(
        `A stored credential was encrypted with the key "${keyId}", which is not in ${CONFIG_KEY}; ` +
          `add that key back (after the first key), or enter the credential again`,
      );
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(associatedData(keyId, context));
      decipher.setAuthTag(tag);
      return Buffer.concat([
        decipher.update(ciphertext),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(
        `A stored credential does not decrypt with the key "${keyId}": it was altered, or the ` +
          `key "${keyId}" now holds another secret than the one that encrypted it; ` +
          `restore that key's secret, or enter the credential again`,
      );
    }
  }

  /** True when the value was sealed under another key than the one that encrypts now. */
  needsReencryption(sealed: string): boolean {
    if (this.#encryptingKeyId === undefined) return false;
    return parseSealed(sealed).keyId !== this.#encryptingKeyId;
  }
}

function readKey(entry: Config, path: string): SecretKey {
  const id = entry.getString('id');
  const secret = entry.getString('secret').trim();
  let material: Buffer;
  if (HEX_KEY.test(secret)) {
    material = Buffer.from(secret, 'hex');
  } else if (BASE64_KEY.test(secret)) {
    material = Buffer.from(secret, 'base64');
  } else {
    throw new InputError(
      `${path}.secret must be ${KEY_BYTES} bytes written as base64 (openssl rand -base64 32) ` +
        `or as 64 hex characters (openssl rand -hex 32); the configured value is neither`,
    );
  }
  return { id, material };
}

function associatedData(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}:${keyId}:${context}`, 'utf8');
}

function parseSealed(sealed: string): SealedValue {
  const parts = sealed.split(':');
  if (
    parts.length !== 5 ||
    parts[0] !== VERSION ||
    !KEY_ID_PATTERN.test(parts[1])
  ) {
    throw new SecretDecryptionError(
      `A stored credential is not in the ${VERSION} format this plugin encrypts to; enter the credential again`,
    );
  }
  const [, keyId, iv, tag, ciphertext] = parts;
  const sealedValue = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
  if (
    sealedValue.iv.length !== IV_BYTES ||
    sealedValue.tag.length !== TAG_BYTES
  ) {
    throw new SecretDecryptionError(
      `A stored credential encrypted with the key "${keyId}" is truncated; enter the credential again`,
    );
  }
  return sealedValue;
}
