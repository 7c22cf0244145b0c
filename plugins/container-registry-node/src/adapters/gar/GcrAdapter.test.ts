import { generateKeyPairSync } from 'node:crypto';
import { testConnection } from '../../__testUtils__/connection';
import { crawlAll } from '../../__testUtils__/crawlAll';
import { GarFixture, garHandler } from '../../__testUtils__/garFixtures';
import {
  ScriptedServer,
  startScriptedServer,
} from '../../__testUtils__/scriptedServer';
import { InMemoryCrawlMemory } from '../../crawler/CrawlMemory';
import { RegistryCrawler } from '../../crawler/RegistryCrawler';
import {
  ExpectedImage,
  seedDemoImages,
  startTestRegistry,
  TestRegistry,
} from '../../testUtils';

jest.setTimeout(120_000);

const READER = 'inventory@my-proj.iam.gserviceaccount.com';

describe('GcrAdapter', () => {
  let registry: TestRegistry;
  let gcr: ScriptedServer;
  let seeded: ExpectedImage[];
  let fixture: GarFixture;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const key = (tokenUri: string) =>
    JSON.stringify({
      type: 'service_account',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      client_email: READER,
      token_uri: tokenUri,
    });

  beforeAll(async () => {
    registry = await startTestRegistry({
      auth: 'basic',
      users: { pusher: 'pusher-password' },
    });
    seeded = await seedDemoImages({
      url: registry.url,
      credentials: { username: 'pusher', password: 'pusher-password' },
    });
    const images: GarFixture['repositories'][string]['images'] = {};
    seeded.forEach((image, i) =>
      (images[image.repository] ??= []).push({
        digest: image.digest,
        tags: image.tags,
        createTime: `2026-06-0${(i % 9) + 1}T08:00:00.000Z`,
      }),
    );
    fixture = {
      project: 'my-proj',
      location: 'eu',
      accounts: {
        [READER]: {
          publicKey: publicKey
            .export({ type: 'spki', format: 'pem' })
            .toString(),
          reader: true,
        },
      },
      repositories: { 'eu.gcr.io': { format: 'DOCKER', images } },
      perPage: 1,
      registry: {
        url: registry.url,
        username: 'pusher',
        password: 'pusher-password',
      },
      issued: new Map(),
      gcr: { otherProjectRepositories: ['other-proj/tool'] },
    };
    gcr = await startScriptedServer(garHandler(fixture, () => gcr.url));
  });
  afterAll(async () => {
    await gcr?.close();
    await registry?.stop();
  });

  const connection = () =>
    testConnection(gcr.url, {
      type: 'gcr',
      auth: { type: 'auto', password: key(`${gcr.url}/token`) },
      options: { project: 'my-proj' },
    });

  it("lists the project's repositories from the catalog and tags with digests and upload times from the tag list; a recrawl reads no manifest", async () => {
    const memory = new InMemoryCrawlMemory();
    const { images, results } = await crawlAll(connection(), { memory });
    expect(results.every(r => r.complete)).toBe(true);
    expect(results.map(r => r.repository)).not.toContain('other-proj/tool');
    expect(images).toEqual(
      expect.arrayContaining(
        seeded.map(i =>
          expect.objectContaining({
            ...i,
            repository: `my-proj/${i.repository}`,
            pushed: expect.stringMatching(/^2026-06-0\dT08:00:00\.000Z$/),
          }),
        ),
      ),
    );
    expect(images).toHaveLength(seeded.length);
    expect(gcr.requests.filter(r => r.method === 'HEAD')).toEqual([]);

    gcr.requests.length = 0;
    await crawlAll(connection(), { memory });
    expect(gcr.requests.filter(r => r.url.includes('/manifests/'))).toEqual([]);
  });

  it('says Google refused a key it does not know', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const crawler = new RegistryCrawler({
      ...connection(),
      auth: {
        type: 'auto',
        password: JSON.stringify({
          private_key: stranger.privateKey.export({
            type: 'pkcs8',
            format: 'pem',
          }),
          client_email: 'gone@my-proj.iam.gserviceaccount.com',
          token_uri: `${gcr.url}/token`,
        }),
      },
    });
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(/^Google refused the service account key/),
    });
    await crawler.close();
  });
});
