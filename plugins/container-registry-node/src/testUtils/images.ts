import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { MediaType } from '../manifests/mediaTypes';
import type { RegistryPusher } from './RegistryPusher';

export interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string;
}

/** What a test may expect the crawler to find for one pushed image, computed from the push. */
export interface ExpectedImage {
  repository: string;
  digest: string;
  mediaType: string;
  /** sorted */
  tags: string[];
  /** Single-platform: from the config, without digest. Index: each entry, with its digest. */
  platforms: Array<PlatformSpec & { digest?: string }>;
  created?: string;
  labels: Record<string, string>;
}

export interface ImageOptions {
  platform?: PlatformSpec;
  created?: string;
  labels?: Record<string, string>;
  /** Makes the image's content, and so its digest, unique. */
  seed: string;
}

const LAYER_MEDIA_TYPE = {
  docker: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  oci: 'application/vnd.oci.image.layer.v1.tar+gzip',
};

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function comparePlatforms(a: PlatformSpec, b: PlatformSpec) {
  const key = (p: PlatformSpec) =>
    `${p.os}/${p.architecture}/${p.variant ?? ''}`;
  return key(a).localeCompare(key(b));
}

/** A small, deterministic gzip "layer": registries store layers without looking inside. */
function layerBytes(seed: string): Buffer {
  return gzipSync(createHash('sha512').update(`layer:${seed}`).digest(), {
    level: 1,
  });
}

function configBytes(
  options: ImageOptions,
  platform: PlatformSpec,
  layer: Buffer,
) {
  return json({
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    ...(options.created ? { created: options.created } : {}),
    config: { Labels: options.labels ?? {}, Env: [`SEED=${options.seed}`] },
    rootfs: {
      type: 'layers',
      diff_ids: [`sha256:${createHash('sha256').update(layer).digest('hex')}`],
    },
  });
}

/** Pushes one single-platform image by digest, and under each tag. */
async function pushSingle(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  options: ImageOptions,
  kind: 'docker' | 'oci',
) {
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const layerData = layerBytes(options.seed);
  const layer = await pusher.pushBlob(
    repository,
    layerData,
    LAYER_MEDIA_TYPE[kind],
  );
  const config = await pusher.pushBlob(
    repository,
    configBytes(options, platform, layerData),
    kind === 'oci' ? MediaType.ociConfig : MediaType.dockerConfig,
  );
  const mediaType =
    kind === 'oci' ? MediaType.ociManifest : MediaType.dockerManifest;
  const body = json({ schemaVersion: 2, mediaType, config, layers: [layer] });
  let digest = '';
  for (const reference of tags.length ? tags : ['']) {
    digest = await pusher.pushManifest(
      repository,
      reference || sha256Ref(body),
      mediaType,
      body,
    );
  }
  const expected: ExpectedImage = {
    repository,
    digest,
    mediaType,
    tags: [...tags].sort(),
    platforms: [
      {
        os: platform.os,
        architecture: platform.architecture,
        ...(platform.variant ? { variant: platform.variant } : {}),
      },
    ],
    ...(options.created ? { created: options.created } : {}),
    labels: options.labels ?? {},
  };
  return { expected, size: body.length, platform };
}

function sha256Ref(body: Buffer) {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

export function pushDockerImage(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  options: ImageOptions,
) {
  return pushSingle(pusher, repository, tags, options, 'docker').then(
    r => r.expected,
  );
}

export function pushOciImage(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  options: ImageOptions,
) {
  return pushSingle(pusher, repository, tags, options, 'oci').then(
    r => r.expected,
  );
}

/** A buildkit provenance manifest: an index entry of platform unknown/unknown. */
async function pushAttestation(
  pusher: RegistryPusher,
  repository: string,
  seed: string,
  subject: string,
) {
  const statement = await pusher.pushBlob(
    repository,
    json({ _type: 'https://in-toto.io/Statement/v0.1', seed }),
    'application/vnd.in-toto+json',
  );
  const config = await pusher.pushBlob(
    repository,
    json({
      architecture: 'unknown',
      os: 'unknown',
      config: {},
      rootfs: { type: 'layers', diff_ids: [] },
    }),
    MediaType.ociConfig,
  );
  const body = json({
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
  const digest = await pusher.pushManifest(
    repository,
    sha256Ref(body),
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
      'vnd.docker.reference.digest': subject,
    },
  };
}

async function pushMultiPlatform(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  platforms: PlatformSpec[],
  options: Omit<ImageOptions, 'platform'> & { attestation?: boolean },
  kind: 'docker' | 'oci',
): Promise<ExpectedImage> {
  const children = [];
  for (const platform of platforms) {
    const child = await pushSingle(
      pusher,
      repository,
      [],
      {
        ...options,
        platform,
        seed: `${options.seed}/${platform.architecture}${
          platform.variant ?? ''
        }`,
      },
      kind,
    );
    children.push({
      mediaType: child.expected.mediaType,
      digest: child.expected.digest,
      size: child.size,
      platform,
    });
  }
  const entries: object[] = [...children];
  if (options.attestation) {
    for (const child of children)
      entries.push(
        await pushAttestation(
          pusher,
          repository,
          `${options.seed}/${child.digest}`,
          child.digest,
        ),
      );
  }
  const mediaType =
    kind === 'oci' ? MediaType.ociIndex : MediaType.dockerManifestList;
  const body = json({ schemaVersion: 2, mediaType, manifests: entries });
  let digest = '';
  for (const tag of tags)
    digest = await pusher.pushManifest(repository, tag, mediaType, body);
  return {
    repository,
    digest,
    mediaType,
    tags: [...tags].sort(),
    platforms: children
      .map(child => ({ ...child.platform, digest: child.digest }))
      .sort(comparePlatforms),
    labels: {},
  };
}

export function pushOciIndex(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  platforms: PlatformSpec[],
  options: Omit<ImageOptions, 'platform'> & { attestation?: boolean },
) {
  return pushMultiPlatform(pusher, repository, tags, platforms, options, 'oci');
}

export function pushDockerManifestList(
  pusher: RegistryPusher,
  repository: string,
  tags: string[],
  platforms: PlatformSpec[],
  options: Omit<ImageOptions, 'platform'>,
) {
  return pushMultiPlatform(
    pusher,
    repository,
    tags,
    platforms,
    options,
    'docker',
  );
}
