#!/usr/bin/env node
/* eslint-disable no-console */
// Starts the demo registry for `./run start`: Debian's docker-registry on loopback with its
// storage in the data folder, seeded with demo images on first start. Runs until stopped.
//
//   node scripts/demo-registry.js --data <dir> [--port <port>]
const path = require('node:path');
const { parseArgs } = require('node:util');

// Compiles the TypeScript test utilities on the fly, so the demo needs no build step.
require('@backstage/cli/config/nodeTransform.cjs');
const {
  startTestRegistry,
  seedDemoImages,
} = require('../plugins/container-registry-node/src/testUtils');

function readOptions() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      port: { type: 'string', default: '5050' },
    },
  });
  const port = Number(values.port);
  if (!values.data || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error('usage: demo-registry.js --data <dir> [--port <port>]');
  }
  return { storageDir: path.resolve(values.data), port };
}

async function isEmpty(registry) {
  const response = await fetch(`${registry.url}/v2/_catalog`);
  if (!response.ok) {
    throw new Error(`${registry.url}/v2/_catalog answered ${response.status}`);
  }
  const { repositories } = await response.json();
  return !repositories || repositories.length === 0;
}

async function main() {
  const registry = await startTestRegistry(readOptions());
  let stopping;
  const stop = () => {
    stopping ??= registry.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    // The storage outlives the process: seed only the first time.
    if (await isEmpty(registry)) {
      const images = await seedDemoImages(registry);
      console.log(`seeded ${images.length} demo images`);
    }
  } catch (error) {
    await registry.stop();
    throw error;
  }
  console.log(`demo registry ready at ${registry.url}`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
