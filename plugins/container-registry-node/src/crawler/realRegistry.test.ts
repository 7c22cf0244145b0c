import { testConnection } from '../__testUtils__/connection';
import type { RegistryConnection } from '../connection/types';
import {
  ExpectedImage,
  seedDemoImages,
  startTestRegistry,
  TestRegistry,
} from '../testUtils';
import { InMemoryCrawlMemory } from './CrawlMemory';
import { RegistryCrawler } from './RegistryCrawler';

jest.setTimeout(120_000);

async function crawlAll(
  connection: RegistryConnection,
  memory = new InMemoryCrawlMemory(),
) {
  const crawler = new RegistryCrawler(connection, { memory });
  const images = [];
  try {
    for await (const result of crawler.crawl()) images.push(...result.images);
  } finally {
    await crawler.close();
  }
  return { images, report: crawler.report };
}

const byDigest = (a: { digest: string }, b: { digest: string }) =>
  a.digest.localeCompare(b.digest);

function expectImages(
  images: Array<{ digest: string }>,
  expected: ExpectedImage[],
) {
  expect([...images].sort(byDigest)).toEqual(
    [...expected].sort(byDigest).map(image => expect.objectContaining(image)),
  );
}

describe.each([
  ['open', 'none'],
  ['basic auth', 'basic'],
  ['token auth', 'token'],
] as const)('crawling a real distribution registry with %s', (_name, auth) => {
  let registry: TestRegistry;
  let expected: ExpectedImage[];

  beforeAll(async () => {
    registry = await startTestRegistry({ auth, catalogMaxEntries: 2 });
    expected = await seedDemoImages(registry);
  });
  afterAll(() => registry?.stop());

  const connect = (overrides: Parameters<typeof testConnection>[1] = {}) =>
    testConnection(registry.url, {
      auth: registry.credentials
        ? {
            type: 'auto',
            ...registry.credentials,
            // The token service runs on a port of its own: the admin lists it.
            realmHosts: registry.tokenServer && [registry.tokenServer.url],
          }
        : { type: 'none' },
      ...overrides,
    });

  it('finds every pushed image with its tags and platforms, in small catalog pages', async () => {
    const { images, report } = await crawlAll(
      connect({ transport: { pageSize: 2 } }),
    );
    expectImages(images, expected);
    expect(report.errorCount).toBe(0);
    // 4 repositories in pages of 2: the registry links the second page; the empty third ends it.
    expect(report.toJSON().requests.byKind.catalog).toBeGreaterThanOrEqual(2);
    // Never a platform for buildkit's attestation manifests.
    expect(images.flatMap(i => i.platforms)).not.toContainEqual(
      expect.objectContaining({ os: 'unknown' }),
    );
  });

  it('fetches one manifest per tag, one config per single-platform image and one platform manifest and config per index, and on recrawl only HEADs', async () => {
    const memory = new InMemoryCrawlMemory();
    const first = await crawlAll(connect(), memory);
    const tags = expected.reduce((n, image) => n + image.tags.length, 0);
    const indexes = expected.filter(image => image.platforms[0].digest).length;
    const singles = expected.length - indexes;
    expect(first.report.toJSON().requests.byKind).toMatchObject({
      manifest: tags + indexes,
      blob: singles + indexes,
    });

    const second = await crawlAll(connect(), memory);
    expect([...second.images].sort(byDigest)).toEqual(
      [...first.images].sort(byDigest),
    );
    const recrawl = second.report.toJSON().requests.byKind;
    expect(recrawl.manifest).toBeUndefined();
    expect(recrawl.blob).toBeUndefined();
    expect(recrawl['manifest-head']).toBe(tags);
  });

  if (auth !== 'none') {
    it('says the credentials are wrong when they are', async () => {
      const connection = connect({
        auth: {
          type: 'auto',
          username: registry.credentials!.username,
          password: 'wrong',
        },
      });
      await expect(crawlAll(connection)).rejects.toMatchObject({
        reason: 'unauthorized',
      });
    });
  }
});

describe('a token that expires during the crawl', () => {
  let registry: TestRegistry;
  let expected: ExpectedImage[];
  beforeAll(async () => {
    registry = await startTestRegistry({
      auth: 'token',
      tokenExpiresInSeconds: 1,
    });
    expected = await seedDemoImages(registry);
  });
  afterAll(() => registry?.stop());

  it('is renewed before it lapses, and the crawl sees no error', async () => {
    const issuedBefore = registry.tokenServer!.tokensIssued();
    const { images, report } = await crawlAll(
      testConnection(registry.url, {
        auth: {
          type: 'auto',
          ...registry.credentials,
          realmHosts: [registry.tokenServer!.url],
        },
        // Slow enough that a repository's requests outlive its first token.
        transport: { maxRequestsPerSecond: 4, maxConnections: 1 },
      }),
    );
    expectImages(images, expected);
    expect(report.errorCount).toBe(0);
    const scopes = 1 + new Set(expected.map(i => i.repository)).size;
    expect(registry.tokenServer!.tokensIssued() - issuedBefore).toBeGreaterThan(
      scopes,
    );
  });
});
