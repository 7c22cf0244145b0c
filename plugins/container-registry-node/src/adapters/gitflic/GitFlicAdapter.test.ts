import { ConfigReader } from '@backstage/config';
import { testConnection } from '../../__testUtils__/connection';
import { crawlAll } from '../../__testUtils__/crawlAll';
import {
  RegistryProxy,
  startRegistryProxy,
} from '../../__testUtils__/registryProxy';
import { readRegistryConnection } from '../../connection';
import { InMemoryCrawlMemory } from '../../crawler/CrawlMemory';
import { RegistryCrawler } from '../../crawler/RegistryCrawler';
import {
  ExpectedImage,
  pushDockerImage,
  pushOciIndex,
  RegistryPusher,
  startTestRegistry,
  TestRegistry,
} from '../../testUtils';
import { gitflicOwnerOf } from './GitFlicAdapter';

jest.setTimeout(120_000);

const USER = 'alice';
const TRANSPORT_TOKEN = 'tt-0123456789';

/** A self-hosted GitFlic's registry: the plain V2 API at the root of its own port. */
describe('GitFlicAdapter', () => {
  let registry: TestRegistry;
  let gitflic: RegistryProxy;
  const pushed: ExpectedImage[] = [];

  beforeAll(async () => {
    registry = await startTestRegistry({
      auth: 'basic',
      users: { [USER]: TRANSPORT_TOKEN },
    });
    const pusher = new RegistryPusher({
      url: registry.url,
      credentials: { username: USER, password: TRANSPORT_TOKEN },
    });
    const amd64 = { os: 'linux', architecture: 'amd64' };
    const image = (repository: string, tags: string[], seed: string) =>
      pushDockerImage(pusher, repository, tags, {
        seed,
        created: '2026-04-01T00:00:00Z',
        platform: amd64,
      });
    pushed.push(
      await image('project/alice/shop/api', ['1.0', 'latest'], 'api'),
      await image('project/alice/shop/web', ['2.0'], 'web'),
      await image('project/bob/tools/lint', ['1'], 'lint'),
      await pushOciIndex(
        pusher,
        'company/acme/base',
        ['bookworm'],
        [amd64, { os: 'linux', architecture: 'arm64', variant: 'v8' }],
        { seed: 'base', created: '2026-03-01T00:00:00Z' },
      ),
      // A proxied registry's image, cached at the instance's root.
      await image('ubuntu', ['24.04'], 'ubuntu'),
    );
    gitflic = await startRegistryProxy({ target: registry.url });
  });
  afterAll(async () => {
    await gitflic?.close();
    await registry?.stop();
  });
  beforeEach(() => {
    gitflic.requests.length = 0;
  });

  const connection = (
    options: Record<string, unknown> = {},
    password = TRANSPORT_TOKEN,
  ) =>
    testConnection(gitflic.url, {
      type: 'gitflic',
      auth: { type: 'auto', username: USER, password },
      options,
      transport: { pageSize: 1 },
    });

  it('tells project, company and instance images apart by their path', () => {
    expect(gitflicOwnerOf('project/alice/shop/api')).toEqual({
      kind: 'project',
      owner: 'alice',
      project: 'shop',
    });
    expect(gitflicOwnerOf('company/acme/base')).toEqual({
      kind: 'company',
      company: 'acme',
    });
    expect(gitflicOwnerOf('ubuntu')).toEqual({ kind: 'instance' });
    expect(gitflicOwnerOf('project/alice/api')).toEqual({ kind: 'instance' });
  });

  it('loads the chosen project and company across catalog pages; a recrawl reads no manifest', async () => {
    const memory = new InMemoryCrawlMemory();
    const options = { projects: ['alice/shop'], companies: ['acme'] };
    const { images, results } = await crawlAll(connection(options), {
      memory,
    });
    const wanted = pushed.filter(i =>
      /^(project\/alice\/shop\/|company\/acme\/)/.test(i.repository),
    );
    expect(results.every(r => r.complete)).toBe(true);
    expect(images).toHaveLength(wanted.length);
    expect(images).toEqual(
      expect.arrayContaining(wanted.map(i => expect.objectContaining(i))),
    );
    // Five names one per page: the catalog is read to its end.
    expect(
      gitflic.requests.filter(r => r.url.startsWith('/v2/_catalog')).length,
    ).toBeGreaterThanOrEqual(5);

    gitflic.requests.length = 0;
    await crawlAll(connection(options), { memory });
    expect(
      gitflic.requests.filter(
        r => r.method === 'GET' && /\/(manifests|blobs)\//.test(r.url),
      ),
    ).toEqual([]);
  });

  it('loads every image the account can list when nothing is chosen', async () => {
    const { images } = await crawlAll(connection());
    expect(images).toHaveLength(pushed.length);
  });

  it('takes a project without images as nothing, and rides out a rate limit', async () => {
    const limited = await startRegistryProxy({
      target: registry.url,
      rateLimitOnce: new Set(['/v2/_catalog']),
    });
    try {
      const { results } = await crawlAll(
        testConnection(limited.url, {
          type: 'gitflic',
          auth: { type: 'auto', username: USER, password: TRANSPORT_TOKEN },
          options: { projects: ['alice/empty'] },
        }),
      );
      expect(results).toEqual([]);
      expect(
        limited.requests.filter(r => r.url.startsWith('/v2/_catalog')).length,
      ).toBeGreaterThan(1);
    } finally {
      await limited.close();
    }
  });

  it('says a wrong transport token is wrong, and where to make one', async () => {
    const crawler = new RegistryCrawler(connection({}, 'nope'));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(
        /^GitFlic refused the credentials: .*transport token/,
      ),
    });
    await crawler.close();
  });

  it('says what to do when the account may not list the registry', async () => {
    const denied = await startRegistryProxy({
      target: registry.url,
      denied: /^\/v2\/_catalog$/,
    });
    try {
      const crawler = new RegistryCrawler(
        testConnection(denied.url, {
          type: 'gitflic',
          auth: { type: 'auto', username: USER, password: TRANSPORT_TOKEN },
        }),
      );
      await expect(crawler.testConnection()).rejects.toMatchObject({
        reason: 'forbidden',
        message: expect.stringMatching(/member of the projects or companies/),
      });
      await crawler.close();
    } finally {
      await denied.close();
    }
  });

  it('refuses a project not written as owner/project at start-up', () => {
    expect(() =>
      readRegistryConnection(
        new ConfigReader({
          id: 'gf',
          url: 'https://registry.gitflic.ru',
          type: 'gitflic',
          gitflic: { projects: ['shop'] },
        }),
        'reg',
      ),
    ).toThrow(/reg\.gitflic\.projects must be "owner\/project", got "shop"/);
  });
});
