import { testConnection } from '../__testUtils__/connection';
import { crawlAll } from '../__testUtils__/crawlAll';
import { FakeRegistry } from '../__testUtils__/FakeRegistry';
import { MediaType } from '../manifests';
import type { RegistryAdapterFactory, TagInfo } from '../adapters';
import { GenericRegistryAdapter } from '../adapters';
import { InMemoryCrawlMemory } from './CrawlMemory';

jest.setTimeout(60_000);

const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
const byPlatform = {
  created: (p: { architecture: string }) =>
    p.architecture === 'amd64'
      ? '2026-02-01T10:00:00Z'
      : '2026-02-01T09:00:00Z',
  labels: (p: { architecture: string }) => ({ built: p.architecture }),
};

describe('RegistryCrawler: dates and labels of indexes', () => {
  let registry: FakeRegistry;
  beforeEach(async () => {
    registry = await FakeRegistry.start();
  });
  afterEach(() => registry.close());

  it('dates a Docker manifest list by its linux/amd64 image, even when that is not listed first', async () => {
    const digest = registry.addIndex('acme/web', ['1'], [arm64, amd64], {
      docker: true,
      ...byPlatform,
    });
    const { images } = await crawlAll(testConnection(registry.url));
    expect(images).toEqual([
      expect.objectContaining({
        digest,
        mediaType: MediaType.dockerManifestList,
        created: '2026-02-01T10:00:00Z',
        labels: { built: 'amd64' },
        detailsSource: 'platform-image',
      }),
    ]);
  });

  it('takes the first entry that is not an attestation when there is no linux/amd64 image', async () => {
    registry.addIndex('acme/web', ['1'], [arm64], {
      attestation: true,
      ...byPlatform,
    });
    const { images } = await crawlAll(testConnection(registry.url));
    expect(images[0]).toMatchObject({
      created: '2026-02-01T09:00:00Z',
      labels: { built: 'arm64' },
      platforms: [expect.objectContaining({ architecture: 'arm64' })],
      detailsSource: 'platform-image',
    });
  });

  it('uses the annotations of an index that has them, with no further request', async () => {
    registry.addIndex('acme/web', ['1'], [amd64], {
      annotations: {
        'org.opencontainers.image.created': '2026-05-05T05:05:05Z',
        'org.opencontainers.image.source': 'https://example.com/web',
        'com.example.other': 'not a label',
      },
      ...byPlatform,
    });
    const { images, report } = await crawlAll(testConnection(registry.url));
    expect(images[0]).toMatchObject({
      created: '2026-05-05T05:05:05Z',
      labels: {
        'org.opencontainers.image.created': '2026-05-05T05:05:05Z',
        'org.opencontainers.image.source': 'https://example.com/web',
      },
      detailsSource: 'index-annotations',
    });
    expect(report.toJSON().requests.byKind).toEqual({
      catalog: 1,
      tags: 1,
      manifest: 1,
    });
  });

  it('costs one manifest and one config per distinct index on a first crawl and nothing on an unchanged recrawl', async () => {
    registry.addIndex('acme/web', ['1', '1.0', 'latest'], [arm64, amd64], {
      ...byPlatform,
    });
    registry.addIndex('acme/web', ['2'], [amd64], {
      created: () => '2026-03-03T03:03:03Z',
    });
    const memory = new InMemoryCrawlMemory();
    const first = await crawlAll(testConnection(registry.url), { memory });
    expect(first.report.toJSON().requests.byKind).toEqual({
      catalog: 1,
      tags: 1,
      manifest: 4 + 2,
      blob: 2,
    });
    expect(first.images.map(i => [i.tags, i.created])).toEqual([
      [['1', '1.0', 'latest'], '2026-02-01T10:00:00Z'],
      [['2'], '2026-03-03T03:03:03Z'],
    ]);

    const second = await crawlAll(testConnection(registry.url), { memory });
    expect(second.images).toEqual(first.images);
    expect(second.report.toJSON().requests.byKind).toEqual({
      catalog: 1,
      tags: 1,
      'manifest-head': 4,
    });
  });

  it('drops dates that are not RFC 3339 instead of storing them', async () => {
    registry.addImage('acme/api', ['single'], { created: 'yesterday' });
    registry.addIndex('acme/api', ['index'], [amd64], {
      created: () => '2026-13-45T99:00:00Z',
    });
    registry.addIndex('acme/api', ['annotated'], [amd64], {
      annotations: { 'org.opencontainers.image.created': 'soon' },
      created: () => '2026-04-04T04:04:04Z',
    });
    const { images, report } = await crawlAll(testConnection(registry.url));
    const byTag = Object.fromEntries(images.map(i => [i.tags[0], i]));
    expect(byTag.single.created).toBeUndefined();
    expect(byTag.single.detailsSource).toBe('image-config');
    expect(byTag.index.created).toBeUndefined();
    // An annotation that is no date does not count as the index's own date.
    expect(byTag.annotated).toMatchObject({
      created: '2026-04-04T04:04:04Z',
      detailsSource: 'platform-image',
    });
    expect(report.errorCount).toBe(0);
  });

  it('takes what a product listing says of an image, with no manifest or config request', async () => {
    const digest = registry.addImage('acme/api', ['1']);
    const listing: RegistryAdapterFactory = {
      type: 'generic',
      create: context =>
        new (class extends GenericRegistryAdapter {
          async *listTags(): AsyncIterable<TagInfo[]> {
            yield [
              {
                name: '1',
                digest,
                pushed: '2026-06-01T00:00:00Z',
                image: {
                  mediaType: MediaType.dockerManifest,
                  platforms: [amd64],
                  created: '2026-05-31T00:00:00Z',
                  labels: { team: 'payments' },
                },
              },
            ];
          }
        })(context),
    };
    const { images, report } = await crawlAll(testConnection(registry.url), {
      adapterFactories: [listing],
    });
    expect(images).toEqual([
      expect.objectContaining({
        digest,
        tags: ['1'],
        created: '2026-05-31T00:00:00Z',
        pushed: '2026-06-01T00:00:00Z',
        labels: { team: 'payments' },
        detailsSource: 'product-api',
      }),
    ]);
    expect(report.toJSON().requests.byKind).toEqual({ catalog: 1 });
  });
});
