import { ConfigReader } from '@backstage/config';
import { randomBytes } from 'node:crypto';
import { SecretBox, SecretDecryptionError } from './SecretBox';

const PASSWORD = 'correct horse battery staple';

function key() {
  return randomBytes(32);
}

function boxFromConfig(keys: Array<{ id: string; secret?: string }>) {
  return SecretBox.fromConfig(
    new ConfigReader({ containerRegistry: { encryption: { keys } } }),
  );
}

/** Replaces one base64url character of a sealed value's part, keeping the format valid. */
function flipCharacter(sealed: string, partIndex: number): string {
  const parts = sealed.split(':');
  const part = parts[partIndex];
  parts[partIndex] = (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
  return parts.join(':');
}

describe('SecretBox', () => {
  it('decrypts what it encrypted, and the sealed value carries no plaintext', () => {
    const box = new SecretBox([{ id: 'k1', material: key() }]);
    const sealed = box.encrypt(PASSWORD, 'reg/auth.password');
    expect(sealed).toMatch(/^v1:k1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(sealed).not.toContain(PASSWORD);
    expect(sealed).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(box.decrypt(sealed, 'reg/auth.password')).toBe(PASSWORD);
  });

  it('seals the same value differently every time', () => {
    const box = new SecretBox([{ id: 'k1', material: key() }]);
    expect(box.encrypt(PASSWORD)).not.toBe(box.encrypt(PASSWORD));
  });

  it('round-trips empty and non-ASCII values', () => {
    const box = new SecretBox([{ id: 'k1', material: key() }]);
    expect(box.decrypt(box.encrypt(''))).toBe('');
    expect(box.decrypt(box.encrypt('pässwört 🔑'))).toBe('pässwört 🔑');
  });

  it.each([
    ['iv', 2],
    ['tag', 3],
    ['ciphertext', 4],
  ])('detects a changed %s', (_part, index) => {
    const box = new SecretBox([{ id: 'k1', material: key() }]);
    const tampered = flipCharacter(box.encrypt(PASSWORD), index);
    expect(() => box.decrypt(tampered)).toThrow(SecretDecryptionError);
    expect(() => box.decrypt(tampered)).toThrow(/altered/);
  });

  it('refuses a value moved to another context, such as another registry or field', () => {
    const box = new SecretBox([{ id: 'k1', material: key() }]);
    const sealed = box.encrypt(PASSWORD, 'registry-a/auth.password');
    expect(() => box.decrypt(sealed, 'registry-b/auth.password')).toThrow(
      SecretDecryptionError,
    );
  });

  it('refuses a value whose key id was rewritten to another configured key', () => {
    const box = new SecretBox([
      { id: 'k1', material: key() },
      { id: 'k2', material: key() },
    ]);
    const sealed = box.encrypt(PASSWORD).replace(/^v1:k1:/, 'v1:k2:');
    expect(() => box.decrypt(sealed)).toThrow(SecretDecryptionError);
  });

  it('names an unknown key id, without the value', () => {
    const sealed = new SecretBox([{ id: 'retired', material: key() }]).encrypt(
      PASSWORD,
    );
    const box = new SecretBox([{ id: 'current', material: key() }]);
    let error: Error | undefined;
    try {
      box.decrypt(sealed);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(SecretDecryptionError);
    expect(error?.message).toContain('"retired"');
    expect(error?.message).toContain('containerRegistry.encryption.keys');
    expect(error?.message).not.toContain(sealed.split(':')[4]);
    expect(error?.message).not.toContain(PASSWORD);
  });

  it('rejects values that are not in its format, without echoing them', () => {
    const box = new SecretBox([{ id: 'k1', material: key() }]);
    for (const value of [PASSWORD, 'v1:k1:abc', 'v2:k1:a:b:c']) {
      expect(() => box.decrypt(value)).toThrow(SecretDecryptionError);
      expect(() => box.decrypt(value)).not.toThrow(value);
    }
  });

  describe('key rotation', () => {
    const oldKey = { id: 'old', material: key() };
    const newKey = { id: 'new', material: key() };

    it('decrypts values of an older key once a new key is put first', () => {
      const sealed = new SecretBox([oldKey]).encrypt(PASSWORD, 'ctx');
      const rotated = new SecretBox([newKey, oldKey]);
      expect(rotated.decrypt(sealed, 'ctx')).toBe(PASSWORD);
      expect(rotated.needsReencryption(sealed)).toBe(true);
    });

    it('re-encrypts under the new key, which no longer needs the old one', () => {
      const sealed = new SecretBox([oldKey]).encrypt(PASSWORD);
      const rotated = new SecretBox([newKey, oldKey]);
      const resealed = rotated.encrypt(rotated.decrypt(sealed));
      expect(resealed.split(':')[1]).toBe('new');
      expect(rotated.needsReencryption(resealed)).toBe(false);
      expect(new SecretBox([newKey]).decrypt(resealed)).toBe(PASSWORD);
    });
  });

  describe('without a key', () => {
    const box = SecretBox.fromConfig(new ConfigReader({}));

    it('refuses to store a credential and says how to configure a key', () => {
      expect(box.canEncrypt).toBe(false);
      expect(() => box.encrypt(PASSWORD)).toThrow(
        /containerRegistry\.encryption\.keys.*openssl rand -base64 32/,
      );
    });

    it('sees nothing to re-encrypt', () => {
      const sealed = new SecretBox([{ id: 'k1', material: key() }]).encrypt(
        PASSWORD,
      );
      expect(box.needsReencryption(sealed)).toBe(false);
    });
  });

  describe('fromConfig', () => {
    it('reads base64 and hex secrets; the first key encrypts', () => {
      const material = key();
      const box = boxFromConfig([
        { id: 'b64', secret: material.toString('base64') },
        { id: 'hex', secret: key().toString('hex') },
      ]);
      const sealed = box.encrypt(PASSWORD);
      expect(sealed.split(':')[1]).toBe('b64');
      expect(new SecretBox([{ id: 'b64', material }]).decrypt(sealed)).toBe(
        PASSWORD,
      );
    });

    it.each([
      ['too short', randomBytes(16).toString('base64')],
      ['too long', randomBytes(48).toString('hex')],
      ['not base64', `${'!'.repeat(43)}=`],
    ])(
      'rejects a secret that is %s, naming the field but not the value',
      (_, secret) => {
        let error: Error | undefined;
        try {
          boxFromConfig([{ id: 'k1', secret }]);
        } catch (e) {
          error = e as Error;
        }
        expect(error?.message).toContain(
          'containerRegistry.encryption.keys[0].secret',
        );
        expect(error?.message).toContain('openssl rand -base64 32');
        expect(error?.message).not.toContain(secret);
      },
    );

    it('rejects a key id used twice and a key id that cannot be stored', () => {
      const secret = key().toString('base64');
      expect(() =>
        boxFromConfig([
          { id: 'k1', secret },
          { id: 'k1', secret: key().toString('base64') },
        ]),
      ).toThrow(/keys\[1\]\.id.*"k1" is used twice/);
      expect(() => boxFromConfig([{ id: 'a:b', secret }])).toThrow(
        /keys\[0\]\.id must be/,
      );
    });

    it('rejects a key without a secret', () => {
      expect(() => boxFromConfig([{ id: 'k1', secret: undefined }])).toThrow(
        /keys\[0\]\.secret/,
      );
    });
  });
});
