import type { IncomingMessage, ServerResponse } from 'node:http';
import { testConnection } from '../../__testUtils__/connection';
import {
  ScriptedServer,
  sendJson,
  startScriptedServer,
} from '../../__testUtils__/scriptedServer';
import { RegistryHttpClient } from '../../http/RegistryHttpClient';
import { paginate } from './paginate';

const names = (from: number, count: number) =>
  Array.from(
    { length: count },
    (_, i) => `repo-${String(from + i).padStart(3, '0')}`,
  );

/**
 * Answers the page of `all` after `last`: `n` names, or `cap` when that is smaller, with a next
 * link while more remain (as distribution and ACR do).
 */
function answerLinkedPage(
  req: IncomingMessage,
  res: ServerResponse,
  all: string[],
  cap = Infinity,
) {
  const url = new URL(req.url!, 'http://x');
  const n = Math.min(Number(url.searchParams.get('n')), cap);
  const start = url.searchParams.has('last')
    ? all.indexOf(url.searchParams.get('last')!) + 1
    : 0;
  const page = all.slice(start, start + n);
  const next = `</v2/_catalog?last=${page.at(-1)}&n=${url.searchParams.get(
    'n',
  )}>; rel="next"`;
  sendJson(
    res,
    200,
    { repositories: page },
    start + n < all.length ? { link: next } : {},
  );
}

