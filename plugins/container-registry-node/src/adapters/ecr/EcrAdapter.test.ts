import { testConnection } from '../../__testUtils__/connection';
import { crawlAll } from '../../__testUtils__/crawlAll';
import {
  EcrFixture,
  ecrHandler,
  stsHandler,
} from '../../__testUtils__/ecrFixtures';
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
import { ecrError } from './EcrAdapter';
import {
  ExpectedImage,
  seedDemoImages,
  startTestRegistry,
  TestRegistry,
} from '../../testUtils';

jest.setTimeout(120_000);

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const READ_ONLY = [
  'ecr:GetAuthorizationToken',
  'ecr:DescribeRepositories',
  'ecr:DescribeImages',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
];
const PUSHED_AT = 1_767_225_600; // 2026-01-01T00:00:00Z

describe('EcrAdapter', () => {
  let registry: TestRegistry;
  let proxy: RegistryProxy;
  let ecr: ScriptedServer;
  let seeded: ExpectedImage[];
  let fixture: EcrFixture;

  beforeAll(async () => {
    registry = await startTestRegistry({
      auth: 'basic',
      users: { AWS: 'ecr-registry-password' },
    });
    seeded = await seedDemoImages({
      url: registry.url,
      credentials: { username: 'AWS', password: 'ecr-registry-password' },
    });
    proxy = await startRegistryProxy({ target: registry.url });
    const repositories: EcrFixture['repositories'] = {};
    seeded.forEach((image, i) =>
      (repositories[image.repository] ??= []).push({
        imageDigest: image.digest,
        imageTags: image.tags,
        imagePushedAt: PUSHED_AT + i,
        imageManifestMediaType: image.mediaType,
      }),
    );
    repositories['acme/payments-api'].push({
      imageDigest: `sha256:${'c'.repeat(64)}`,
      imagePushedAt: PUSHED_AT,
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
    fixture = {
      keys: {
        [KEY]: READ_ONLY,
        AKIANODESCRIBEIMAGES: READ_ONLY.filter(a => a !== 'ecr:DescribeImages'),
      },
      registryPassword: 'ecr-registry-password',
      passwordLifetimeS: 12 * 3600,
      repositories,
      perPage: 1,
      calls: [],
    };
    ecr = await startScriptedServer(ecrHandler(fixture));
  });
  afterAll(async () => {
    await ecr?.close();
    await proxy?.close();
    await registry?.stop();
  });
  beforeEach(() => {
    fixture.calls.length = 0;
    ecr.requests.length = 0;
    proxy.requests.length = 0;
  });

  const connection = (accessKey = KEY, pageSize = 5000) =>
    testConnection(proxy.url, {
      type: 'ecr',
      auth: { type: 'basic', username: accessKey, password: SECRET },
      options: {
        region: 'us-gov-west-1',
        registryId: '123456789012',
        endpoint: ecr.url,
      },
      transport: { pageSize, maxRetries: 2 },
    });

  it('lists repositories and tagged images across nextToken pages through the AWS SDK; a recrawl reads nothing from the registry', async () => {
    const memory = new InMemoryCrawlMemory();
    const { images, results, report } = await crawlAll(connection(), {
      memory,
    });
    expect(results.every(r => r.complete)).toBe(true);
    // The report counts the registry requests the adapter's own client made.
    const manifestGets = proxy.requests.filter(
      r => r.method === 'GET' && r.url.includes('/manifests/'),
    ).length;
    expect(manifestGets).toBeGreaterThan(0);
    expect(report.toJSON().requests.byKind.manifest).toBe(manifestGets);
    expect(images).toHaveLength(seeded.length);
    expect(images).toEqual(
      expect.arrayContaining(
        seeded.map(i =>
          expect.objectContaining({
            ...i,
            pushed: expect.stringMatching(/^2026-01-01T00:00:\d\d\.000Z$/),
          }),
        ),
      ),
    );
    // maxResults is kept within ECR's 1000 whatever the page size; pages follow nextToken.
    const describe = fixture.calls.filter(c => c.action === 'DescribeImages');
    expect(describe.every(c => c.body.maxResults === 1000)).toBe(true);
    expect(describe.map(c => c.body)).toContainEqual(
      expect.objectContaining({
        repositoryName: 'acme/payments-api',
        nextToken: '1',
        filter: { tagStatus: 'TAGGED' },
        registryId: '123456789012',
      }),
    );
    // The registry gets the password of GetAuthorizationToken as AWS, never the secret key.
    expect(
      fixture.calls.filter(c => c.action === 'GetAuthorizationToken'),
    ).toHaveLength(1);
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(
      proxy.requests.every(
        r =>
          r.headers.authorization ===
            `Basic ${Buffer.from('AWS:ecr-registry-password').toString(
              'base64',
            )}` || r.headers.authorization === undefined,
      ),
    ).toBe(true);
    expect(JSON.stringify(proxy.requests)).not.toContain(SECRET);
    // The digests came from DescribeImages: no HEAD.
    expect(proxy.requests.filter(r => r.method === 'HEAD')).toEqual([]);

    proxy.requests.length = 0;
    const again = await crawlAll(connection(), { memory });
    expect(again.images).toHaveLength(seeded.length);
    expect(proxy.requests).toEqual([]);
  });

  it('renews the registry password before it expires', async () => {
    fixture.passwordLifetimeS = 30 * 60; // inside the renewal margin
    try {
      const { results } = await crawlAll(connection());
      expect(results.every(r => r.complete)).toBe(true);
      expect(
        fixture.calls.filter(c => c.action === 'GetAuthorizationToken').length,
      ).toBeGreaterThan(1);
    } finally {
      fixture.passwordLifetimeS = 12 * 3600;
    }
  });

  it('rides out a ThrottlingException through the SDK retries', async () => {
    fixture.throttleOnce = new Set(['DescribeRepositories', 'DescribeImages']);
    const { results } = await crawlAll(connection());
    expect(fixture.throttleOnce.size).toBe(0);
    expect(results.every(r => r.complete)).toBe(true);
    expect(results).toHaveLength(new Set(seeded.map(i => i.repository)).size);
  });

  it('names ecr:DescribeImages when the policy lacks it', async () => {
    const crawler = new RegistryCrawler(connection('AKIANODESCRIBEIMAGES'));
    await expect(crawler.testConnection()).rejects.toMatchObject({
      reason: 'forbidden',
      message: expect.stringMatching(
        /^AWS denied ecr:DescribeImages to these credentials/,
      ),
    });
    await crawler.close();
  });

  it('says an unknown access key is refused, without echoing the secret', async () => {
    const crawler = new RegistryCrawler(connection('AKIAUNKNOWN'));
    const error = await crawler.testConnection().catch(e => e);
    await crawler.close();
    expect(error).toMatchObject({
      reason: 'unauthorized',
      message: expect.stringMatching(/^AWS refused the access key/),
    });
    expect(error.message).not.toContain(SECRET);
  });

  it('assumes the role through STS and crawls with its temporary credentials', async () => {
    const calls: Record<string, string>[] = [];
    const roleArn = 'arn:aws-us-gov:iam::123456789012:role/inventory-reader';
    const sts = await startScriptedServer(
      stsHandler({
        roleArn,
        callers: ['AKIACALLERONLY'],
        assumed: {
          accessKeyId: 'ASIAASSUMEDROLE',
          secretAccessKey: 'assumed-secret',
          sessionToken: 'assumed-session',
        },
        calls,
      }),
    );
    fixture.keys.ASIAASSUMEDROLE = READ_ONLY;
    try {
      const base = connection('AKIACALLERONLY');
      const { results } = await crawlAll({
        ...base,
        options: {
          ...base.options,
          roleArn,
          externalId: 'inventory',
          stsEndpoint: sts.url,
        },
      });
      expect(results.every(r => r.complete)).toBe(true);
      expect(calls).toEqual([
        expect.objectContaining({
          Action: 'AssumeRole',
          RoleArn: roleArn,
          RoleSessionName: 'container-inventory',
          ExternalId: 'inventory',
        }),
      ]);
      // Every ECR call was signed with the role's key, none with the caller's.
      expect(fixture.calls.length).toBeGreaterThan(0);
      expect(
        ecr.requests.every(r =>
          String(r.headers.authorization).includes(
            'Credential=ASIAASSUMEDROLE/',
          ),
        ),
      ).toBe(true);
      expect(
        ecr.requests.every(
          r => r.headers['x-amz-security-token'] === 'assumed-session',
        ),
      ).toBe(true);
    } finally {
      delete fixture.keys.ASIAASSUMEDROLE;
      await sts.close();
    }
  });

  it('tells a refused request apart from an unreachable endpoint', () => {
    expect(
      ecrError(
        {
          name: 'ValidationException',
          message: 'bad maxResults',
          $metadata: { httpStatusCode: 400 },
        },
        'DescribeImages',
      ).reason,
    ).toBe('invalid-response');
    expect(
      ecrError(
        Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' }),
        'DescribeImages',
      ).reason,
    ).toBe('network');
  });
});
