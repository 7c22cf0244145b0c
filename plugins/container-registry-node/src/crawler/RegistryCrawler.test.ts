import { testConnection } from '../__testUtils__/connection';
import { FakeRegistry } from '../__testUtils__/FakeRegistry';
import { sendJson } from '../__testUtils__/scriptedServer';
import type { RegistryConnection } from '../connection/types';
import { InMemoryCrawlMemory } from './CrawlMemory';
import { RegistryCrawler, RepositoryCrawlResult } from './RegistryCrawler';

jest.setTimeout(60_000);

async function crawl(
  connection: RegistryConnection,
  memory = new InMemoryCrawlMemory(),
) {
  const crawler = new RegistryCrawler(connection, { memory });
  const results: RepositoryCrawlResult[] = [];
  try {
    for await (const result of crawler.crawl()) results.push(result);
  } finally {
    await crawler.close();
  }
  results.sort((a, b) => a.repository.localeCompare(b.repository));
  return {
    results,
    report: crawler.report,
    images: results.flatMap(r => r.images),
  };
}

describe('RegistryCrawler', () => {
  let registry: FakeRegistry;
  beforeEach(async () => {
    registry = await FakeRegistry.start();
  });
  afterEach(() => registry.close());

  it('reads every image with its tags and platforms, fetching nothing twice', async () => {
    const single = registry.addImage('acme/api', ['1.0', 'latest'], {
      labels: { team: 'payments' },
      created: '2026-03-01T00:00:00Z',
    });
    const older = registry.addImage('acme/api', ['0.9'], {
      created: '2025-01-01T00:00:00Z',
    });
    const multi = registry.addIndex(
      'acme/web',
      ['2.0'],
      [
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
        { os: 'linux', architecture: 'amd64' },
      ],
    );
    const { images, report } = await crawl(
      testConnection(registry.url, { transport: { pageSize: 1 } }),
    );

    expect(images).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          repository: 'acme/api',
          digest: single,
          tags: ['1.0', 'latest'],
          platforms: [{ os: 'linux', architecture: 'amd64' }],
          created: '2026-03-01T00:00:00Z',
          labels: { team: 'payments' },
          host: new URL(registry.url).host,
        }),
        expect.objectContaining({
          repository: 'acme/api',
          digest: older,
          tags: ['0.9'],
        }),
        expect.objectContaining({
          repository: 'acme/web',
          digest: multi,
          tags: ['2.0'],
          platforms: [
            expect.objectContaining({ architecture: 'amd64' }),
            expect.objectContaining({ architecture: 'arm64', variant: 'v8' }),
          ],
        }),
      ]),
    );
    expect(images).toHaveLength(3);
    // catalog pages (page size 1) + tag pages + one manifest per tag + one config per
    // single-arch digest + one platform manifest and config for the undated index
    expect(report.toJSON().requests.byKind).toEqual({
      catalog: 2,
      tags: 3 + 1,
      manifest: 4 + 1,
      blob: 2 + 1,
    });
    expect(report.errorCount).toBe(0);
  });

  it('recrawls an unchanged registry with one HEAD per tag and no manifest GET', async () => {
    registry.addImage('acme/api', ['1.0', 'latest']);
    registry.addIndex(
      'acme/web',
      ['2.0'],
      [{ os: 'linux', architecture: 'amd64' }],
    );
    const memory = new InMemoryCrawlMemory();
    const first = await crawl(testConnection(registry.url), memory);
    const second = await crawl(testConnection(registry.url), memory);
    expect(second.images).toEqual(first.images);
    expect(second.report.toJSON().requests.byKind).toEqual({
      catalog: 1,
      tags: 2,
      'manifest-head': 3,
    });
  });

  it('notices a moved tag on recrawl', async () => {
    registry.addImage('acme/api', ['latest'], { seed: 'one' });
    const memory = new InMemoryCrawlMemory();
    await crawl(testConnection(registry.url), memory);
    const moved = registry.addImage('acme/api', ['latest'], { seed: 'two' });
    const { images } = await crawl(testConnection(registry.url), memory);
    expect(images.map(i => i.digest)).toEqual([moved]);
  });

  it('keeps going past a manifest whose bytes do not match its digest', async () => {
    registry.addImage('acme/api', ['good']);
    registry.addImage('acme/api', ['bad'], { seed: 'bad' });
    registry.faults.push((req, res) => {
      if (!req.url!.endsWith('/manifests/bad')) return false;
      res.writeHead(200, {
        'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
        'docker-content-digest': `sha256:${'0'.repeat(64)}`,
      });
      res.end('{"schemaVersion":2}');
      return true;
    });
    const { results, images, report } = await crawl(
      testConnection(registry.url),
    );
    expect(images.map(i => i.tags)).toEqual([['good']]);
    expect(results[0].complete).toBe(false);
    expect(report.errorsByReason).toEqual({ 'digest-mismatch': 1 });
    expect(report.errorSamples[0]).toMatchObject({
      repository: 'acme/api',
      tag: 'bad',
    });
  });

  it('reports an unknown manifest type by name', async () => {
    registry.addImage('acme/api', ['ok']);
    registry.putManifest(
      'acme/api',
      ['weird'],
      'application/vnd.example.thing.v1+json',
      { mediaType: 'application/vnd.example.thing.v1+json' },
    );
    const { images, report } = await crawl(testConnection(registry.url));
    expect(images.map(i => i.tags)).toEqual([['ok']]);
    expect(report.errorSamples[0].message).toMatch(
      /application\/vnd\.example\.thing/,
    );
  });

  it('retries a repository whose tag list fails once with 503', async () => {
    registry.addImage('acme/api', ['1']);
    let failures = 0;
    registry.faults.push((req, res) => {
      if (req.url!.includes('/tags/list') && failures++ === 0) {
        res.writeHead(503).end();
        return true;
      }
      return false;
    });
    const { images, report } = await crawl(testConnection(registry.url));
    expect(images).toHaveLength(1);
    expect(report.toJSON().requests.retries).toBe(1);
  });

  it('fails the whole crawl only when the first listing fails, naming the cause', async () => {
    registry.faults.push((req, res) => {
      if (!req.url!.startsWith('/v2/_catalog')) return false;
      sendJson(res, 401, {
        errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }],
      });
      return true;
    });
    await expect(
      crawl(testConnection(registry.url, { auth: { type: 'none' } })),
    ).rejects.toMatchObject({
      reason: 'unauthorized',
    });
  });

  it('keeps what was listed when a later catalog page fails, and says the listing is incomplete', async () => {
    for (const name of ['a', 'b', 'c']) registry.addImage(name, ['1']);
    registry.faults.push((req, res) => {
      if (!req.url!.startsWith('/v2/_catalog') || !req.url!.includes('last='))
        return false;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"repositories": [');
      return true;
    });
    const { results, report } = await crawl(
      testConnection(registry.url, { transport: { pageSize: 2 } }),
    );
    expect(results.map(r => r.repository)).toEqual(['a', 'b']);
    expect(report.listingComplete).toBe(false);
    expect(report.errorsByReason).toEqual({ 'invalid-response': 1 });
  });

  it('crawls only the named repositories without listing the catalog', async () => {
    registry.addImage('team/a', ['1']);
    registry.addImage('team/b', ['1']);
    const { results } = await crawl(
      testConnection(registry.url, { repositories: ['team/b'] }),
    );
    expect(results.map(r => r.repository)).toEqual(['team/b']);
    expect(registry.count('GET', '_catalog')).toBe(0);
  });

  it('escapes repository names and tags in request paths', async () => {
    const digest = registry.addImage('team/app name', ['v1+build']);
    const { images } = await crawl(testConnection(registry.url));
    expect(images).toEqual([
      expect.objectContaining({
        repository: 'team/app name',
        tags: ['v1+build'],
        digest,
      }),
    ]);
    expect(
      registry.requests.some(r =>
        r.url.includes('/v2/team/app%20name/manifests/v1%2Bbuild'),
      ),
    ).toBe(true);
  });

  it('streams repositories: the catalog is read only as far as the work in flight needs', async () => {
    const names = Array.from(
      { length: 40 },
      (_, i) => `repo-${String(i).padStart(2, '0')}`,
    );
    for (const name of names) registry.addImage(name, ['1']);
    const crawler = new RegistryCrawler(
      testConnection(registry.url, {
        transport: { pageSize: 2, maxConnections: 1 },
      }),
    );
    try {
      const results = crawler.crawl();
      const first = await results.next();
      expect(first.value?.images).toHaveLength(1);
      // Two repositories in flight (twice the connections): the first page of two names.
      expect(registry.count('GET', '_catalog')).toBeLessThanOrEqual(2);
      const seen = [first.value!.repository];
      for await (const result of results) seen.push(result.repository);
      expect(seen.sort()).toEqual(names);
      expect(registry.count('GET', '_catalog')).toBe(20);
    } finally {
      await crawler.close();
    }
  });

  it('reads every image right when it keeps fewer digests at hand than the registry has', async () => {
    const expected: string[] = [];
    for (const repository of ['a', 'b', 'c']) {
      for (let i = 0; i < 10; i++) {
        expected.push(
          registry.addImage(repository, [`t${i}`], {
            seed: `${repository}${i}`,
            labels: { n: String(i) },
          }),
        );
      }
    }
    const crawler = new RegistryCrawler(testConnection(registry.url), {
      digestCacheEntries: 2,
    });
    const images = [];
    try {
      for await (const result of crawler.crawl()) images.push(...result.images);
    } finally {
      await crawler.close();
    }
    expect(images.map(i => i.digest).sort()).toEqual(expected.sort());
    for (const image of images) {
      expect(image.platforms).toEqual([{ os: 'linux', architecture: 'amd64' }]);
      expect(image.labels).toEqual({ n: image.tags[0].slice(1) });
    }
    expect(crawler.report.errorCount).toBe(0);
  });

  it('reads a repository with 10 000 tags within its connection limit', async () => {
    const tags = Array.from({ length: 10_000 }, (_, i) => `t${i}`);
    for (let i = 0; i < 100; i++) {
      registry.addImage('big/repo', tags.slice(i * 100, (i + 1) * 100), {
        seed: `s${i}`,
      });
    }
    const { images, report } = await crawl(
      testConnection(registry.url, { transport: { maxConnections: 4 } }),
    );
    expect(images).toHaveLength(100);
    expect(images.reduce((n, image) => n + image.tags.length, 0)).toBe(10_000);
    expect(report.toJSON().requests.byKind.blob).toBe(100);
    expect(registry.peakConnections).toBeLessThanOrEqual(4);
  });
});
