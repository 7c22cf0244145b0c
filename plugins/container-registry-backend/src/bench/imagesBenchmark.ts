/* eslint-disable no-console */
import { mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
// A benchmark run from source, never part of the plugin's build: the test backend is its host.
// eslint-disable-next-line @backstage/no-undeclared-imports
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import knexFactory, { Knex } from 'knex';
import { encodeCursor } from '../database/ImagesQuery';
import { InventoryStore } from '../database/InventoryStore';
import { containerRegistryPlugin } from '../plugin';
import { BENCH_REGISTRIES, seedInventory } from './seedInventory';

export interface ImagesBenchmarkOptions {
  dataDir: string;
  repositories: number;
  imagesPerRepository: number;
  /** Timed requests per query shape, after the warm-up. */
  runs: number;
  warmup: number;
  /** `sqlite`, `postgres` or both. */
  databases: Array<'sqlite' | 'postgres'>;
  /** Server of the PostgreSQL run; a fresh database is made on it and dropped after. */
  postgresUrl: string;
  /** Keep the PostgreSQL database and SQLite file after the run, for EXPLAIN. */
  keep: boolean;
}

interface Shape {
  name: string;
  params: Record<string, string>;
}

/** Every query shape the images table sends, alone and combined. */
function queryShapes(total: number): Shape[] {
  const sorts = [
    'repository',
    'registry',
    'created',
    'pushed',
    'lifecycle',
    'owner',
    'component',
  ];
  const deep = encodeCursor(Math.floor(total / 2));
  return [
    { name: 'first page (default sort)', params: {} },
    ...sorts.flatMap(sort =>
      ['asc', 'desc'].map(order => ({
        name: `sort ${sort} ${order}`,
        params: { sort, order },
      })),
    ),
    { name: 'q repository fragment', params: { q: 'service-421' } },
    { name: 'q tag', params: { q: 'sha-1a5' } },
    { name: 'q digest prefix', params: { q: 'sha256:00a' } },
    { name: 'q no match', params: { q: 'no-such-image' } },
    { name: 'registry', params: { registry: 'ecr-eu' } },
    { name: 'lifecycle latest', params: { lifecycle: 'latest' } },
    { name: 'owner', params: { owner: 'group:default/team-3' } },
    { name: 'component', params: { component: 'component:default/svc-42' } },
    { name: 'unlinked', params: { unlinked: 'true' } },
    { name: 'platform linux/arm64/v8', params: { platform: 'linux/arm64/v8' } },
    { name: 'deep page (offset 50%)', params: { cursor: deep } },
    ...sorts.flatMap(sort =>
      ['asc', 'desc'].map(order => ({
        name: `deep page, ${sort} ${order}`,
        params: { cursor: deep, sort, order },
      })),
    ),
    {
      name: 'last page',
      params: { cursor: encodeCursor(total - 50) },
    },
    {
      name: 'registry + lifecycle + created desc',
      params: {
        registry: 'harbor-prod',
        lifecycle: 'outdated',
        sort: 'created',
        order: 'desc',
      },
    },
    {
      name: 'q + registry + pushed desc',
      params: { q: 'team-1', registry: 'ghcr', sort: 'pushed', order: 'desc' },
    },
    {
      name: 'owner + q tag',
      params: { owner: 'group:default/team-3', q: 'latest' },
    },
    {
      name: 'unlinked + platform + owner sort',
      params: { unlinked: 'true', platform: 'linux/amd64', sort: 'owner' },
    },
    {
      name: 'registry + deep page + component desc',
      params: {
        registry: 'harbor-prod',
        cursor: encodeCursor(Math.floor(total / 4)),
        sort: 'component',
        order: 'desc',
      },
    },
  ];
}

interface Timing {
  p50: number;
  p95: number;
  max: number;
}

function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[
      Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)
    ];
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

async function timed(
  options: ImagesBenchmarkOptions,
  call: () => Promise<unknown>,
): Promise<Timing> {
  for (let i = 0; i < options.warmup; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

interface DatabaseUnderTest {
  label: string;
  knex: Knex;
  /** Parallel saves while seeding: SQLite has one writer. */
  parallel: number;
  dispose(): Promise<void>;
}

async function openSqlite(
  options: ImagesBenchmarkOptions,
): Promise<DatabaseUnderTest> {
  const dir = join(options.dataDir, 'bench-images');
  mkdirSync(dir, { recursive: true });
  const filename = join(dir, 'inventory.sqlite');
  rmSync(filename, { force: true });
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  });
  return {
    label: `SQLite (${filename})`,
    knex,
    parallel: 1,
    dispose: async () => {
      await knex.destroy();
      if (!options.keep) rmSync(filename, { force: true });
    },
  };
}

