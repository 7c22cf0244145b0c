import { mockServices } from '@backstage/backend-test-utils';
import type { ContainerImageRecord } from '@container-inventory/plugin-container-registry-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { InventoryStore, SweepOptions } from './InventoryStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const digest = (n: number) =>
  `sha256:${n.toString(16).padStart(12, '0')}${'e'.repeat(52)}`;
const host = () => 'registry.test';

function image(
  repository: string,
  n: number,
  extra: Partial<ContainerImageRecord> = {},
): ContainerImageRecord {
  return {
    registry: 'one',
    host: 'registry.test',
    repository,
    digest: digest(n),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    tags: [`v${n}`],
    platforms: [{ os: 'linux', architecture: 'amd64' }],
    labels: {},
    ...extra,
  };
}

const result = (
  repository: string,
  images: ContainerImageRecord[],
  complete = true,
) => ({
  repository,
  images,
  complete,
  unreadTags: [],
  errors: [],
});

function sweepOptions(
  runId: number,
  overrides: Partial<SweepOptions> = {},
): SweepOptions {
  return {
    runId,
    completeRepositories: new Set(),
    seenRepositories: new Set(),
    listingComplete: true,
    clean: true,
    maxRemovalShare: 0.2,
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'InventoryStore on %p',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      return InventoryStore.create(mockServices.database({ knex }));
    }

    it('feeds new images once and an unchanged recrawl not at all', async () => {
      const store = await createStore();
      const images = [image('a', 1), image('a', 2), image('b', 3)];
      const run1 = await store.startRun('one');
      expect(
        await store.saveRepository(
          'one',
          run1,
          result('a', images.slice(0, 2)),
        ),
      ).toBe(2);
      expect(
        await store.saveRepository('one', run1, result('b', images.slice(2))),
      ).toBe(1);
      const first = await store.changes(0, 100, host);
      expect(first.changes.map(c => c.image?.digest)).toEqual(
        images.map(i => i.digest),
      );
      expect(first.changes.map(c => c.seq)).toEqual([1, 2, 3]);

      const run2 = await store.startRun('one');
      expect(
        await store.saveRepository(
          'one',
          run2,
          result('a', images.slice(0, 2)),
        ),
      ).toBe(0);
      expect(
        await store.saveRepository('one', run2, result('b', images.slice(2))),
      ).toBe(0);
      expect((await store.changes(first.cursor, 100, host)).changes).toEqual(
        [],
      );
    });

    it('marks the newest dated image latest, older ones outdated, undated pending', async () => {
      const store = await createStore();
      const run = await store.startRun('one');
      await store.saveRepository(
        'one',
        run,
        result('a', [
          image('a', 1, { created: '2026-01-01T00:00:00Z' }),
          image('a', 2, { created: '2026-06-01T00:00:00Z' }),
          image('a', 3),
        ]),
      );
      const { changes } = await store.changes(0, 100, host);
      expect(
        Object.fromEntries(
          changes.map(c => [c.image!.digest, c.image!.lifecycle]),
        ),
      ).toEqual({
        [digest(1)]: 'outdated',
        [digest(2)]: 'latest',
        [digest(3)]: 'pending',
      });
    });

    it('moves a retagged image to the end of the feed', async () => {
      const store = await createStore();
      const run = await store.startRun('one');
      await store.saveRepository(
        'one',
        run,
        result('a', [image('a', 1), image('a', 2)]),
      );
      const { cursor } = await store.changes(0, 100, host);
      await store.saveRepository(
        'one',
        run,
        result('a', [image('a', 1, { tags: ['v1', 'stable'] }), image('a', 2)]),
      );
      const { changes } = await store.changes(cursor, 100, host);
      expect(changes.map(c => c.image?.tags)).toEqual([['v1', 'stable']]);
      expect(await store.tagDigests('one', 'a')).toEqual(
        new Map([
          ['v1', digest(1)],
          ['stable', digest(1)],
          ['v2', digest(2)],
        ]),
      );
    });

    it('removes images gone from completely crawled repositories only', async () => {
      const store = await createStore();
      const run1 = await store.startRun('one');
      await store.saveRepository(
        'one',
        run1,
        result('a', [image('a', 1), image('a', 2)]),
      );
      await store.saveRepository(
        'one',
        run1,
        result('b', [image('b', 3), image('b', 4)]),
      );
      const { cursor } = await store.changes(0, 100, host);

      const run2 = await store.startRun('one');
      await store.saveRepository('one', run2, result('a', [image('a', 1)]));
      await store.saveRepository(
        'one',
        run2,
        result('b', [image('b', 3)], false),
      );
      const sweep = await store.sweep(
        'one',
        sweepOptions(run2, {
          completeRepositories: new Set(['a']),
          seenRepositories: new Set(['a', 'b']),
          clean: false,
          maxRemovalShare: 0.5,
        }),
      );
      expect(sweep).toEqual({ removed: 1 });
      const { changes } = await store.changes(cursor, 100, host);
      expect(changes.filter(c => !c.image).map(c => c.entityName)).toEqual([
        'a-000000000002',
      ]);
      expect((await store.imageCounts()).get('one')).toBe(3);
    });

    it('keeps everything when the registry lists no repositories', async () => {
      const store = await createStore();
      const run1 = await store.startRun('one');
      await store.saveRepository('one', run1, result('a', [image('a', 1)]));
      const run2 = await store.startRun('one');
      const sweep = await store.sweep('one', sweepOptions(run2));
      expect(sweep.removed).toBe(0);
      expect(sweep.refused).toMatch(/listed no repositories/);
      expect((await store.imageCounts()).get('one')).toBe(1);
    });

    it('holds back a large removal after a crawl with errors, but not after a clean one', async () => {
      const store = await createStore();
      const run1 = await store.startRun('one');
      await store.saveRepository(
        'one',
        run1,
        result('a', [image('a', 1), image('a', 2), image('a', 3)]),
      );
      const run2 = await store.startRun('one');
      await store.saveRepository('one', run2, result('a', [image('a', 1)]));
      const seen = {
        completeRepositories: new Set(['a']),
        seenRepositories: new Set(['a']),
      };

      const unclean = await store.sweep(
        'one',
        sweepOptions(run2, { ...seen, clean: false }),
      );
      expect(unclean.removed).toBe(0);
      expect(unclean.refused).toMatch(/would have removed 2 of 3/);

      expect(
        await store.sweep('one', sweepOptions(run2, { ...seen, clean: true })),
      ).toEqual({ removed: 2 });
      expect((await store.imageCounts()).get('one')).toBe(1);
    });

    it('gives the same image in two registries distinct entity names', async () => {
      const store = await createStore();
      const run = await store.startRun('one');
      await store.saveRepository('one', run, result('app', [image('app', 7)]));
      await store.saveRepository(
        'two',
        run,
        result('app', [image('app', 7, { registry: 'two' })]),
      );
      const names = (await store.changes(0, 100, host)).changes.map(
        c => c.entityName,
      );
      expect(new Set(names).size).toBe(2);
      expect(names[0]).toBe('app-000000000007');
    });

    it('pages the feed with a cursor', async () => {
      const store = await createStore();
      const run = await store.startRun('one');
      await store.saveRepository(
        'one',
        run,
        result(
          'a',
          [1, 2, 3, 4, 5].map(n => image('a', n)),
        ),
      );
      const page1 = await store.changes(0, 2, host);
      const page2 = await store.changes(page1.cursor, 2, host);
      const page3 = await store.changes(page2.cursor, 2, host);
      expect([page1.hasMore, page2.hasMore, page3.hasMore]).toEqual([
        true,
        true,
        false,
      ]);
      expect(
        [...page1.changes, ...page2.changes, ...page3.changes].map(c => c.seq),
      ).toEqual([1, 2, 3, 4, 5]);
    });

    it('keeps crawl history and status', async () => {
      const store = await createStore();
      const run = await store.startRun('one');
      await store.finishRun(
        run,
        {
          outcome: 'partial',
          repositories: 2,
          tags: 5,
          images: 4,
          errors: 1,
          message: 'x',
        },
        {},
      );
      await store.setStatus('one', { status: 'connected', message: 'x' });
      expect(await store.runs('one', 5)).toEqual([
        expect.objectContaining({
          outcome: 'partial',
          repositories: 2,
          tags: 5,
          images: 4,
          errors: 1,
          message: 'x',
        }),
      ]);
      expect((await store.statuses()).get('one')).toEqual({
        status: 'connected',
        message: 'x',
      });
    });
  },
);
