import { testConnection } from '../../__testUtils__/connection';
import { crawlAll } from '../../__testUtils__/crawlAll';
import { NexusFixture, nexusHandler } from '../../__testUtils__/nexusFixtures';
import { startRegistryProxy } from '../../__testUtils__/registryProxy';
import {
  ScriptedServer,
  startScriptedServer,
} from '../../__testUtils__/scriptedServer';
import { InMemoryCrawlMemory } from '../../crawler/CrawlMemory';
import { RegistryCrawler } from '../../crawler/RegistryCrawler';
import {
  ExpectedImage,
  pushDockerImage,
  RegistryPusher,
  seedDemoImages,
  startTestRegistry,
  TestRegistry,
} from '../../testUtils';

jest.setTimeout(120_000);

const users = { inventory: 'secret', bob: 'builder' };

/** Nexus in front of real distribution registries, one per docker repository. */
describe('NexusAdapter', () => {
  const registries: TestRegistry[] = [];
  let nexus: ScriptedServer;
  let hosted: ExpectedImage[];
  let grouped: ExpectedImage[];
  let fixture: NexusFixture;

  beforeAll(async () => {
    const start = () => startTestRegistry({ auth: 'basic', users });
    const [hostedRegistry, groupRegistry, emptyRegistry] = await Promise.all([
      start(),
      start(),
      start(),
    ]);
    registries.push(hostedRegistry, groupRegistry, emptyRegistry);
    const address = (r: TestRegistry) => ({
      url: r.url,
      credentials: { username: 'inventory', password: 'secret' },
    });
    hosted = await seedDemoImages(address(hostedRegistry));
    const pusher = new RegistryPusher(address(groupRegistry));
    grouped = [];
    for (const n of [1, 2, 3, 4, 5]) {
      grouped.push(
        await pushDockerImage(pusher, `libs/lib-${n}`, ['1.0'], {
          seed: `lib-${n}`,
          created: '2026-05-01T00:00:00Z',
          platform: { os: 'linux', architecture: 'amd64' },
        }),
      );
    }
    fixture = {
      users,
      repositories: [
        {
          name: 'docker-hosted',
          format: 'docker',
          type: 'hosted',
          target: hostedRegistry.url,
        },
        {
          name: 'docker-group',
          format: 'docker',
          type: 'group',
          target: groupRegistry.url,
        },
        {
          name: 'docker-empty',
          format: 'docker',
          type: 'hosted',
          target: emptyRegistry.url,
        },
        {
          name: 'docker-hub',
          format: 'docker',
          type: 'proxy',
          target: groupRegistry.url,
        },
        { name: 'maven-releases', format: 'maven2', type: 'hosted' },
        {
          name: 'docker-secret',
          format: 'docker',
          type: 'hosted',
          target: emptyRegistry.url,
          viewers: ['inventory'],
        },
      ],
    };
    nexus = await startScriptedServer(nexusHandler(fixture, () => nexus.url));
  });
  afterAll(async () => {
    await nexus?.close();
    await Promise.all(registries.map(r => r.stop()));
  });
  beforeEach(() => {
    nexus.requests.length = 0;
  });

  const connection = (
    options: Record<string, unknown> = {},
    username = 'inventory',
    password = 'secret',
  ) =>
    testConnection(nexus.url, {
      type: 'nexus',
      auth: { type: 'basic', username, password },
      options,
      transport: { pageSize: 2 },
    });

  it('loads the hosted docker repositories, each through its own V2 API under /repository/<name>/', async () => {
    const memory = new InMemoryCrawlMemory();
    const { images, results } = await crawlAll(connection(), { memory });
    expect(results.every(r => r.complete)).toBe(true);
    expect(images).toHaveLength(hosted.length);
    expect(images).toEqual(
      expect.arrayContaining(
        hosted.map(i =>
          expect.objectContaining({
            ...i,
            repository: `docker-hosted/${i.repository}`,
          }),
        ),
      ),
    );
    const paths = nexus.requests.map(r => r.url.split('?')[0]);
    expect(
      paths.every(
        p =>
          p === '/service/rest/v1/repositories' ||
          /^\/repository\/docker-(hosted|empty|secret)\/v2\//.test(p),
      ),
    ).toBe(true);
    expect(
      paths.some(p =>
        p.startsWith(
          '/repository/docker-hosted/v2/acme/payments-api/manifests/',
        ),
      ),
    ).toBe(true);

    // Unchanged: the recrawl sends no manifest or blob GET.
    nexus.requests.length = 0;
    const again = await crawlAll(connection(), { memory });
    expect(again.images).toHaveLength(hosted.length);
    expect(
      nexus.requests.filter(
        r => r.method === 'GET' && /\/(manifests|blobs)\//.test(r.url),
      ),
    ).toEqual([]);
  });

  it('pages a group repository, which sends no Link headers, by last', async () => {
    const { images, results } = await crawlAll(
      connection({ repositories: ['docker-group'] }),
    );
    expect(results.map(r => [r.repository, r.complete])).toEqual(
      grouped.map(i => [`docker-group/${i.repository}`, true]),
    );
    expect(images).toHaveLength(5);
    const catalogPages = nexus.requests.filter(r =>
      r.url.startsWith('/repository/docker-group/v2/_catalog'),
    );
    expect(
      catalogPages.map(r =>
        new URL(r.url, 'http://x').searchParams.get('last'),
      ),
    ).toEqual([null, 'libs/lib-2', 'libs/lib-4']);
  });

  it('reads a repository through its connector port when one is given', async () => {
    const connector = await startRegistryProxy({ target: registries[1].url });
    try {
      const port = new URL(connector.url).port;
      const { images } = await crawlAll(
        connection({
          repositories: ['docker-group'],
          connectorPorts: [`docker-group=${port}`],
        }),
      );
      expect(images.map(i => i.repository).sort()).toEqual(
        grouped.map(i => `docker-group/${i.repository}`).sort(),
      );
      expect(
        connector.requests.some(r =>
          r.url.startsWith('/v2/libs/lib-1/manifests/'),
        ),
      ).toBe(true);
      expect(
        nexus.requests.some(r => r.url.startsWith('/repository/docker-group/')),
      ).toBe(false);
    } finally {
      await connector.close();
    }
  });

  it('says a wrong password is wrong', async () => {
    const crawler = new RegistryCrawler(connection({}, 'inventory', 'nope'));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(
        /^Nexus refused the user name or password/,
      ),
    });
    await crawler.close();
  });

  it('names a chosen repository the user may not browse, and the privilege it needs', async () => {
    const crawler = new RegistryCrawler(
      connection({ repositories: ['docker-secret'] }, 'bob', 'builder'),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'not-found',
      message: expect.stringMatching(
        /no docker repository "docker-secret".*nx-repository-view-docker-<repository>-browse/,
      ),
    });
    await crawler.close();
  });

  it('takes an empty repository as nothing and rides out a rate limit', async () => {
    fixture.rateLimitOnce = new Set(['/repository/docker-empty/v2/_catalog']);
    const crawler = new RegistryCrawler(
      connection({ repositories: ['docker-empty'] }),
    );
    await expect(crawler.testConnection()).resolves.toBeUndefined();
    await expect(crawler.countRepositories(10)).resolves.toEqual({
      count: 0,
      more: false,
    });
    await crawler.close();
  });
});
