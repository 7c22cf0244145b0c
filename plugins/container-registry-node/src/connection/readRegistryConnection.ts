import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { isIP } from 'node:net';
import { validateAdapterOptions } from '@container-inventory/plugin-container-registry-common';
import { builtInAdapterFactories, findAdapterFactory } from '../adapters';
import type { RegistryAdapterFactory } from '../adapters/types';
import {
  DEFAULT_TRANSPORT,
  RegistryAuth,
  RegistryAuthType,
  RegistryConnection,
  TransportSettings,
} from './types';

const AUTH_TYPES: RegistryAuthType[] = ['none', 'basic', 'bearer', 'auto'];
const ID_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function invalid(field: string, reason: string): never {
  throw new InputError(`Invalid registry connection: ${field} ${reason}`);
}

/** The user-info of a URL-like string replaced, so a mistyped URL is echoed without its password. */
export function redactUserInfo(raw: string): string {
  return raw.replace(
    /^([^:/?#]*:\/\/)?[^/?#@]*@/,
    (_all, scheme) => `${scheme ?? ''}***@`,
  );
}

function readUrl(config: Config, field: string): string {
  const raw = config.getString('url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid(
      field,
      `must be an http(s) URL, got "${redactUserInfo(raw)}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    invalid(field, `must use http or https, got "${url.protocol}"`);
  }
  if (url.username || url.password) {
    invalid(field, 'must not carry credentials; use the auth settings');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** `https://auth.example.com:8443` as is; a bare `auth.example.com` means its https origin. */
function readOrigin(entry: string, field: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry)
    ? entry
    : `https://${entry}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return invalid(
      field,
      `must hold origins or host names, got "${redactUserInfo(entry)}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    invalid(field, `must hold http(s) origins, got "${url.protocol}"`);
  }
  if (
    url.username ||
    url.password ||
    (url.pathname !== '/' && url.pathname !== '')
  ) {
    invalid(
      field,
      `must hold origins only (scheme, host, port), got "${redactUserInfo(
        entry,
      )}"`,
    );
  }
  return url.origin;
}

const HOST_PATTERN =
  /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

function readHostPatterns(
  config: Config,
  key: string,
  field: string,
): string[] {
  const entries = config.getOptionalStringArray(key) ?? [];
  return entries.map(entry => {
    const host = entry.trim().toLowerCase();
    if (!HOST_PATTERN.test(host) && !isIP(host.replace(/^\[|\]$/g, ''))) {
      invalid(
        field,
        `must hold host names (optionally starting with "*.") or IP addresses, got "${entry}"`,
      );
    }
    return host.replace(/^\[|\]$/g, '');
  });
}

function readAuth(config: Config | undefined, prefix: string): RegistryAuth {
  if (!config) return { type: 'auto' };
  const type = (config.getOptionalString('type') ?? 'auto') as RegistryAuthType;
  if (!AUTH_TYPES.includes(type)) {
    invalid(`${prefix}.type`, `must be one of ${AUTH_TYPES.join(', ')}`);
  }
  const auth: RegistryAuth = {
    type,
    username: config.getOptionalString('username'),
    password: config.getOptionalString('password'),
    token: config.getOptionalString('token'),
    realmHosts: config
      .getOptionalStringArray('realmHosts')
      ?.map(entry => readOrigin(entry, `${prefix}.realmHosts`)),
  };
  if (type === 'basic' && (!auth.username || auth.password === undefined)) {
    invalid(prefix, 'of type basic needs a username and a password');
  }
  return auth;
}

const DURATION_UNITS_MS: Record<string, number> = {
  years: 31_536_000_000,
  months: 2_592_000_000,
  weeks: 604_800_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};
/** Longer than any sane timeout; guards against a unit mix-up (hours for seconds). */
const MAX_DURATION_MS = 3_600_000;

/** A duration in any Backstage form, or a number of milliseconds; from 1 ms to an hour. */
function readMs(
  config: Config,
  key: string,
  fallback: number,
  prefix: string,
): number {
  if (!config.has(key)) return fallback;
  const value = config.get(key);
  const ms =
    typeof value === 'number'
      ? value
      : Object.entries(readDurationFromConfig(config, { key })).reduce(
          (sum, [unit, amount]) =>
            sum + (DURATION_UNITS_MS[unit] ?? 0) * (amount ?? 0),
          0,
        );
  if (!Number.isFinite(ms) || ms < 1 || ms > MAX_DURATION_MS) {
    invalid(
      `${prefix}.${key}`,
      `must be a duration from 1 ms to 1 hour (0 would turn the timeout off), got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return Math.round(ms);
}

/** A count: a whole number within bounds. */
function readCount(
  config: Config,
  key: string,
  fallback: number,
  bounds: { min: number; max: number },
  prefix: string,
): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    invalid(
      `${prefix}.${key}`,
      `must be a whole number from ${bounds.min} to ${bounds.max}, got ${value}`,
    );
  }
  return value;
}

const MAX_REQUESTS_PER_SECOND = 100_000;

function readRate(config: Config, key: string, prefix: string) {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return undefined;
  if (
    !Number.isFinite(value) ||
    value <= 0 ||
    value > MAX_REQUESTS_PER_SECOND
  ) {
    invalid(
      `${prefix}.${key}`,
      `must be a number above 0 and at most ${MAX_REQUESTS_PER_SECOND}, got ${value}`,
    );
  }
  return value;
}

function readTransport(
  config: Config | undefined,
  prefix: string,
): TransportSettings {
  if (!config) return { ...DEFAULT_TRANSPORT };
  const d = DEFAULT_TRANSPORT;
  const connections = { min: 1, max: 256 };
  const maxConnections = readCount(
    config,
    'maxConnections',
    d.maxConnections,
    connections,
    prefix,
  );
  return {
    maxConnections,
    maxKeepAliveConnections: readCount(
      config,
      'maxKeepAliveConnections',
      maxConnections,
      connections,
      prefix,
    ),
    keepAliveExpiryMs: readMs(
      config,
      'keepAliveExpiry',
      d.keepAliveExpiryMs,
      prefix,
    ),
    connectTimeoutMs: readMs(
      config,
      'connectTimeout',
      d.connectTimeoutMs,
      prefix,
    ),
    poolTimeoutMs: readMs(config, 'poolTimeout', d.poolTimeoutMs, prefix),
    readTimeoutMs: readMs(config, 'readTimeout', d.readTimeoutMs, prefix),
    writeTimeoutMs: readMs(config, 'writeTimeout', d.writeTimeoutMs, prefix),
    requestTimeoutMs: readMs(
      config,
      'requestTimeout',
      d.requestTimeoutMs,
      prefix,
    ),
    pageSize: readCount(
      config,
      'pageSize',
      d.pageSize,
      { min: 1, max: 10_000 },
      prefix,
    ),
    maxRequestsPerSecond: readRate(config, 'maxRequestsPerSecond', prefix),
    insecureSkipTlsVerify:
      config.getOptionalBoolean('insecureSkipTlsVerify') ?? false,
    caCert: config.getOptionalString('caCert'),
    maxRetries: readCount(
      config,
      'maxRetries',
      d.maxRetries,
      { min: 0, max: 10 },
      prefix,
    ),
    allowedHosts: readHostPatterns(
      config,
      'allowedHosts',
      `${prefix}.allowedHosts`,
    ),
  };
}

/**
 * The adapter's options: under the key named by the type (`harbor:`), as app-config and the
 * command line write them, or under `options` as the page sends them.
 */
function readAdapterOptions(
  config: Config,
  factory: RegistryAdapterFactory,
  prefix: string,
): Record<string, unknown> {
  const key = config.has(factory.type) ? factory.type : 'options';
  if (config.has(factory.type) && config.has('options')) {
    invalid(
      `${prefix}.options`,
      `cannot be given next to ${prefix}.${factory.type}; use one of them`,
    );
  }
  const checked = validateAdapterOptions(factory, config.getOptional(key));
  if (!checked.ok) {
    throw new InputError(
      `Invalid registry connection: ${checked.errors
        .map(
          e => `${prefix}.${key}${e.field ? `.${e.field}` : ''} ${e.message}`,
        )
        .join('; ')}`,
    );
  }
  return checked.value;
}

export interface ReadRegistryConnectionOptions {
  /** The adapters whose types are accepted; the built-in ones by default. */
  adapterFactories?: RegistryAdapterFactory[];
}

/**
 * Reads one registry connection in the app-config shape (`containerRegistry.registries[]`),
 * the same shape the command line takes from `--config`. Rejects bad values with the field
 * and the reason; the type must be one an adapter registers, and its options are checked
 * against what that adapter declares.
 */
export function readRegistryConnection(
  config: Config,
  prefix = 'registry',
  options: ReadRegistryConnectionOptions = {},
): RegistryConnection {
  const id = config.getString('id');
  if (!ID_PATTERN.test(id)) {
    invalid(
      `${prefix}.id`,
      `must be lowercase letters, digits and dashes (at most 63), got "${id}"`,
    );
  }
  const type = config.getOptionalString('type') ?? 'generic';
  const factories = options.adapterFactories ?? builtInAdapterFactories;
  if (!factories.some(f => f.type === type)) {
    invalid(
      `${prefix}.type`,
      `"${type}" has no adapter (known types: ${[
        ...new Set(factories.map(f => f.type)),
      ].join(', ')})`,
    );
  }
  const factory = findAdapterFactory(type, factories);
  return {
    id,
    name: config.getOptionalString('name') ?? id,
    type,
    url: readUrl(config, `${prefix}.url`),
    auth: readAuth(config.getOptionalConfig('auth'), `${prefix}.auth`),
    repositories: config.getOptionalStringArray('repositories') ?? [],
    transport: readTransport(
      config.getOptionalConfig('transport'),
      `${prefix}.transport`,
    ),
    options: readAdapterOptions(config, factory, prefix),
  };
}
