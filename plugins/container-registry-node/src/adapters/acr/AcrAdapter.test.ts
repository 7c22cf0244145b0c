import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  aadHandler,
  AcrFixture,
  acrHandler,
} from '../../__testUtils__/acrFixtures';
import { testConnection } from '../../__testUtils__/connection';
import { crawlAll } from '../../__testUtils__/crawlAll';
import {
  ScriptedServer,
  startScriptedServer,
} from '../../__testUtils__/scriptedServer';
import { InMemoryCrawlMemory } from '../../crawler/CrawlMemory';
import { RegistryCrawler } from '../../crawler/RegistryCrawler';
import {
  createSelfSignedCertificate,
  ExpectedImage,
  seedDemoImages,
  startTestRegistry,
  TestRegistry,
} from '../../testUtils';

jest.setTimeout(120_000);

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = 'b1f5a9c2-0d3e-4f6a-8b7c-9d0e1f2a3b4c';
const SECRET = 'sp-secret~value';

describe('AcrAdapter', () => {
  let dir: string;
  let caCert: string;
  let registry: TestRegistry;
  let acr: ScriptedServer;
  let aad: ScriptedServer;
  let seeded: ExpectedImage[];
  let fixture: AcrFixture;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'acr-'));
    const { keyPath, certificatePath } = createSelfSignedCertificate(dir, {
      commonName: 'acr-test',
      ipAddress: '127.0.0.1',
    });
    caCert = readFileSync(certificatePath, 'utf8');
    const tls = { key: readFileSync(keyPath), cert: caCert };
    registry = await startTestRegistry({
      auth: 'basic',
      users: { pusher: 'pusher-password' },
    });
    seeded = await seedDemoImages({
      url: registry.url,
      credentials: { username: 'pusher', password: 'pusher-password' },
    });
    const repositories: AcrFixture['repositories'] = {};
    seeded.forEach((image, i) => {
      for (const name of image.tags) {
        (repositories[image.repository] ??= []).push({
          name,
          digest: image.digest,
          createdTime: `2026-03-0${(i % 9) + 1}T10:00:00.1234567Z`,
          lastUpdateTime: `2026-04-0${(i % 9) + 1}T10:00:00.1234567Z`,
        });
      }
    });
    fixture = {
      tenant: TENANT,
      principals: {
        [CLIENT]: { secret: SECRET, acrPull: true },
        'no-role-client': { secret: SECRET, acrPull: false },
      },
      users: { myregistry: 'admin-password' },
      repositories,
      perPage: 1,
      registry: {
        url: registry.url,
        username: 'pusher',
        password: 'pusher-password',
      },
      exchanges: 0,
    };
    acr = await startScriptedServer(
      acrHandler(fixture, () => acr.url),
      {
        tls,
      },
    );
    aad = await startScriptedServer(
      aadHandler(fixture, () => aad.url),
      {
        tls,
      },
    );
  });
  afterAll(async () => {
    await acr?.close();
    await aad?.close();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    acr.requests.length = 0;
    aad.requests.length = 0;
  });

  const servicePrincipal = (clientId = CLIENT, secret = SECRET) =>
    testConnection(acr.url, {
      type: 'acr',
      auth: { type: 'auto', username: clientId, password: secret },
      options: { tenantId: TENANT, authorityHost: aad.url },
      transport: { pageSize: 5000, caCert },
    });

  const adminUser = (password = 'admin-password') =>
    testConnection(acr.url, {
      type: 'acr',
      auth: { type: 'auto', username: 'myregistry', password },
      transport: { pageSize: 100, caCert },
    });

  it('lists repositories and tags across Link pages with a service principal through Azure AD and the token exchange; a recrawl reads no manifest', async () => {
    const memory = new InMemoryCrawlMemory();
    const { images, results } = await crawlAll(servicePrincipal(), {
      memory,
    });
    expect(results.every(r => r.complete)).toBe(true);
    expect(images).toHaveLength(seeded.length);
    expect(images).toEqual(
      expect.arrayContaining(
        seeded.map(i =>
          expect.objectContaining({
            ...i,
            pushed: expect.stringMatching(/^2026-04-0\dT10:00:00\.123Z$/),
          }),
        ),
      ),
    );
    // One Azure AD token, one exchange; pages are at most 1000 and follow the Link.
    expect(
      aad.requests.filter(r => r.url.includes('/oauth2/v2.0/token')),
    ).toHaveLength(1);
    expect(acr.requests.filter(r => r.url === '/oauth2/exchange')).toHaveLength(
      1,
    );
    const urls = acr.requests.map(r => r.url);
    expect(urls).toContain('/acr/v1/_catalog?n=1000');
    expect(urls).toContainEqual(
      expect.stringMatching(
        /^\/acr\/v1\/acme\/payments-api\/_tags\?last=[^&]+&n=\d+/,
      ),
    );
    // The client secret goes to Azure AD only.
    expect(JSON.stringify(acr.requests)).not.toContain(SECRET);
    expect(
      urls.filter(u => u.includes('/manifests/') && !u.includes('sha256')),
    ).not.toEqual([]);
    expect(acr.requests.filter(r => r.method === 'HEAD')).toEqual([]);

    acr.requests.length = 0;
    const again = await crawlAll(servicePrincipal(), { memory });
    expect(again.images).toHaveLength(seeded.length);
    expect(acr.requests.filter(r => r.url.startsWith('/v2/'))).toEqual([]);
  });

  it('exchanges a new refresh token once the old one is more than an hour old', async () => {
    const crawler = new RegistryCrawler(servicePrincipal(), {
      memory: new InMemoryCrawlMemory(),
    });
    const exchanges = fixture.exchanges;
    await crawler.testConnection();
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 2 * 3600_000);
    try {
      const results = [];
      for await (const result of crawler.crawl()) results.push(result);
      expect(results.every(r => r.complete)).toBe(true);
    } finally {
      clock.mockRestore();
      await crawler.close();
    }
    expect(fixture.exchanges - exchanges).toBe(2);
  });

  it('crawls with the admin user through the registry challenge', async () => {
    const { images, results } = await crawlAll(adminUser());
    expect(results.every(r => r.complete)).toBe(true);
    expect(images).toHaveLength(seeded.length);
    expect(acr.requests.some(r => r.url === '/oauth2/exchange')).toBe(false);
  });

  it('rides out a throttled tag listing', async () => {
    fixture.rateLimitOnce = new Set(['/acr/v1/acme/web-frontend/_tags']);
    const { results } = await crawlAll(adminUser());
    expect(fixture.rateLimitOnce.size).toBe(0);
    expect(results.every(r => r.complete)).toBe(true);
  });

  it('names AcrPull when the service principal has no role on the registry', async () => {
    const crawler = new RegistryCrawler(servicePrincipal('no-role-client'));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'forbidden',
      message: expect.stringMatching(/AcrPull role/),
    });
    await crawler.close();
  });

  it('says Azure AD refused a wrong client secret', async () => {
    const crawler = new RegistryCrawler(servicePrincipal(CLIENT, 'wrong'));
    const error = await crawler.testConnection().catch(e => e);
    await crawler.close();
    expect(error).toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(
        /^Azure AD refused the service principal: check the tenant id/,
      ),
    });
  });

  it('says the registry refused a wrong admin password', async () => {
    const crawler = new RegistryCrawler(adminUser('wrong'));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(/admin user/),
    });
    await crawler.close();
  });
});
