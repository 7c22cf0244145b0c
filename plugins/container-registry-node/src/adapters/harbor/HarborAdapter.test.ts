import { crawlAll } from '../../__testUtils__/crawlAll';
import { testConnection } from '../../__testUtils__/connection';
import {
  HarborFixture,
  harborHandler,
} from '../../__testUtils__/harborFixtures';
import {
  ScriptedServer,
  startScriptedServer,
} from '../../__testUtils__/scriptedServer';
import { InMemoryCrawlMemory } from '../../crawler/CrawlMemory';
import { RegistryCrawler } from '../../crawler/RegistryCrawler';
import {
  pushOciImage,
  RegistryPusher,
  startTestRegistry,
} from '../../testUtils';

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const IMAGE = 'application/vnd.docker.distribution.manifest.v2+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';

function image(n: number, tags: string[], extra: object = {}) {
  return {
    digest: digest(n),
    manifest_media_type: IMAGE,
    push_time: `2026-01-0${n}T10:00:00.000Z`,
    tags: tags.map(name => ({
      name,
      push_time: `2026-02-0${n}T10:00:00.000Z`,
    })),
    extra_attrs: {
      architecture: 'amd64',
      os: 'linux',
      created: `2025-12-0${n}T08:00:00Z`,
      config: { Labels: { team: `t${n}` } },
    },
    ...extra,
  };
}

function fixture(): HarborFixture {
  return {
    users: { robot$inventory: 'secret' },
    projects: {
      'team-a': {
        repositories: {
          api: [image(1, ['1.0', 'latest']), image(2, ['0.9'])],
          'tools/builder': [
            {
              digest: digest(3),
              manifest_media_type: INDEX,
              push_time: '2026-01-03T10:00:00.000Z',
              tags: [{ name: 'v3', push_time: '2026-02-03T10:00:00.000Z' }],
              references: [
                {
                  child_digest: digest(4),
                  platform: { os: 'linux', architecture: 'amd64' },
                },
                {
                  child_digest: digest(5),
                  platform: {
                    os: 'linux',
                    architecture: 'arm64',
                    variant: 'v8',
                  },
                },
                {
                  child_digest: digest(6),
                  platform: { os: 'unknown', architecture: 'unknown' },
                  annotations: {
                    'vnd.docker.reference.type': 'attestation-manifest',
                  },
                },
              ],
            },
          ],
          // An artifact without tags is not an image anyone pulls by name.
          untagged: [{ ...image(7, []) }],
        },
        children: { [digest(4)]: image(4, []) },
      },
      'team-b': { repositories: { web: [image(8, ['2'])] } },
      empty: { repositories: {} },
      secret: {
        repositories: { hidden: [image(9, ['x'])] },
        members: ['alice'],
      },
    },
  };
}

