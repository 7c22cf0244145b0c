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
const NOBODY = 'no-role@my-proj.iam.gserviceaccount.com';

function serviceAccount(email: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    key: (tokenUri: string) =>
      JSON.stringify({
        type: 'service_account',
        project_id: 'my-proj',
        private_key_id: 'abc123',
        private_key: privateKey
          .export({ type: 'pkcs8', format: 'pem' })
          .toString(),
        client_email: email,
        client_id: '1234567890',
        token_uri: tokenUri,
      }),
  };
}

describe('GarAdapter', () => {
  let registry: TestRegistry;
  let google: ScriptedServer;
  let seeded: ExpectedImage[];
  let fixture: GarFixture;
  const reader = serviceAccount(READER);
  const nobody = serviceAccount(NOBODY);

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
        createTime: `2026-05-0${(i % 9) + 1}T08:00:00.123456Z`,
      }),
    );
    fixture = {
      project: 'my-proj',
      location: 'europe',
      accounts: {
        [READER]: { publicKey: reader.publicKey, reader: true },
        [NOBODY]: { publicKey: nobody.publicKey, reader: false },
      },
      repositories: {
        containers: { format: 'DOCKER', images },
        'maven-releases': { format: 'MAVEN', images: {} },
      },
      perPage: 1,
      registry: {
        url: registry.url,
        username: 'pusher',
        password: 'pusher-password',
      },
      issued: new Map(),
    };
    google = await startScriptedServer(garHandler(fixture, () => google.url));
  });
  afterAll(async () => {
    await google?.close();
    await registry?.stop();
  });
  beforeEach(() => {
    google.requests.length = 0;
  });

  const connection = (key = reader.key(`${google.url}/token`)) =>
    testConnection(google.url, {
      type: 'gar',
      auth: { type: 'auto', password: key },
      options: { project: 'my-proj', location: 'europe', apiUrl: google.url },
      transport: { pageSize: 5000 },
    });

  it('lists docker repositories, packages and versions across pages through a service-account key; a recrawl reads no manifest', async () => {
    const memory = new InMemoryCrawlMemory();
    const { images, results } = await crawlAll(connection(), { memory });
    expect(results.every(r => r.complete)).toBe(true);
    expect(images).toHaveLength(seeded.length);
    expect(images).toEqual(
      expect.arrayContaining(
        seeded.map(i =>
          expect.objectContaining({
            ...i,
            repository: `my-proj/containers/${i.repository}`,
            pushed: expect.stringMatching(/^2026-05-0\dT08:00:00\.123Z$/),
          }),
        ),
      ),
    );
    const urls = google.requests.map(r => r.url);
    // The key's token_uri got the assertion; pages are ≤ 1000 and follow nextPageToken.
    expect(urls).toContain('/token');
    expect(urls).toContain(
      '/v1/projects/my-proj/locations/europe/repositories?pageSize=1000&pageToken=1',
    );
    expect(urls).toContainEqual(
      expect.stringMatching(
        /^\/v1\/projects\/my-proj\/locations\/europe\/repositories\/containers\/packages\/acme%2Fpayments-api\/versions\?view=FULL&pageSize=1000&pageToken=1$/,
      ),
    );
    // The registry took the access token as oauth2accesstoken; no HEAD: the API gave digests.
    expect(urls.some(u => u.startsWith('/v2/token?'))).toBe(true);
    expect(google.requests.filter(r => r.method === 'HEAD')).toEqual([]);

    google.requests.length = 0;
    const again = await crawlAll(connection(), { memory });
    expect(again.images).toHaveLength(seeded.length);
    expect(
      google.requests.filter(
        r => r.url.startsWith('/v2/') && !r.url.startsWith('/v2/token'),
      ),
    ).toEqual([]);
  });

  it('takes an access token instead of a key', async () => {
    const token = [...fixture.issued.keys()][0];
    const { results } = await crawlAll({
      ...connection(),
      auth: { type: 'auto', token },
    });
    expect(results.every(r => r.complete)).toBe(true);
    expect(google.requests.some(r => r.url === '/token')).toBe(false);
  });

  it('names roles/artifactregistry.reader when the service account lacks it', async () => {
    const crawler = new RegistryCrawler(
      connection(nobody.key(`${google.url}/token`)),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'forbidden',
      message: expect.stringMatching(/roles\/artifactregistry\.reader/),
    });
    await crawler.close();
  });

  it('says Google refused a key it does not know', async () => {
    const stranger = serviceAccount('gone@my-proj.iam.gserviceaccount.com');
    const crawler = new RegistryCrawler(
      connection(stranger.key(`${google.url}/token`)),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(/^Google refused the service account key/),
    });
    await crawler.close();
  });

  it('waits out a RESOURCE_EXHAUSTED answer', async () => {
    fixture.throttleOnce = new Set([
      '/v1/projects/my-proj/locations/europe/repositories/containers/packages',
    ]);
    const { results } = await crawlAll(connection());
    expect(fixture.throttleOnce.size).toBe(0);
    expect(results.every(r => r.complete)).toBe(true);
    expect(results).toHaveLength(new Set(seeded.map(i => i.repository)).size);
  });
});
