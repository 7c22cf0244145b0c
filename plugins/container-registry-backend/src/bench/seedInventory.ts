import { createHash } from 'node:crypto';
import type {
  ContainerImageRecord,
  ImagePlatform,
  RepositoryLinkRule,
} from '@container-inventory/plugin-container-registry-common';
import type { InventoryStore } from '../database/InventoryStore';

/** Registries of the seeded inventory and their share of its repositories, in percent. */
export const BENCH_REGISTRIES = [
  { id: 'harbor-prod', share: 50 },
  { id: 'ghcr', share: 25 },
  { id: 'ecr-eu', share: 15 },
  { id: 'hub-mirror', share: 10 },
] as const;

const LINK_RULES: RepositoryLinkRule[] = [
  'annotation',
  'source',
  'config',
  'manual',
];
const DAY_MS = 86_400_000;
/** A fixed "now", so every run seeds the same inventory. */
const SEED_EPOCH = Date.parse('2026-11-01T00:00:00Z');

/** Deterministic pseudo-random numbers (mulberry32), one stream per repository. */
function randomStream(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeededRepository {
  registry: string;
  repository: string;
  images: ContainerImageRecord[];
  link?: { component: string; owner: string; rule: RepositoryLinkRule };
}

function registryOf(index: number): string {
  let slot = index % 100;
  for (const registry of BENCH_REGISTRIES) {
    if (slot < registry.share) return registry.id;
    slot -= registry.share;
  }
  return BENCH_REGISTRIES[0].id;
}

function platformsOf(random: () => number): ImagePlatform[] {
  const roll = random();
  if (roll < 0.7) return [{ os: 'linux', architecture: 'amd64' }];
  if (roll < 0.9) {
    return [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ];
  }
  if (roll < 0.95) return [{ os: 'linux', architecture: 'arm64' }];
  return [{ os: 'windows', architecture: 'amd64' }];
}

/**
 * One repository of the seeded inventory: its images, newest last, with the spread of dates,
 * tags, platforms and labels a real registry shows, and (for most) a link to a Component.
 */
export function seededRepository(
  index: number,
  imagesPerRepository: number,
): SeededRepository {
  const random = randomStream(index + 1);
  const registry = registryOf(index);
  const team = `team-${index % 60}`;
  const repository = `${team}/service-${index}`;
  const firstDay = SEED_EPOCH - Math.floor(random() * 700) * DAY_MS;
  const images: ContainerImageRecord[] = [];
  for (let n = 0; n < imagesPerRepository; n++) {
    const platforms = platformsOf(random);
    const date = new Date(firstDay + n * DAY_MS * (1 + random() * 3));
    const dateRoll = random();
    const tags = [`1.${n}.${Math.floor(random() * 5)}`];
    if (random() < 0.3) tags.push(`sha-${index.toString(16)}${n}`);
    if (n === imagesPerRepository - 1) tags.push('latest');
    const hasSource = random() < 0.5;
    images.push({
      registry,
      host: `${registry}.example.com`,
      repository,
      digest: `sha256:${createHash('sha256')
        .update(`${registry}/${repository}/${n}`)
        .digest('hex')}`,
      mediaType:
        platforms.length > 1
          ? 'application/vnd.oci.image.index.v1+json'
          : 'application/vnd.oci.image.manifest.v1+json',
      tags,
      platforms,
      labels: hasSource
        ? {
            'org.opencontainers.image.source': `https://git.example.com/${repository}`,
            'org.opencontainers.image.revision': `${index}${n}`,
          }
        : {},
      // Most images carry a build date; some only a push date, a few neither.
      ...(dateRoll < 0.9 ? { created: date.toISOString() } : {}),
      ...(dateRoll > 0.5 && dateRoll < 0.97
        ? { pushed: new Date(date.getTime() + 3_600_000).toISOString() }
        : {}),
      ...(dateRoll < 0.9 ? { detailsSource: 'image-config' as const } : {}),
    });
  }
  const linked = index % 10 < 6;
  return {
    registry,
    repository,
    images,
    ...(linked
      ? {
          link: {
            component: `component:default/svc-${index % 1500}`,
            owner: `group:default/${team}`,
            rule: LINK_RULES[index % LINK_RULES.length],
          },
        }
      : {}),
  };
}

/**
 * Writes the inventory the way a crawl does: one run per registry, `saveRepository` per
 * repository, then links. `parallel` repositories are saved at once (1 on SQLite).
 */
export async function seedInventory(
  store: InventoryStore,
  options: {
    repositories: number;
    imagesPerRepository: number;
    parallel: number;
    onProgress?: (saved: number) => void;
  },
): Promise<void> {
  const runs = new Map<string, number>();
  for (const { id } of BENCH_REGISTRIES) runs.set(id, await store.startRun(id));
  let next = 0;
  let saved = 0;
  const worker = async () => {
    while (next < options.repositories) {
      const seeded = seededRepository(next++, options.imagesPerRepository);
      await store.saveRepository(seeded.registry, runs.get(seeded.registry)!, {
        repository: seeded.repository,
        images: seeded.images,
        complete: true,
        unreadTags: [],
        errors: [],
      });
      if (seeded.link) {
        await store.linkRepository(
          seeded.registry,
          seeded.repository,
          seeded.link,
        );
      }
      if (++saved % 500 === 0) options.onProgress?.(saved);
    }
  };
  await Promise.all(Array.from({ length: options.parallel }, worker));
  for (const [registry, runId] of runs) {
    await store.finishRun(
      runId,
      {
        outcome: 'succeeded',
        repositories: options.repositories,
        tags: 0,
        images: 0,
        errors: 0,
      },
      {},
    );
    await store.setStatus(registry, { status: 'connected' });
  }
}
