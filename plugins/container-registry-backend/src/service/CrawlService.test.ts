import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  builtInAdapterFactories,
  readRegistryConnection,
} from '@container-inventory/plugin-container-registry-node';
import {
  pushOciImage,
  RegistryPusher,
  startTestRegistry,
  TestRegistry,
} from '@container-inventory/plugin-container-registry-node/testUtils';
import { createTestDatabases } from '../__testUtils__/databases';
import type { ConfiguredRegistry } from '../config/readRegistryConfigs';
import { InventoryStore } from '../database/InventoryStore';
import { CrawlService } from './CrawlService';
import { DEFAULT_REMOVAL_LIMITS } from './removalPolicy';

jest.setTimeout(120_000);

const databases = createTestDatabases();

function configured(
  url: string,
  type = 'generic',
  transport: Record<string, number> = {},
): ConfiguredRegistry {
  return {
    connection: readRegistryConnection(
      new ConfigReader({
        id: 'local',
        type,
        url,
        auth: { type: 'none' },
        transport,
      }),
    ),
    active: true,
    schedule: { frequency: { days: 1 }, timeout: { minutes: 5 } },
    source: 'config',
    filters: {},
    view: {} as ConfiguredRegistry['view'],
  };
}

describe.each(databases.eachSupportedId())('CrawlService on %p', databaseId => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startTestRegistry({ auth: 'none' });
    const pusher = new RegistryPusher(registry);
    for (const repository of ['acme/a', 'acme/b', 'acme/c']) {
      await pushOciImage(pusher, repository, ['1.0'], {
        seed: repository,
        created: '2026-01-01T00:00:00Z',
      });
    }
  });

  afterAll(async () => {
    await registry?.stop();
  });

  async function setUp() {
    const knex = await databases.init(databaseId);
    const store = await InventoryStore.create(mockServices.database({ knex }));
    const service = new CrawlService({
      store,
      logger: mockServices.logger.mock(),
      adapterFactories: () => builtInAdapterFactories,
      removalLimits: DEFAULT_REMOVAL_LIMITS,
    });
    return { store, service };
  }

  it('crawls every repository into the inventory and ends the run', async () => {
    const { store, service } = await setUp();
    const summary = await service.crawl(configured(registry.url));
    expect(summary).toMatchObject({
      outcome: 'succeeded',
      repositories: 3,
      images: 3,
      errors: 0,
    });
    expect((await store.imageCounts()).get('local')).toBe(3);
    expect((await store.statuses()).get('local')).toEqual({
      status: 'connected',
    });
  });

  it('keeps crawling when one repository cannot be saved, and never shows what the database said', async () => {
    const { store, service } = await setUp();
    const save = store.saveRepository.bind(store);
    jest
      .spyOn(store, 'saveRepository')
      .mockImplementation(async (registryId, runId, result) => {
        if (result.repository === 'acme/b') {
          throw Object.assign(
            new Error(
              'insert into "images" … value too long: "token=hunter2-secret"',
            ),
            { code: '22001' },
          );
        }
        return save(registryId, runId, result);
      });

    const summary = await service.crawl(configured(registry.url));
    expect(summary.outcome).toBe('partial');
    expect(summary.errors).toBe(1);
    expect(summary.message).toMatch(
      /acme\/b could not be saved in the inventory \(database error 22001\)/,
    );
    expect(JSON.stringify(await store.runs('local', 1))).not.toMatch(/hunter2/);
    const repositories = (await store.changes(0, 100, () => 'h')).changes.map(
      c => c.image?.repository,
    );
    expect(repositories.sort()).toEqual(['acme/a', 'acme/c']);
  });

  it('ends the run and sets the status when the crawl cannot even start', async () => {
    const { store, service } = await setUp();
    // A type whose adapter is gone (a module removed since the registry was saved).
    const orphan = configured(registry.url);
    orphan.connection = { ...orphan.connection, type: 'removed-product' };
    const summary = await service.crawl(orphan);
    expect(summary.outcome).toBe('failed');
    const [run] = await store.runs('local', 1);
    expect(run.outcome).toBe('failed');
    expect(run.finishedAt).toBeDefined();
    expect((await store.statuses()).get('local')?.status).toBe('error');
  });

  it('records a cancelled crawl as cancelled and removes nothing', async () => {
    const { store, service } = await setUp();
    await service.crawl(configured(registry.url));
    const controller = new AbortController();
    controller.abort();
    const summary = await service.crawl(
      configured(registry.url),
      controller.signal,
    );
    expect(summary.outcome).toBe('cancelled');
    expect(summary.message).toMatch(/cancelled/);
    expect((await store.imageCounts()).get('local')).toBe(3);
    expect((await store.statuses()).get('local')?.status).toBe('connected');
  });

  it('stops a crawl mid-way when its schedule times out, and removes nothing it did not reach', async () => {
    const { store, service } = await setUp();
    await service.crawl(configured(registry.url));
    // Two requests a second: the crawl needs several seconds, and its timeout comes first.
    const slow = configured(registry.url, 'generic', {
      maxRequestsPerSecond: 2,
    });
    const summary = await service.crawl(slow, AbortSignal.timeout(1500));
    expect(summary.outcome).toBe('cancelled');
    expect(summary.repositories).toBeLessThan(3);
    expect((await store.imageCounts()).get('local')).toBe(3);
    const [run] = await store.runs('local', 1);
    expect(run.outcome).toBe('cancelled');
  });
});
