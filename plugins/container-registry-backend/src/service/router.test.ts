import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { containerRegistryPlugin } from '../plugin';

const config = {
  containerRegistry: {
    encryption: {
      keys: [{ id: 'test', secret: Buffer.alloc(32, 1).toString('base64') }],
    },
    registries: {
      team: {
        name: 'Team registry',
        url: 'http://127.0.0.1:9/',
        auth: { type: 'basic', username: 'robot', password: 'hunter2-secret' },
        // Never due during the test: crawls here start only when asked.
        schedule: {
          frequency: { days: 1 },
          timeout: { minutes: 1 },
          initialDelay: { days: 1 },
        },
      },
      paused: { url: 'https://paused.example.com', active: false },
    },
  },
};

/** Auditor events the router recorded: id and how each ended. */
const auditEvents: Array<{ eventId: string; outcome: 'success' | 'fail' }> = [];

const recordingAuditor = () =>
  mockServices.auditor.mock({
    createEvent: async ({ eventId }) => ({
      success: async () => {
        auditEvents.push({ eventId, outcome: 'success' });
      },
      fail: async () => {
        auditEvents.push({ eventId, outcome: 'fail' });
      },
    }),
  });

async function startBackend(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  auditEvents.length = 0;
  const { server } = await startTestBackend({
    features: [
      containerRegistryPlugin,
      recordingAuditor().factory,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.permissions.factory({ result }),
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'web', namespace: 'default' },
            spec: { owner: 'payments' },
          },
        ],
      }),
      // A request without a token is anonymous, as in a real backend.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
  });
  return server;
}

const user = mockCredentials.user.header();

