#!/usr/bin/env node
/* eslint-disable no-console */
// `yarn bench:images`: GET /images p50/p95 per query shape at 100 000 images, SQLite and PostgreSQL.
// BENCH_REPOSITORIES × BENCH_IMAGES_PER_REPOSITORY images; BENCH_RUNS timed requests per shape;
// BENCH_DATABASES=sqlite,postgres; BENCH_POSTGRES_URL; BENCH_KEEP=1 keeps the databases for EXPLAIN.
const path = require('node:path');

require('@backstage/cli/config/nodeTransform.cjs');
const {
  runImagesBenchmark,
} = require('../plugins/container-registry-backend/src/bench/imagesBenchmark');

const number = (name, fallback) => Number(process.env[name] ?? fallback);

runImagesBenchmark({
  dataDir: path.resolve(__dirname, '../data'),
  repositories: number('BENCH_REPOSITORIES', 5000),
  imagesPerRepository: number('BENCH_IMAGES_PER_REPOSITORY', 20),
  runs: number('BENCH_RUNS', 50),
  warmup: number('BENCH_WARMUP', 5),
  databases: (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(','),
  postgresUrl:
    process.env.BENCH_POSTGRES_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres',
  keep: process.env.BENCH_KEEP === '1',
}).then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
