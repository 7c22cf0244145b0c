import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import type { Entity } from '@backstage/catalog-model';
import catalogBackend from '@backstage/plugin-catalog-backend';
import containerRegistryBackend from '@container-inventory/plugin-container-registry-backend';
import {
  seedDemoImages,
  startTestRegistry,
  TestRegistry,
} from '@container-inventory/plugin-container-registry-node/testUtils';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogModuleContainerRegistry } from './module';

jest.setTimeout(180_000);

const headers = {
  authorization: mockCredentials.user.header(),
  'content-type': 'application/json',
};

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 90_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 300));
    value = await read();
  }
  return value;
}

/** The catalog's example org: Groups and Components, some pointing at image repositories. */
function catalogYaml(paymentsAnnotation: boolean) {
  const component = (
    name: string,
    owner: string,
    annotations: Record<string, string>,
  ) => `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
${Object.entries(annotations)
  .map(([key, value]) => `    ${key}: '${value}'`)
  .join('\n')}
spec:
  type: service
  lifecycle: production
  owner: ${owner}
`;
  const group = (name: string) => `---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ${name}
spec:
  type: team
  children: []
`;
  return [
    group('payments'),
    group('web'),
    group('platform'),
    component('web-frontend', 'web', {
      'backstage.io/source-location':
        'url:https://github.com/acme/web-frontend/tree/main/',
    }),
    component('payments-api', 'payments', {
      'backstage.io/source-location': 'url:https://github.com/acme/ledger',
      ...(paymentsAnnotation
        ? {
            'container-inventory.dev/image-repositories':
              'team/acme/payments-*',
          }
        : {}),
    }),
    component('payments-legacy', 'platform', {
      'backstage.io/source-location':
        'url:https://github.com/acme/payments-api',
    }),
    component('ci-runner', 'platform', {
      'backstage.io/source-location': 'url:https://github.com/acme/ci',
    }),
  ].join('');
}

