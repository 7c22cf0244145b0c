import { ConfigReader } from '@backstage/config';
import { testConnection } from '../../__testUtils__/connection';
import { crawlAll } from '../../__testUtils__/crawlAll';
import {
  DockerHubFixture,
  dockerHubHandler,
  HubTagFixture,
} from '../../__testUtils__/dockerHubFixtures';
import {
  RegistryProxy,
  startRegistryProxy,
} from '../../__testUtils__/registryProxy';
import {
  ScriptedServer,
  startScriptedServer,
} from '../../__testUtils__/scriptedServer';
import { readRegistryConnection } from '../../connection';
import { InMemoryCrawlMemory } from '../../crawler/CrawlMemory';
import { RegistryCrawler } from '../../crawler/RegistryCrawler';
import {
  ExpectedImage,
  seedDemoImages,
  startTestRegistry,
  TestRegistry,
} from '../../testUtils';

jest.setTimeout(120_000);

const USER = 'acmebot';
const PAT = 'dckr_pat_good';
const ATTESTATION = `sha256:${'a'.repeat(64)}`;

/** The Hub's tag entry for a seeded image: its platforms as `images[]`, attestations included. */
function hubTag(image: ExpectedImage, name: string, i: number): HubTagFixture {
  const index = image.platforms.some(p => p.digest);
  const images = index
    ? [
        ...image.platforms.map(({ digest, ...p }) => ({ ...p, digest })),
        { os: 'unknown', architecture: 'unknown', digest: ATTESTATION },
      ]
    : image.platforms.map(p => ({ ...p, digest: image.digest }));
  return {
    name,
    digest: image.digest,
    media_type: image.mediaType,
    tag_last_pushed: `2026-11-0${i + 1}T10:00:00.123456Z`,
    images,
  };
}

