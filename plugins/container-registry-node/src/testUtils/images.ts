import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { MediaType } from '../manifests/mediaTypes';
import { Descriptor, RegistryPusher, sha256Digest } from './RegistryPusher';

export interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string;
}

/** What a test may expect the crawler to find for one pushed image, computed from the push. */
export interface ExpectedImage {
  repository: string;
  /** Digest of the top-level manifest or index, as pushed. */
  digest: string;
  mediaType: string;
  /** sorted */
  tags: string[];
  /**
   * Single-platform: the one from the config, without digest. Index or list: one per entry
   * with the platform manifest's digest, attestations left out. Sorted.
   */
  platforms: Array<PlatformSpec & { digest?: string }>;
  /**
   * The config's `created`; for an index or list, that of its representative platform image
   * (the first linux/amd64 entry, else the first that is not an attestation).
   */
  created?: string;
  /** The config's `config.Labels`; for an index or list, its representative image's. */
  labels: Record<string, string>;
  detailsSource: 'image-config' | 'platform-image';
}

export interface ImageOptions {
  /** Default linux/amd64. */
  platform?: PlatformSpec;
  created?: string;
  labels?: Record<string, string>;
  /** Makes the image's config, and so its digest, unique. */
  seed: string;
  /** Images with the same layer seed share their layer blob; default `seed`. */
  layerSeed?: string;
}

export type MultiPlatformOptions = Omit<ImageOptions, 'platform'>;

type ManifestKind = 'docker' | 'oci';

const MEDIA_TYPES = {
  docker: {
    manifest: MediaType.dockerManifest,
    config: MediaType.dockerConfig,
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
    index: MediaType.dockerManifestList,
  },
  oci: {
    manifest: MediaType.ociManifest,
    config: MediaType.ociConfig,
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
    index: MediaType.ociIndex,
  },
} as const;

const DEFAULT_PLATFORM: PlatformSpec = { os: 'linux', architecture: 'amd64' };

const toJsonBytes = (value: unknown) => Buffer.from(JSON.stringify(value));

const platformKey = (p: PlatformSpec) =>
  `${p.os}/${p.architecture}/${p.variant ?? ''}`;

const byPlatform = (a: PlatformSpec, b: PlatformSpec) =>
  platformKey(a).localeCompare(platformKey(b));

