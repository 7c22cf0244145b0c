/** How requests authenticate. `auto` tries anonymous first and follows the registry's challenge. */
export type RegistryAuthType = 'none' | 'basic' | 'bearer' | 'auto';

export interface RegistryAuth {
  type: RegistryAuthType;
  username?: string;
  password?: string;
  /** A static bearer token, sent as is (for products that issue API tokens). */
  token?: string;
  /**
   * Origins besides the registry's own that may receive credentials as its token realm:
   * `https://auth.example.com[:port]`, or a bare host name meaning `https://host`.
   */
  realmHosts?: string[];
}

/** Every knob of the HTTP transport to one registry. Durations are in milliseconds. */
export interface TransportSettings {
  maxConnections: number;
  maxKeepAliveConnections: number;
  keepAliveExpiryMs: number;
  connectTimeoutMs: number;
  /** Longest wait for a free connection before a request fails. */
  poolTimeoutMs: number;
  readTimeoutMs: number;
  writeTimeoutMs: number;
  /** The `n` asked for on paged listings. */
  pageSize: number;
  /** Requests per second for the whole registry; undefined means unlimited. */
  maxRequestsPerSecond?: number;
  insecureSkipTlsVerify: boolean;
  /** PEM bundle trusted in addition to the system CAs. */
  caCert?: string;
  /** Retries of 429/5xx/reset before a request counts as failed. */
  maxRetries: number;
  /** Longest time one exchange may take, body included (`readTimeoutMs` is only an idle limit). */
  requestTimeoutMs: number;
  /**
   * Hosts besides the registry's own that redirects may send the crawler to (object stores,
   * CDNs), even on private addresses; `*.example.com` matches any subdomain.
   */
  allowedHosts: string[];
}

/** A registry connection: where it is, how to log in, how to talk to it and what to load. */
export interface RegistryConnection {
  id: string;
  name: string;
  /** The product: the type of a registered adapter. */
  type: string;
  /** `http(s)://host[:port][/path]`; the path is the API prefix for products that need one. */
  url: string;
  auth: RegistryAuth;
  /** Load only these repositories (patterns with `*`); all when empty. */
  repositories: string[];
  transport: TransportSettings;
  /** The adapter's options (from the connection's `<type>:` key), checked by its declaration. */
  options: Record<string, unknown>;
}

export const DEFAULT_TRANSPORT: TransportSettings = {
  maxConnections: 8,
  maxKeepAliveConnections: 8,
  keepAliveExpiryMs: 30_000,
  connectTimeoutMs: 10_000,
  poolTimeoutMs: 60_000,
  readTimeoutMs: 30_000,
  writeTimeoutMs: 30_000,
  pageSize: 100,
  maxRequestsPerSecond: undefined,
  insecureSkipTlsVerify: false,
  maxRetries: 3,
  requestTimeoutMs: 120_000,
  allowedHosts: [],
};
