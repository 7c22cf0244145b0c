import type { lookup as dnsLookup } from 'node:dns';
import type { Agent } from 'undici';
import type { RegistryConnection } from '../connection/types';
import { RegistryError, snippet, toRegistryError } from '../errors';
import { abortedError, sleep } from './abortable';
import { AddressPolicy } from './addressPolicy';
import { foreignAgent, registryAgent } from './agents';
import { parseAuthChallenge } from './challenge';
import { collectResponse } from './collectResponse';
import { RateLimiter } from './RateLimiter';
import { RegistryAuthenticator } from './RegistryAuthenticator';
import { RequestKind, RequestStats } from './RequestStats';
import {
  isRetryableError,
  isRetryableStatus,
  rateLimitWaitMs,
  retryDelayMs,
} from './retryPolicy';
import { Semaphore } from './Semaphore';
import { SharedBackoff } from './SharedBackoff';

type HttpMethod = 'GET' | 'HEAD' | 'POST';

/** A request body, for product APIs that log in by POST (Docker Hub's token endpoint). */
export interface RequestPayload {
  contentType: string;
  content: string;
}

export interface RegistryRequest {
  kind: RequestKind;
  method?: HttpMethod;
  payload?: RequestPayload;
  /**
   * Sent instead of the connection's credentials: a product API token the adapter obtained
   * and renews itself. Like all credentials it goes to the client's own origin only.
   */
  authorization?: string;
  /** A path under the registry URL (`/v2/_catalog`) or an absolute URL (a `Link` target). */
  url: string | URL;
  accept?: string;
  /** Token scope, e.g. `repository:team/app:pull`. */
  scope?: string;
  /** Statuses handed back instead of thrown, e.g. 404 for a probe. */
  passStatuses?: number[];
}

export interface RegistryResponse {
  status: number;
  /** Where the answer came from, after redirects. */
  readonly url: URL;
  body: Buffer;
  header(name: string): string | undefined;
}

/** Where a request goes; `path` includes the query. Kept as strings: most are never parsed. */
interface RequestTarget {
  origin: string;
  path: string;
}

function targetOf(url: URL): RequestTarget {
  return { origin: url.origin, path: `${url.pathname}${url.search}` };
}

const pathnameOf = (target: RequestTarget) => target.path.split('?')[0];

const USER_AGENT = 'container-inventory';

function requestHeaders(
  accept: string | undefined,
  authorization: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  if (accept) headers.accept = accept;
  if (authorization) headers.authorization = authorization;
  return headers;
}

const MAX_REDIRECTS = 5;
/** Far above any manifest, tag list or catalog page; a body beyond it is garbage. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** A server asking to wait longer than this is reported as rate-limiting instead. */
const MAX_RETRY_AFTER_MS = 60_000;

function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function describeErrorBody(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8'));
    const first = parsed?.errors?.[0];
    if (first?.code || first?.message) {
      // The registry's words are copied as a short excerpt: a hostile or broken registry
      // could otherwise fill logs and the status page, or echo secrets back.
      return snippet(
        `${first.code ?? ''}${first.message ? `: ${first.message}` : ''}`,
      );
    }
  } catch {
    // not a registry error document
  }
  return '';
}

function errorForStatus(status: number, url: URL, body: Buffer): RegistryError {
  const detail = describeErrorBody(body);
  const what = `${url.pathname} answered ${status}${
    detail ? ` (${detail})` : ''
  }`;
  if (status === 401)
    return new RegistryError('unauthorized', what, { status });
  if (status === 403) return new RegistryError('forbidden', what, { status });
  if (status === 404) return new RegistryError('not-found', what, { status });
  if (status === 429)
    return new RegistryError('rate-limited', what, { status });
  if (status >= 500) return new RegistryError('server-error', what, { status });
  return new RegistryError('invalid-response', what, { status });
}

export interface RegistryHttpClientOptions {
  /** Aborts every request of this client, including waits for a connection or a retry. */
  signal?: AbortSignal;
  /** Resolves host names for origins other than the registry's; the system resolver by default. */
  lookup?: typeof dnsLookup;
  /**
   * Counts to add this client's requests to, so that one crawl's report counts the requests of
   * every client it opened (a product API's, a token service's).
   */
  stats?: RequestStats;
}