describe('paginate', () => {
  let server: ScriptedServer;
  let http: RegistryHttpClient;
  afterEach(async () => {
    await http?.close();
    await server?.close();
  });

  async function collect(
    handler: Parameters<typeof startScriptedServer>[0],
    pageSize = 2,
    extra: { signal?: AbortSignal; maxPages?: number } = {},
  ) {
    server = await startScriptedServer(handler);
    http = new RegistryHttpClient(testConnection(server.url));
    const pages: string[][] = [];
    const run = async () => {
      for await (const page of paginate({
        http,
        kind: 'catalog',
        path: '/v2/_catalog',
        pageSize,
        ...extra,
        read: (body: any) => ({
          items: body.repositories,
          last: body.repositories.at(-1),
        }),
      })) {
        pages.push(page);
      }
    };
    return { pages, run };
  }

  it('follows relative Link headers until the last page', async () => {
    const all = names(0, 5);
    const { pages, run } = await collect((req, res) =>
      answerLinkedPage(req, res, all),
    );
    await run();
    expect(pages.flat()).toEqual(all);
  });

  it('stops when the registry repeats a page link', async () => {
    const { pages, run } = await collect((_req, res) =>
      sendJson(
        res,
        200,
        { repositories: ['a', 'b'] },
        { link: '</v2/_catalog?n=2&last=b>; rel="next"' },
      ),
    );
    await expect(run()).rejects.toMatchObject({ reason: 'pagination-loop' });
    expect(pages[0]).toEqual(['a', 'b']);
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it('refuses a next link on another host', async () => {
    const { pages, run } = await collect((_req, res) =>
      sendJson(
        res,
        200,
        { repositories: ['a', 'b'] },
        { link: '<http://attacker.invalid/v2/_catalog?n=2>; rel="next"' },
      ),
    );
    await expect(run()).rejects.toMatchObject({ reason: 'cross-host' });
    expect(pages).toEqual([['a', 'b']]);
  });

  it('halves the page down to what the registry accepts, and keeps that size for later listings', async () => {
    const { pages, run } = await collect((req, res) => {
      const n = Number(new URL(req.url!, 'http://x').searchParams.get('n'));
      if (n > 2)
        return sendJson(res, 400, {
          errors: [
            {
              code: 'PAGINATION_NUMBER_INVALID',
              message: 'invalid number of results requested',
            },
          ],
        });
      return sendJson(res, 200, { repositories: ['a'] });
    }, 20);
    await run();
    expect(pages).toEqual([['a']]);
    const sizes = server.requests.map(r =>
      new URL(r.url, 'http://x').searchParams.get('n'),
    );
    expect(sizes).toEqual(['20', '10', '5', '2']);
    server.requests.length = 0;
    for await (const page of paginate({
      http,
      kind: 'catalog',
      path: '/v2/_catalog',
      pageSize: 20,
      read: (b: any) => ({ items: b.repositories }),
    })) {
      expect(page).toEqual(['a']);
    }
    expect(
      server.requests.map(r =>
        new URL(r.url, 'http://x').searchParams.get('n'),
      ),
    ).toEqual(['2']);
  });

  it('asks again with a smaller page when the registry rejects n', async () => {
    const { pages, run } = await collect((req, res) => {
      const n = Number(new URL(req.url!, 'http://x').searchParams.get('n'));
      if (n > 50) {
        return sendJson(res, 400, {
          errors: [
            {
              code: 'PAGINATION_NUMBER_INVALID',
              message: 'invalid number of results requested',
            },
          ],
        });
      }
      return sendJson(res, 200, { repositories: names(0, 3) });
    }, 200);
    await run();
    expect(pages.flat()).toEqual(names(0, 3));
    expect(
      server.requests.map(r =>
        new URL(r.url, 'http://x').searchParams.get('n'),
      ),
    ).toEqual(['200', '100', '50']);
  });

  it('takes the limit ECR states when it refuses n, and pages on through its links', async () => {
    const all = names(0, 5);
    const { pages, run } = await collect((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const n = Number(url.searchParams.get('n'));
      if (n > 2) {
        // ECR's tag listing: errcode UNSUPPORTED (405 in the distribution error convention).
        return sendJson(res, 405, {
          errors: [
            {
              code: 'UNSUPPORTED',
              message:
                "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 2'",
            },
          ],
        });
      }
      return answerLinkedPage(req, res, all);
    }, 1000);
    await run();
    expect(pages.flat()).toEqual(all);
    expect(
      server.requests.map(r =>
        new URL(r.url, 'http://x').searchParams.get('n'),
      ),
    ).toEqual(['1000', '2', '2', '2']);
  });

  it('follows the links of a registry that caps pages below n without saying so (ACR)', async () => {
    const all = names(0, 7);
    const { pages, run } = await collect(
      (req, res) => answerLinkedPage(req, res, all, 3),
      100,
    );
    await run();
    expect(pages.flat()).toEqual(all);
    expect(server.requests).toHaveLength(3);
  });

  it('continues with last= when a full page comes without a Link header', async () => {
    const all = names(0, 4);
    const { pages, run } = await collect((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const start = url.searchParams.has('last')
        ? all.indexOf(url.searchParams.get('last')!) + 1
        : 0;
      sendJson(res, 200, { repositories: all.slice(start, start + 2) });
    });
    await run();
    expect(pages.flat()).toEqual(all);
  });

  it('reads a registry that ignores n and last (distribution 2.8 tag lists) once', async () => {
    const all = names(0, 5);
    const { pages, run } = await collect((_req, res) =>
      sendJson(res, 200, { repositories: all }),
    );
    await run();
    expect(pages).toEqual([all]);
    expect(server.requests).toHaveLength(1);
  });

  it('calls a listing that honours n but ignores last (no Link) incomplete, not finished', async () => {
    const all = names(0, 5);
    const { pages, run } = await collect((req, res) => {
      const n = Number(new URL(req.url!, 'http://x').searchParams.get('n'));
      sendJson(res, 200, { repositories: all.slice(0, n) });
    });
    await expect(run()).rejects.toMatchObject({
      reason: 'pagination-loop',
      message: expect.stringMatching(/_catalog ignored "last=repo-001"/),
    });
    expect(pages).toEqual([all.slice(0, 2)]);
  });

  it('ends quietly when a registry that ignores n and last has exactly one page of names', async () => {
    const { pages, run } = await collect((_req, res) =>
      sendJson(res, 200, { repositories: ['a', 'b'] }),
    );
    await run();
    expect(pages).toEqual([['a', 'b']]);
    // the page, the probe past it, and one larger page that shows there is no more
    expect(server.requests).toHaveLength(3);
  });

  it('stops an endless series of unique pages at the page bound, naming the listing', async () => {
    let page = 0;
    const { pages, run } = await collect(
      (_req, res) => {
        page++;
        sendJson(
          res,
          200,
          { repositories: [`r${String(page).padStart(4, '0')}`] },
          { link: `</v2/_catalog?page=${page}>; rel="next"` },
        );
      },
      2,
      { maxPages: 5 },
    );
    await expect(run()).rejects.toMatchObject({
      reason: 'pagination-loop',
      message: '/v2/_catalog went on for more than 5 pages',
    });
    expect(pages).toHaveLength(5);
  });

  it('stops between pages once the signal is aborted', async () => {
    const controller = new AbortController();
    const all = names(0, 10);
    server = await startScriptedServer((req, res) =>
      answerLinkedPage(req, res, all),
    );
    http = new RegistryHttpClient(testConnection(server.url));
    const pages: string[][] = [];
    const listing = async () => {
      for await (const page of paginate({
        http,
        kind: 'catalog',
        path: '/v2/_catalog',
        pageSize: 2,
        signal: controller.signal,
        read: (body: any) => ({ items: body.repositories }),
      })) {
        pages.push(page);
        controller.abort();
      }
    };
    await expect(listing()).rejects.toMatchObject({ reason: 'aborted' });
    expect(pages).toEqual([all.slice(0, 2)]);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a truncated page as an invalid response', async () => {
    const { run } = await collect((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"repositories":["a",');
    });
    await expect(run()).rejects.toMatchObject({ reason: 'invalid-response' });
  });
});
