import { mockApis } from '@backstage/test-utils';
import { ContainerImagesClient } from './ContainerImagesClient';

const baseUrl = 'http://backstage.test/api/container-registry';

/** A fetch that records each request and answers with the next scripted response. */
function fakeFetch(...responses: Response[]) {
  const requests: Array<{ url: string; method: string; body?: string }> = [];
  const fetch = jest.fn(async (url: string, init?: RequestInit) => {
    requests.push({
      url,
      method: init?.method ?? 'GET',
      body: init?.body as string | undefined,
    });
    return responses.shift() ?? new Response(null, { status: 204 });
  });
  const client = new ContainerImagesClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, requests };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('ContainerImagesClient', () => {
  it('sends the search as query parameters and leaves out empty ones', async () => {
    const page = { items: [], totalCount: 0 };
    const { client, requests } = fakeFetch(json(page));
    await expect(
      client.listImages({
        q: 'web',
        registry: '',
        unlinked: true,
        sort: 'created',
        order: 'desc',
        limit: 25,
        cursor: 'abc',
      }),
    ).resolves.toEqual(page);
    const url = new URL(requests[0].url);
    expect(`${url.origin}${url.pathname}`).toBe(`${baseUrl}/images`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: 'web',
      unlinked: 'true',
      sort: 'created',
      order: 'desc',
      limit: '25',
      cursor: 'abc',
    });
  });

  it('reads one image by its entity name', async () => {
    const { client, requests } = fakeFetch(
      json({ entityName: 'acme-web-0123', repositoryImages: [] }),
    );
    await expect(client.getImage('acme-web-0123')).resolves.toMatchObject({
      entityName: 'acme-web-0123',
    });
    expect(requests[0].url).toBe(`${baseUrl}/images/acme-web-0123`);
  });

  it('links a repository with its name as one escaped path segment', async () => {
    const { client, requests } = fakeFetch(json({}));
    await client.linkRepository('team', 'acme/web', 'component:default/web');
    expect(requests).toEqual([
      {
        url: `${baseUrl}/registries/team/repositories/acme%2Fweb/link`,
        method: 'PUT',
        body: JSON.stringify({ component: 'component:default/web' }),
      },
    ]);
  });

  it('unlinks with a DELETE on the same path', async () => {
    const { client, requests } = fakeFetch(new Response(null, { status: 204 }));
    await client.unlinkRepository('team', 'acme/web');
    expect(requests[0]).toMatchObject({
      url: `${baseUrl}/registries/team/repositories/acme%2Fweb/link`,
      method: 'DELETE',
    });
  });

  it("throws the backend's error with its message", async () => {
    const { client } = fakeFetch(
      json(
        {
          error: {
            name: 'InputError',
            message: 'component "component:default/nope" is not in the catalog',
          },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    await expect(
      client.linkRepository('team', 'acme/web', 'component:default/nope'),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      response: { status: 400 },
      body: {
        error: {
          message: 'component "component:default/nope" is not in the catalog',
        },
      },
    });
  });
});