/** Extra tries of a request the registry rate-limits, beyond `maxRetries`: the breaker bounds them. */
const RATE_LIMIT_EXTRA_RETRIES = 10;

/**
 * All HTTP to one registry: an undici Agent with the connection's limits and TLS settings for
 * the registry's origin and one with default TLS and the address policy for every other,
 * one rate limiter, authentication through the registry's challenge, retries of transient
 * failures with a back-off shared by all requests, and credentials kept to the registry's
 * own origin.
 */
export class RegistryHttpClient {
  readonly baseUrl: URL;
  /** The connection URL's path, with its trailing slash: registries served under a prefix. */
  private readonly basePath: string;
  readonly stats: RequestStats;
  /** The registry's own origin, with the connection's TLS settings. */
  private readonly agent: Agent;
  /** Every other origin: default TLS, and only addresses the policy allows. */
  private readonly foreignAgent: Agent;
  private readonly addressPolicy: AddressPolicy;
  private readonly backoff = new SharedBackoff();
  private agentsDestroyed = false;
  private readonly slots: Semaphore;
  private readonly rateLimiter?: RateLimiter;
  private readonly authenticator: RegistryAuthenticator;
  /**
   * Set when the client stopped taking requests for the rest of its life (the registry kept
   * rate-limiting): every later request fails at once with this error.
   */
  halted?: RegistryError;

  constructor(
    private readonly connection: RegistryConnection,
    private readonly options: RegistryHttpClientOptions = {},
  ) {
    this.stats = options.stats ?? new RequestStats();
    const t = connection.transport;
    this.baseUrl = new URL(`${connection.url}/`);
    this.basePath = this.baseUrl.pathname;
    this.addressPolicy = new AddressPolicy(t.allowedHosts);
    this.agent = registryAgent(t, this.addressPolicy);
    this.foreignAgent = foreignAgent(t, this.addressPolicy, options.lookup);
    this.slots = new Semaphore(t.maxConnections);
    // A cancelled crawl ends every exchange in flight at once: the client takes no more.
    options.signal?.addEventListener(
      'abort',
      () => {
        this.agentsDestroyed = true;
        this.agent.destroy(abortedError()).catch(() => {});
        this.foreignAgent.destroy(abortedError()).catch(() => {});
      },
      { once: true },
    );
    this.rateLimiter = t.maxRequestsPerSecond
      ? new RateLimiter(t.maxRequestsPerSecond)
      : undefined;
    this.authenticator = new RegistryAuthenticator(
      connection.auth,
      this.baseUrl,
      connection.auth.realmHosts ?? [],
      async (url, authorization) => {
        const res = await this.send(
          'token',
          'GET',
          targetOf(url),
          requestHeaders('application/json', authorization),
        );
        return { status: res.status, body: res.body };
      },
    );
  }