describe('DockerHubAdapter', () => {
  let registry: TestRegistry;
  let proxy: RegistryProxy;
  let hub: ScriptedServer;
  let seeded: ExpectedImage[];
  let fixture: DockerHubFixture;

  beforeAll(async () => {
    registry = await startTestRegistry({
      auth: 'basic',
      users: { [USER]: PAT },
    });
    seeded = await seedDemoImages({
      url: registry.url,
      credentials: { username: USER, password: PAT },
    });
    proxy = await startRegistryProxy({ target: registry.url });
    const repositories: DockerHubFixture['repositories'] = {};
    for (const image of seeded) {
      const tags = (repositories[image.repository] ??= []);
      image.tags.forEach((name, i) => tags.push(hubTag(image, name, i)));
    }
    fixture = {
      users: { [USER]: PAT },
      members: { [USER]: ['acme', 'platform'] },
      repositories,
      publicRepositories: new Set(['platform/nginx-proxy']),
      perPage: 1,
      issued: [],
      expired: new Set(),
    };
    hub = await startScriptedServer(dockerHubHandler(fixture, () => hub.url));
  });
  afterAll(async () => {
    await hub?.close();
    await proxy?.close();
    await registry?.stop();
  });
  beforeEach(() => {
    hub.requests.length = 0;
    proxy.requests.length = 0;
  });

  const connection = (
    namespaces: string[],
    credentials: { username?: string; password?: string } = {
      username: USER,
      password: PAT,
    },
  ) =>
    testConnection(proxy.url, {
      type: 'dockerhub',
      auth: { type: credentials.username ? 'basic' : 'none', ...credentials },
      options: { namespaces, hubApiUrl: hub.url },
      transport: { pageSize: 100 },
    });

  const wantedIn = (namespaces: string[]) =>
    seeded.filter(i => namespaces.includes(i.repository.split('/')[0]));

  it('lists repositories and tags across pages with digests, platforms and push dates, reading no manifest, and none again on a recrawl', async () => {
    const memory = new InMemoryCrawlMemory();
    const namespaces = ['acme', 'platform'];
    const { images, results } = await crawlAll(connection(namespaces), {
      memory,
    });
    const wanted = wantedIn(namespaces);
    expect(results.every(r => r.complete)).toBe(true);
    expect(images).toHaveLength(wanted.length);
    expect(images).toEqual(
      expect.arrayContaining(
        wanted.map(i =>
          expect.objectContaining({
            repository: i.repository,
            digest: i.digest,
            mediaType: i.mediaType,
            tags: i.tags,
            // The attestation in images[] is not a platform.
            platforms: expect.arrayContaining(i.platforms),
            pushed: expect.stringMatching(/^2026-11-0\dT10:00:00\.123Z$/),
          }),
        ),
      ),
    );
    for (const image of images) {
      expect(image.platforms).toHaveLength(
        wanted.find(w => w.digest === image.digest)!.platforms.length,
      );
    }
    // The Hub's page_size is capped at one entry here: pages follow the absolute `next`.
    expect(hub.requests.map(r => r.url)).toContainEqual(
      '/v2/namespaces/acme/repositories?page_size=100&page=2',
    );
    // One login; API requests carry its token, which never reaches the registry.
    expect(hub.requests.filter(r => r.url === '/v2/auth/token')).toHaveLength(
      1,
    );
    const token = fixture.issued[fixture.issued.length - 1];
    expect(
      hub.requests
        .filter(r => r.url.startsWith('/v2/namespaces/'))
        .every(r => r.headers.authorization === `Bearer ${token}`),
    ).toBe(true);
    expect(proxy.requests.filter(r => r.url.includes('/manifests/'))).toEqual(
      [],
    );

    proxy.requests.length = 0;
    const again = await crawlAll(connection(namespaces), { memory });
    expect(again.images).toHaveLength(wanted.length);
    expect(proxy.requests).toEqual([]);
  });

  it('logs in again when the Hub refuses its token as expired, and goes on', async () => {
    const crawler = new RegistryCrawler(connection(['acme']), {
      memory: new InMemoryCrawlMemory(),
    });
    await crawler.testConnection();
    fixture.issued.forEach(t => fixture.expired.add(t));
    const logins = fixture.issued.length;
    const results = [];
    for await (const result of crawler.crawl()) results.push(result);
    await crawler.close();
    expect(results.every(r => r.complete)).toBe(true);
    expect(results.flatMap(r => r.images)).toHaveLength(
      wantedIn(['acme']).length,
    );
    expect(fixture.issued.length).toBe(logins + 1);
  });

  it('renews a token before its expiry', async () => {
    fixture.tokenLifetimeS = 20; // inside the renewal margin: every use renews it
    try {
      const before = fixture.issued.length;
      const { results } = await crawlAll(connection(['platform']));
      expect(results.every(r => r.complete)).toBe(true);
      expect(fixture.issued.length - before).toBeGreaterThan(1);
      expect(hub.requests.some(r => r.url === '/v2/auth/token')).toBe(true);
    } finally {
      delete fixture.tokenLifetimeS;
    }
  });

  it('lists public repositories only, without credentials', async () => {
    const { images } = await crawlAll(connection(['platform', 'acme'], {}));
    expect(new Set(images.map(i => i.repository))).toEqual(
      new Set(['platform/nginx-proxy']),
    );
    expect(hub.requests.some(r => r.url === '/v2/auth/token')).toBe(false);
  });

  it('says a refused personal access token is refused, and which permission to give a new one', async () => {
    const crawler = new RegistryCrawler(
      connection(['acme'], { username: USER, password: 'dckr_pat_revoked' }),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(
        /^Docker Hub refused the personal access token of "acmebot".*"Read-only" access permission/,
      ),
    });
    await crawler.close();
    expect(JSON.stringify(hub.requests)).not.toContain('dckr_pat_revoked');
  });

  it('names a namespace the Hub does not know', async () => {
    const crawler = new RegistryCrawler(connection(['nobody']));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'not-found',
      message: expect.stringMatching(/no namespace "nobody"/),
    });
    await crawler.close();
  });

  it('waits out a throttled answer (x-ratelimit-reset) and completes', async () => {
    fixture.rateLimitOnce = new Set([
      '/v2/namespaces/acme/repositories/payments-api/tags',
    ]);
    const { results } = await crawlAll(connection(['acme']));
    expect(fixture.rateLimitOnce.size).toBe(0);
    expect(results.every(r => r.complete)).toBe(true);
    expect(
      results.find(r => r.repository === 'acme/payments-api')!.images,
    ).toHaveLength(2);
  });

  it('reads the manifest of a tag the Hub lists without platforms', async () => {
    const saved = fixture.repositories['acme/payments-api'];
    fixture.repositories['acme/payments-api'] = saved.map(
      ({ images: _, media_type: __, ...tag }) => tag,
    );
    try {
      const { results } = await crawlAll(connection(['acme']));
      const payments = results.find(r => r.repository === 'acme/payments-api')!;
      expect(payments.images).toEqual(
        expect.arrayContaining(
          wantedIn(['acme'])
            .filter(i => i.repository === 'acme/payments-api')
            .map(i =>
              expect.objectContaining({ ...i, pushed: expect.any(String) }),
            ),
        ),
      );
      // At most one manifest per tag (two tags share a digest: one read when not concurrent).
      const reads = proxy.requests.filter(
        r => r.method === 'GET' && r.url.includes('/manifests/'),
      ).length;
      expect(reads).toBeGreaterThanOrEqual(2);
      expect(reads).toBeLessThanOrEqual(3);
    } finally {
      fixture.repositories['acme/payments-api'] = saved;
    }
  });

  it('is refused at start-up without namespaces', () => {
    expect(() =>
      readRegistryConnection(
        new ConfigReader({
          id: 'hub',
          url: 'https://registry-1.docker.io',
          type: 'dockerhub',
        }),
        'reg',
      ),
    ).toThrow(/reg\.options\.namespaces is required for Docker Hub/);
  });
});
