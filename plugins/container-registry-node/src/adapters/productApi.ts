import { RegistryError } from '../errors';
import type { RegistryHttpClient } from '../http/RegistryHttpClient';
import { parseNextLink } from '../http/linkHeader';

export interface PagedJsonOptions {
  http: RegistryHttpClient;
  /** Path under the client's URL, with its own query (without the page parameters). */
  path: string;
  pageSize: number;
  /** Names of the page parameters: Harbor's `page`/`page_size`, GitLab's `page`/`per_page`. */
  pageParam: string;
  sizeParam: string;
  signal?: AbortSignal;
  /** Most pages one listing may take, so a server inventing pages cannot hold a crawl. */
  maxPages?: number;
}

function parseJson(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RegistryError('invalid-response', `${path} answered non-JSON`);
  }
}

/** GET of one product API document, parsed. */
export async function getJson(
  http: RegistryHttpClient,
  path: string,
): Promise<unknown> {
  const response = await http.request({
    kind: 'api',
    url: path,
    accept: 'application/json',
  });
  return parseJson(response.body, path.split('?')[0]);
}

/**
 * Walks a product API listing paged by page number that answers a JSON array per page. The
 * next page is the `Link: rel="next"` target when the product sends one (on the same origin
 * only), else the next page number while pages come back full.
 */
export async function* pagedJson(
  options: PagedJsonOptions,
): AsyncGenerator<unknown[]> {
  const { http, pageSize, signal } = options;
  const maxPages = options.maxPages ?? 100_000;
  const pathOnly = options.path.split('?')[0];
  const first = http.resolve(options.path);
  first.searchParams.set(options.pageParam, '1');
  first.searchParams.set(options.sizeParam, String(pageSize));
  let url: URL | undefined = first;
  const seen = new Set<string>();
  for (let page = 1; url; page++) {
    if (signal?.aborted)
      throw new RegistryError('aborted', 'The crawl was cancelled');
    if (page > maxPages || seen.has(url.href)) {
      throw new RegistryError(
        'pagination-loop',
        `${pathOnly} kept linking to more pages (${page - 1} read)`,
      );
    }
    seen.add(url.href);
    const response = await http.request({
      kind: 'api',
      url,
      accept: 'application/json',
    });
    const body = parseJson(response.body, pathOnly);
    if (!Array.isArray(body)) {
      throw new RegistryError(
        'invalid-response',
        `${pathOnly} answered a page that is not a list`,
      );
    }
    if (body.length === 0) return;
    yield body;
    const next = parseNextLink(response.header('link'), response.url);
    if (next && next.origin !== response.url.origin) {
      throw new RegistryError(
        'cross-host',
        `${pathOnly} linked its next page to ${next.origin}`,
      );
    }
    if (next) {
      url = next;
    } else if (body.length >= pageSize && !response.header('link')) {
      url = new URL(url);
      url.searchParams.set(options.pageParam, String(page + 1));
    } else {
      url = undefined;
    }
  }
}