  /** Resolves a registry path against the connection URL, keeping its path prefix. */
  resolve(path: string | URL): URL {
    if (path instanceof URL) return path;
    return new URL(path.replace(/^\//, ''), this.baseUrl);
  }

  /** A path under the registry URL is joined as a string: the crawl's requests skip URL parsing. */
  private target(url: string | URL): RequestTarget {
    if (typeof url === 'string' && url.startsWith('/')) {
      return {
        origin: this.baseUrl.origin,
        path: this.basePath + url.slice(1),
      };
    }
    return targetOf(this.resolve(url));
  }

  /** Throws when the crawl was cancelled or the client stopped taking requests. */
  private checkOpen() {
    if (this.options.signal?.aborted) throw abortedError();
    if (this.halted) throw this.halted;
  }

  /** One request with authentication, redirects and retries; non-2xx becomes a RegistryError. */
  async request(req: RegistryRequest): Promise<RegistryResponse> {
    this.checkOpen();
    const target = this.target(req.url);
    if (target.origin !== this.baseUrl.origin) {
      throw new RegistryError(
        'cross-host',
        `Refused to send a registry request to ${target.origin}, which is not ${this.baseUrl.origin}`,
      );
    }
    if (req.authorization !== undefined) {
      const response = await this.exchange(req, target, req.authorization);
      if (response.status >= 200 && response.status < 300) return response;
      if (req.passStatuses?.includes(response.status)) return response;
      throw errorForStatus(response.status, response.url, response.body);
    }
    let authorization = await this.authenticator.authorizationFor(req.scope);
    let response = await this.exchange(req, target, authorization);
    // A 401 from another origin (a redirect hop) must not choose where credentials go.
    if (
      response.status === 401 &&
      response.url.origin === this.baseUrl.origin
    ) {
      const challenge = this.challengeOf(response, authorization, req.scope);
      if (
        await this.authenticator.acceptChallenge(
          challenge,
          req.scope,
          authorization,
        )
      ) {
        authorization = await this.authenticator.authorizationFor(
          challenge?.scope ?? req.scope,
        );
        response = await this.exchange(req, target, authorization);
        if (response.status === 401)
          this.challengeOf(response, authorization, req.scope);
      }
    }
    if (
      (response.status >= 200 && response.status < 300) ||
      req.passStatuses?.includes(response.status)
    ) {
      return response;
    }
    throw errorForStatus(response.status, response.url, response.body);
  }

  /** The 401's challenge; a token that lacks the scope is final: forbidden, not a retry. */
  private challengeOf(
    response: RegistryResponse,
    authorization: string | undefined,
    scope: string | undefined,
  ) {
    const challenge = parseAuthChallenge(response.header('www-authenticate'));
    if (challenge?.error === 'insufficient_scope' && authorization) {
      throw new RegistryError(
        'forbidden',
        `${response.url.pathname} needs scope "${
          challenge.scope ?? scope
        }", which the credentials do not grant`,
        { status: 401 },
      );
    }
    return challenge;
  }

  /** A request plus the redirects it leads to; credentials stay on the registry's origin. */
  private async exchange(
    req: RegistryRequest,
    first: RequestTarget,
    authorization: string | undefined,
  ): Promise<RegistryResponse> {
    let target = first;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const sameOrigin = target.origin === this.baseUrl.origin;
      // A redirected POST is not replayed with its body elsewhere: it ends here.
      const payload = hop === 0 ? req.payload : undefined;
      const response = await this.send(
        req.kind,
        hop === 0 ? req.method ?? 'GET' : 'GET',
        target,
        requestHeaders(req.accept, sameOrigin ? authorization : undefined),
        payload,
      );
      const location = response.header('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return response;
      }
      const next = new URL(location, response.url);
      if (response.url.protocol === 'https:' && next.protocol !== 'https:') {
        throw new RegistryError(
          'cross-host',
          `${pathnameOf(first)} redirected from https to ${
            next.origin
          }; refused to leave TLS`,
        );
      }
      target = targetOf(next);
    }
    throw new RegistryError(
      'invalid-response',
      `${pathnameOf(first)} redirected more than ${MAX_REDIRECTS} times`,
    );
  }

  /**
   * One HTTP exchange within the connection limits, retried on transient failures. Waits of
   * the registry-wide back-off hold every request; 429s in a row trip the breaker.
   */
  private async send(
    kind: RequestKind,
    method: HttpMethod,
    target: RequestTarget,
    headers: Record<string, string>,
    payload?: RequestPayload,
  ): Promise<RegistryResponse> {
    const { maxRetries } = this.connection.transport;
    const signal = this.options.signal;
    let failures = 0;
    let rateLimits = 0;
    for (;;) {
      this.checkOpen();
      if (this.backoff.paused) {
        await this.backoff.wait(signal);
        this.checkOpen();
      }
      let response: RegistryResponse | undefined;
      try {
        response = await this.sendOnce(kind, method, target, headers, payload);
      } catch (error) {
        if (signal?.aborted) throw abortedError();
        if (failures >= maxRetries || !isRetryableError(error)) {
          throw toRegistryError(error);
        }
      }
      if (response?.status === 429) {
        rateLimits++;
        if (this.backoff.rateLimited()) this.halt(target);
      } else if (response) {
        this.backoff.answered();
      }
      if (response && !isRetryableStatus(response.status)) return response;
      const rateLimited = response?.status === 429;
      const retriesDone = rateLimited ? rateLimits - 1 : failures;
      const budget = rateLimited
        ? maxRetries + RATE_LIMIT_EXTRA_RETRIES
        : maxRetries;
      if (response && retriesDone >= budget) return response;
      const retryAfter = response
        ? rateLimitWaitMs(response.header)
        : undefined;
      if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS) {
        throw new RegistryError(
          'rate-limited',
          `${pathnameOf(target)} asked to wait ${Math.round(
            retryAfter / 1000,
          )} s before retrying`,
          { status: response?.status },
        );
      }
      if (!rateLimited) failures++;
      this.stats.retries++;
      if (retryAfter === undefined && !rateLimited) {
        await sleep(retryDelayMs(retriesDone, undefined), signal);
        continue;
      }
      // The registry said how long to wait, or is rate-limiting: that holds for every request,
      // and the pause grows with the registry-wide run of 429s.
      this.backoff.pause(
        retryDelayMs(
          Math.max(0, this.backoff.consecutiveRateLimits - 1),
          retryAfter,
        ),
      );
    }
  }

