#!/usr/bin/env node
/* eslint-disable no-console */
// Starts the demo registries for `./run start`: Debian's docker-registry on loopback with their
// storage in the data folder, seeded with demo images on first start. The first is open and
// configured in app-config.demo.yaml; the second, on the next port, asks for basic auth
// (demo / demo-password), for adding a registry on the Registries page. Runs until stopped.
//
//   node scripts/demo-registry.js --data <dir> [--port <port>]
const path = require('node:path');
const { parseArgs } = require('node:util');

// Compiles the TypeScript test utilities on the fly, so the demo needs no build step.
require('@backstage/cli/config/nodeTransform.cjs');
const {
  startTestRegistry,
  seedDemoImages,
  pushOciIndex,
  pushDockerImage,
  RegistryPusher,
} = require('../plugins/container-registry-node/src/testUtils');

const TEAM_USERS = { demo: 'demo-password' };

/** A few images of a team's own registry, one of them built from the payments-api sources. */
async function seedTeamImages(registry) {
  const pusher = new RegistryPusher(registry);
  const source = name => ({
    'org.opencontainers.image.source': `https://github.com/acme/${name}`,
  });
  return [
    await pushOciIndex(
      pusher,
      'team/payments-worker',
      ['2.0.0', 'latest'],
      [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
      {
        seed: 'payments-worker-2.0.0',
        created: '2026-11-20T10:00:00Z',
        labels: source('payments-api'),
      },
    ),
    await pushDockerImage(pusher, 'team/tools', ['1.0'], {
      seed: 'team-tools-1.0',
      created: '2026-10-01T09:00:00Z',
      labels: {},
    }),
  ];
}

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
  const { credentials } = registry;
  const headers = credentials
    ? {
        authorization: `Basic ${Buffer.from(
          `${credentials.username}:${credentials.password}`,
        ).toString('base64')}`,
      }
    : {};
  const response = await fetch(`${registry.url}/v2/_catalog`, { headers });
  if (!response.ok) {
    throw new Error(`${registry.url}/v2/_catalog answered ${response.status}`);
  }
  const { repositories } = await response.json();
  return !repositories || repositories.length === 0;
}

async function main() {
  const { storageDir, port } = readOptions();
  const registries = [];
  let stopping;
  const stopAll = () => Promise.all(registries.map(r => r.stop()));
  const stop = () => {
    stopping ??= stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    const open = await startTestRegistry({ storageDir, port });
    registries.push(open);
    const team = await startTestRegistry({
      storageDir: `${storageDir}-team`,
      port: port + 1,
      auth: 'basic',
      users: TEAM_USERS,
    });
    registries.push(team);
    // The storage outlives the process: seed only the first time.
    if (await isEmpty(open)) {
      const images = await seedDemoImages(open);
      console.log(`seeded ${images.length} demo images`);
    }
    if (await isEmpty(team)) {
      const images = await seedTeamImages(team);
      console.log(`seeded ${images.length} team images`);
    }
    console.log(
      `team registry (basic auth demo / demo-password) at ${team.url}`,
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  console.log(`demo registry ready at ${registries[0].url}`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