describe('container-registry router', () => {
  it('lists config registries with status and never their credentials', async () => {
    const server = await startBackend();
    const response = await request(server)
      .get('/api/container-registry/registries')
      .set('authorization', user);
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([
      {
        id: 'team',
        name: 'Team registry',
        type: 'generic',
        url: 'http://127.0.0.1:9',
        source: 'config',
        active: true,
        status: 'unknown',
        imageCount: 0,
        // Never crawled yet: due now.
        nextCrawlAt: expect.any(String),
      },
      expect.objectContaining({ id: 'paused', active: false }),
    ]);
    expect(response.body.items[1].nextCrawlAt).toBeUndefined();
    expect(JSON.stringify(response.body)).not.toMatch(/hunter2|robot/);
  });

  it('answers 403 when the permission policy denies', async () => {
    const server = await startBackend(AuthorizeResult.DENY);
    const list = await request(server)
      .get('/api/container-registry/registries')
      .set('authorization', user);
    expect(list.status).toBe(403);
    const refresh = await request(server)
      .post('/api/container-registry/registries/team/refresh')
      .set('authorization', user);
    expect(refresh.status).toBe(403);
  });

  it('answers 404 for an unknown registry and 400 for an inactive one', async () => {
    const server = await startBackend();
    const unknown = await request(server)
      .post('/api/container-registry/registries/nope/refresh')
      .set('authorization', user);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/nope/);
    const paused = await request(server)
      .post('/api/container-registry/registries/paused/refresh')
      .set('authorization', user);
    expect(paused.status).toBe(400);
  });

  it('tests a connection and says in words what is wrong', async () => {
    const server = await startBackend();
    const response = await request(server)
      .post('/api/container-registry/registries/team/test')
      .set('authorization', user);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ok: false,
      message: expect.stringMatching(/could not be reached/),
      checks: { reachable: false },
    });
  });

  it.each(['-3', '1e20', '99999999999999999', '1.5', 'abc'])(
    'rejects the change feed cursor %p with the parameter and the reason',
    async cursor => {
      const server = await startBackend();
      const response = await request(server)
        .get(`/api/container-registry/images/changes?cursor=${cursor}`)
        .set('authorization', mockCredentials.service.header());
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(
        /cursor must be a whole number/,
      );
    },
  );

  it('serves the change feed to the catalog module, not to signed-in users', async () => {
    const server = await startBackend();
    const asService = await request(server)
      .get('/api/container-registry/images/changes')
      .set('authorization', mockCredentials.service.header());
    expect(asService.status).toBe(200);
    expect(asService.body).toEqual({ changes: [], cursor: 0, hasMore: false });
    const asUser = await request(server)
      .get('/api/container-registry/images/changes')
      .set('authorization', user);
    expect(asUser.status).toBe(403);
  });

  it('requires authentication except for the health check', async () => {
    const server = await startBackend();
    expect(
      (await request(server).get('/api/container-registry/registries')).status,
    ).toBe(401);
    expect(
      (await request(server).get('/api/container-registry/health')).status,
    ).toBe(200);
  });

  describe('images API', () => {
    it('answers an empty page, and 400 naming a bad parameter', async () => {
      const server = await startBackend();
      const ok = await request(server)
        .get('/api/container-registry/images?sort=created&order=desc&limit=10')
        .set('authorization', user);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ items: [], totalCount: 0 });
      for (const [query, name] of [
        ['sort=size', 'sort'],
        ['limit=0', 'limit'],
        ['unlinked=yes', 'unlinked'],
        ['platform=linux', 'platform'],
        ['cursor=garbage', 'cursor'],
        ['colour=red', 'colour'],
      ]) {
        const response = await request(server)
          .get(`/api/container-registry/images?${query}`)
          .set('authorization', user);
        expect(response.status).toBe(400);
        expect(response.body.error.message).toContain(
          `Invalid query parameter ${name}`,
        );
      }
    });

    it('answers 404 for an unknown image and 403 when denied', async () => {
      expect(
        (
          await request(await startBackend())
            .get('/api/container-registry/images/nope-000000000000')
            .set('authorization', user)
        ).status,
      ).toBe(404);
      expect(
        (
          await request(await startBackend(AuthorizeResult.DENY))
            .get('/api/container-registry/images')
            .set('authorization', user)
        ).status,
      ).toBe(403);
    });

    it('links a repository to a Component in the catalog, and refuses one that is not', async () => {
      const server = await startBackend();
      const path =
        '/api/container-registry/registries/team/repositories/acme%2Fweb/link';
      const linked = await request(server)
        .put(path)
        .set('authorization', user)
        .send({ component: 'component:default/web' });
      expect(linked.status).toBe(200);
      expect(linked.body).toEqual({
        registry: 'team',
        repository: 'acme/web',
        component: 'component:default/web',
      });
      const missing = await request(server)
        .put(path)
        .set('authorization', user)
        .send({ component: 'component:default/ghost' });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toMatch(/not in the catalog/);
      const notComponent = await request(server)
        .put(path)
        .set('authorization', user)
        .send({ component: 'group:default/payments' });
      expect(notComponent.status).toBe(400);
      expect(
        (
          await request(server)
            .put('/api/container-registry/registries/nope/repositories/a/link')
            .set('authorization', user)
            .send({ component: 'web' })
        ).status,
      ).toBe(404);
      expect(
        (await request(server).delete(path).set('authorization', user)).status,
      ).toBe(204);
      expect(
        (await request(server).delete(path).set('authorization', user)).status,
      ).toBe(404);
    });

    it('refuses links without the link permission', async () => {
      const server = await startBackend(AuthorizeResult.DENY);
      const response = await request(server)
        .put('/api/container-registry/registries/team/repositories/a/link')
        .set('authorization', user)
        .send({ component: 'web' });
      expect(response.status).toBe(403);
    });
  });

  describe('registries made on the page', () => {
    const lab = {
      id: 'lab',
      name: 'Lab',
      type: 'generic',
      url: 'http://127.0.0.1:9',
      auth: { type: 'basic', username: 'bot', password: 'lab-secret-1' },
      schedule: { type: 'interval', minutes: 60 },
    };

    it('creates, reads, replaces keeping the secret, and deletes, each audited', async () => {
      const server = await startBackend();
      const created = await request(server)
        .post('/api/container-registry/registries')
        .set('authorization', user)
        .send(lab);
      expect(created.status).toBe(201);
      expect(created.body.settings.auth).toEqual({
        type: 'basic',
        username: 'bot',
        password: { set: true },
        token: { set: false },
      });
      expect(JSON.stringify(created.body)).not.toContain('lab-secret-1');

      const taken = await request(server)
        .post('/api/container-registry/registries')
        .set('authorization', user)
        .send({ ...lab, id: 'team' });
      expect(taken.status).toBe(409);

      const { password: _omitted, ...authWithoutSecret } = lab.auth;
      const replaced = await request(server)
        .put('/api/container-registry/registries/lab')
        .set('authorization', user)
        .send({ ...lab, name: 'Lab 2', auth: authWithoutSecret });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({
        name: 'Lab 2',
        settings: { auth: { password: { set: true } } },
      });

      const listed = await request(server)
        .get('/api/container-registry/registries')
        .set('authorization', user);
      expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([
        'team',
        'paused',
        'lab',
      ]);

      expect(
        (
          await request(server)
            .delete('/api/container-registry/registries/lab')
            .set('authorization', user)
        ).status,
      ).toBe(204);
      expect(
        (
          await request(server)
            .get('/api/container-registry/registries/lab')
            .set('authorization', user)
        ).status,
      ).toBe(404);
      expect(auditEvents).toEqual([
        { eventId: 'registry-create', outcome: 'success' },
        { eventId: 'registry-create', outcome: 'fail' },
        { eventId: 'registry-update', outcome: 'success' },
        { eventId: 'registry-delete', outcome: 'success' },
      ]);
    });

    it('answers 400 naming the field, for a type without an adapter too', async () => {
      const server = await startBackend();
      const bad = await request(server)
        .post('/api/container-registry/registries')
        .set('authorization', user)
        .send({
          ...lab,
          type: 'harbour',
          url: 'ftp://x',
          transport: { maxConnections: -3 },
        });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/type "harbour" has no adapter/);
      expect(bad.body.error.message).toMatch(/url must use http or https/);
      expect(bad.body.error.message).toMatch(
        /transport\.maxConnections must be at least 1/,
      );
    });

    it("checks a product's options by its adapter, keeps them, and names a wrong one", async () => {
      const server = await startBackend();
      const harbor = {
        ...lab,
        id: 'harbor',
        type: 'harbor',
        options: { projects: ['team-a'] },
      };
      const created = await request(server)
        .post('/api/container-registry/registries')
        .set('authorization', user)
        .send(harbor);
      expect(created.status).toBe(201);
      expect(created.body.settings.options).toEqual({ projects: ['team-a'] });

      const bad = await request(server)
        .post('/api/container-registry/registries')
        .set('authorization', user)
        .send({
          ...harbor,
          id: 'harbor-2',
          options: { project: 'team-a', apiUrl: 'not a url' },
        });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'Invalid registry settings: options.project is not an option of Harbor (options: projects, apiUrl); options.apiUrl must be an http(s) URL',
      );
      const missing = await request(server)
        .post('/api/container-registry/registries')
        .set('authorization', user)
        .send({ ...lab, id: 'gl', type: 'gitlab' });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toMatch(
        /options\.apiUrl is required for GitLab/,
      );
    });

    it('lists the products with their options and credential fields for the form', async () => {
      const server = await startBackend();
      const response = await request(server)
        .get('/api/container-registry/adapters')
        .set('authorization', user);
      expect(response.status).toBe(200);
      expect(response.body.items.map((a: { type: string }) => a.type)).toEqual([
        'generic',
        'harbor',
        'gitlab',
        'nexus',
        'artifactory',
        'quay',
        'gitflic',
        'dockerhub',
        'ghcr',
        'ecr',
        'acr',
        'gar',
        'gcr',
      ]);
      expect(
        response.body.items.find((a: { type: string }) => a.type === 'gitlab'),
      ).toMatchObject({
        title: 'GitLab',
        options: expect.arrayContaining([
          expect.objectContaining({ key: 'apiUrl', required: true }),
        ]),
        credentials: { password: expect.stringMatching(/read_registry/) },
      });
    });

    it('keeps config registries read-only', async () => {
      const server = await startBackend();
      const put = await request(server)
        .put('/api/container-registry/registries/team')
        .set('authorization', user)
        .send({ ...lab, id: 'team' });
      expect(put.status).toBe(400);
      expect(put.body.error.message).toMatch(/read-only/);
      const del = await request(server)
        .delete('/api/container-registry/registries/team')
        .set('authorization', user);
      expect(del.status).toBe(400);
    });

    it('says 409 when cancelling with no crawl under way', async () => {
      const server = await startBackend();
      const response = await request(server)
        .post('/api/container-registry/registries/team/cancel')
        .set('authorization', user);
      expect(response.status).toBe(409);
    });

    it.each([
      ['get', '/registries', 'registry.read'],
      ['get', '/registries/team', 'registry.read'],
      ['get', '/registries/team/runs', 'registry.read'],
      ['post', '/registries/team/filters/preview', 'registry.read'],
      ['post', '/registries', 'registry.create'],
      ['post', '/registries/test', 'registry.create'],
      ['put', '/registries/team', 'registry.update'],
      ['delete', '/registries/team', 'registry.delete'],
      ['post', '/registries/team/test', 'registry.refresh'],
      ['post', '/registries/team/refresh-status', 'registry.refresh'],
      ['post', '/registries/team/refresh', 'registry.refresh'],
      ['post', '/registries/team/cancel', 'registry.refresh'],
    ] as const)(
      'refuses %s %s without container-registry.%s',
      async (method, path, permission) => {
        const server = await startBackend(AuthorizeResult.DENY);
        const response = await request(server)
          [method](`/api/container-registry${path}`)
          .set('authorization', user)
          .send(lab);
        expect(response.status).toBe(403);
        expect(response.body.error.message).toContain(
          `container-registry.${permission}`,
        );
      },
    );

    it('previews what filters keep, and refuses bad filters naming them', async () => {
      const server = await startBackend();
      const ok = await request(server)
        .post('/api/container-registry/registries/team/filters/preview')
        .set('authorization', user)
        .send({ filters: { never: [':*-rc*'] } });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ total: 0, kept: 0, dropped: 0 });
      const bad = await request(server)
        .post('/api/container-registry/registries/team/filters/preview')
        .set('authorization', user)
        .send({ filters: { latestTags: 0 } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/filters\.latestTags/);
    });
  });
});
