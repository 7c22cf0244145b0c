import { LRUCache } from 'lru-cache';
import type { RegistryAuth } from '../connection/types';
import { RegistryError } from '../errors';
import type { AuthChallenge } from './challenge';

/** What the authenticator needs to fetch a token: a GET that returns status and JSON body. */
export type TokenFetcher = (
  url: URL,
  authorization: string | undefined,
) => Promise<{ status: number; body: Buffer }>;

interface CachedToken {
  value: string;
  expiresAt: number;
}

const DEFAULT_TOKEN_SECONDS = 60;
/** Tokens are per repository scope: a large registry would otherwise keep one per repository. */
export const MAX_CACHED_TOKENS = 1000;

/** `https://auth:8443/x` → `https://auth:8443`; a bare `auth.example.com` means its https origin. */
function originOf(entry: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry)
    ? entry
    : `https://${entry}`;
  try {
    return new URL(withScheme).origin;
  } catch {
    return undefined;
  }
}

/**
 * Decides the Authorization header of each request. Learns from the registry's challenge
 * whether it wants Basic or a Bearer token from a realm, caches tokens per
 * (realm, service, scope) and renews them before they expire.
 */
export class RegistryAuthenticator {
  private bearerRealm?: { realm: URL; service?: string };
  private basicWanted: boolean;
  /** Origins besides the registry's that may receive its credentials as token realm. */
  private readonly trustedRealmOrigins: string[];
  private readonly tokens = new LRUCache<string, CachedToken>({
    max: MAX_CACHED_TOKENS,
  });
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly auth: RegistryAuth,
    private readonly registryUrl: URL,
    /** Origins besides the registry's that may receive its credentials as token realm. */
    trustedRealms: string[],
    private readonly fetchToken: TokenFetcher,
    private readonly now: () => number = Date.now,
  ) {
    this.basicWanted = auth.type === 'basic';
    this.trustedRealmOrigins = trustedRealms.flatMap(entry => {
      const origin = originOf(entry);
      return origin ? [origin] : [];
    });
  }

  /** How many tokens are cached now. */
  get cachedTokens(): number {
    return this.tokens.size;
  }

  private get basicCredentials(): string | undefined {
    const { username, password } = this.auth;
    if (!username || password === undefined) return undefined;
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  /** The header to send up front for a request needing `scope`. */
  async authorizationFor(
    scope: string | undefined,
  ): Promise<string | undefined> {
    if (this.auth.type === 'none') return undefined;
    if (this.auth.token && !this.auth.username)
      return `Bearer ${this.auth.token}`;
    if (this.bearerRealm) {
      return `Bearer ${await this.token(this.bearerRealm, scope)}`;
    }
    return this.basicWanted ? this.basicCredentials : undefined;
  }

  /**
   * Takes a 401's challenge; true when a retry with new credentials can succeed, false when
   * the failure is final (wrong credentials, or a token that lacks the scope).
   */
  async acceptChallenge(
    challenge: AuthChallenge | undefined,
    scope: string | undefined,
    sent: string | undefined,
  ): Promise<boolean> {
    if (!challenge || this.auth.type === 'none') return false;
    if (challenge.scheme === 'basic') {
      // Final only when Basic was sent and refused: requests that went out anonymously before
      // the first challenge was learned retry with the credentials.
      if (!this.basicCredentials || sent?.startsWith('Basic ')) return false;
      this.basicWanted = true;
      return true;
    }
    if (!challenge.realm) return false;
    const realm = new URL(challenge.realm, this.registryUrl);
    const learned = { realm, service: challenge.service };
    const wantedScope = challenge.scope ?? scope;
    if (sent?.startsWith('Bearer ')) {
      if (challenge.error === 'insufficient_scope') return false;
      // The registry no longer takes this token (expired early, or revoked): get a new one.
      // The client retries a request once, so a token that keeps failing ends as unauthorized.
      const key = this.cacheKey(learned, wantedScope);
      if (`Bearer ${this.tokens.get(key)?.value}` === sent)
        this.tokens.delete(key);
    }
    this.bearerRealm = learned;
    await this.token(learned, wantedScope);
    return true;
  }

  /**
   * Credentials go only to the registry's exact origin (scheme, host, port) or an origin the
   * admin listed, and never in clear text when the registry itself is reached over TLS.
   */
  private mayReceiveCredentials(url: URL): boolean {
    if (this.registryUrl.protocol === 'https:' && url.protocol !== 'https:') {
      return false;
    }
    return (
      url.origin === this.registryUrl.origin ||
      this.trustedRealmOrigins.includes(url.origin)
    );
  }

  private cacheKey(realm: { realm: URL; service?: string }, scope?: string) {
    return `${realm.realm.href}|${realm.service ?? ''}|${scope ?? ''}`;
  }

  private async token(
    realm: { realm: URL; service?: string },
    scope: string | undefined,
  ): Promise<string> {
    const key = this.cacheKey(realm, scope);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    if (cached) this.tokens.delete(key);
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.requestToken(realm, scope, key).finally(() =>
        this.pending.delete(key),
      );
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async requestToken(
    realm: { realm: URL; service?: string },
    scope: string | undefined,
    key: string,
  ): Promise<string> {
    const url = new URL(realm.realm);
    if (realm.service) url.searchParams.set('service', realm.service);
    for (const part of scope?.split(' ') ?? []) {
      url.searchParams.append('scope', part);
    }
    const trusted = this.mayReceiveCredentials(url);
    const response = await this.fetchToken(
      url,
      trusted ? this.basicCredentials : undefined,
    );
    if (response.status === 401 || response.status === 403) {
      throw new RegistryError(
        'unauthorized',
        `Token service ${url.origin} refused the credentials${
          trusted
            ? ''
            : ` (it is not the registry's origin ${this.registryUrl.origin}, so it got no credentials; list ${url.origin} in auth.realmHosts to send them there)`
        }`,
        { status: response.status },
      );
    }
    if (response.status !== 200) {
      throw new RegistryError(
        response.status >= 500 ? 'server-error' : 'invalid-response',
        `Token service ${url.origin} answered ${response.status}`,
        { status: response.status },
      );
    }
    let body: { token?: string; access_token?: string; expires_in?: number };
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new RegistryError(
        'invalid-response',
        `Token service ${url.origin} answered non-JSON`,
      );
    }
    const value = body.token ?? body.access_token;
    if (!value) {
      throw new RegistryError(
        'invalid-response',
        `Token service ${url.origin} answered no token`,
      );
    }
    const lifetimeMs = (body.expires_in || DEFAULT_TOKEN_SECONDS) * 1000;
    // Renew a little early so a token does not expire between check and use.
    const margin = Math.min(30_000, lifetimeMs / 10);
    this.tokens.set(key, {
      value,
      expiresAt: this.now() + lifetimeMs - margin,
    });
    return value;
  }
}
