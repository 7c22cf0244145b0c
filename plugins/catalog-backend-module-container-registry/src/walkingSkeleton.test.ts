import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  ExpectedImage,
  seedDemoImages,
  startTestRegistry,
  TestRegistry,
} from '@container-inventory/plugin-container-registry-node/testUtils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogBackend from '@backstage/plugin-catalog-backend';
import containerRegistryBackend from '@container-inventory/plugin-container-registry-backend';
import { catalogModuleContainerRegistry } from './module';

jest.setTimeout(120_000);

const userAuth = { authorization: mockCredentials.user.header() };

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 60_000,
) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}

/** What the catalog should hold for one pushed image. */
function expectedSpec(image: ExpectedImage, host: string) {
  return {
    registry: 'local',
    host,
    repository: image.repository,
    digest: image.digest,
    mediaType: image.mediaType,
    tags: image.tags,
    platforms: image.platforms,
  };
}

describe('a real registry crawled into the catalog', () => {
  let registry: TestRegistry;
  let expected: ExpectedImage[];

  beforeAll(async () => {
    registry = await startTestRegistry({ auth: 'basic' });
    expected = await seedDemoImages(registry);
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('emits exactly one ContainerImage per pushed digest, with tags and platforms', async () => {
    const backend = await startTestBackend({
      features: [
        catalogBackend,
        containerRegistryBackend,
        catalogModuleContainerRegistry,
        // The real scheduler: tasks run on their schedules, as in a deployed backend.
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['ContainerImage'] }],
              providers: {
                containerRegistry: {
                  schedule: {
                    frequency: { seconds: 1 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
            containerRegistry: {
              registries: {
                local: {
                  name: 'Local test registry',
                  url: registry.url,
                  auth: { type: 'basic', ...registry.credentials },
                  schedule: {
                    frequency: { minutes: 30 },
                    timeout: { minutes: 2 },
                    initialDelay: { seconds: 0 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    const base = `http://localhost:${backend.server.port()}/api`;

    const registries = await eventually(
      async () =>
        (
          await (
            await fetch(`${base}/container-registry/registries`, {
              headers: userAuth,
            })
          ).json()
        ).items,
      (items: any[]) => items[0]?.lastCrawl?.outcome === 'succeeded',
    );
    expect(registries).toEqual([
      expect.objectContaining({
        id: 'local',
        status: 'connected',
        imageCount: expected.length,
        lastCrawl: expect.objectContaining({ outcome: 'succeeded', errors: 0 }),
      }),
    ]);

    const entities: Entity[] = await eventually(
      async () =>
        (
          await (
            await fetch(
              `${base}/catalog/entities/by-query?filter=kind=containerimage&limit=100`,
              { headers: userAuth },
            )
          ).json()
        ).items,
      (items: Entity[]) => items.length >= expected.length,
    );
    const byDigest = (a: { digest: string }, b: { digest: string }) =>
      a.digest.localeCompare(b.digest);
    expect(entities.map(e => e.spec as any).sort(byDigest)).toEqual(
      [...expected]
        .sort(byDigest)
        .map(image =>
          expect.objectContaining(expectedSpec(image, registry.host)),
        ),
    );
    // No attestation manifest is ever a platform.
    for (const entity of entities) {
      expect((entity.spec as any).platforms).not.toContainEqual(
        expect.objectContaining({ os: 'unknown' }),
      );
    }
  });
});
