import { MediaType } from './mediaTypes';
import { parseImageConfig, parseManifest } from './parseManifest';
import { isValidDigest, schema1Payload, sha256Digest } from './digest';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const d = (c: string) => `sha256:${c.repeat(64)}`;

describe('parseManifest', () => {
  it('reads platforms from an OCI index and leaves out buildkit attestations', () => {
    const parsed = parseManifest(
      json({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [
          {
            mediaType: MediaType.ociManifest,
            digest: d('b'),
            platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
          },
          {
            mediaType: MediaType.ociManifest,
            digest: d('a'),
            platform: { os: 'linux', architecture: 'amd64' },
          },
          {
            mediaType: MediaType.ociManifest,
            digest: d('c'),
            platform: { os: 'unknown', architecture: 'unknown' },
            annotations: {
              'vnd.docker.reference.type': 'attestation-manifest',
              'vnd.docker.reference.digest': d('a'),
            },
          },
        ],
      }),
      undefined,
    );
    expect(parsed).toEqual({
      kind: 'index',
      mediaType: MediaType.ociIndex,
      annotations: {},
      platforms: [
        { os: 'linux', architecture: 'amd64', digest: d('a') },
        { os: 'linux', architecture: 'arm64', variant: 'v8', digest: d('b') },
      ],
      representative: { digest: d('a'), mediaType: MediaType.ociManifest },
    });
  });

  it('takes the media type from Content-Type when the document has none', () => {
    const parsed = parseManifest(
      json({ schemaVersion: 2, manifests: [] }),
      `${MediaType.dockerManifestList}; charset=utf-8`,
    );
    expect(parsed.mediaType).toBe(MediaType.dockerManifestList);
  });

  it('points single-platform manifests at their config blob', () => {
    const parsed = parseManifest(
      json({
        schemaVersion: 2,
        mediaType: MediaType.dockerManifest,
        config: { mediaType: MediaType.dockerConfig, digest: d('e') },
        layers: [],
      }),
      undefined,
    );
    expect(parsed).toMatchObject({ kind: 'image', configDigest: d('e') });
  });

  it('does not fetch the config of an artifact that is not an image', () => {
    const parsed = parseManifest(
      json({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: {
          mediaType: 'application/vnd.cncf.helm.config.v1+json',
          digest: d('f'),
        },
      }),
      undefined,
    );
    expect(parsed.kind).toBe('image');
    expect(parsed).not.toHaveProperty('configDigest');
  });

  it('reads schema1 platform and date inline', () => {
    const parsed = parseManifest(
      json({
        schemaVersion: 1,
        architecture: 'amd64',
        history: [
          {
            v1Compatibility: JSON.stringify({
              os: 'linux',
              created: '2019-01-01T00:00:00Z',
            }),
          },
        ],
      }),
      undefined,
    );
    expect(parsed).toMatchObject({
      kind: 'image',
      inline: {
        platform: { os: 'linux', architecture: 'amd64' },
        created: '2019-01-01T00:00:00Z',
      },
    });
  });

  it('names garbage and unknown media types as such', () => {
    expect(() => parseManifest(Buffer.from('{"trunc'), undefined)).toThrow(
      /not valid JSON/,
    );
    expect(() =>
      parseManifest(
        json({ schemaVersion: 2, mediaType: 'application/vnd.example.thing' }),
        undefined,
      ),
    ).toThrow(expect.objectContaining({ reason: 'unsupported-media-type' }));
  });
});

describe('parseImageConfig', () => {
  it('reads platform, created and labels, falling back to the OCI created label', () => {
    expect(
      parseImageConfig(
        json({
          os: 'linux',
          architecture: 'arm',
          variant: 'v7',
          config: {
            Labels: {
              'org.opencontainers.image.created': '2026-01-02T00:00:00Z',
              n: 1,
            },
          },
        }),
      ),
    ).toEqual({
      platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
      created: '2026-01-02T00:00:00Z',
      labels: { 'org.opencontainers.image.created': '2026-01-02T00:00:00Z' },
    });
  });
});

describe('schema1Payload', () => {
  it('rebuilds the signed payload from formatLength and formatTail', () => {
    const payload = '{\n   "schemaVersion": 1,\n   "name": "a"\n}';
    const body = payload.slice(0, -2);
    const tail = payload.slice(-2);
    const header = Buffer.from(
      JSON.stringify({
        formatLength: body.length,
        formatTail: Buffer.from(tail).toString('base64url'),
      }),
    ).toString('base64url');
    const signed = `${body},\n   "signatures": [{"protected": "${header}"}]\n}`;
    expect(schema1Payload(Buffer.from(signed)).toString()).toBe(payload);
    expect(sha256Digest(schema1Payload(Buffer.from(signed)))).toBe(
      sha256Digest(Buffer.from(payload)),
    );
  });
});

describe('isValidDigest', () => {
  it('takes sha256 and sha512 digests of the right length and nothing a URL could be built from', () => {
    expect(isValidDigest(`sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(isValidDigest(`sha512:${'0'.repeat(128)}`)).toBe(true);
    for (const value of [
      `sha256:${'a'.repeat(63)}`,
      `sha256:${'A'.repeat(64)}`,
      `sha512:${'0'.repeat(64)}`,
      'sha256:../../x',
      `sha256:${'a'.repeat(64)}/../x`,
      'md5:d41d8cd98f00b204e9800998ecf8427e',
      '',
      42,
    ]) {
      expect(isValidDigest(value)).toBe(false);
    }
  });
});

describe('index representative', () => {
  it('is the first entry that is not an attestation when no linux/amd64 image is listed', () => {
    const parsed = parseManifest(
      json({
        schemaVersion: 2,
        mediaType: MediaType.dockerManifestList,
        manifests: [
          {
            mediaType: MediaType.ociManifest,
            digest: d('c'),
            platform: { os: 'unknown', architecture: 'unknown' },
          },
          {
            mediaType: MediaType.dockerManifest,
            digest: d('e'),
            platform: { os: 'linux', architecture: 's390x' },
          },
        ],
      }),
      undefined,
    );
    expect(parsed).toMatchObject({
      representative: { digest: d('e'), mediaType: MediaType.dockerManifest },
    });
  });
});
