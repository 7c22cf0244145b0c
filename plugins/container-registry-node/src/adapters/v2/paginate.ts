import { RegistryError } from '../../errors';
import type { RegistryHttpClient } from '../../http/RegistryHttpClient';
import { parseNextLink } from '../../http/linkHeader';
import type { RequestKind } from '../../http/RequestStats';

export interface PaginateOptions<T extends string> {
  http: RegistryHttpClient;
  kind: RequestKind;
  /** First page's path without `n`/`last`. */
  path: string;
  scope?: string;
  pageSize: number;
  /** The names on a page, in the registry's (lexical) order. */
  read(body: unknown): { items: T[] };
  /** Stops the listing between pages. */
  signal?: AbortSignal;
  /** Most pages one listing may take: a registry linking to endless new pages is stopped. */
  maxPages?: number;
}

/**
 * Far beyond any real listing at the smallest page size registries accept (a million pages),
 * yet finite, so that a registry inventing new page links forever cannot hold a crawl.
 */
export const DEFAULT_MAX_PAGES = 1_000_000;

/** Stops between pages once the crawl was cancelled or the client stopped taking requests. */
function throwIfStopped(http: RegistryHttpClient, signal?: AbortSignal) {
  if (signal?.aborted)
    throw new RegistryError('aborted', 'The crawl was cancelled');
  if (http.halted) throw http.halted;
}

/**
 * The page size to ask for after a registry refused `n`, or undefined when the error is not
 * such a refusal. Distribution answers `400 PAGINATION_NUMBER_INVALID` without saying its limit
 * (`catalog.maxentries`): halve. ECR names its limit ("… less than or equal to 1000"): take it.
 */
function pageSizeAfterRefusal(
  error: unknown,
  pageSize: number,
): number | undefined {
  if (
    !(error instanceof RegistryError) ||
    (error.status !== 400 && error.status !== 405) ||
    !/PAGINATION_NUMBER_INVALID|maxResults|invalid.*\bn\b|page size/i.test(
      error.message,
    ) ||
    pageSize <= 1
  ) {
    return undefined;
  }
  const stated = Number(
    /less than or equal to (\d+)/i.exec(error.message)?.[1],
  );
  if (stated >= 1 && stated < pageSize) return stated;
  return Math.max(1, Math.floor(pageSize / 2));
}

/**
 * A next link that left out the path the V2 API is served under (Artifactory's and Nexus's
 * repository paths, a registry behind a path prefix) is taken under that path again: the
 * registry behind the product writes links for its own root.
 */
function underApiPath(next: URL, apiPath: string): URL {
  if (!apiPath || next.pathname.startsWith(`${apiPath}/v2/`)) return next;
  if (!next.pathname.startsWith('/v2/')) return next;
  const fixed = new URL(next);
  fixed.pathname = `${apiPath}${next.pathname}`;
  return fixed;
}

function withPageSize(url: URL, n: number): URL {
  const copy = new URL(url);
  copy.searchParams.set('n', String(n));
  return copy;
}

function parsePage(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RegistryError(
      'invalid-response',
      `${path} answered a page that is not JSON`,
    );
  }
}

/**
 * Whether the listing answers more than `pageSize` names when asked for one more: told apart
 * this way, a registry that honours `n` (and so has more pages it will not give) from one
 * that sent its whole listing, which happened to be exactly one page long.
 */
async function honoursLargerPage<T extends string>(
  options: PaginateOptions<T>,
  url: URL,
  pageSize: number,
): Promise<boolean> {
  const first = withPageSize(url, pageSize + 1);
  first.searchParams.delete('last');
  const response = await options.http.request({
    kind: options.kind,
    url: first,
    scope: options.scope,
    accept: 'application/json',
  });
  const { items } = options.read(parsePage(response.body, options.path));
  return items.length > pageSize;
}

/**
 * V2 APIs seen sending `Link` headers, by client and the path before `/v2/` (Nexus and
 * Artifactory serve one per repository of theirs, and not all of them send links): for
 * them, a page without one is the last page.
 */
const sendsLinks = new WeakMap<RegistryHttpClient, Set<string>>();

function apiKey(path: string): string {
  const at = path.indexOf('/v2/');
  return at < 0 ? '' : path.slice(0, at);
}
/** The page size a registry accepted after rejecting a larger one, per kind of listing. */
const acceptedPageSizes = new WeakMap<
  RegistryHttpClient,
  Map<string, number>
>();

/**
 * Walks a `n`/`last` listing through its `Link` headers. Ends on an empty page; a `last`
 * that does not move, a URL seen before or more than `maxPages` pages are a `pagination-loop`
 * error; refuses links to another host; asks for smaller pages when the registry refuses the
 * size. For a registry that never sends `Link`, a full page is followed by a `last=` request;
 * an answer that repeats names up to `last` means the registry ignores `last`: the listing
 * cannot be finished, which is an error rather than a short listing.
 */
export async function* paginate<T extends string>(
  options: PaginateOptions<T>,
): AsyncGenerator<T[]> {
  const { http, kind, scope, signal } = options;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let pages = 0;
  const accepted = acceptedPageSizes.get(http) ?? new Map<string, number>();
  acceptedPageSizes.set(http, accepted);
  let pageSize = Math.min(options.pageSize, accepted.get(kind) ?? Infinity);
  let url: URL | undefined = withPageSize(http.resolve(options.path), pageSize);
  const apiPath = url.pathname.slice(
    0,
    Math.max(0, url.pathname.indexOf('/v2/')),
  );
  const seen = new Set<string>();
  let previousLast: string | undefined;
  let probing = false;
  let yielded = 0;
  const linking = sendsLinks.get(http) ?? new Set<string>();
  sendsLinks.set(http, linking);
  const api = apiKey(options.path);

  while (url) {
    throwIfStopped(http, signal);
    if (++pages > maxPages) {
      throw new RegistryError(
        'pagination-loop',
        `${options.path} went on for more than ${maxPages} pages`,
      );
    }
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
      const smaller = pageSizeAfterRefusal(error, pageSize);
      if (smaller !== undefined) {
        pageSize = smaller;
        accepted.set(kind, pageSize);
        url = withPageSize(url, pageSize);
        continue;
      }
      throw error;
    }
    const body = parsePage(response.body, options.path);
    const { items } = options.read(body);
    if (probing && previousLast !== undefined && items[0] <= previousLast) {
      // A registry that ignores both n and last answered everything at once; one that
      // honours n but ignores last cannot be read past its first page.
      if (yielded === 1 && !(await honoursLargerPage(options, url, pageSize)))
        return;
      throw new RegistryError(
        'pagination-loop',
        `${options.path} ignored "last=${previousLast}" and answered names from before it again, so the listing cannot be read past its first page; make the registry send "Link" headers or raise the page size`,
      );
    }
    if (items.length === 0) return;
    yielded++;
    yield items;

    const last = items[items.length - 1];
    if (last === previousLast) {
      throw new RegistryError(
        'pagination-loop',
        `${options.path} returned the same page twice`,
      );
    }
    previousLast = last;
    const link = parseNextLink(response.header('link'), response.url);
    const next = link && underApiPath(link, apiPath);
    probing = false;
    if (next) {
      linking.add(api);
      if (next.origin !== http.baseUrl.origin) {
        throw new RegistryError(
          'cross-host',
          `${options.path} linked its next page to ${next.origin}`,
        );
      }
      url = next;
    } else if (!linking.has(api) && items.length === pageSize) {
      url = withPageSize(response.url, pageSize);
      url.searchParams.set('last', last);
      probing = true;
    } else {
      url = undefined;
    }
  }
}
