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
});
