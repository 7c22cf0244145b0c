import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { TestDatabases } from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import containerRegistryBackend from '@container-inventory/plugin-container-registry-backend';
import {
  seedDemoImages,
  startTestRegistry,
  TestRegistry,
} from '@container-inventory/plugin-container-registry-node/testUtils';

jest.setTimeout(180_000);

const POSTGRES_ID = Object.keys(process.env)
  .map(
    name =>
      /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/.exec(
        name,
      )?.[1],
  )
  .find(Boolean);

const headers = {
  authorization: mockCredentials.user.header(),
  'content-type': 'application/json',
};

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 500));
    value = await read();
  }
  return value;
}

/** Several backends share one PostgreSQL, as replicas of one deployment do. */
const describeWithPostgres =
  POSTGRES_ID || process.env.CI ? describe : describe.skip;

describeWithPostgres('two backend replicas on one PostgreSQL', () => {
  let registry: TestRegistry;
  /** A fresh database, dropped after the tests; both replicas keep their plugins' schemas in it. */
  let connection: object;
  const databases = TestDatabases.create({
    ids: POSTGRES_ID ? [`POSTGRES_${POSTGRES_ID}` as 'POSTGRES_15'] : [],
  });

  beforeAll(async () => {
    if (!POSTGRES_ID) {
      throw new Error(
        'No BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING: run the tests through ./run test, which starts PostgreSQL',
      );
    }
    const knex = await databases.init(
      `POSTGRES_${POSTGRES_ID}` as 'POSTGRES_15',
    );
    connection = knex.client.config.connection;
    registry = await startTestRegistry({ auth: 'none' });
    await seedDemoImages(registry);
  });

  afterAll(async () => {
    await registry?.stop();
  });

  function startReplica() {
    return startTestBackend({
      features: [
        containerRegistryBackend,
        databaseServiceFactory,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: {
                client: 'pg',
                connection,
                pluginDivisionMode: 'schema',
              },
            },
            containerRegistry: {
              encryption: {
                keys: [
                  { id: 'k', secret: Buffer.alloc(32, 9).toString('base64') },
                ],
              },
            },
          },
        }),
      ],
    });
  }

  it('crawls a registry created through one replica once, and the other replica follows it', async () => {
    const [one, two] = [await startReplica(), await startReplica()];
    const api = (backend: typeof one, path: string, init: RequestInit = {}) =>
      fetch(
        `http://localhost:${backend.server.port()}/api/container-registry${path}`,
        { headers, ...init },
      );

    const created = await api(one, '/registries', {
      method: 'POST',
      body: JSON.stringify({
        id: 'shared',
        name: 'Shared registry',
        type: 'generic',
        url: registry.url,
        auth: { type: 'none' },
        schedule: { type: 'interval', minutes: 60 },
      }),
    });
    expect(created.status).toBe(201);

    // The other replica reads the page's registries from the database within one sync.
    const seenByTwo = await eventually(
      async () => (await api(two, '/registries/shared')).status,
      status => status === 200,
    );
    expect(seenByTwo).toBe(200);

    const runs = await eventually(
      async () =>
        (
          await (await api(two, '/registries/shared/runs')).json()
        ).items,
      (items: Array<{ outcome: string }>) =>
        items.some(run => run.outcome === 'succeeded'),
    );
    // Both replicas registered the crawl task; the scheduler ran it once.
    await new Promise(resolve => setTimeout(resolve, 3000));
    const allRuns = (await (await api(one, '/registries/shared/runs')).json())
      .items;
    expect(runs[0].outcome).toBe('succeeded');
    expect(allRuns).toHaveLength(1);

    // Deleted through the second replica: the first one lets it go too.
    expect(
      (await api(two, '/registries/shared', { method: 'DELETE' })).status,
    ).toBe(204);
    const goneFromOne = await eventually(
      async () => (await api(one, '/registries/shared')).status,
      status => status === 404,
    );
    expect(goneFromOne).toBe(404);
    await one.stop();
    await two.stop();
  });
});
