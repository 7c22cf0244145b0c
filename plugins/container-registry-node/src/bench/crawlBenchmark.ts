/* eslint-disable no-console */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRANSPORT, RegistryConnection } from '../connection/types';
import { InMemoryCrawlMemory, RegistryCrawler } from '../crawler';
import { seedRepositories, startTestRegistry } from '../testUtils';
import { replay, skopeoInspect } from './baselines';
import { RemoteCountingProxy } from './RemoteCountingProxy';

export interface CrawlBenchmarkOptions {
  dataDir: string;
  repositories: number;
  tagsPerRepository: number;
  concurrency: number;
  skopeoSample: number;
}

async function crawl(
  connection: RegistryConnection,
  memory: InMemoryCrawlMemory,
) {
  const crawler = new RegistryCrawler(connection, { memory });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const images: Array<{ repository: string; tags: string[] }> = [];
  try {
    for await (const result of crawler.crawl()) images.push(...result.images);
  } finally {
    await crawler.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { report: crawler.report.toJSON(), seconds, cpuSeconds, images };
}

/** Seeds once per size; the storage is kept in the data folder for later runs. */
async function seededRegistry(options: CrawlBenchmarkOptions) {
  const storageDir = join(options.dataDir, 'bench-registry');
  const marker = join(options.dataDir, 'bench-registry.seeded');
  const size = `${options.repositories}x${options.tagsPerRepository}`;
  mkdirSync(storageDir, { recursive: true });
  const registry = await startTestRegistry({ storageDir });
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== size) {
    console.log(`Seeding ${size} images (once; kept in ${storageDir})…`);
    const started = performance.now();
    await seedRepositories(registry, {
      repositories: options.repositories,
      tagsPerRepository: options.tagsPerRepository,
      concurrency: 16,
    });
    writeFileSync(marker, size);
    console.log(
      `Seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return registry;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/**
 * Crawl throughput against a local distribution registry, beside `skopeo inspect` at the same
 * concurrency and the registry's own ceiling for the crawl's requests. Prints the ratios.
 */
export async function runCrawlBenchmark(options: CrawlBenchmarkOptions) {
  const registry = await seededRegistry(options);
  const proxy = await RemoteCountingProxy.start(
    Number(new URL(registry.url).port),
  );
  const host = `127.0.0.1:${proxy.port}`;
  const connection: RegistryConnection = {
    id: 'bench',
    name: 'bench',
    type: 'generic',
    url: `http://${host}`,
    auth: { type: 'none' },
    repositories: [],
    transport: {
      ...DEFAULT_TRANSPORT,
      maxConnections: options.concurrency,
      maxKeepAliveConnections: options.concurrency,
    },
  };
  try {
    const memory = new InMemoryCrawlMemory();
    await proxy.reset();
    const first = await crawl(connection, memory);
    const crawlSeen = await proxy.snapshot();
    const crawlRequests = crawlSeen.requests;
    const tags = first.report.tags;

    await proxy.reset();
    const recrawl = await crawl(connection, memory);

    const everyTag = first.images.flatMap(image =>
      image.tags.map(tag => `${image.repository}:${tag}`),
    );
    const step = Math.max(
      1,
      Math.floor(everyTag.length / options.skopeoSample),
    );
    const sample = everyTag
      .filter((_, i) => i % step === 0)
      .slice(0, options.skopeoSample);
    await proxy.reset();
    const skopeo = await skopeoInspect(host, sample, options.concurrency);

    await proxy.reset();
    const ceiling = await replay(
      `http://${host}`,
      crawlRequests,
      options.concurrency,
    );
    const ceilingSeen = await proxy.snapshot();

    const crawlRate = crawlRequests.length / first.seconds;
    const results = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(
        totalmem() / 2 ** 30,
      )} GiB, Node ${process.version}`,
      registry: `distribution ${options.repositories} repositories × ${options.tagsPerRepository} tags`,
      concurrency: options.concurrency,
      crawl: {
        seconds: round(first.seconds, 2),
        crawlerCpuSeconds: round(first.cpuSeconds, 2),
        tags,
        images: first.report.images,
        tagsPerSecond: round(tags / first.seconds),
        requests: crawlRequests.length,
        requestsPerSecond: round(crawlRate),
        byKind: first.report.requests.byKind,
        retries: first.report.requests.retries,
        averageRequestsInFlight: first.report.requests.averageInFlight,
        errors: first.report.errors.total,
        peakConnectionsAtRegistry: crawlSeen.peakConnections,
        connectionsOpened: crawlSeen.connectionsOpened,
        peakRequestsPerSecondAtRegistry: crawlSeen.peakRequestsPerSecond,
      },
      recrawl: {
        seconds: round(recrawl.seconds, 2),
        byKind: recrawl.report.requests.byKind,
        manifestGets: recrawl.report.requests.byKind.manifest ?? 0,
      },
      skopeo: {
        ...skopeo,
        seconds: round(skopeo.seconds, 2),
        tagsPerSecond: round(skopeo.tagsPerSecond),
      },
      ceiling: {
        ...ceiling,
        seconds: round(ceiling.seconds, 2),
        requestsPerSecond: round(ceiling.requestsPerSecond),
        peakConnectionsAtRegistry: ceilingSeen.peakConnections,
        connectionsOpened: ceilingSeen.connectionsOpened,
        peakRequestsPerSecondAtRegistry: ceilingSeen.peakRequestsPerSecond,
      },
      ratios: {
        crawlTagsPerSecondOverSkopeo: round(
          tags / first.seconds / skopeo.tagsPerSecond,
        ),
        crawlRequestRateOverCeiling: round(
          crawlRate / ceiling.requestsPerSecond,
          3,
        ),
      },
    };
    console.log(JSON.stringify(results, null, 2));
    console.log(
      `\ncrawl ${results.crawl.tagsPerSecond} tags/s · skopeo ${results.skopeo.tagsPerSecond} tags/s · ` +
        `×${results.ratios.crawlTagsPerSecondOverSkopeo} (target ≥ 8)\n` +
        `crawl ${results.crawl.requestsPerSecond} req/s · ceiling ${results.ceiling.requestsPerSecond} req/s · ` +
        `${Math.round(
          results.ratios.crawlRequestRateOverCeiling * 100,
        )} % (target ≥ 90 %)\n` +
        `unchanged recrawl: ${results.recrawl.manifestGets} manifest GETs (target 0)`,
    );
    return results;
  } finally {
    await proxy.close();
    await registry.stop();
  }
}
