import { testConnection } from '../../__testUtils__/connection';
import { crawlAll } from '../../__testUtils__/crawlAll';
import { GhcrFixture, ghcrHandler } from '../../__testUtils__/ghcrFixtures';
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

const USER = 'platform';
const PAT = 'ghp_good';
const UNTAGGED = `sha256:${'b'.repeat(64)}`;

describe('GhcrAdapter', () => {
  let registry: TestRegistry;
  let proxy: RegistryProxy;
  let github: ScriptedServer;
  let seeded: ExpectedImage[];
  let fixture: GhcrFixture;

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
    const packages: GhcrFixture['packages'] = {};
    seeded.forEach((image, i) => {
      // GitHub keeps the owner's case in the API; ghcr.io names are lowercase.
      const name = image.repository.replace(/^acme\//, 'Acme/');
      (packages[name] ??= []).push({
        digest: image.digest,
        tags: image.tags,
        created_at: `2026-10-${String(10 + i).padStart(2, '0')}T09:30:00Z`,
      });
    });
    packages['Acme/payments-api'].push({
      digest: UNTAGGED,
      tags: [],
      created_at: '2026-01-01T00:00:00Z',
    });
    fixture = {
      tokens: {
        [PAT]: { login: USER, scopes: ['read:packages', 'repo'] },
        ghp_noscope: { login: USER, scopes: ['repo'] },
      },
      packages,
      orgs: new Set(['Acme']),
      perPage: 1,
    };
    github = await startScriptedServer(ghcrHandler(fixture, () => github.url));
  });
  afterAll(async () => {
    await github?.close();
    await proxy?.close();
    await registry?.stop();
  });
  beforeEach(() => {
    github.requests.length = 0;
    proxy.requests.length = 0;
  });

  const connection = (
    options: { organizations?: string[]; users?: string[] },
    password = PAT,
  ) =>
    testConnection(proxy.url, {
      type: 'ghcr',
      auth: { type: 'basic', username: USER, password },
      options: { ...options, apiUrl: github.url },
      transport: { pageSize: 100 },
    });

  const wanted = () =>
    seeded.filter(i => /^(acme|platform)\//.test(i.repository));

  it('lists packages and versions across Link pages with digests, tags and push dates; a recrawl reads nothing from the registry', async () => {
    const memory = new InMemoryCrawlMemory();
    const options = { organizations: ['Acme'], users: [USER] };
    const { images, results } = await crawlAll(connection(options), {
      memory,
    });
    expect(results.every(r => r.complete)).toBe(true);
    expect(images).toHaveLength(wanted().length);
    expect(images).toEqual(
      expect.arrayContaining(
        wanted().map(i =>
          expect.objectContaining({
            ...i,
            pushed: expect.stringMatching(/^2026-10-\d\dT09:30:00\.000Z$/),
          }),
        ),
      ),
    );
    // The untagged version is no image.
    expect(images.map(i => i.digest)).not.toContain(UNTAGGED);
    const urls = github.requests.map(r => r.url);
    expect(urls).toContainEqual(
      '/orgs/Acme/packages?package_type=container&per_page=100&page=2',
    );
    // The token's own user lists through /user, which includes its private packages.
    expect(urls).toContainEqual(
      '/user/packages?package_type=container&per_page=100',
    );
    expect(urls).toContainEqual(
      '/orgs/Acme/packages/container/payments-api/versions?per_page=100&page=2',
    );
    expect(
      github.requests.every(r => r.headers.authorization === `Bearer ${PAT}`),
    ).toBe(true);
    // The API gave the digests: no HEAD, at most one manifest read per tag (for platforms,
    // which the API does not give), and by digest only an index's representative image.
    expect(proxy.requests.filter(r => r.method === 'HEAD')).toEqual([]);
    const manifestReads = proxy.requests.filter(r =>
      r.url.includes('/manifests/'),
    );
    const tagCount = wanted().reduce((n, i) => n + i.tags.length, 0);
    expect(
      manifestReads.filter(r => !r.url.includes('/manifests/sha256')).length,
    ).toBeLessThanOrEqual(tagCount);
    const platformDigests = wanted().flatMap(i =>
      i.platforms.flatMap(p =>
        p.digest ? [encodeURIComponent(p.digest)] : [],
      ),
    );
    for (const read of manifestReads.filter(r =>
      r.url.includes('/manifests/sha256'),
    )) {
      expect(platformDigests).toContain(read.url.split('/manifests/')[1]);
    }

    proxy.requests.length = 0;
    const again = await crawlAll(connection(options), { memory });
    expect(again.images).toHaveLength(wanted().length);
    expect(proxy.requests).toEqual([]);
  });

  it('waits out a secondary rate limit (403 with Retry-After) and completes', async () => {
    fixture.secondaryRateLimitOnce = new Set([
      '/orgs/Acme/packages/container/web-frontend/versions',
    ]);
    const { results } = await crawlAll(connection({ organizations: ['Acme'] }));
    expect(fixture.secondaryRateLimitOnce.size).toBe(0);
    expect(results.every(r => r.complete)).toBe(true);
    expect(results.map(r => r.repository)).toContain('acme/web-frontend');
  });

  it('names read:packages when the token lacks it', async () => {
    const crawler = new RegistryCrawler(
      connection({ organizations: ['Acme'] }, 'ghp_noscope'),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'forbidden',
      message: expect.stringMatching(
        /packages of organisation "Acme": it needs the read:packages scope/,
      ),
    });
    await crawler.close();
  });

  it('says a refused token is refused', async () => {
    const crawler = new RegistryCrawler(
      connection({ organizations: ['Acme'] }, 'ghp_revoked'),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(
        /^GitHub refused the token.*read:packages/,
      ),
    });
    await crawler.close();
  });

  it('names an organisation GitHub does not know', async () => {
    const crawler = new RegistryCrawler(
      connection({ organizations: ['nope'] }),
    );
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'not-found',
      message: expect.stringMatching(/no organisation "nope"/),
    });
    await crawler.close();
  });
});