describe('registries made through the API, crawled and linked in a real catalog', () => {
  let registry: TestRegistry;
  let dir: string;

  beforeAll(async () => {
    registry = await startTestRegistry({ auth: 'basic' });
    await seedDemoImages(registry);
    dir = mkdtempSync(join(tmpdir(), 'catalog-'));
  });

  afterAll(async () => {
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('crawls a registry created through the API without a restart, links its images, and lets them go when it is deleted', async () => {
    const catalogFile = join(dir, 'catalog.yaml');
    writeFileSync(catalogFile, catalogYaml(true));
    const backend = await startTestBackend({
      features: [
        catalogBackend,
        containerRegistryBackend,
        catalogModuleContainerRegistry,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['ContainerImage', 'Component', 'Group'] }],
              locations: [{ type: 'file', target: catalogFile }],
              processingInterval: { seconds: 1 },
              providers: {
                containerRegistry: {
                  schedule: {
                    frequency: { seconds: 1 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
            containerRegistry: {
              encryption: {
                keys: [
                  { id: 'k1', secret: Buffer.alloc(32, 7).toString('base64') },
                ],
              },
              linking: {
                schedule: {
                  frequency: { seconds: 1 },
                  timeout: { minutes: 1 },
                },
                rules: [
                  { repository: 'platform/*', owner: 'group:default/platform' },
                ],
              },
            },
          },
        }),
      ],
    });
    const base = `http://localhost:${backend.server.port()}/api`;
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${base}/container-registry${path}`, { headers, ...init });

    const created = await api('/registries', {
      method: 'POST',
      body: JSON.stringify({
        id: 'team',
        name: 'Team registry',
        type: 'generic',
        url: registry.url,
        auth: { type: 'basic', ...registry.credentials },
        schedule: { type: 'interval', minutes: 60 },
      }),
    });
    expect(created.status).toBe(201);
    const createdBody = await created.json();
    expect(createdBody).toMatchObject({
      id: 'team',
      source: 'database',
      readOnly: false,
      settings: { auth: { type: 'basic', password: { set: true } } },
    });
    expect(JSON.stringify(createdBody)).not.toContain(
      registry.credentials!.password,
    );

    // Crawled at once and linked by each rule.
    const images = async () =>
      (await (await api('/images?limit=100')).json()).items as any[];
    const byRepository = (items: any[]) =>
      Object.fromEntries(
        items.map(i => [i.repository, [i.component, i.owner, i.linkedBy]]),
      );
    const linked = await eventually(images, items => {
      const links = byRepository(items);
      return (
        items.length === 5 &&
        links['acme/web-frontend']?.[2] === 'source' &&
        links['acme/payments-api']?.[2] === 'annotation' &&
        links['platform/nginx-proxy']?.[2] === 'config'
      );
    });
    expect(byRepository(linked)).toEqual({
      'acme/payments-api': [
        'component:default/payments-api',
        'group:default/payments',
        'annotation',
      ],
      'acme/web-frontend': [
        'component:default/web-frontend',
        'group:default/web',
        'source',
      ],
      'platform/nginx-proxy': [undefined, 'group:default/platform', 'config'],
      'tools/ci-runner': [undefined, undefined, undefined],
    });

    // The catalog shows the relations in both directions.
    const entity = async (ref: string) =>
      (
        await fetch(`${base}/catalog/entities/by-name/${ref}`, { headers })
      ).json();
    const payments = linked.find(i => i.repository === 'acme/payments-api');
    const image: Entity = await eventually(
      () => entity(`containerimage/default/${payments.entityName}`),
      (e: Entity) => Boolean(e.relations?.some(r => r.type === 'partOf')),
    );
    expect(image.spec).toMatchObject({
      owner: 'group:default/payments',
      component: 'component:default/payments-api',
    });
    expect(image.relations).toEqual(
      expect.arrayContaining([
        { type: 'ownedBy', targetRef: 'group:default/payments' },
        { type: 'partOf', targetRef: 'component:default/payments-api' },
      ]),
    );
    const component: Entity = await eventually(
      () => entity('component/default/payments-api'),
      (e: Entity) => Boolean(e.relations?.some(r => r.type === 'hasPart')),
    );
    expect(component.relations).toContainEqual({
      type: 'hasPart',
      targetRef: `containerimage:default/${payments.entityName}`,
    });

    // A manual link is the strongest rule; removing it unlinks again.
    const link = await api(
      '/registries/team/repositories/tools%2Fci-runner/link',
      {
        method: 'PUT',
        body: JSON.stringify({ component: 'component:default/ci-runner' }),
      },
    );
    expect(link.status).toBe(200);
    const manual = await images();
    expect(byRepository(manual)['tools/ci-runner']).toEqual([
      'component:default/ci-runner',
      'group:default/platform',
      'manual',
    ]);

    // A Component that changes relinks: without the annotation, the source label decides.
    writeFileSync(catalogFile, catalogYaml(false));
    const relinked = await eventually(
      images,
      items => byRepository(items)['acme/payments-api']?.[2] === 'source',
    );
    expect(byRepository(relinked)['acme/payments-api']).toEqual([
      'component:default/payments-legacy',
      'group:default/platform',
      'source',
    ]);

    // Deleted: its images leave the catalog, and it is not crawled again.
    expect((await api('/registries/team', { method: 'DELETE' })).status).toBe(
      204,
    );
    const remaining = await eventually(
      async () =>
        (
          await (
            await fetch(
              `${base}/catalog/entities/by-query?filter=kind=containerimage`,
              { headers },
            )
          ).json()
        ).items as Entity[],
      items => items.length === 0,
    );
    expect(remaining).toEqual([]);
    expect((await api('/registries/team')).status).toBe(404);
    expect((await api('/images')).status).toBe(200);
    expect((await (await api('/images')).json()).totalCount).toBe(0);
  });
});
