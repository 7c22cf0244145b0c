/* eslint-disable no-console */
import { execFileSync } from 'node:child_process';
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
  /** Let the registry and the clients share every CPU instead of giving each their own. */
  sharedCpus?: boolean;
}

interface CpuPlacement {
  registry: string;
  clients: string;
}

/**
 * In production the registry runs on a host of its own. Here the last CPU stands in for that
 * host and the others for the crawler's: this process, the counting proxy and the baselines
 * (they inherit its CPUs). On one CPU, or when asked, everything shares.
 */
function placeOnCpus(options: CrawlBenchmarkOptions): CpuPlacement | undefined {
  const count = cpus().length;
  if (options.sharedCpus || count < 2) return undefined;
  const placement = {
    registry: String(count - 1),
    clients: count === 2 ? '0' : `0-${count - 2}`,
  };
  execFileSync('taskset', [
    ...['--all-tasks', '--cpu-list', '--pid'],
    ...[placement.clients, String(process.pid)],
  ]);
  return placement;
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
async function seededRegistry(
  options: CrawlBenchmarkOptions,
  placement: CpuPlacement | undefined,
) {
  const storageDir = join(options.dataDir, 'bench-registry');
  const marker = join(options.dataDir, 'bench-registry.seeded');
  const size = `${options.repositories}x${options.tagsPerRepository}`;
  mkdirSync(storageDir, { recursive: true });
  const registry = await startTestRegistry({
    storageDir,
    cpus: placement?.registry,
  });
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
  const placement = placeOnCpus(options);
  const registry = await seededRegistry(options, placement);
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
    options: {},
    transport: {
      ...DEFAULT_TRANSPORT,
      maxConnections: options.concurrency,
      maxKeepAliveConnections: options.concurrency,
    },
  };
  try {
    // An untimed crawl first: it gives the request set the ceiling replays, and leaves the
    // registry's storage in the page cache for every measured run alike.
    await proxy.reset();
    await crawl(connection, new InMemoryCrawlMemory());
    const requestSet = (await proxy.snapshot()).requests;
    const measureCeiling = async () => {
      await proxy.reset();
      const result = await replay(
        `http://${host}`,
        requestSet,
        options.concurrency,
      );
      return { result, seen: await proxy.snapshot() };
    };
    // The ceiling is the better of two replays, one before the crawl and one after it, so that
    // the machine's speed drifting during the run cannot favour the crawl.
    const ceilingBefore = await measureCeiling();

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

    const ceilingAfter = await measureCeiling();
    const { result: ceiling, seen: ceilingSeen } =
      ceilingAfter.result.requestsPerSecond >
      ceilingBefore.result.requestsPerSecond
        ? ceilingAfter
        : ceilingBefore;

    const crawlRate = crawlRequests.length / first.seconds;
    const results = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(
        totalmem() / 2 ** 30,
      )} GiB, Node ${process.version}`,
      registry: `distribution ${options.repositories} repositories × ${options.tagsPerRepository} tags`,
      concurrency: options.concurrency,
      cpus: placement
        ? `registry on CPU ${placement.registry}; crawler, proxy and baselines on CPU ${placement.clients}`
        : 'all shared',
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
        replaysRequestsPerSecond: [ceilingBefore, ceilingAfter].map(c =>
          round(c.result.requestsPerSecond),
        ),
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
