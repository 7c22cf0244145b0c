import pLimit from 'p-limit';
import {
  ExpectedImage,
  pushDockerImage,
  pushDockerManifestList,
  pushOciImage,
  pushOciIndex,
} from './images';
import { RegistryAddress, RegistryPusher } from './RegistryPusher';

const oci = (name: string, revision: string, created: string) => ({
  'org.opencontainers.image.source': `https://github.com/acme/${name}`,
  'org.opencontainers.image.title': name,
  'org.opencontainers.image.revision': revision,
  'org.opencontainers.image.created': created,
});

/**
 * A small demo set with one of each kind: Docker schema2, OCI manifest, OCI index with a
 * buildkit attestation, Docker manifest list, one digest under two tags, and an older and a
 * newer image in one repository. Returns what the crawler should find.
 */
export async function seedDemoImages(
  registry: RegistryAddress,
): Promise<ExpectedImage[]> {
  const pusher = new RegistryPusher(registry);
  const amd64 = { os: 'linux', architecture: 'amd64' };
  return [
    await pushDockerImage(pusher, 'acme/payments-api', ['1.3.0'], {
      seed: 'payments-1.3.0',
      created: '2026-09-01T08:00:00Z',
      labels: oci('payments-api', '5f1c2e7', '2026-09-01T08:00:00Z'),
      platform: amd64,
    }),
    await pushDockerImage(pusher, 'acme/payments-api', ['1.4.0', 'latest'], {
      seed: 'payments-1.4.0',
      created: '2026-11-02T08:00:00Z',
      labels: oci('payments-api', '9a0b4d1', '2026-11-02T08:00:00Z'),
      platform: amd64,
    }),
    await pushOciImage(pusher, 'acme/web-frontend', ['2.0.1'], {
      seed: 'web-2.0.1',
      created: '2026-10-15T12:30:00Z',
      labels: oci('web-frontend', 'c3d9e10', '2026-10-15T12:30:00Z'),
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    }),
    await pushOciIndex(
      pusher,
      'platform/nginx-proxy',
      ['1.27', 'stable'],
      [amd64, { os: 'linux', architecture: 'arm64', variant: 'v8' }],
      {
        seed: 'nginx-1.27',
        created: '2026-10-20T00:00:00Z',
        labels: oci('nginx-proxy', '77aa310', '2026-10-20T00:00:00Z'),
        attestation: true,
      },
    ),
    await pushDockerManifestList(
      pusher,
      'tools/ci-runner',
      ['3.2'],
      [amd64, { os: 'linux', architecture: 'arm', variant: 'v7' }],
      {
        seed: 'ci-runner-3.2',
        created: '2026-08-11T00:00:00Z',
        labels: { maintainer: 'ci@acme.example' },
      },
    ),
  ];
}

const BENCH_PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64', variant: 'v8' },
];

/** Pushes one image of the kind that repository number `index` holds. */
function pushBenchImage(
  pusher: RegistryPusher,
  index: number,
  repository: string,
  tag: string,
  options: { seed: string; layerSeed: string; created: string },
) {
  switch (index % 4) {
    case 0:
      return pushDockerImage(pusher, repository, [tag], options);
    case 1:
      return pushOciImage(pusher, repository, [tag], options);
    case 2:
      return pushOciIndex(pusher, repository, [tag], BENCH_PLATFORMS, options);
    default:
      return pushDockerManifestList(
        pusher,
        repository,
        [tag],
        BENCH_PLATFORMS,
        options,
      );
  }
}

/**
 * Many repositories for benchmarks: the four manifest kinds in turn across repositories, each
 * tag its own image. Every image shares one layer per platform, so after the first push of a
 * layer the registry only mounts or finds it, and seeding stays quick.
 */
export async function seedRepositories(
  registry: RegistryAddress,
  options: {
    repositories: number;
    tagsPerRepository: number;
    /** Images pushed at once; default 8. */
    concurrency?: number;
    /** Namespace of the repositories; default `bench`. */
    prefix?: string;
  },
): Promise<{ repositories: number; tags: number; images: number }> {
  const pusher = new RegistryPusher(registry);
  const limit = pLimit(options.concurrency ?? 8);
  const prefix = options.prefix ?? 'bench';
  const jobs = [];
  for (let r = 0; r < options.repositories; r++) {
    const repository = `${prefix}/repo-${String(r).padStart(5, '0')}`;
    for (let t = 0; t < options.tagsPerRepository; t++) {
      const tag = `v${t}`;
      const image = {
        seed: `${repository}:${tag}`,
        layerSeed: `${prefix}-base-layer`,
        created: new Date(Date.UTC(2026, 0, 1 + t)).toISOString(),
      };
      jobs.push(limit(() => pushBenchImage(pusher, r, repository, tag, image)));
    }
  }
  const images = await Promise.all(jobs);
  return {
    repositories: new Set(images.map(image => image.repository)).size,
    tags: images.reduce((sum, image) => sum + image.tags.length, 0),
    images: new Set(images.map(image => `${image.repository}@${image.digest}`))
      .size,
  };
}
