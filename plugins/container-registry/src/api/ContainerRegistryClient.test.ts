import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ContainerRegistryClient } from './ContainerRegistryClient';

const baseUrl = 'http://backstage.test/api/container-registry';

describe('ContainerRegistryClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new ContainerRegistryClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: { fetch: (...args) => fetch(...args) },
  });

  it('lists registries', async () => {
    server.use(
      http.get(`${baseUrl}/registries`, () =>
        HttpResponse.json({
          items: [{ id: 'a', name: 'A', status: 'connected', imageCount: 3 }],
        }),
      ),
    );
    await expect(client.listRegistries()).resolves.toEqual([
      expect.objectContaining({ id: 'a', imageCount: 3 }),
    ]);
  });

  it("lists the backend's registry products with their options", async () => {
    const harbor = {
      type: 'harbor',
      title: 'Harbor',
      options: [{ key: 'projects', label: 'Projects', kind: 'list' }],
    };
    server.use(
      http.get(`${baseUrl}/adapters`, () =>
        HttpResponse.json({ items: [harbor] }),
      ),
    );
    await expect(client.listAdapters()).resolves.toEqual([harbor]);
  });

  it('starts a crawl with a POST on the escaped id', async () => {
    const seen: string[] = [];
    server.use(
      http.post(`${baseUrl}/registries/:id/refresh`, ({ request, params }) => {
        seen.push(`${request.method} ${params.id}`);
        return HttpResponse.json({ status: 'scheduled' }, { status: 202 });
      }),
    );
    await client.refreshRegistry('team one');
    expect(seen).toEqual(['POST team one']);
  });

  it("turns the backend's error answers into errors with its message", async () => {
    server.use(
      http.post(`${baseUrl}/registries/:id/refresh`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Not allowed: container-registry.registry.refresh',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await expect(client.refreshRegistry('a')).rejects.toMatchObject({
      statusCode: 403,
      cause: {
        name: 'NotAllowedError',
        message: 'Not allowed: container-registry.registry.refresh',
      },
    });
  });

  it('creates a registry with the settings as JSON and returns the answer', async () => {
    let received: unknown;
    server.use(
      http.post(`${baseUrl}/registries`, async ({ request }) => {
        received = {
          contentType: request.headers.get('content-type'),
          body: await request.json(),
        };
        return HttpResponse.json(
          { id: 'lab', settings: { auth: { password: { set: true } } } },
          { status: 201 },
        );
      }),
    );
    const settings = {
      id: 'lab',
      name: 'Lab',
      type: 'generic',
      url: 'https://lab.example.com',
      auth: { type: 'basic' as const, username: 'u', password: 'p' },
    };
    await expect(client.createRegistry(settings)).resolves.toMatchObject({
      id: 'lab',
      settings: { auth: { password: { set: true } } },
    });
    expect(received).toEqual({
      contentType: 'application/json',
      body: settings,
    });
  });

  it('calls each action on its route with the escaped id', async () => {
    const seen: string[] = [];
    const record = ({ request }: { request: Request }) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      return HttpResponse.json({ ok: true, checks: {}, items: [] });
    };
    server.use(
      http.put(`${baseUrl}/registries/:id`, record),
      http.delete(`${baseUrl}/registries/:id`, record),
      http.post(`${baseUrl}/registries/test`, record),
      http.post(`${baseUrl}/registries/:id/:action`, record),
      http.get(`${baseUrl}/registries/:id/runs`, record),
      http.post(`${baseUrl}/registries/:id/filters/preview`, record),
    );
    const settings = { id: 'a b', name: 'A', type: 'generic', url: 'http://x' };
    await client.updateRegistry('a b', settings);
    await client.deleteRegistry('a b');
    await client.testConnection(settings);
    await client.testRegistry('a b');
    await client.refreshStatus('a b');
    await client.cancelCrawl('a b');
    await expect(client.listRuns('a b')).resolves.toEqual([]);
    await client.previewFilters('a b', { latestTags: 1 });
    expect(seen).toEqual([
      'PUT /api/container-registry/registries/a%20b',
      'DELETE /api/container-registry/registries/a%20b',
      'POST /api/container-registry/registries/test',
      'POST /api/container-registry/registries/a%20b/test',
      'POST /api/container-registry/registries/a%20b/refresh-status',
      'POST /api/container-registry/registries/a%20b/cancel',
      'GET /api/container-registry/registries/a%20b/runs',
      'POST /api/container-registry/registries/a%20b/filters/preview',
    ]);
  });

  it('keeps the status of a refused crawl so the page can say one is under way', async () => {
    server.use(
      http.post(`${baseUrl}/registries/:id/refresh`, () =>
        HttpResponse.json(
          {
            error: { name: 'ConflictError', message: 'A crawl is running' },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    await expect(client.refreshRegistry('a')).rejects.toMatchObject({
      statusCode: 409,
    });
  });
});
