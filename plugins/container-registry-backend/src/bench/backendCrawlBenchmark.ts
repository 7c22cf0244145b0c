/* eslint-disable no-console */
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @backstage/no-undeclared-imports
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  builtInAdapterFactories,
  InMemoryCrawlMemory,
  readRegistryConnection,
  RegistryCrawler,
} from '@container-inventory/plugin-container-registry-node';
import {
  seedRepositories,
  startTestRegistry,
} from '@container-inventory/plugin-container-registry-node/testUtils';
import knexFactory from 'knex';
import { InventoryStore } from '../database/InventoryStore';
import type { ConfiguredRegistry } from '../registries/ConfiguredRegistry';
import { CrawlService } from '../service/CrawlService';
import { DEFAULT_REMOVAL_LIMITS } from '../service/removalPolicy';

export interface BackendCrawlBenchmarkOptions {
  dataDir: string;
  repositories: number;
  tagsPerRepository: number;
  rounds: number;
  /** Give the registry the machine's last CPU (the benchmark itself runs on the others). */
  registryCpu?: string;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The backend's crawl (crawler + inventory writes on SQLite, as the plugin runs it) against the
 * same crawl with nothing stored (what `registry-inventory` does), alternating on one registry,
 * so each round's ratio compares runs made under the same machine conditions.
 */
export async function runBackendCrawlBenchmark(
  options: BackendCrawlBenchmarkOptions,
) {
  const dir = join(options.dataDir, 'bench-backend-crawl');
  mkdirSync(dir, { recursive: true });
  const registry = await startTestRegistry({
    storageDir: join(
      dir,
      `registry-${options.repositories}x${options.tagsPerRepository}`,
    ),
    ...(options.registryCpu ? { cpus: options.registryCpu } : {}),
  });
  try {
    const listed = await (
      await fetch(`${registry.url}/v2/_catalog?n=1`)
    ).json();
    if (!listed.repositories?.length) {
      console.error('Seeding the registry (once; kept in data/)…');
      await seedRepositories(registry, {
        repositories: options.repositories,
        tagsPerRepository: options.tagsPerRepository,
      });
    }
    const connection = readRegistryConnection(
      new ConfigReader({
        id: 'bench',
        url: registry.url,
        auth: { type: 'none' },
      }),
      'bench',
      { adapterFactories: builtInAdapterFactories },
    );
    const configured: ConfiguredRegistry = {
      connection,
      active: true,
      schedule: { frequency: { days: 1 }, timeout: { hours: 1 } },
      source: 'config',
      filters: {},
      view: {} as ConfiguredRegistry['view'],
    };

    const cliRates: number[] = [];
    const backendRates: number[] = [];
    const ratios: number[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const cli = await crawlWithoutStore(connection);
      const backend = await crawlIntoInventory(
        configured,
        join(dir, `round-${round}.sqlite`),
      );
      cliRates.push(cli.tagsPerSecond);
      backendRates.push(backend.tagsPerSecond);
      ratios.push(backend.tagsPerSecond / cli.tagsPerSecond);
      console.log(
        `round ${round}: registry-inventory ${
          cli.tags
        } tags in ${cli.seconds.toFixed(1)} s ` +
          `(${cli.tagsPerSecond.toFixed(0)} tags/s); backend ${
            backend.tags
          } tags in ` +
          `${backend.seconds.toFixed(1)} s (${backend.tagsPerSecond.toFixed(
            0,
          )} tags/s); ` +
          `backend ÷ CLI ${(100 * ratios[ratios.length - 1]).toFixed(0)} %`,
      );
    }
    console.log('');
    console.log(
      `| ${options.repositories} × ${options.tagsPerRepository} tags, ${options.rounds} rounds | tags/s (median) |`,
    );
    console.log('| --- | --- |');
    console.log(
      `| registry-inventory (nothing stored) | ${median(cliRates).toFixed(
        0,
      )} |`,
    );
    console.log(
      `| backend crawl into SQLite | ${median(backendRates).toFixed(0)} |`,
    );
    console.log(
      `| **backend ÷ CLI** (target ≥ 80 %) | **${(100 * median(ratios)).toFixed(
        0,
      )} %** (rounds: ${ratios
        .map(r => `${(100 * r).toFixed(0)} %`)
        .join(', ')}) |`,
    );
    console.log(
      `\n${cpus().length} CPUs (${cpus()[0]?.model}); load average ${loadavg()
        .map(l => l.toFixed(1))
        .join(' ')}; registry ${
        options.registryCpu
          ? `on CPU ${options.registryCpu}`
          : 'sharing the CPUs'
      }`,
    );
  } finally {
    await registry.stop();
  }
}

async function crawlWithoutStore(connection: ConfiguredRegistry['connection']) {
  const crawler = new RegistryCrawler(connection, {
    memory: new InMemoryCrawlMemory(),
    adapterFactories: builtInAdapterFactories,
  });
  const started = performance.now();
  try {
    for await (const _result of crawler.crawl()) {
      // registry-inventory prints each repository; nothing is kept here either.
    }
  } finally {
    await crawler.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    tags: crawler.report.tags,
    seconds,
    tagsPerSecond: crawler.report.tags / seconds,
  };
}

async function crawlIntoInventory(registry: ConfiguredRegistry, file: string) {
  rmSync(file, { force: true });
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  try {
    const store = await InventoryStore.create(mockServices.database({ knex }));
    const service = new CrawlService({
      store,
      // The backend logs at info; a logger that drops lines costs the crawl nothing extra.
      logger: mockServices.rootLogger({ level: 'none' }),
      adapterFactories: () => builtInAdapterFactories,
      removalLimits: DEFAULT_REMOVAL_LIMITS,
    });
    const started = performance.now();
    const summary = await service.crawl(registry);
    const seconds = (performance.now() - started) / 1000;
    if (summary.outcome !== 'succeeded') {
      throw new Error(
        `The backend's crawl ended ${summary.outcome}: ${summary.message}`,
      );
    }
    return {
      tags: summary.tags,
      seconds,
      tagsPerSecond: summary.tags / seconds,
    };
  } finally {
    await knex.destroy();
    rmSync(file, { force: true });
  }
}
