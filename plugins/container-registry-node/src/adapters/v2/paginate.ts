import { RegistryError } from '../../errors';
import type { RegistryHttpClient } from '../../http/RegistryHttpClient';
import { parseNextLink } from '../../http/linkHeader';
import type { RequestKind } from '../../http/RequestStats';

export interface PaginateOptions<T> {
  http: RegistryHttpClient;
  kind: RequestKind;
  /** First page's path without `n`/`last`. */
  path: string;
  scope?: string;
  pageSize: number;
  /** The page's items, and the cursor value (`last`) they advance to. */
  read(body: unknown): { items: T[]; last?: string };
}

const SMALLEST_PAGE = 10;

function isPageSizeRejected(error: unknown): boolean {
  return (
    error instanceof RegistryError &&
    error.status === 400 &&
    /PAGINATION_NUMBER_INVALID|invalid.*\bn\b|page size/i.test(error.message)
  );
}

function withPageSize(url: URL, n: number): URL {
  const copy = new URL(url);
  copy.searchParams.set('n', String(n));
  return copy;
}

/**
 * Walks a `n`/`last` listing through its `Link` headers. Stops on an empty page, a `last`
 * that does not move, or a URL seen before; refuses links to another host; halves the page
 * size when the registry rejects it; keeps going with `last` when a full page lacks a link.
 */
export async function* paginate<T>(
  options: PaginateOptions<T>,
): AsyncGenerator<T[]> {
  const { http, kind, scope } = options;
  let pageSize = options.pageSize;
  let url: URL | undefined = withPageSize(http.resolve(options.path), pageSize);
  const seen = new Set<string>();
  let previousLast: string | undefined;

  while (url) {
    if (seen.has(url.href)) {
      throw new RegistryError(
        'pagination-loop',
        `${options.path} returned a page link seen before`,
      );
    }
    seen.add(url.href);
    let response;
    try {
      response = await http.request({
        kind,
        url,
        scope,
        accept: 'application/json',
      });
    } catch (error) {
      if (isPageSizeRejected(error) && pageSize > SMALLEST_PAGE) {
        pageSize = Math.max(SMALLEST_PAGE, Math.floor(pageSize / 2));
        url = withPageSize(url, pageSize);
        continue;
      }
      throw error;
    }
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new RegistryError(
        'invalid-response',
        `${options.path} answered a page that is not JSON`,
      );
    }
    const { items, last } = options.read(body);
    if (items.length === 0) return;
    yield items;

    if (last !== undefined && last === previousLast) {
      throw new RegistryError(
        'pagination-loop',
        `${options.path} returned the same page twice`,
      );
    }
    previousLast = last;
    const next = parseNextLink(response.header('link'), response.url);
    if (next && next.origin !== http.baseUrl.origin) {
      throw new RegistryError(
        'cross-host',
        `${options.path} linked its next page to ${next.origin}`,
      );
    }
    if (next) {
      url = next;
    } else if (items.length >= pageSize && last !== undefined) {
      // Some registries omit Link on a full page; ask for what follows the last item.
      url = withPageSize(response.url, pageSize);
      url.searchParams.set('last', last);
    } else {
      url = undefined;
    }
  }
}
