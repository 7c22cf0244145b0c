import { ConfigReader } from '@backstage/config';
import { testConnection } from '../../__testUtils__/connection';
import { readRegistryConnection } from '../../connection';
import { crawlAll } from '../../__testUtils__/crawlAll';
import {
  GitLabFixture,
  gitlabHandler,
} from '../../__testUtils__/gitlabFixtures';
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
  seedDemoImages,
  startTestRegistry,
  TestRegistry,
} from '../../testUtils';

jest.setTimeout(120_000);

const USER = 'inventory-bot';
const TOKEN = 'glpat-inventory';
const REGISTRY_ONLY = 'gldt-registry-only';

/**
 * GitLab's layout: the registry on its own host, answering with a challenge that sends
 * clients to the instance's /jwt/auth; the instance's API on another origin.
 */
describe('GitLabAdapter', () => {
  let registry: TestRegistry;
  let front: RegistryProxy;
  let gitlab: ScriptedServer;
  let seeded: ExpectedImage[];
  const fixture: GitLabFixture = {
    tokens: {
      [TOKEN]: ['read_api', 'read_registry'],
      [REGISTRY_ONLY]: ['read_registry'],
    },
    groups: {
      acme: ['acme/payments-api', 'acme/web-frontend'],
      'acme/empty-team': [],
      platform: ['platform/nginx-proxy'],
    },
    projects: {
      'acme/payments-api': ['acme/payments-api'],
      'acme/web-frontend': ['acme/web-frontend'],
      'platform/nginx-proxy': ['platform/nginx-proxy'],
      'tools/ci-runner': ['tools/ci-runner'],
    },
  };

  beforeAll(async () => {
    registry = await startTestRegistry({
      auth: 'token',
      users: { [USER]: TOKEN, 'deploy-user': REGISTRY_ONLY },
    });
    seeded = await seedDemoImages({
      url: registry.url,
      credentials: { username: USER, password: TOKEN },
    });
    fixture.jwtAuth = `${registry.tokenServer!.url}/token`;
    gitlab = await startScriptedServer(
      gitlabHandler(fixture, () => gitlab.url),
    );
    front = await startRegistryProxy({
      target: registry.url,
      realm: `${gitlab.url}/jwt/auth`,
    });
  });
  afterAll(async () => {
    await front?.close();
    await gitlab?.close();
    await registry?.stop();
  });
  beforeEach(() => {
    gitlab.requests.length = 0;
    front.requests.length = 0;
  });

  const connection = (
    options: Record<string, unknown>,
    password = TOKEN,
    username = USER,
  ) =>
    testConnection(front.url, {
      type: 'gitlab',
      auth: { type: 'auto', username, password },
      options: { apiUrl: gitlab.url, ...options },
      transport: { pageSize: 1 },
    });

  it('lists the repositories of groups (with subgroups) and projects through the API, pages of them, and reads tags from the registry with a JWT from /jwt/auth', async () => {
    const memory = new InMemoryCrawlMemory();
    const { results, images, report } = await crawlAll(
      connection({ groups: ['acme'], projects: ['tools/ci-runner'] }),
      { memory },
    );
    expect(results.map(r => [r.repository, r.complete])).toEqual([
      ['acme/payments-api', true],
      ['acme/web-frontend', true],
      ['tools/ci-runner', true],
    ]);
    const wanted = seeded.filter(i =>
      ['acme/payments-api', 'acme/web-frontend', 'tools/ci-runner'].includes(
        i.repository,
      ),
    );
    expect(images).toHaveLength(wanted.length);
    expect(images).toEqual(
      expect.arrayContaining(wanted.map(i => expect.objectContaining(i))),
    );
    // Paged one repository at a time: two pages of the group, then the project's one.
    expect(
      gitlab.requests.filter(r => r.url.startsWith('/api/v4/groups/acme/')),
    ).toHaveLength(2);
    expect(gitlab.requests.some(r => r.url.startsWith('/jwt/auth'))).toBe(true);
    // The registry's catalog (administrators only) is never asked.
    expect(front.requests.some(r => r.url.includes('_catalog'))).toBe(false);
    // The API got the token as Bearer, never as Basic.
    expect(
      gitlab.requests
        .filter(r => r.url.startsWith('/api/'))
        .every(r => r.headers.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);
    const first = report.toJSON().requests.byKind;

    // An unchanged recrawl: one HEAD per tag, no manifest or blob GET.
    const again = await crawlAll(
      connection({ groups: ['acme'], projects: ['tools/ci-runner'] }),
      { memory },
    );
    expect(again.images).toHaveLength(wanted.length);
    const byKind = again.report.toJSON().requests.byKind;
    expect(byKind.manifest).toBeUndefined();
    expect(byKind.blob).toBeUndefined();
    expect(first.manifest).toBeGreaterThan(0);
  });

  it('without groups or projects, says that the catalog is for administrators and how to fix it', async () => {
    const crawler = new RegistryCrawler(connection({}));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      message: expect.stringMatching(
        /^GitLab lists the registry catalog only for administrators: give a group or project/,
      ),
    });
    await crawler.close();
  });

  it('says a wrong token is refused by the registry', async () => {
    const crawler = new RegistryCrawler(
      connection({ groups: ['acme'] }, 'nope'),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(
        /GitLab refused the credentials for its registry/,
      ),
    });
    await crawler.close();
  });

  it('says a token without read_api cannot list through the API', async () => {
    const crawler = new RegistryCrawler(
      connection({ groups: ['acme'] }, REGISTRY_ONLY, 'deploy-user'),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'forbidden',
      message: expect.stringMatching(/give it the read_api scope/),
    });
    await crawler.close();
  });

  it('names a group the token cannot see', async () => {
    const crawler = new RegistryCrawler(
      connection({ groups: ['acme/missing'] }),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'not-found',
      message: expect.stringMatching(/no group "acme\/missing".*Reporter/),
    });
    await crawler.close();
  });

  it('takes an empty subgroup as nothing, and rides out a rate limit', async () => {
    fixture.rateLimitOnce = new Set([
      '/api/v4/groups/platform/registry/repositories',
    ]);
    const { results } = await crawlAll(
      connection({ groups: ['acme/empty-team', 'platform'] }),
    );
    expect(results.map(r => [r.repository, r.complete])).toEqual([
      ['platform/nginx-proxy', true],
    ]);
  });

  it('is refused at start-up without the GitLab URL', () => {
    expect(() =>
      readRegistryConnection(
        new ConfigReader({
          id: 'gl',
          url: 'https://registry.example.com',
          type: 'gitlab',
          gitlab: { groups: ['a'] },
        }),
        'reg',
      ),
    ).toThrow(/reg\.gitlab\.apiUrl is required for GitLab/);
  });
});
