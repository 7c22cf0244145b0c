import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { containerRegistryPlugin } from '../plugin';

const config = {
  containerRegistry: {
    registries: [
      {
        id: 'team',
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
      { id: 'paused', url: 'https://paused.example.com', active: false },
    ],
  },
};

async function startBackend(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const { server } = await startTestBackend({
    features: [
      containerRegistryPlugin,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.permissions.factory({ result }),
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
      },
      expect.objectContaining({ id: 'paused', active: false }),
    ]);
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
});
