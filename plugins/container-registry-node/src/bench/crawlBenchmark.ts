/* eslint-disable no-console */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRANSPORT, RegistryConnection } from '../connection/types';
import { InMemoryCrawlMemory, RegistryCrawler } from '../crawler';
import { seedRepositories, startTestRegistry } from '../testUtils';
import { replay, skopeoInspect } from './baselines';
import { RegistryLoad, RegistryWatcher } from './RegistryWatcher';
import { RemoteCountingProxy } from './RemoteCountingProxy';

export interface CrawlBenchmarkOptions {
  dataDir: string;
  repositories: number;
  tagsPerRepository: number;
  concurrency: number;
  skopeoSample: number;
  /** Crawls measured, each between two replays of the ceiling. */
  rounds: number;
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
    metrics: true,
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
  const registryPort = Number(new URL(registry.url).port);
  const connectionTo = (url: string): RegistryConnection => ({
    id: 'bench',
    name: 'bench',
    type: 'generic',
    url,
    auth: { type: 'none' },
    repositories: [],
    options: {},
    transport: {
      ...DEFAULT_TRANSPORT,
      maxConnections: options.concurrency,
      maxKeepAliveConnections: options.concurrency,
    },
  });
  const connection = connectionTo(registry.url);
  /** Runs `work` straight against the registry, counting what the registry saw. */
  const watched = async <T>(
    work: () => Promise<T>,
  ): Promise<{ result: T; seen: RegistryLoad }> => {
    const watcher = await RegistryWatcher.start(
      registryPort,
      registry.metricsUrl!,
    );
    const result = await work();
    return { result, seen: await watcher.stop() };
  };
  try {
    // An untimed crawl through a counting proxy, in a run of its own: it records the request
    // set the ceiling replays, and leaves the registry's storage in the page cache for every
    // measured run alike. Every measured run below goes straight to the registry.
    const proxy = await RemoteCountingProxy.start(registryPort);
    let requestSet;
    try {
      await crawl(
        connectionTo(`http://127.0.0.1:${proxy.port}`),
        new InMemoryCrawlMemory(),
      );
      requestSet = (await proxy.snapshot()).requests;
    } finally {
      await proxy.close();
    }
    const measureCeiling = () =>
      watched(() => replay(registry.url, requestSet, options.concurrency));
    // Replays and crawls alternate, a replay before and after each crawl; each crawl is set
    // against the better replay beside it, so that the machine's speed drifting during the run
    // (other work on a shared host) cannot favour either side.
    const watchedCrawl = (crawlMemory: InMemoryCrawlMemory) =>
      watched(() => crawl(connection, crawlMemory));
    const ceilings = [await measureCeiling()];
    const crawls: Array<Awaited<ReturnType<typeof watchedCrawl>>> = [];
    // The recrawl below starts from what the last first crawl remembered.
    let memory = new InMemoryCrawlMemory();
    for (let done = 0; done < options.rounds; done++) {
      memory = new InMemoryCrawlMemory();
      crawls.push(await watchedCrawl(memory));
      ceilings.push(await measureCeiling());
    }
    const rateOf = (c: (typeof crawls)[number]) =>
      c.seen.requests / c.result.seconds;
    const roundRatios = crawls.map(
      (c, i) =>
        rateOf(c) /
        Math.max(
          ceilings[i].result.requestsPerSecond,
          ceilings[i + 1].result.requestsPerSecond,
        ),
    );
    const bestCrawl = crawls.reduce((a, b) => (rateOf(b) > rateOf(a) ? b : a));
    const { result: first, seen: crawlSeen } = bestCrawl;
    const crawlRequests = crawlSeen.requests;
    const tags = first.report.tags;

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
    const skopeo = await skopeoInspect(
      registry.host,
      sample,
      options.concurrency,
    );

    const { result: ceiling, seen: ceilingSeen } = ceilings.reduce((a, b) =>
      b.result.requestsPerSecond > a.result.requestsPerSecond ? b : a,
    );
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

    const crawlRate = crawlRequests / first.seconds;
    const results = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(
        totalmem() / 2 ** 30,
      )} GiB, Node ${process.version}`,
      registry: `distribution ${options.repositories} repositories × ${options.tagsPerRepository} tags`,
      concurrency: options.concurrency,
      cpus: placement
        ? `registry on CPU ${placement.registry}; crawler, watcher and baselines on CPU ${placement.clients}`
        : 'all shared',
      crawl: {
        seconds: round(first.seconds, 2),
        crawlerCpuSeconds: round(first.cpuSeconds, 2),
        tags,
        images: first.report.images,
        tagsPerSecond: round(tags / first.seconds),
        requestsAtRegistry: crawlRequests,
        requestsByCrawler: first.report.requests.total,
        crawlerCpuMillisecondsPerRequest: round(
          (first.cpuSeconds * 1000) / crawlRequests,
          3,
        ),
        requestsPerSecond: round(crawlRate),
        roundsRequestsPerSecond: crawls.map(c => round(rateOf(c))),
        byKind: first.report.requests.byKind,
        retries: first.report.requests.retries,
        averageRequestsInFlight: first.report.requests.averageInFlight,
        errors: first.report.errors.total,
        peakConnectionsAtRegistry: crawlSeen.peakConnections,
        connectionsSeenAtRegistry: crawlSeen.connectionsSeen,
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
        replaysRequestsPerSecond: ceilings.map(c =>
          round(c.result.requestsPerSecond),
        ),
        seconds: round(ceiling.seconds, 2),
        requestsPerSecond: round(ceiling.requestsPerSecond),
        requestsAtRegistry: ceilingSeen.requests,
        wrkCpuMillisecondsPerRequest:
          ceiling.cpuSeconds === undefined
            ? undefined
            : round((ceiling.cpuSeconds * 1000) / ceiling.requests, 3),
        peakConnectionsAtRegistry: ceilingSeen.peakConnections,
        connectionsSeenAtRegistry: ceilingSeen.connectionsSeen,
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
        perRoundCrawlOverNeighbouringCeiling: roundRatios.map(r => round(r, 3)),
        medianRoundRatio: round(median(roundRatios), 3),
        crawlerCpuPerRequestOverWrk:
          ceiling.cpuSeconds === undefined
            ? undefined
            : round(
                first.cpuSeconds /
                  crawlRequests /
                  (ceiling.cpuSeconds / ceiling.requests),
                2,
              ),
      },
    };
    console.log(JSON.stringify(results, null, 2));
    console.log(
      `\ncrawl ${results.crawl.tagsPerSecond} tags/s · skopeo ${results.skopeo.tagsPerSecond} tags/s · ` +
        `×${results.ratios.crawlTagsPerSecondOverSkopeo} (target ≥ 8)\n` +
        `best crawl ${results.crawl.requestsPerSecond} req/s · best ceiling ${results.ceiling.requestsPerSecond} req/s · ` +
        `${Math.round(
          results.ratios.crawlRequestRateOverCeiling * 100,
        )} % (target ≥ 90 %); median of ${
          options.rounds
        } rounds against the replays beside each: ${Math.round(
          results.ratios.medianRoundRatio * 100,
        )} %\n` +
        `crawler CPU per request ×${results.ratios.crawlerCpuPerRequestOverWrk} of wrk's (target ≤ 2)\n` +
        `at the registry: crawl peak ${results.crawl.peakConnectionsAtRegistry} connections (limit ${options.concurrency}), ` +
        `${results.crawl.peakRequestsPerSecondAtRegistry} req/s in its busiest second\n` +
        `unchanged recrawl: ${results.recrawl.manifestGets} manifest GETs (target 0)`,
    );
    return results;
  } finally {
    await registry.stop();
  }
}
