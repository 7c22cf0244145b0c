import { createHash } from 'node:crypto';
import { MediaType } from '../manifests/mediaTypes';
import { authorizedFetch } from './authorizedFetch';
import type { ExpectedImage } from './images';
import { seedDemoImages, seedRepositories } from './seed';
import { startTestRegistry, TestRegistry } from './TestRegistry';

jest.setTimeout(60_000);

const sha256 = (bytes: Buffer) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Fetches a manifest asking for exactly its own type, as a registry client would. */
async function fetchManifest(
  registry: TestRegistry,
  repository: string,
  reference: string,
  accept: string,
) {
  const response = await authorizedFetch(
    registry,
    `/v2/${repository}/manifests/${reference}`,
    { accept, scope: `repository:${repository}:pull` },
  );
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    bytes,
  };
}

describe.each(['none', 'basic', 'token'] as const)(
  'seedDemoImages into a registry with %s auth',
  auth => {
    let registry: TestRegistry;
    let images: ExpectedImage[];

    beforeAll(async () => {
      registry = await startTestRegistry({ auth });
      images = await seedDemoImages(registry);
    });
    afterAll(() => registry?.stop());

    it('lists every seeded repository in the catalog', async () => {
      const response = await authorizedFetch(registry, '/v2/_catalog', {
        scope: 'registry:catalog:*',
      });
      expect((await response.json()).repositories).toEqual([
        ...new Set(images.map(image => image.repository).sort()),
      ]);
    });

    it('serves each tag as the bytes of the digest it reports', async () => {
      for (const image of images) {
        for (const tag of image.tags) {
          const manifest = await fetchManifest(
            registry,
            image.repository,
            tag,
            image.mediaType,
          );
          expect(manifest).toMatchObject({
            status: 200,
            contentType: image.mediaType,
          });
          expect(sha256(manifest.bytes)).toBe(image.digest);
        }
      }
    });

    it('lists the tags of each repository', async () => {
      for (const repository of new Set(images.map(i => i.repository))) {
        const response = await authorizedFetch(
          registry,
          `/v2/${repository}/tags/list`,
          { scope: `repository:${repository}:pull` },
        );
        const expectedTags = images
          .filter(image => image.repository === repository)
          .flatMap(image => image.tags);
        expect((await response.json()).tags.sort()).toEqual(
          expectedTags.sort(),
        );
      }
    });
  },
);

