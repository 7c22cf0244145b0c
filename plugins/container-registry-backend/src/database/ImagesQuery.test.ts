import { mockServices } from '@backstage/backend-test-utils';
import type { ContainerImageRecord } from '@container-inventory/plugin-container-registry-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { decodeCursor, ImageQuery, ImagesQuery } from './ImagesQuery';
import { InventoryStore } from './InventoryStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const host = () => 'registry.test';
const digest = (n: number) =>
  `sha256:${n.toString(16).padStart(12, '0')}${'a'.repeat(52)}`;

function image(
  registry: string,
  repository: string,
  n: number,
  extra: Partial<ContainerImageRecord> = {},
): ContainerImageRecord {
  return {
    registry,
    host: 'registry.test',
    repository,
    digest: digest(n),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    tags: [`v${n}`],
    platforms: [{ os: 'linux', architecture: 'amd64' }],
    labels: {},
    created: `2026-0${(n % 9) + 1}-01T00:00:00Z`,
    ...extra,
  };
}

const query = (overrides: Partial<ImageQuery> = {}): ImageQuery => ({
  sort: 'repository',
  order: 'asc',
  limit: 50,
  offset: 0,
  ...overrides,
});

describe.each(databases.eachSupportedId())('ImagesQuery on %p', databaseId => {
  async function seeded() {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({ knex });
    const store = await InventoryStore.create(database);
    const run = await store.startRun('one');
    const save = (
      registry: string,
      repository: string,
      images: ContainerImageRecord[],
    ) =>
      store.saveRepository(registry, run, {
        repository,
        images,
        complete: true,
        errors: [],
        unreadTags: [],
      });
    await save('one', 'acme/web', [
      image('one', 'acme/web', 1, { tags: ['1.0', 'latest'] }),
      image('one', 'acme/web', 2, {
        platforms: [{ os: 'linux', architecture: 'arm64', variant: 'v8' }],
      }),
    ]);
    await save('one', 'acme/api_v2', [image('one', 'acme/api_v2', 3)]);
    await save('two', 'tools/ci', [
      image('two', 'tools/ci', 4, { created: undefined }),
    ]);
    await store.linkRepository('one', 'acme/web', {
      component: 'component:default/web',
      owner: 'group:default/payments',
      rule: 'source',
    });
    return { store, images: await ImagesQuery.create(database) };
  }

  it('filters by registry, lifecycle, owner, Component, unlinked and platform', async () => {
    const { images } = await seeded();
    const repos = async (q: Partial<ImageQuery>) =>
      (await images.page(query(q), host)).items.map(
        i => `${i.repository}@${i.digest.slice(-56, -52)}`,
      );
    expect(
      (await images.page(query({ registry: 'two' }), host)).totalCount,
    ).toBe(1);
    expect(await repos({ lifecycle: 'pending' })).toEqual(['tools/ci@0004']);
    expect(await repos({ owner: 'group:default/payments' })).toHaveLength(2);
    expect(await repos({ component: 'component:default/web' })).toHaveLength(2);
    expect(await repos({ unlinked: true })).toEqual([
      'acme/api_v2@0003',
      'tools/ci@0004',
    ]);
    expect(await repos({ platform: 'linux/arm64/v8' })).toEqual([
      'acme/web@0002',
    ]);
    const linked = (
      await images.page(query({ owner: 'group:default/payments' }), host)
    ).items[0];
    expect(linked).toMatchObject({
      component: 'component:default/web',
      owner: 'group:default/payments',
      linkedBy: 'source',
      firstSeen: expect.any(String),
      lastSeen: expect.any(String),
    });
  });

  it('searches repository, tags and digest without case, taking % and _ literally', async () => {
    const { images } = await seeded();
    const search = async (q: string) =>
      (await images.page(query({ q }), host)).items.map(i => i.repository);
    expect(await search('ACME/WEB')).toEqual(['acme/web', 'acme/web']);
    expect(await search('latest')).toEqual(['acme/web']);
    expect(await search(digest(4).slice(7, 19))).toEqual(['tools/ci']);
    // A digest prefix, as pasted from a pull command or typed in capitals.
    expect(await search(digest(4).slice(0, 19).toUpperCase())).toEqual([
      'tools/ci',
    ]);
    expect(await search('sha256:')).toHaveLength(4);
    expect(await search('api_v')).toEqual(['acme/api_v2']);
    expect(await search('api%')).toEqual([]);
    expect(await search('a_i')).toEqual([]);
  });

  it('counts every match of a search on each of its pages, and past the last', async () => {
    const { images } = await seeded();
    const first = await images.page(query({ q: 'acme', limit: 2 }), host);
    expect(first.items.map(i => i.repository)).toEqual([
      'acme/api_v2',
      'acme/web',
    ]);
    expect(first.totalCount).toBe(3);
    const last = await images.page(
      query({ q: 'acme', limit: 2, offset: decodeCursor(first.nextCursor!) }),
      host,
    );
    expect(last.totalCount).toBe(3);
    expect(last.items).toHaveLength(1);
    expect(last.nextCursor).toBeUndefined();
    const beyond = await images.page(
      query({ platform: 'linux/amd64', offset: 10 }),
      host,
    );
    expect(beyond).toMatchObject({ items: [], totalCount: 3 });
  });

  it('sorts with images without a value last, and pages with a cursor', async () => {
    const { images } = await seeded();
    const byCreated = await images.page(
      query({ sort: 'created', order: 'desc' }),
      host,
    );
    expect(byCreated.items.map(i => i.created ?? 'none')).toEqual([
      '2026-04-01T00:00:00Z',
      '2026-03-01T00:00:00Z',
      '2026-02-01T00:00:00Z',
      'none',
    ]);
    const first = await images.page(query({ limit: 3 }), host);
    expect(first.totalCount).toBe(4);
    const offset = decodeCursor(first.nextCursor!);
    const second = await images.page(query({ limit: 3, offset }), host);
    expect(second.nextCursor).toBeUndefined();
    expect(
      new Set([...first.items, ...second.items].map(i => i.digest)).size,
    ).toBe(4);
  });

  it('reads one image by entity name with its repository newest first', async () => {
    const { images } = await seeded();
    const [web] = (await images.page(query({ q: 'latest' }), host)).items;
    expect(await images.byEntityName(web.entityName, host)).toMatchObject({
      digest: digest(1),
    });
    expect(await images.byEntityName('nope', host)).toBeUndefined();
    const siblings = await images.repositoryImages('one', 'acme/web', host, 10);
    expect(siblings.map(i => i.digest)).toEqual([digest(2), digest(1)]);
  });
});
