#!/usr/bin/env node
/* eslint-disable no-console */
// Starts the demo registry for `./run start`: Debian's docker-registry on loopback with its
// storage in the data folder, seeded with demo images on first start. Runs until stopped.
const { parseArgs } = require('node:util');

require('@backstage/cli/config/nodeTransform.cjs');
const {
  startTestRegistry,
  seedDemoImages,
} = require('../plugins/container-registry-node/src/testUtils');

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      port: { type: 'string', default: '5050' },
    },
  });
  if (!values.data)
    throw new Error('usage: demo-registry.js --data <dir> [--port <port>]');
  const registry = await startTestRegistry({
    storageDir: values.data,
    port: Number(values.port),
  });
  const catalog = await (await fetch(`${registry.url}/v2/_catalog`)).json();
  if ((catalog.repositories ?? []).length === 0) {
    const images = await seedDemoImages(registry);
    console.log(`seeded ${images.length} demo images`);
  }
  console.log(`demo registry ready at ${registry.url}`);
  const stop = async () => {
    await registry.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
