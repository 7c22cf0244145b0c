import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  REGISTRY_TYPES,
  RegistryType,
} from '@container-inventory/plugin-container-registry-common';
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

function readUrl(config: Config, field: string): string {
  const raw = config.getString('url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid(field, `must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    invalid(field, `must use http or https, got "${url.protocol}"`);
  }
  if (url.username || url.password) {
    invalid(field, 'must not carry credentials; use the auth settings');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
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
    realmHosts: config.getOptionalStringArray('realmHosts'),
  };
  if (type === 'basic' && (!auth.username || auth.password === undefined)) {
    invalid(prefix, 'of type basic needs a username and a password');
  }
  return auth;
}

function readMs(config: Config, key: string, fallback: number): number {
  if (!config.has(key)) return fallback;
  const value = config.get(key);
  if (typeof value === 'number') return value;
  const duration = readDurationFromConfig(config, { key });
  const units: Record<string, number> = {
    years: 31_536_000_000,
    months: 2_592_000_000,
    weeks: 604_800_000,
    days: 86_400_000,
    hours: 3_600_000,
    minutes: 60_000,
    seconds: 1000,
    milliseconds: 1,
  };
  return Object.entries(duration).reduce(
    (sum, [unit, amount]) => sum + (units[unit] ?? 0) * (amount ?? 0),
    0,
  );
}

function readPositive(
  config: Config,
  key: string,
  fallback: number | undefined,
  prefix: string,
): number | undefined {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    invalid(`${prefix}.${key}`, `must be a positive number, got ${value}`);
  }
  return value;
}

function readTransport(
  config: Config | undefined,
  prefix: string,
): TransportSettings {
  if (!config) return { ...DEFAULT_TRANSPORT };
  const d = DEFAULT_TRANSPORT;
  const maxConnections = readPositive(
    config,
    'maxConnections',
    d.maxConnections,
    prefix,
  )!;
  return {
    maxConnections,
    maxKeepAliveConnections:
      readPositive(config, 'maxKeepAliveConnections', maxConnections, prefix) ??
      maxConnections,
    keepAliveExpiryMs: readMs(config, 'keepAliveExpiry', d.keepAliveExpiryMs),
    connectTimeoutMs: readMs(config, 'connectTimeout', d.connectTimeoutMs),
    poolTimeoutMs: readMs(config, 'poolTimeout', d.poolTimeoutMs),
    readTimeoutMs: readMs(config, 'readTimeout', d.readTimeoutMs),
    writeTimeoutMs: readMs(config, 'writeTimeout', d.writeTimeoutMs),
    pageSize: readPositive(config, 'pageSize', d.pageSize, prefix)!,
    maxRequestsPerSecond: readPositive(
      config,
      'maxRequestsPerSecond',
      undefined,
      prefix,
    ),
    insecureSkipTlsVerify:
      config.getOptionalBoolean('insecureSkipTlsVerify') ?? false,
    caCert: config.getOptionalString('caCert'),
    maxRetries: config.getOptionalNumber('maxRetries') ?? d.maxRetries,
  };
}

/**
 * Reads one registry connection in the app-config shape (`containerRegistry.registries[]`),
 * the same shape the command line takes from `--config`. Rejects bad values with the field
 * and the reason.
 */
export function readRegistryConnection(
  config: Config,
  prefix = 'registry',
): RegistryConnection {
  const id = config.getString('id');
  if (!ID_PATTERN.test(id)) {
    invalid(
      `${prefix}.id`,
      `must be lowercase letters, digits and dashes (at most 63), got "${id}"`,
    );
  }
  const type = (config.getOptionalString('type') ?? 'generic') as RegistryType;
  if (!REGISTRY_TYPES.includes(type)) {
    invalid(`${prefix}.type`, `must be one of ${REGISTRY_TYPES.join(', ')}`);
  }
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
  };
}
