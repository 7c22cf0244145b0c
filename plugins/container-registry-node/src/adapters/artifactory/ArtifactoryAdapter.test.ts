import { testConnection } from '../../__testUtils__/connection';
import { crawlAll } from '../../__testUtils__/crawlAll';
import {
  ArtifactoryFixture,
  artifactoryHandler,
} from '../../__testUtils__/artifactoryFixtures';
import {
  RegistryProxy,
  startRegistryProxy,
} from '../../__testUtils__/registryProxy';
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

const users = { inventory: 'secret', guest: 'guest' };

describe('ArtifactoryAdapter', () => {
  const registries: TestRegistry[] = [];
  let artifactory: ScriptedServer;
  let portProxy: RegistryProxy;
  let local: ExpectedImage[];
  let libs: ExpectedImage[];
  let fixture: ArtifactoryFixture;

  beforeAll(async () => {
    const start = () => startTestRegistry({ auth: 'basic', users });
    const [localRegistry, libsRegistry, emptyRegistry] = await Promise.all([
      start(),
      start(),
      start(),
    ]);
    registries.push(localRegistry, libsRegistry, emptyRegistry);
    const address = (r: TestRegistry) => ({
      url: r.url,
      credentials: { username: 'inventory', password: 'secret' },
    });
    local = await seedDemoImages(address(localRegistry));
    const pusher = new RegistryPusher(address(libsRegistry));
    libs = [];
    for (const n of [1, 2, 3, 4, 5]) {
      libs.push(
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
          key: 'docker-local',
          type: 'LOCAL',
          packageType: 'Docker',
          target: localRegistry.url,
        },
        {
          key: 'docker-libs',
          type: 'FEDERATED',
          packageType: 'Docker',
          target: libsRegistry.url,
        },
        {
          key: 'docker-empty',
          type: 'LOCAL',
          packageType: 'Docker',
          target: emptyRegistry.url,
          readers: ['inventory'],
        },
        {
          key: 'docker-remote',
          type: 'REMOTE',
          packageType: 'Docker',
          target: libsRegistry.url,
        },
        {
          key: 'docker',
          type: 'VIRTUAL',
          packageType: 'Docker',
          target: libsRegistry.url,
        },
        { key: 'libs-release', type: 'LOCAL', packageType: 'Maven' },
      ],
    };
    artifactory = await startScriptedServer(
      artifactoryHandler(fixture, () => artifactory.url),
    );
    portProxy = await startRegistryProxy({ target: libsRegistry.url });
  });
  afterAll(async () => {
    await portProxy?.close();
    await artifactory?.close();
    await Promise.all(registries.map(r => r.stop()));
  });
  beforeEach(() => {
    artifactory.requests.length = 0;
  });

  const connection = (
    options: Record<string, unknown> = {},
    username = 'inventory',
    password = 'secret',
  ) =>
    testConnection(`${artifactory.url}/artifactory`, {
      type: 'artifactory',
      auth: { type: 'basic', username, password },
      options,
      transport: { pageSize: 2 },
    });

  it('loads local and federated docker repositories by repository path, paging on under the repository when the Link drops it', async () => {
    const memory = new InMemoryCrawlMemory();
    const { images, results } = await crawlAll(connection(), { memory });
    expect(results.every(r => r.complete)).toBe(true);
    const expected = [
      ...local.map(i => ({ ...i, repository: `docker-local/${i.repository}` })),
      ...libs.map(i => ({ ...i, repository: `docker-libs/${i.repository}` })),
    ];
    expect(images).toHaveLength(expected.length);
    expect(images).toEqual(
      expect.arrayContaining(expected.map(i => expect.objectContaining(i))),
    );
    const paths = artifactory.requests.map(r => r.url.split('?')[0]);
    expect(
      paths.every(
        p =>
          p === '/artifactory/api/repositories' ||
          p.startsWith('/artifactory/api/docker/docker-'),
      ),
    ).toBe(true);
    expect(
      paths.some(p =>
        /docker-(remote|docker)\b|\/api\/docker\/docker\//.test(p),
      ),
    ).toBe(false);
    // Three pages of five names, all under the repository's path.
    expect(
      paths.filter(
        p => p === '/artifactory/api/docker/docker-libs/v2/_catalog',
      ),
    ).toHaveLength(3);

    artifactory.requests.length = 0;
    await crawlAll(connection(), { memory });
    expect(
      artifactory.requests.filter(
        r => r.method === 'GET' && /\/(manifests|blobs)\//.test(r.url),
      ),
    ).toEqual([]);
  });

  it('reads a repository served on a port of its own', async () => {
    const port = new URL(portProxy.url).port;
    const { images } = await crawlAll(
      connection({
        accessMethod: 'port',
        repositories: ['docker-libs'],
        ports: [`docker-libs=${port}`],
      }),
    );
    expect(images.map(i => i.repository).sort()).toEqual(
      libs.map(i => `docker-libs/${i.repository}`).sort(),
    );
    expect(
      portProxy.requests.some(r =>
        r.url.startsWith('/v2/libs/lib-1/manifests/'),
      ),
    ).toBe(true);
  });

  it('says wrong credentials are wrong', async () => {
    const crawler = new RegistryCrawler(connection({}, 'inventory', 'nope'));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(/^Artifactory refused the credentials/),
    });
    await crawler.close();
  });

  it('names a chosen repository the user may not read', async () => {
    const crawler = new RegistryCrawler(
      connection({ repositories: ['docker-empty'] }, 'guest', 'guest'),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'not-found',
      message: expect.stringMatching(
        /no docker repository "docker-empty".*Read permission/,
      ),
    });
    await crawler.close();
  });

  it('takes an empty repository as nothing and rides out a rate limit', async () => {
    fixture.rateLimitOnce = new Set(['/artifactory/api/repositories']);
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