  /** Stops taking requests for good: the registry keeps rate-limiting whatever the pause. */
  private halt(target: RequestTarget): never {
    this.halted ??= new RegistryError(
      'rate-limited',
      `The registry answered 429 (too many requests) to ${
        this.backoff.consecutiveRateLimits
      } requests in a row, the last for ${pathnameOf(
        target,
      )}, despite pausing; stopped asking it for the rest of this crawl`,
      { status: 429 },
    );
    throw this.halted;
  }

  private async sendOnce(
    kind: RequestKind,
    method: HttpMethod,
    target: RequestTarget,
    headers: Record<string, string>,
    payload?: RequestPayload,
  ): Promise<RegistryResponse> {
    const { poolTimeoutMs, maxKeepAliveConnections, requestTimeoutMs } =
      this.connection.transport;
    const signal = this.options.signal;
    if (
      !this.slots.tryAcquire() &&
      !(await this.slots.acquire(poolTimeoutMs, signal))
    ) {
      throw new RegistryError(
        'timeout',
        `No free connection to ${target.origin} within ${poolTimeoutMs} ms (pool timeout)`,
      );
    }
    let started = false;
    try {
      if (this.rateLimiter) await this.rateLimiter.acquire(signal);
      if (signal?.aborted) throw abortedError();
      this.stats.started(kind);
      started = true;
      const sameOrigin = target.origin === this.baseUrl.origin;
      const res = await collectResponse(
        sameOrigin ? this.agent : this.foreignAgent,
        {
          origin: target.origin,
          path: target.path,
          method,
          headers: payload
            ? { ...headers, 'content-type': payload.contentType }
            : headers,
          ...(payload ? { body: payload.content } : {}),
          // Connections beyond the keep-alive count are closed after use instead of kept idle.
          reset: this.stats.inFlight > maxKeepAliveConnections,
        },
        MAX_RESPONSE_BYTES,
        {
          // The deadline covers the whole exchange, body included: the read timeout is only
          // an idle limit, which a registry dripping a byte at a time never reaches.
          at: performance.now() + requestTimeoutMs,
          error: () =>
            new RegistryError(
              'timeout',
              `${pathnameOf(
                target,
              )} took longer than ${requestTimeoutMs} ms (request timeout)`,
            ),
        },
      );
      return {
        status: res.status,
        get url() {
          return new URL(target.path, target.origin);
        },
        body: res.body,
        header: name => headerValue(res.headers, name),
      };
    } catch (error) {
      if (signal?.aborted) throw abortedError();
      throw error;
    } finally {
      if (started) this.stats.finished();
      this.slots.release();
    }
  }

  async close(): Promise<void> {
    if (this.agentsDestroyed) return;
    await Promise.all([this.agent.close(), this.foreignAgent.close()]);
  }
}
