import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { InventoryStore } from '../database/InventoryStore';
import { StoreCrawlMemory } from './StoreCrawlMemory';

const databases = createTestDatabases();
const digest = (n: number) =>
  `sha256:${String(n).padStart(12, '0')}${'d'.repeat(52)}`;

describe.each(databases.eachSupportedId())(
  'StoreCrawlMemory on %p',
  databaseId => {
    it("answers a repository's tags and digests from one query per repository", async () => {
      const knex = await databases.init(databaseId);
      const store = await InventoryStore.create(
        mockServices.database({ knex }),
      );
      const run = await store.startRun('r');
      await store.saveRepository('r', run, {
        repository: 'app',
        complete: true,
        unreadTags: [],
        errors: [],
        images: [1, 2].map(n => ({
          registry: 'r',
          host: 'h',
          repository: 'app',
          digest: digest(n),
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          tags: [`v${n}`],
          platforms: [{ os: 'linux', architecture: 'amd64' }],
          labels: { n: String(n) },
          created: `2026-0${n}-01T00:00:00Z`,
        })),
      });
      const queries: string[] = [];
      knex.on('query', q => queries.push(q.sql));
      const memory = new StoreCrawlMemory(store, 'r');

      expect(await memory.tagDigests('app')).toEqual(
        new Map([
          ['v1', digest(1)],
          ['v2', digest(2)],
        ]),
      );
      expect(await memory.imageDetails(digest(2))).toEqual({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        platforms: [{ os: 'linux', architecture: 'amd64' }],
        labels: { n: '2' },
        created: '2026-02-01T00:00:00Z',
      });
      expect(queries).toHaveLength(1);

      // What a repository's snapshot told stays at hand after it is done, however it ended;
      // a digest from elsewhere is looked up in the inventory.
      await memory.remember('app', []);
      expect(await memory.imageDetails(digest(1))).toMatchObject({
        labels: { n: '1' },
      });
      expect(queries).toHaveLength(1);
      expect(await memory.imageDetails(digest(3))).toBeUndefined();
      expect(queries).toHaveLength(2);
    });
  },
);
