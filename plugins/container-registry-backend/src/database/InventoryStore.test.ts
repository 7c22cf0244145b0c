import { mockServices } from '@backstage/backend-test-utils';
import type { ContainerImageRecord } from '@container-inventory/plugin-container-registry-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { InventoryStore } from './InventoryStore';
import { UnstorableImageError } from './storableImage';

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

const scope = (complete: string[], seen: string[], listingComplete = true) => ({
  completeRepositories: new Set(complete),
  seenRepositories: new Set(seen),
  listingComplete,
});

const candidateIds = (candidates: { byRepository: Map<string, number[]> }) =>
  [...candidates.byRepository.values()].flat();

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
      expect((await store.repositorySnapshot('one', 'a')).tagDigests).toEqual(
        new Map([
          ['v1', digest(1)],
          ['stable', digest(1)],
          ['v2', digest(2)],
        ]),
      );
    });

    it('offers for removal only images gone from completely crawled repositories', async () => {
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
      await store.saveRepository('one', run1, result('c', [image('c', 5)]));
      const { cursor } = await store.changes(0, 100, host);

      const run2 = await store.startRun('one');
      await store.saveRepository('one', run2, result('a', [image('a', 1)]));
      await store.saveRepository(
        'one',
        run2,
        result('b', [image('b', 3)], false),
      );
      // a: read completely, so 2 is gone; b: partly read, so 4 may exist; c: not listed.
      const partialListing = await store.removalCandidates(
        'one',
        run2,
        scope(['a'], ['a', 'b'], false),
      );
      expect([...partialListing.byRepository.keys()]).toEqual(['a']);
      expect(partialListing.liveByRepository.get('a')).toBe(2);
      expect(partialListing.total).toBe(5);
      const fullListing = await store.removalCandidates(
        'one',
        run2,
        scope(['a'], ['a', 'b']),
      );
      expect([...fullListing.byRepository.keys()].sort()).toEqual(['a', 'c']);

      expect(
        await store.removeImages('one', candidateIds(fullListing), run2),
      ).toBe(2);
      const { changes } = await store.changes(cursor, 100, host);
      expect(
        changes
          .filter(c => !c.image)
          .map(c => c.entityName)
          .sort(),
      ).toEqual(['a-000000000002', 'c-000000000005']);
      expect((await store.imageCounts()).get('one')).toBe(3);
    });

    it('never lets an older, overlapping run remove what a newer one saw', async () => {
      const store = await createStore();
      const run0 = await store.startRun('one');
      await store.saveRepository('one', run0, result('a', [image('a', 1)]));
      // Two crawls overlap: the newer one sees image 2 and finishes first...
      const older = await store.startRun('one');
      const newer = await store.startRun('one');
      await store.saveRepository(
        'one',
        newer,
        result('a', [image('a', 1), image('a', 2)]),
      );
      // ...then the older one writes late, having seen only image 1.
      await store.saveRepository('one', older, result('a', [image('a', 1)]));
      const ofOlder = await store.removalCandidates(
        'one',
        older,
        scope(['a'], ['a']),
      );
      expect(candidateIds(ofOlder)).toEqual([]);
      // The late write did not move image 1's mark back: the newer run still counts it seen.
      const ofNewer = await store.removalCandidates(
        'one',
        newer,
        scope(['a'], ['a']),
      );
      expect(candidateIds(ofNewer)).toEqual([]);
      // Removal re-checks: an image a newer run saw after it was chosen stays.
      const run3 = await store.startRun('one');
      const chosen = candidateIds(
        await store.removalCandidates('one', run3, scope(['a'], ['a'])),
      );
      expect(chosen).toHaveLength(2);
      const run4 = await store.startRun('one');
      await store.saveRepository('one', run4, result('a', [image('a', 1)]));
      expect(await store.removeImages('one', chosen, run3)).toBe(1);
      expect((await store.imageCounts()).get('one')).toBe(1);
    });

    it('keeps the tags it could not read on a partly read repository', async () => {
      const store = await createStore();
      const run1 = await store.startRun('one');
      await store.saveRepository(
        'one',
        run1,
        result('a', [
          image('a', 1, { tags: ['1.0', 'stable', 'latest'] }),
          image('a', 2, { tags: ['0.9', 'old'] }),
        ]),
      );
      const run2 = await store.startRun('one');
      // "stable" timed out; "latest" moved to a new image; image 2 was not reached at all.
      await store.saveRepository('one', run2, {
        repository: 'a',
        images: [
          image('a', 1, { tags: ['1.0'] }),
          image('a', 3, { tags: ['latest'] }),
        ],
        complete: false,
        errors: [],
        unreadTags: ['stable', '0.9', 'old'],
      });
      expect((await store.repositorySnapshot('one', 'a')).tagDigests).toEqual(
        new Map([
          ['1.0', digest(1)],
          ['stable', digest(1)],
          ['latest', digest(3)],
          ['0.9', digest(2)],
          ['old', digest(2)],
        ]),
      );
    });

    it('stores what any database can hold: bad dates dropped, NUL bytes removed, overlong names refused', async () => {
      const store = await createStore();
      const run = await store.startRun('one');
      await store.saveRepository(
        'one',
        run,
        result('a', [
          image('a', 1, {
            created: `2026-01-01T00:00:00Z${'9'.repeat(40)}`,
            pushed: '2026-01-01T00:00:00Z\u0000',
            labels: { 'org.example\u0000': 'a\u0000b' },
            tags: ['v1', 'x\u0000'],
          }),
        ]),
      );
      const [change] = (await store.changes(0, 10, host)).changes;
      expect(change.image).toMatchObject({ labels: { 'org.example': 'ab' } });
      expect(change.image!.tags).toEqual(['v1', 'x']);
      expect(change.image!.created).toBeUndefined();
      expect(change.image!.pushed).toBeUndefined();

      const long = 'x'.repeat(300);
      await expect(
        store.saveRepository('one', run, result(long, [image(long, 2)])),
      ).rejects.toThrow(UnstorableImageError);
    });

    it('ends runs that stopped sending heartbeats, and leaves live ones alone', async () => {
      const store = await createStore();
      const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
      const dead = await store.startRun('one');
      await store.setStatus('one', { status: 'syncing' });
      const live = await store.startRun('two');
      await store.setStatus('two', { status: 'syncing' });
      await sleep(20);
      const staleBefore = new Date();
      await sleep(20);
      await store.heartbeat(live);

      expect(await store.markInterruptedRuns(staleBefore)).toEqual(['one']);
      expect((await store.runs('one', 1))[0]).toMatchObject({
        outcome: 'interrupted',
        message: expect.stringMatching(/backend stopped/),
      });
      expect((await store.statuses()).get('one')?.status).toBe('error');
      expect((await store.runs('two', 1))[0].outcome).toBe('running');
      expect((await store.statuses()).get('two')?.status).toBe('syncing');
      expect(dead).toBeLessThan(live);
    });

    it('removes every image of a registry that no longer exists', async () => {
      const store = await createStore();
      const run = await store.startRun('one');
      await store.saveRepository('one', run, result('a', [image('a', 1)]));
      await store.saveRepository(
        'two',
        run,
        result('b', [image('b', 2, { registry: 'two' })]),
      );
      expect((await store.registriesWithImages()).sort()).toEqual([
        'one',
        'two',
      ]);
      expect(await store.removeRegistry('two')).toBe(1);
      expect(await store.registriesWithImages()).toEqual(['one']);
      const { changes } = await store.changes(0, 100, host);
      const last = changes[changes.length - 1];
      expect(last.registry).toBe('two');
      expect(last.image).toBeUndefined();
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

    it('saves the same new images from two registries at once without failing either', async () => {
      const store = await createStore();
      const run = await store.startRun('one');
      for (let n = 10; n < 20; n++) {
        await Promise.all(
          ['one', 'two', 'three'].map(registry =>
            store.saveRepository(
              registry,
              run,
              result('app', [image('app', n, { registry })]),
            ),
          ),
        );
      }
      const names = (await store.changes(0, 100, host)).changes.map(
        c => c.entityName,
      );
      expect(names).toHaveLength(30);
      expect(new Set(names).size).toBe(30);
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