async function openPostgres(
  options: ImagesBenchmarkOptions,
): Promise<DatabaseUnderTest> {
  const name = `bench_images_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: options.postgresUrl });
  await admin.raw('create database ??', [name]);
  const url = new URL(options.postgresUrl);
  url.pathname = `/${name}`;
  const knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 0, max: 10 },
  });
  return {
    label: `PostgreSQL (database ${name})`,
    knex,
    parallel: 4,
    dispose: async () => {
      await knex.destroy();
      if (!options.keep) await admin.raw('drop database ??', [name]);
      await admin.destroy();
    },
  };
}

/** The plugin as a backend runs it, on the seeded database; no crawl or linking starts. */
async function startPlugin(knex: Knex) {
  const never = {
    frequency: { days: 1 },
    timeout: { minutes: 1 },
    initialDelay: { days: 1 },
  };
  const registries = Object.fromEntries(
    BENCH_REGISTRIES.map(({ id }) => [
      id,
      { url: `https://${id}.example.com`, schedule: never },
    ]),
  );
  const backend = await startTestBackend({
    features: [
      containerRegistryPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          containerRegistry: {
            encryption: {
              keys: [
                { id: 'bench', secret: Buffer.alloc(32, 7).toString('base64') },
              ],
            },
            registries,
            linking: { schedule: never },
          },
        },
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  return { backend, base: `http://127.0.0.1:${port}/api/container-registry` };
}

interface Row {
  shape: string;
  timing: Timing;
  totalCount: number;
}

async function measureDatabase(
  options: ImagesBenchmarkOptions,
  database: DatabaseUnderTest,
): Promise<{ rows: Row[]; baseline: Timing; health: Timing }> {
  const total = options.repositories * options.imagesPerRepository;
  const store = await InventoryStore.create(
    mockServices.database({ knex: database.knex }),
  );
  console.log(`\n${database.label}: seeding ${total} images…`);
  const seedStarted = performance.now();
  await seedInventory(store, {
    repositories: options.repositories,
    imagesPerRepository: options.imagesPerRepository,
    parallel: database.parallel,
    onProgress: saved =>
      process.stdout.write(`\r  ${saved}/${options.repositories} repositories`),
  });
  const [{ count }] = await database.knex('images').count({ count: '*' });
  console.log(
    `\n  seeded ${count} images in ${(
      (performance.now() - seedStarted) /
      1000
    ).toFixed(0)} s`,
  );
  // Statistics and (on PostgreSQL) the visibility map that autovacuum keeps for a table that
  // has lived with its data a while; without them counts read the table, not an index.
  await database.knex.raw(
    database.knex.client.config.client === 'pg' ? 'vacuum analyze' : 'analyze',
  );

  const { backend, base } = await startPlugin(database.knex);
  try {
    const get = async (params: Record<string, string>) => {
      const response = await fetch(
        `${base}/images?${new URLSearchParams(params)}`,
      );
      if (!response.ok) {
        throw new Error(
          `GET /images answered ${response.status}: ${await response.text()}`,
        );
      }
      return (await response.json()) as { totalCount: number };
    };
    // Floors in the same run: a plain page read in-process, and the HTTP round trip alone.
    const baseline = await timed(options, () =>
      database.knex('images').select('*').limit(50),
    );
    const health = await timed(options, async () => {
      const response = await fetch(`${base}/health`);
      await response.text();
    });
    const rows: Row[] = [];
    for (const shape of queryShapes(total)) {
      const { totalCount } = await get(shape.params);
      const timing = await timed(options, () => get(shape.params));
      rows.push({ shape: shape.name, timing, totalCount });
      console.log(
        `  ${shape.name}: p50 ${timing.p50.toFixed(
          1,
        )} ms, p95 ${timing.p95.toFixed(1)} ms (${totalCount} matches)`,
      );
    }
    return { rows, baseline, health };
  } finally {
    await backend.stop();
  }
}

const ms = (value: number) => value.toFixed(1);

function markdownTable(
  label: string,
  result: { rows: Row[]; baseline: Timing; health: Timing },
): string {
  const { rows, baseline, health } = result;
  const lines = [
    `### ${label}`,
    '',
    `Baselines in the same run: \`select * from images limit 50\` in-process p50 ${ms(
      baseline.p50,
    )} ms / p95 ${ms(baseline.p95)} ms; \`GET /health\` over HTTP p50 ${ms(
      health.p50,
    )} ms / p95 ${ms(health.p95)} ms.`,
    '',
    '| query shape | matches | p50 ms | p95 ms | max ms | p50 ÷ plain select | p95 < 200 ms |',
    '|---|---:|---:|---:|---:|---:|:---:|',
    ...rows.map(
      ({ shape, timing, totalCount }) =>
        `| ${shape} | ${totalCount} | ${ms(timing.p50)} | ${ms(
          timing.p95,
        )} | ${ms(timing.max)} | ${(timing.p50 / baseline.p50).toFixed(1)}× | ${
          timing.p95 < 200 ? 'yes' : '**no**'
        } |`,
    ),
  ];
  return lines.join('\n');
}

/**
 * `GET /images` of the plugin's real router over HTTP, on an inventory seeded through the
 * store, for every query shape of the images table; prints p50/p95/max per shape and its
 * ratio to a plain page read of the same table in the same run.
 */
export async function runImagesBenchmark(options: ImagesBenchmarkOptions) {
  const total = options.repositories * options.imagesPerRepository;
  console.log(
    `Images API benchmark: ${total} images (${options.repositories} repositories × ${options.imagesPerRepository}), ` +
      `${options.runs} timed requests per shape after ${options.warmup} warm-up; ` +
      `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(
        totalmem() /
        2 ** 30
      ).toFixed(1)} GiB, load ${loadavg()
        .map(l => l.toFixed(2))
        .join(' ')}; client, backend and databases share every CPU.`,
  );
  const tables: string[] = [];
  for (const kind of options.databases) {
    const database =
      kind === 'sqlite'
        ? await openSqlite(options)
        : await openPostgres(options);
    try {
      tables.push(
        markdownTable(database.label, await measureDatabase(options, database)),
      );
    } finally {
      await database.dispose();
    }
  }
  console.log(`\n## GET /images at ${total} images\n`);
  console.log(tables.join('\n\n'));
}
