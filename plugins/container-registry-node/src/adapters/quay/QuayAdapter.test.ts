import { ConfigReader } from '@backstage/config';
import { testConnection } from '../../__testUtils__/connection';
import { readRegistryConnection } from '../../connection';
import { crawlAll } from '../../__testUtils__/crawlAll';
import { QuayFixture, quayHandler } from '../../__testUtils__/quayFixtures';
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

const ROBOT = 'acme+inventory';
const ROBOT_TOKEN = 'robot-secret';
const START_TS = 1_767_225_600; // 2026-01-01T00:00:00Z

describe('QuayAdapter', () => {
  let registry: TestRegistry;
  let quay: ScriptedServer;
  let seeded: ExpectedImage[];
  let fixture: QuayFixture;

  beforeAll(async () => {
    registry = await startTestRegistry({
      auth: 'basic',
      users: { [ROBOT]: ROBOT_TOKEN },
    });
    seeded = await seedDemoImages({
      url: registry.url,
      credentials: { username: ROBOT, password: ROBOT_TOKEN },
    });
    const repositories: QuayFixture['repositories'] = { 'empty/nothing': [] };
    for (const image of seeded) {
      const tags = (repositories[image.repository] ??= []);
      image.tags.forEach((name, i) =>
        tags.push({
          name,
          manifest_digest: image.digest,
          start_ts: START_TS + i,
        }),
      );
    }
    fixture = {
      tokens: {
        'oauth-good': { read: true },
        'oauth-noscope': { read: false },
      },
      repositories,
      repositoriesPerPage: 1,
      registry: registry.url,
    };
    quay = await startScriptedServer(quayHandler(fixture, () => quay.url));
  });
  afterAll(async () => {
    await quay?.close();
    await registry?.stop();
  });
  beforeEach(() => {
    quay.requests.length = 0;
  });

  const connection = (
    namespaces: string[],
    token = 'oauth-good',
    robotToken = ROBOT_TOKEN,
  ) =>
    testConnection(quay.url, {
      type: 'quay',
      auth: { type: 'basic', username: ROBOT, password: robotToken, token },
      options: { namespaces },
      transport: { pageSize: 1 },
    });

  it('lists namespaces by next_page and tags by page with digests and push times; a recrawl reads no manifest', async () => {
    const memory = new InMemoryCrawlMemory();
    const { images, results } = await crawlAll(
      connection(['acme', 'platform']),
      { memory },
    );
    const wanted = seeded.filter(i => /^(acme|platform)\//.test(i.repository));
    expect(results.every(r => r.complete)).toBe(true);
    expect(images).toHaveLength(wanted.length);
    expect(images).toEqual(
      expect.arrayContaining(
        wanted.map(i =>
          expect.objectContaining({
            ...i,
            pushed: expect.stringMatching(/^2026-01-01T00:00:0\d\.000Z$/),
          }),
        ),
      ),
    );
    // Two acme repositories, one per page: the second page is asked by next_page.
    expect(quay.requests.map(r => r.url)).toContainEqual(
      '/api/v1/repository?namespace=acme&next_page=cursor-1',
    );
    // A tag list of two tags, one per page, follows has_additional.
    expect(quay.requests.map(r => r.url)).toContainEqual(
      expect.stringMatching(
        /^\/api\/v1\/repository\/acme\/payments-api\/tag\/\?onlyActiveTags=true&limit=1&page=3$/,
      ),
    );
    // API requests carry the OAuth token, registry requests the robot account.
    const api = quay.requests.filter(r => r.url.startsWith('/api/'));
    const v2 = quay.requests.filter(r => r.url.startsWith('/v2/'));
    expect(
      api.every(r => r.headers.authorization === 'Bearer oauth-good'),
    ).toBe(true);
    expect(v2.length).toBeGreaterThan(0);
    expect(
      v2.every(r => !String(r.headers.authorization).includes('oauth-good')),
    ).toBe(true);

    quay.requests.length = 0;
    const again = await crawlAll(connection(['acme', 'platform']), { memory });
    expect(again.images).toHaveLength(wanted.length);
    expect(quay.requests.filter(r => r.url.startsWith('/v2/'))).toEqual([]);
  });

  it('says a wrong API token is wrong, and how to make one', async () => {
    const crawler = new RegistryCrawler(connection(['acme'], 'oauth-bad'));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(
        /^Quay refused the API token: create an OAuth application token/,
      ),
    });
    await crawler.close();
  });

  it('says a wrong robot token is wrong', async () => {
    const crawler = new RegistryCrawler(
      connection(['acme'], 'oauth-good', 'nope'),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(/robot account/),
    });
    await crawler.close();
  });

  it('names the namespace a token without read access cannot list', async () => {
    const crawler = new RegistryCrawler(connection(['acme'], 'oauth-noscope'));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'forbidden',
      message: expect.stringMatching(/namespace "acme"/),
    });
    await crawler.close();
  });

  it('takes an empty repository as no images and rides out a rate limit', async () => {
    fixture.rateLimitOnce = new Set(['/api/v1/repository']);
    const { results } = await crawlAll(connection(['empty']));
    expect(
      results.map(r => [r.repository, r.complete, r.images.length]),
    ).toEqual([['empty/nothing', true, 0]]);
  });

  it('is refused at start-up without namespaces', () => {
    expect(() =>
      readRegistryConnection(
        new ConfigReader({ id: 'q', url: 'https://quay.io', type: 'quay' }),
        'reg',
      ),
    ).toThrow(/reg\.options\.namespaces is required for Quay/);
  });
});
