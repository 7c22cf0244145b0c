import { testConnection } from '../__testUtils__/connection';
import { crawlAll } from '../__testUtils__/crawlAll';
import { FakeRegistry } from '../__testUtils__/FakeRegistry';
import { sendJson } from '../__testUtils__/scriptedServer';
import { RegistryError } from '../errors';
import { MediaType } from '../manifests';
import { InMemoryCrawlMemory } from './CrawlMemory';
import { RegistryCrawler, RepositoryCrawlResult } from './RegistryCrawler';

jest.setTimeout(60_000);

/** A connection whose client gives up on a failing request after one retry, at once. */
const quickConnection = (url: string) =>
  testConnection(url, { transport: { maxRetries: 1 } });

/** Answers `status` with `Retry-After: 0` to requests whose URL contains `part`. */
function failing(part: string, status: number, times = Infinity) {
  let failures = 0;
  return (req: { url?: string }, res: any) => {
    if (!req.url!.includes(part) || failures >= times) return false;
    failures++;
    res.writeHead(status, { 'retry-after': '0' }).end();
    return true;
  };
}

describe('RegistryCrawler under faults', () => {
  let registry: FakeRegistry;
  beforeEach(async () => {
    registry = await FakeRegistry.start();
  });
  afterEach(() => registry.close());

  describe('ambiguous listings', () => {
    it('does not take a tag list without "tags" for an empty repository', async () => {
      registry.addImage('acme/api', ['1']);
      registry.faults.push((req, res) => {
        if (!req.url!.includes('/tags/list')) return false;
        sendJson(res, 200, {});
        return true;
      });
      const { results, report } = await crawlAll(testConnection(registry.url));
      expect(results).toEqual([
        expect.objectContaining({ repository: 'acme/api', complete: false }),
      ]);
      expect(report.errorSamples[0]).toMatchObject({
        repository: 'acme/api',
        reason: 'invalid-response',
        message: expect.stringMatching(/without "tags"/),
      });
    });

    it('reads "tags": null next to the name as an empty repository, as distribution sends it', async () => {
      registry.addImage('acme/api', ['1']);
      registry.faults.push((req, res) => {
        if (!req.url!.includes('/tags/list')) return false;
        sendJson(res, 200, { name: 'acme/api', tags: null });
        return true;
      });
      const { results, report } = await crawlAll(testConnection(registry.url));
      expect(results).toEqual([
        expect.objectContaining({ images: [], complete: true }),
      ]);
      expect(report.errorCount).toBe(0);
    });

    it('calls the catalog incomplete when the registry honours n, ignores last and sends no Link', async () => {
      for (const name of ['a', 'b', 'c']) registry.addImage(name, ['1']);
      registry.faults.push((req, res) => {
        if (!req.url!.startsWith('/v2/_catalog')) return false;
        const n = Number(new URL(req.url!, 'http://x').searchParams.get('n'));
        sendJson(res, 200, { repositories: ['a', 'b', 'c'].slice(0, n) });
        return true;
      });
      const { results, report } = await crawlAll(
        testConnection(registry.url, { transport: { pageSize: 2 } }),
      );
      expect(results.map(r => r.repository)).toEqual(['a', 'b']);
      expect(report.listingComplete).toBe(false);
      expect(report.errorsByReason).toEqual({ 'pagination-loop': 1 });
    });
  });

  describe('partly read repositories', () => {
    it('keeps the image with the tags that resolved and names the tag that did not', async () => {
      const digest = registry.addImage('acme/api', ['1', 'latest']);
      registry.faults.push(failing('/manifests/latest', 500));
      const { results } = await crawlAll(quickConnection(registry.url));
      expect(results[0]).toMatchObject({
        complete: false,
        unreadTags: ['latest'],
        images: [expect.objectContaining({ digest, tags: ['1'] })],
        errors: [
          expect.objectContaining({ tag: 'latest', reason: 'server-error' }),
        ],
      });
    });

    it('does not remember a partly read repository for the next crawl', async () => {
      registry.addImage('acme/api', ['1', 'latest']);
      registry.faults.push(failing('/manifests/latest', 404));
      const memory = new InMemoryCrawlMemory();
      await crawlAll(quickConnection(registry.url), { memory });
      expect((await memory.tagDigests('acme/api')).size).toBe(0);
    });
  });

  it('reads a repository whole when the memory of the last crawl cannot be read', async () => {
    registry.addImage('acme/api', ['1']);
    const memory = new InMemoryCrawlMemory();
    memory.tagDigests = () => Promise.reject(new Error('database is down'));
    const { results } = await crawlAll(testConnection(registry.url), {
      memory,
    });
    expect(results[0]).toMatchObject({ complete: true, errors: [] });
    expect(results[0].images).toHaveLength(1);
  });

  describe('transient failures', () => {
    it('comes back complete when tags kept failing through the client retries, by trying them again at the end', async () => {
      registry.addImage('acme/api', ['1', '2'], { seed: 'x' });
      registry.addImage('acme/web', ['1']);
      // Two failures use up the client's one retry; the crawl's own retry then succeeds.
      registry.faults.push(failing('/v2/acme/api/manifests/2', 503, 2));
      const crawler = new RegistryCrawler(quickConnection(registry.url));
      const order: RepositoryCrawlResult[] = [];
      try {
        for await (const result of crawler.crawl()) order.push(result);
      } finally {
        await crawler.close();
      }
      // The repository waiting for its retry comes after the others.
      expect(order.map(r => r.repository)).toEqual(['acme/web', 'acme/api']);
      expect(order[1]).toMatchObject({
        complete: true,
        unreadTags: [],
        errors: [],
        images: [expect.objectContaining({ tags: ['1', '2'] })],
      });
      expect(crawler.report.errorCount).toBe(0);
    });

    it('tries a failed tag list again at the end', async () => {
      registry.addImage('acme/api', ['1']);
      registry.faults.push(failing('/tags/list', 502, 2));
      const { results, report } = await crawlAll(quickConnection(registry.url));
      expect(results[0]).toMatchObject({ complete: true });
      expect(results[0].images).toHaveLength(1);
      expect(report.errorCount).toBe(0);
    });

    it('does not try again what failed for good', async () => {
      registry.addImage('acme/api', ['1']);
      registry.faults.push(failing('/manifests/1', 404));
      await crawlAll(quickConnection(registry.url));
      expect(registry.count('GET', '/manifests/1')).toBe(1);
    });
  });

  describe('stopping', () => {
    it('yields nothing more after the signal aborts, and says so in the report', async () => {
      for (const name of ['a', 'b', 'c', 'd']) registry.addImage(name, ['1']);
      const controller = new AbortController();
      const crawler = new RegistryCrawler(
        testConnection(registry.url, { transport: { maxConnections: 1 } }),
        { signal: controller.signal },
      );
      const seen: string[] = [];
      try {
        for await (const result of crawler.crawl()) {
          seen.push(result.repository);
          controller.abort();
        }
      } finally {
        await crawler.close();
      }
      expect(seen).toHaveLength(1);
      expect(crawler.report.stopped).toEqual({
        reason: 'aborted',
        message: expect.stringMatching(/cancelled/),
      });
      expect(crawler.report.toJSON().stopped).toEqual(crawler.report.stopped);
      // Repositories not reached may exist: the crawl is not a complete listing.
      expect(crawler.report.listingComplete).toBe(false);
    });

    it('does not throw when cancelled before the first listing answered', async () => {
      registry.addImage('a', ['1']);
      const controller = new AbortController();
      controller.abort();
      const { results, report } = await crawlAll(testConnection(registry.url), {
        signal: controller.signal,
      });
      expect(results).toEqual([]);
      expect(report.stopped?.reason).toBe('aborted');
    });

    it('stops, without retrying, once the client halts because the registry keeps rate-limiting', async () => {
      registry.addImage('acme/api', ['1'], { seed: 'x' });
      registry.addImage('acme/web', ['1']);
      const crawler = new RegistryCrawler(
        testConnection(registry.url, {
          transport: { maxConnections: 1, maxRetries: 0 },
        }),
      );
      registry.faults.push((req, res) => {
        if (!req.url!.includes('/v2/acme/api/manifests/')) return false;
        (crawler as any).http.halted = new RegistryError(
          'rate-limited',
          'The registry kept answering 429',
        );
        res.writeHead(429, { 'retry-after': '0' }).end();
        return true;
      });
      const seen: string[] = [];
      try {
        for await (const result of crawler.crawl())
          seen.push(result.repository);
      } finally {
        await crawler.close();
      }
      expect(seen).not.toContain('acme/api');
      expect(crawler.report.stopped).toEqual({
        reason: 'rate-limited',
        message: 'The registry kept answering 429',
      });
      expect(registry.count('GET', '/v2/acme/api/manifests/')).toBe(1);
    });
  });

  it('stops a tag list that goes on past the bound, naming the repository, and reads the others', async () => {
    registry.addImage('acme/api', ['1']);
    registry.addImage('endless/repo', ['1']);
    let page = 0;
    registry.faults.push((req, res) => {
      if (!req.url!.startsWith('/v2/endless/repo/tags/list')) return false;
      page++;
      sendJson(
        res,
        200,
        { name: 'endless/repo', tags: [`t${String(page).padStart(6, '0')}`] },
        { link: `</v2/endless/repo/tags/list?page=${page}>; rel="next"` },
      );
      return true;
    });
    const { results, report } = await crawlAll(testConnection(registry.url), {
      maxTagsPerRepository: 50,
    });
    expect(results.map(r => [r.repository, r.complete])).toEqual([
      ['acme/api', true],
      ['endless/repo', false],
    ]);
    expect(report.errorSamples).toEqual([
      expect.objectContaining({
        repository: 'endless/repo',
        reason: 'pagination-loop',
        message: expect.stringMatching(/endless\/repo went on past 50 tags/),
      }),
    ]);
    expect(page).toBe(51);
  });

  it('queues a bounded amount of tag work however many tags a repository has', async () => {
    const tags = Array.from({ length: 2_000 }, (_, i) => `t${i}`);
    registry.addImage('big/repo', tags);
    const crawler = new RegistryCrawler(
      testConnection(registry.url, { transport: { maxConnections: 2 } }),
    );
    let mostQueued = 0;
    registry.faults.push(req => {
      if (req.url!.includes('/manifests/')) {
        mostQueued = Math.max(
          mostQueued,
          (crawler as any).tagSlots.pendingCount,
        );
      }
      return false;
    });
    try {
      for await (const result of crawler.crawl())
        expect(result.images[0].tags).toHaveLength(2_000);
    } finally {
      await crawler.close();
    }
    expect(mostQueued).toBeLessThanOrEqual(4);
  });

  describe('malformed input', () => {
    it('skips listed repository names with ".." or empty segments, never requesting them', async () => {
      registry.addImage('good', ['1']);
      registry.faults.push((req, res) => {
        if (!req.url!.startsWith('/v2/_catalog')) return false;
        sendJson(res, 200, {
          repositories: ['a/../b', 'a//b', '', 'good', '/lead'],
        });
        return true;
      });
      const { results, report } = await crawlAll(testConnection(registry.url));
      expect(results.map(r => r.repository)).toEqual(['good']);
      expect(report.errorsByReason).toEqual({ 'invalid-response': 4 });
      expect(report.errorSamples.map(e => e.repository)).toEqual([
        'a/../b',
        'a//b',
        '',
        '/lead',
      ]);
      expect(registry.requests.map(r => r.url)).toEqual([
        expect.stringMatching(/^\/v2\/_catalog/),
        expect.stringMatching(/^\/v2\/good\/tags\/list/),
        '/v2/good/manifests/1',
        expect.stringMatching(/^\/v2\/good\/blobs\/sha256:/),
      ]);
    });

    it('refuses a config digest that is not one, without building a blob URL from it', async () => {
      registry.addImage('acme/api', ['ok']);
      registry.putManifest('acme/api', ['bad'], MediaType.dockerManifest, {
        schemaVersion: 2,
        mediaType: MediaType.dockerManifest,
        config: {
          mediaType: MediaType.dockerConfig,
          digest: 'sha256:../../../_catalog',
          size: 1,
        },
        layers: [],
      });
      const { images, report } = await crawlAll(testConnection(registry.url));
      expect(images.map(i => i.tags)).toEqual([['ok']]);
      expect(report.errorSamples).toEqual([
        expect.objectContaining({ tag: 'bad', reason: 'invalid-response' }),
      ]);
      expect(registry.count('GET', '_catalog')).toBe(1);
    });

    it('calls an index with null entries invalid, not a network failure', async () => {
      registry.addImage('acme/api', ['ok']);
      registry.putManifest('acme/api', ['bad'], MediaType.ociIndex, {
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [null],
      });
      const { images, report } = await crawlAll(testConnection(registry.url));
      expect(images.map(i => i.tags)).toEqual([['ok']]);
      expect(report.errorsByReason).toEqual({ 'invalid-response': 1 });
      expect(report.errorSamples[0]).toMatchObject({
        tag: 'bad',
        message: 'Entry 0 of the index is not a descriptor',
      });
    });

    it('calls a schema1 body that is not JSON invalid, not a network failure', async () => {
      registry.addImage('acme/api', ['ok']);
      registry.faults.push((req, res) => {
        if (!req.url!.endsWith('/manifests/old')) return false;
        res
          .writeHead(200, { 'content-type': MediaType.dockerSchema1Signed })
          .end('{"schemaVersion": 1, "signatures": [');
        return true;
      });
      registry.addImage('acme/api', ['old'], { seed: 'old' });
      const { images, report } = await crawlAll(testConnection(registry.url));
      expect(images.map(i => i.tags)).toEqual([['ok']]);
      expect(report.errorsByReason).toEqual({ 'invalid-response': 1 });
    });

    it('skips an empty tag name with an error and reads the others', async () => {
      registry.addImage('acme/api', ['1']);
      registry.faults.push((req, res) => {
        if (!req.url!.includes('/tags/list')) return false;
        sendJson(res, 200, { name: 'acme/api', tags: ['', '1'] });
        return true;
      });
      const { results, report } = await crawlAll(testConnection(registry.url));
      expect(results[0].images.map(i => i.tags)).toEqual([['1']]);
      expect(report.errorSamples).toEqual([
        expect.objectContaining({
          repository: 'acme/api',
          tag: '',
          reason: 'invalid-response',
        }),
      ]);
      expect(registry.count('GET', '/manifests/')).toBe(1);
    });
  });
});
