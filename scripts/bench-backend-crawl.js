#!/usr/bin/env node
/* eslint-disable no-console */
// `yarn bench:backend-crawl`: the backend's crawl (inventory writes on SQLite) against the same
// crawl with nothing stored, alternating on one local registry. BENCH_REPOSITORIES × BENCH_TAGS,
// BENCH_ROUNDS; BENCH_SHARED_CPUS=1 lets the registry share the CPUs instead of having the last.
const path = require('node:path');
const os = require('node:os');

require('@backstage/cli/config/nodeTransform.cjs');
const {
  runBackendCrawlBenchmark,
} = require('../plugins/container-registry-backend/src/bench/backendCrawlBenchmark');

const number = (name, fallback) => Number(process.env[name] ?? fallback);
const lastCpu = os.cpus().length - 1;
const pinRegistry = process.env.BENCH_SHARED_CPUS !== '1' && lastCpu > 0;

// The registry gets the last CPU; this process (crawler and database) the others.
if (pinRegistry && !process.env.BENCH_PINNED) {
  const { status } = require('node:child_process').spawnSync(
    'taskset',
    ['--cpu-list', `0-${lastCpu - 1}`, process.execPath, __filename],
    { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } },
  );
  process.exit(status ?? 1);
}

runBackendCrawlBenchmark({
  dataDir: path.resolve(__dirname, '../data'),
  repositories: number('BENCH_REPOSITORIES', 300),
  tagsPerRepository: number('BENCH_TAGS', 20),
  rounds: number('BENCH_ROUNDS', 3),
  ...(pinRegistry ? { registryCpu: String(lastCpu) } : {}),
}).then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