describe('the demo image set', () => {
  let registry: TestRegistry;
  let images: ExpectedImage[];

  beforeAll(async () => {
    registry = await startTestRegistry();
    images = await seedDemoImages(registry);
  });
  afterAll(() => registry?.stop());

  const ofType = (mediaType: string) =>
    images.filter(image => image.mediaType === mediaType);

  it('holds every manifest kind', () => {
    for (const mediaType of [
      MediaType.dockerManifest,
      MediaType.ociManifest,
      MediaType.ociIndex,
      MediaType.dockerManifestList,
    ]) {
      expect(ofType(mediaType).length).toBeGreaterThan(0);
    }
  });

  it('reports single-platform images from their config', async () => {
    const single = [
      ...ofType(MediaType.dockerManifest),
      ...ofType(MediaType.ociManifest),
    ];
    for (const image of single) {
      const manifest = JSON.parse(
        (
          await fetchManifest(
            registry,
            image.repository,
            image.digest,
            image.mediaType,
          )
        ).bytes.toString(),
      );
      const config = await (
        await fetch(
          `${registry.url}/v2/${image.repository}/blobs/${manifest.config.digest}`,
        )
      ).json();
      expect(image.platforms).toEqual([
        {
          os: config.os,
          architecture: config.architecture,
          ...(config.variant ? { variant: config.variant } : {}),
        },
      ]);
      expect(image.created).toBe(config.created);
      expect(image.labels).toEqual(config.config.Labels);
      expect(image.labels['org.opencontainers.image.source']).toMatch(
        /^https:\/\/github\.com\/acme\//,
      );
    }
  });

  it('has one digest under two tags, and an older and a newer image in one repository', () => {
    expect(images.some(image => image.tags.length >= 2)).toBe(true);
    const payments = images.filter(i => i.repository === 'acme/payments-api');
    expect(payments.map(image => image.tags)).toEqual([
      ['1.3.0'],
      ['1.4.0', 'latest'],
    ]);
    expect(payments[0].created! < payments[1].created!).toBe(true);
  });

  it('lists platform manifests and attestations in the OCI index', async () => {
    const [index] = ofType(MediaType.ociIndex);
    expect(index.platforms).toEqual([
      { os: 'linux', architecture: 'amd64', digest: expect.any(String) },
      {
        os: 'linux',
        architecture: 'arm64',
        variant: 'v8',
        digest: expect.any(String),
      },
    ]);
    const { manifests } = JSON.parse(
      (
        await fetchManifest(
          registry,
          index.repository,
          index.tags[0],
          MediaType.ociIndex,
        )
      ).bytes.toString(),
    );
    const attestations = manifests.filter(
      (entry: any) => entry.platform.os === 'unknown',
    );
    expect(attestations.map((entry: any) => entry.annotations)).toEqual(
      index.platforms.map(platform => ({
        'vnd.docker.reference.type': 'attestation-manifest',
        'vnd.docker.reference.digest': platform.digest,
      })),
    );
    for (const platform of index.platforms) {
      const child = await fetchManifest(
        registry,
        index.repository,
        platform.digest!,
        MediaType.ociManifest,
      );
      expect(sha256(child.bytes)).toBe(platform.digest);
    }
  });

  it('is an OCI index that distribution 2.8 hides unless it is asked for', async () => {
    const [index] = ofType(MediaType.ociIndex);
    const path = `${registry.url}/v2/${index.repository}/manifests/${index.tags[0]}`;
    const plain = await fetch(path, {
      headers: { accept: MediaType.ociManifest },
    });
    expect(plain.status).toBe(404);
  });

  it('lists the platform manifests of the Docker manifest list', () => {
    const [list] = ofType(MediaType.dockerManifestList);
    expect(list.platforms).toEqual([
      { os: 'linux', architecture: 'amd64', digest: expect.any(String) },
      {
        os: 'linux',
        architecture: 'arm',
        variant: 'v7',
        digest: expect.any(String),
      },
    ]);
  });

  it('describes each index and list by the config of its linux/amd64 image', async () => {
    const multi = [
      ...ofType(MediaType.ociIndex),
      ...ofType(MediaType.dockerManifestList),
    ];
    for (const image of multi) {
      const amd64 = image.platforms.find(p => p.architecture === 'amd64')!;
      const manifest = JSON.parse(
        (
          await fetchManifest(
            registry,
            image.repository,
            amd64.digest!,
            image.mediaType === MediaType.ociIndex
              ? MediaType.ociManifest
              : MediaType.dockerManifest,
          )
        ).bytes.toString(),
      );
      const config = await (
        await fetch(
          `${registry.url}/v2/${image.repository}/blobs/${manifest.config.digest}`,
        )
      ).json();
      expect(image.created).toBe(config.created);
      expect(image.labels).toEqual(config.config.Labels);
      expect(Object.keys(image.labels).length).toBeGreaterThan(0);
      expect(image.detailsSource).toBe('platform-image');
    }
  });

  it('pushes the same content to the same digests again', async () => {
    const again = await seedDemoImages(registry);
    expect(again).toEqual(images);
  });
});

describe('seedRepositories', () => {
  let registry: TestRegistry;
  afterAll(() => registry?.stop());

  it('fills many repositories with all four manifest kinds', async () => {
    registry = await startTestRegistry({ auth: 'token' });
    const summary = await seedRepositories(registry, {
      repositories: 8,
      tagsPerRepository: 3,
      concurrency: 4,
      prefix: 'load',
    });
    expect(summary).toEqual({ repositories: 8, tags: 24, images: 24 });

    const catalog = await authorizedFetch(registry, '/v2/_catalog', {
      scope: 'registry:catalog:*',
    });
    const { repositories } = await catalog.json();
    expect(repositories).toHaveLength(8);
    const kinds = new Set<string>();
    for (const repository of repositories.slice(0, 4)) {
      const response = await authorizedFetch(
        registry,
        `/v2/${repository}/manifests/v0`,
        {
          accept: [
            MediaType.ociIndex,
            MediaType.dockerManifestList,
            MediaType.ociManifest,
            MediaType.dockerManifest,
          ].join(', '),
          scope: `repository:${repository}:pull`,
        },
      );
      kinds.add(response.headers.get('content-type')!);
    }
    expect(kinds.size).toBe(4);
  });
});
