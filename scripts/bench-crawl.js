#!/usr/bin/env node
/* eslint-disable no-console */
// `yarn bench:crawl`: crawl throughput against a local registry, with its baselines.
// BENCH_REPOSITORIES, BENCH_TAGS, BENCH_CONCURRENCY, BENCH_SKOPEO_SAMPLE and BENCH_ROUNDS (crawls,
// each between two replays of the ceiling) change the size;
// BENCH_SHARED_CPUS=1 lets the registry share CPUs with the crawler instead of having its own.
const path = require('node:path');

require('@backstage/cli/config/nodeTransform.cjs');
const {
  runCrawlBenchmark,
} = require('../plugins/container-registry-node/src/bench/crawlBenchmark');

const number = (name, fallback) => Number(process.env[name] ?? fallback);

runCrawlBenchmark({
  dataDir: path.resolve(__dirname, '../data'),
  repositories: number('BENCH_REPOSITORIES', 1000),
  tagsPerRepository: number('BENCH_TAGS', 10),
  concurrency: number('BENCH_CONCURRENCY', 8),
  skopeoSample: number('BENCH_SKOPEO_SAMPLE', 200),
  rounds: number('BENCH_ROUNDS', 3),
  sharedCpus: process.env.BENCH_SHARED_CPUS === '1',
}).catch(error => {
  console.error(error);
  process.exit(1);
});