describe('HarborAdapter', () => {
  let server: ScriptedServer;
  afterEach(() => server?.close());

  const connection = (
    options: Record<string, unknown> = {},
    password = 'secret',
  ) =>
    testConnection(server.url, {
      type: 'harbor',
      auth: { type: 'basic', username: 'robot$inventory', password },
      options,
      transport: { pageSize: 2 },
    });

  it('inventories every project it may see through the API, across pages, with no manifest request', async () => {
    server = await startScriptedServer(harborHandler(fixture()));
    const memory = new InMemoryCrawlMemory();
    const { results, report, images } = await crawlAll(connection(), {
      memory,
    });

    expect(results.map(r => [r.repository, r.complete])).toEqual([
      ['team-a/api', true],
      ['team-a/tools/builder', true],
      ['team-a/untagged', true],
      ['team-b/web', true],
    ]);
    expect(images.find(i => i.digest === digest(1))).toMatchObject({
      repository: 'team-a/api',
      tags: ['1.0', 'latest'],
      mediaType: IMAGE,
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      created: '2025-12-01T08:00:00Z',
      pushed: '2026-02-01T10:00:00.000Z',
      labels: { team: 't1' },
      detailsSource: 'product-api',
    });
    // An index: platforms from its references (not the attestation), its date and labels
    // from a platform image, as the generic path records them.
    expect(images.find(i => i.digest === digest(3))).toMatchObject({
      repository: 'team-a/tools/builder',
      tags: ['v3'],
      mediaType: INDEX,
      platforms: [
        { os: 'linux', architecture: 'amd64', digest: digest(4) },
        {
          os: 'linux',
          architecture: 'arm64',
          variant: 'v8',
          digest: digest(5),
        },
      ],
      created: '2025-12-04T08:00:00Z',
      labels: { team: 't4' },
    });
    expect(images).toHaveLength(4);
    expect(report.toJSON().requests.byKind.manifest).toBeUndefined();
    expect(server.requests.filter(r => r.url.startsWith('/v2/'))).toEqual([]);
    // Repository names holding a slash go to Harbor encoded twice.
    expect(server.requests.map(r => r.url)).toContainEqual(
      expect.stringMatching(
        /^\/api\/v2\.0\/projects\/team-a\/repositories\/tools%252Fbuilder\/artifacts\?/,
      ),
    );
    // Projects paged two at a time: three visible (the empty one too), so two pages.
    expect(
      server.requests.filter(r => r.url.startsWith('/api/v2.0/projects?')),
    ).toHaveLength(2);

    // An unchanged recrawl costs the listing only.
    server.requests.length = 0;
    const again = await crawlAll(connection(), { memory });
    expect(again.images).toHaveLength(4);
    expect(again.report.toJSON().requests.byKind.manifest).toBeUndefined();
    expect(
      again.report.toJSON().requests.byKind['manifest-head'],
    ).toBeUndefined();
    expect(server.requests.filter(r => r.url.startsWith('/v2/'))).toEqual([]);
  });

  it('loads only the chosen projects, asking pages of at most 100', async () => {
    server = await startScriptedServer(harborHandler(fixture()));
    const c = connection({ projects: ['team-b'] });
    c.transport.pageSize = 500;
    const { images } = await crawlAll(c);
    expect(images.map(i => i.repository)).toEqual(['team-b/web']);
    expect(server.requests.map(r => r.url)).not.toContainEqual(
      expect.stringMatching(/^\/api\/v2\.0\/projects\?/),
    );
    expect(server.requests.every(r => r.url.includes('page_size=100'))).toBe(
      true,
    );
  });

  it('rides out a rate limit and still lists everything', async () => {
    const data = fixture();
    data.rateLimitOnce = new Set(['/api/v2.0/projects/team-a/repositories']);
    server = await startScriptedServer(harborHandler(data));
    const { images, report } = await crawlAll(connection());
    expect(images).toHaveLength(4);
    expect(report.toJSON().requests.retries).toBeGreaterThanOrEqual(1);
  });

  it('says a wrong credential is wrong and how robot accounts are named', async () => {
    server = await startScriptedServer(harborHandler(fixture()));
    const crawler = new RegistryCrawler(connection({}, 'wrong'));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(/Harbor refused the credentials.*robot\$/),
    });
    await crawler.close();
  });

  it('says which project the account may not list, and the fix', async () => {
    server = await startScriptedServer(harborHandler(fixture()));
    const crawler = new RegistryCrawler(connection({ projects: ['secret'] }));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'forbidden',
      message: expect.stringMatching(
        /project "secret".*member of the project \(Guest is enough\)/,
      ),
    });
    await crawler.close();
  });

  it('counts an empty project as nothing, not as an error', async () => {
    server = await startScriptedServer(harborHandler(fixture()));
    const crawler = new RegistryCrawler(connection({ projects: ['empty'] }));
    await expect(crawler.testConnection()).resolves.toBeUndefined();
    await expect(crawler.countRepositories(10)).resolves.toEqual({
      count: 0,
      more: false,
    });
    await crawler.close();
  });

  it("reads the manifest from Harbor's /v2/ where the listing leaves the variant out, so nothing is lost", async () => {
    const registry = await startTestRegistry({
      auth: 'basic',
      users: { robot$inventory: 'secret' },
    });
    try {
      const pusher = new RegistryPusher({
        url: registry.url,
        credentials: { username: 'robot$inventory', password: 'secret' },
      });
      const armImage = await pushOciImage(pusher, 'edge/agent', ['1.0'], {
        seed: 'agent',
        created: '2026-06-01T00:00:00Z',
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      });
      server = await startScriptedServer(
        harborHandler({
          users: { robot$inventory: 'secret' },
          registry: registry.url,
          projects: {
            edge: {
              repositories: {
                agent: [
                  {
                    digest: armImage.digest,
                    manifest_media_type: armImage.mediaType,
                    push_time: '2026-06-02T00:00:00.000Z',
                    tags: [
                      { name: '1.0', push_time: '2026-06-02T00:00:00.000Z' },
                    ],
                    // Harbor names the architecture but not the variant.
                    extra_attrs: {
                      architecture: 'arm64',
                      os: 'linux',
                      created: '2026-06-01T00:00:00Z',
                    },
                  },
                ],
              },
            },
          },
        }),
      );
      const { images } = await crawlAll(connection());
      expect(images).toEqual([
        expect.objectContaining({
          ...armImage,
          repository: 'edge/agent',
          pushed: '2026-06-02T00:00:00.000Z',
        }),
      ]);
      expect(server.requests.map(r => r.url)).toContainEqual(
        '/v2/edge/agent/manifests/1.0',
      );
    } finally {
      await registry.stop();
    }
  });
});