/** Only the platform fields, without an undefined `variant` that would spoil `toEqual`. */
function platformOf(source: PlatformSpec): PlatformSpec {
  const { os, architecture, variant } = source;
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** Deterministic filler bytes: registries store layers without looking inside them. */
function layerContent(seed: string): Buffer {
  const blocks = [];
  let block = createHash('sha512').update(`layer:${seed}`).digest();
  for (let i = 0; i < 8; i++) {
    blocks.push(block);
    block = createHash('sha512').update(block).digest();
  }
  return Buffer.concat(blocks);
}

function imageConfig(options: ImageOptions, layerDiffId: string) {
  const platform = platformOf(options.platform ?? DEFAULT_PLATFORM);
  return {
    ...platform,
    ...(options.created ? { created: options.created } : {}),
    config: {
      Env: ['PATH=/usr/local/bin:/usr/bin:/bin', `BUILD_SEED=${options.seed}`],
      Cmd: ['/usr/local/bin/entrypoint'],
      Labels: options.labels ?? {},
    },
    rootfs: { type: 'layers', diff_ids: [layerDiffId] },
  };
}

/** Pushes a manifest under each tag, or by its digest when there are none. */
async function pushUnderTags(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  mediaType: string,
  body: Buffer,
) {
  const references = tags.length ? tags : [sha256Digest(body)];
  let digest = '';
  for (const reference of references) {
    digest = await pusher.pushManifest(repository, reference, mediaType, body);
  }
  return digest;
}

/** One single-platform image: layer, config, manifest. */
async function pushSingle(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  options: ImageOptions,
  kind: ManifestKind,
): Promise<{ expected: ExpectedImage; descriptor: Descriptor }> {
  const types = MEDIA_TYPES[kind];
  const content = layerContent(options.layerSeed ?? options.seed);
  const layer = await pusher.pushBlob(
    repository,
    gzipSync(content, { level: 1 }),
    types.layer,
  );
  const config = imageConfig(options, sha256Digest(content));
  const configDescriptor = await pusher.pushBlob(
    repository,
    toJsonBytes(config),
    types.config,
  );
  const body = toJsonBytes({
    schemaVersion: 2,
    mediaType: types.manifest,
    config: configDescriptor,
    layers: [layer],
  });
  const digest = await pushUnderTags(
    pusher,
    repository,
    tags,
    types.manifest,
    body,
  );
  const expected: ExpectedImage = {
    repository,
    digest,
    mediaType: types.manifest,
    tags: [...tags].sort(),
    platforms: [platformOf(config)],
    ...(config.created ? { created: config.created } : {}),
    labels: config.config.Labels,
    detailsSource: 'image-config',
  };
  return {
    expected,
    descriptor: { mediaType: types.manifest, digest, size: body.length },
  };
}

/** A Docker schema2 image (`application/vnd.docker.distribution.manifest.v2+json`). */
export async function pushDockerImage(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  options: ImageOptions,
): Promise<ExpectedImage> {
  return (await pushSingle(pusher, repository, tags, options, 'docker'))
    .expected;
}

/** An OCI image manifest (`application/vnd.oci.image.manifest.v1+json`). */
export async function pushOciImage(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  options: ImageOptions,
): Promise<ExpectedImage> {
  return (await pushSingle(pusher, repository, tags, options, 'oci')).expected;
}

/**
 * A buildkit provenance attestation: an OCI manifest holding an in-toto statement, listed in
 * the index as platform unknown/unknown with a reference to the manifest it attests.
 */
async function pushAttestation(
  pusher: RegistryPusher,
  repository: string,
  subject: Descriptor,
) {
  const statement = await pusher.pushBlob(
    repository,
    toJsonBytes({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject: [{ name: repository, digest: { sha256: subject.digest } }],
    }),
    'application/vnd.in-toto+json',
  );
  const config = await pusher.pushBlob(
    repository,
    toJsonBytes({
      architecture: 'unknown',
      os: 'unknown',
      config: {},
      rootfs: { type: 'layers', diff_ids: [] },
    }),
    MediaType.ociConfig,
  );
  const body = toJsonBytes({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config,
    layers: [
      {
        ...statement,
        annotations: {
          'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2',
        },
      },
    ],
  });
  const digest = await pushUnderTags(
    pusher,
    repository,
    [],
    MediaType.ociManifest,
    body,
  );
  return {
    mediaType: MediaType.ociManifest,
    digest,
    size: body.length,
    platform: { architecture: 'unknown', os: 'unknown' },
    annotations: {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': subject.digest,
    },
  };
}

type IndexEntry = Descriptor & {
  platform: PlatformSpec;
  annotations?: Record<string, string>;
};

const isAttestation = (entry: IndexEntry) =>
  entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';

async function pushMultiPlatform(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  platforms: PlatformSpec[],
  options: MultiPlatformOptions & { attestation?: boolean },
  kind: ManifestKind,
): Promise<ExpectedImage> {
  const entries: IndexEntry[] = [];
  const images: ExpectedImage[] = [];
  for (const spec of platforms) {
    const platform = platformOf(spec);
    const suffix = `/${platformKey(platform)}`;
    const { descriptor, expected } = await pushSingle(
      pusher,
      repository,
      [],
      {
        ...options,
        platform,
        seed: options.seed + suffix,
        layerSeed: (options.layerSeed ?? options.seed) + suffix,
      },
      kind,
    );
    entries.push({ ...descriptor, platform });
    images.push(expected);
  }
  const representative =
    images.find(
      image =>
        image.platforms[0].os === 'linux' &&
        image.platforms[0].architecture === 'amd64',
    ) ?? images[0];
  if (options.attestation) {
    for (const entry of [...entries]) {
      entries.push(await pushAttestation(pusher, repository, entry));
    }
  }
  const mediaType = MEDIA_TYPES[kind].index;
  const body = toJsonBytes({ schemaVersion: 2, mediaType, manifests: entries });
  const digest = await pushUnderTags(pusher, repository, tags, mediaType, body);
  return {
    repository,
    digest,
    mediaType,
    tags: [...tags].sort(),
    platforms: entries
      .filter(entry => !isAttestation(entry))
      .map(entry => ({ ...entry.platform, digest: entry.digest }))
      .sort(byPlatform),
    ...(representative?.created ? { created: representative.created } : {}),
    labels: representative?.labels ?? {},
    detailsSource: 'platform-image',
  };
}

/**
 * An OCI index (`application/vnd.oci.image.index.v1+json`) over one OCI manifest per platform,
 * with a buildkit attestation manifest per platform when `attestation` is set.
 */
export function pushOciIndex(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  platforms: PlatformSpec[],
  options: MultiPlatformOptions & { attestation?: boolean },
): Promise<ExpectedImage> {
  return pushMultiPlatform(pusher, repository, tags, platforms, options, 'oci');
}

/** A Docker manifest list over one Docker schema2 manifest per platform. */
export function pushDockerManifestList(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  platforms: PlatformSpec[],
  options: MultiPlatformOptions,
): Promise<ExpectedImage> {
  return pushMultiPlatform(
    pusher,
    repository,
    tags,
    platforms,
    options,
    'docker',
  );
}
