import { REGISTRY_TYPES } from '../types';

/** Registry products the crawler ships adapters for; the backend may register more. */
export const KNOWN_REGISTRY_TYPES: readonly string[] = REGISTRY_TYPES;

export const AUTH_TYPES = ['none', 'basic', 'bearer', 'auto'] as const;
export type RegistryAuthType = (typeof AUTH_TYPES)[number];

/** A registry id: lowercase letters, digits and dashes, at most 63 characters (a DNS label). */
export const REGISTRY_ID_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Bounds of one numeric setting, with its unit and the value used when it is left empty. */
export interface NumericSettingSpec {
  min: number;
  max: number;
  /** Only whole numbers. */
  integer: boolean;
  /** Absent: no limit / not applied. */
  default?: number;
  unit: string;
}

/**
 * The transport settings' units, bounds and defaults, the same ones the crawler applies
 * (`DEFAULT_TRANSPORT` of the node package), so the form can show them.
 */
export const TRANSPORT_SETTINGS = {
  maxConnections: {
    min: 1,
    max: 256,
    integer: true,
    default: 8,
    unit: 'connections',
  },
  maxKeepAliveConnections: {
    min: 1,
    max: 256,
    integer: true,
    default: 8,
    unit: 'connections',
  },
  keepAliveExpiry: {
    min: 0.001,
    max: 3600,
    integer: false,
    default: 30,
    unit: 'seconds',
  },
  pageSize: {
    min: 1,
    max: 10_000,
    integer: true,
    default: 100,
    unit: 'entries per page',
  },
  connectTimeout: {
    min: 0.001,
    max: 3600,
    integer: false,
    default: 10,
    unit: 'seconds',
  },
  poolTimeout: {
    min: 0.001,
    max: 3600,
    integer: false,
    default: 60,
    unit: 'seconds',
  },
  readTimeout: {
    min: 0.001,
    max: 3600,
    integer: false,
    default: 30,
    unit: 'seconds',
  },
  writeTimeout: {
    min: 0.001,
    max: 3600,
    integer: false,
    default: 30,
    unit: 'seconds',
  },
  requestTimeout: { min: 0.001, max: 86_400, integer: false, unit: 'seconds' },
  maxRequestsPerSecond: {
    min: 0.001,
    max: 100_000,
    integer: false,
    unit: 'requests per second',
  },
} as const satisfies Record<string, NumericSettingSpec>;

export type NumericTransportSetting = keyof typeof TRANSPORT_SETTINGS;

/** "Every N days at HH:MM": bounds of N. */
export const SCHEDULE_EVERY_DAYS = { min: 1, max: 365 } as const;

/** Interval schedules: bounds in minutes (a week at most; longer ones read better as days). */
export const SCHEDULE_INTERVAL_MINUTES = { min: 1, max: 10_080 } as const;

/** A registry without a schedule is crawled daily at this time, in the backend's time zone. */
export const DEFAULT_SCHEDULE = {
  type: 'daily',
  everyDays: 1,
  at: '03:00',
} as const;

/** Bounds of the "latest N tags" and "within N days" filters. */
export const FILTER_LATEST_TAGS = { min: 1, max: 10_000 } as const;
export const FILTER_WITHIN_DAYS = { min: 1, max: 36_500 } as const;

/** Every settings field an error can name, as dotted paths (list items add `.<index>`). */
export const REGISTRY_SETTINGS_FIELDS: readonly string[] = [
  'id',
  'name',
  'description',
  'type',
  'active',
  'url',
  'auth',
  'auth.type',
  'auth.username',
  'auth.password',
  'auth.token',
  'repositories',
  'loadFullImagesList',
  'transport',
  ...Object.keys(TRANSPORT_SETTINGS).map(key => `transport.${key}`),
  'transport.insecureSkipTlsVerify',
  'transport.caCert',
  'transport.allowedHosts',
  'schedule',
  'schedule.type',
  'schedule.minutes',
  'schedule.expression',
  'schedule.everyDays',
  'schedule.at',
  'filters',
  'filters.include',
  'filters.never',
  'filters.always',
  'filters.latestTags',
  'filters.createdWithinDays',
  'filters.pushedWithinDays',
  'options',
];
