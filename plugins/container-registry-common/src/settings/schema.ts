import { z } from 'zod';
import { checkRepositoryPattern, parseImagePattern } from '../filters/patterns';
import { checkCronExpression } from './cron';
import {
  AUTH_TYPES,
  DEFAULT_SCHEDULE,
  FILTER_LATEST_TAGS,
  FILTER_WITHIN_DAYS,
  NumericSettingSpec,
  REGISTRY_ID_PATTERN,
  SCHEDULE_EVERY_DAYS,
  SCHEDULE_INTERVAL_MINUTES,
  TRANSPORT_SETTINGS,
} from './defaults';

/** Form fields send '' for "not set"; the schema reads that as absent. */
const emptyAsAbsent = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalText = (max: number) =>
  z.preprocess(
    emptyAsAbsent,
    z.string().max(max, `must be at most ${max} characters`).optional(),
  );

function bounded(
  spec: { min: number; max: number },
  integer: boolean,
  unit = '',
) {
  const suffix = unit ? ` ${unit}` : '';
  let number = z
    .number({ invalid_type_error: 'must be a number' })
    .min(spec.min, `must be at least ${spec.min}${suffix}`)
    .max(spec.max, `must be at most ${spec.max}${suffix}`);
  if (integer) number = number.int('must be a whole number');
  return number;
}

function transportNumber(spec: NumericSettingSpec) {
  const { min, unit } = spec;
  const number = bounded(spec, spec.integer, unit);
  // Durations may be any positive amount: "more than 0" reads better than "at least 0.001".
  return min < 1
    ? number
        .refine(value => value > 0, `must be more than 0 ${unit}`)
        .optional()
    : number.optional();
}

const patternList = (check: (pattern: string) => string | undefined) =>
  z.array(
    z.string().superRefine((pattern, ctx) => {
      const reason = check(pattern);
      if (reason)
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: reason });
    }),
    { invalid_type_error: 'must be a list of patterns' },
  );

const imagePatterns = patternList(pattern => {
  const parsed = parseImagePattern(pattern);
  return parsed.ok ? undefined : parsed.reason;
});

const hostName = z
  .string()
  .regex(
    /^(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/,
    'must be a host name (a leading *. for any subdomain) with an optional :port, without scheme or path',
  );

const PEM_CERTIFICATE =
  /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

const transportSchema = z
  .object({
    maxConnections: transportNumber(TRANSPORT_SETTINGS.maxConnections),
    maxKeepAliveConnections: transportNumber(
      TRANSPORT_SETTINGS.maxKeepAliveConnections,
    ),
    keepAliveExpiry: transportNumber(TRANSPORT_SETTINGS.keepAliveExpiry),
    pageSize: transportNumber(TRANSPORT_SETTINGS.pageSize),
    connectTimeout: transportNumber(TRANSPORT_SETTINGS.connectTimeout),
    poolTimeout: transportNumber(TRANSPORT_SETTINGS.poolTimeout),
    readTimeout: transportNumber(TRANSPORT_SETTINGS.readTimeout),
    writeTimeout: transportNumber(TRANSPORT_SETTINGS.writeTimeout),
    requestTimeout: transportNumber(TRANSPORT_SETTINGS.requestTimeout),
    maxRequestsPerSecond: transportNumber(
      TRANSPORT_SETTINGS.maxRequestsPerSecond,
    ),
    insecureSkipTlsVerify: z.boolean().optional(),
    caCert: z.preprocess(
      emptyAsAbsent,
      z
        .string()
        .regex(
          PEM_CERTIFICATE,
          'must be PEM: one or more "-----BEGIN CERTIFICATE-----" blocks',
        )
        .optional(),
    ),
    allowedHosts: z.array(hostName).optional(),
  })
  .strict();

const scheduleSchema = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        type: z.literal('interval'),
        minutes: bounded(SCHEDULE_INTERVAL_MINUTES, true, 'minutes'),
      })
      .strict(),
    z
      .object({
        type: z.literal('cron'),
        expression: z.string().superRefine((expression, ctx) => {
          const reason = checkCronExpression(expression);
          if (reason)
            ctx.addIssue({ code: z.ZodIssueCode.custom, message: reason });
        }),
      })
      .strict(),
    z
      .object({
        type: z.literal('daily'),
        everyDays: bounded(SCHEDULE_EVERY_DAYS, true, 'days'),
        at: z
          .string()
          .regex(
            /^([01]\d|2[0-3]):[0-5]\d$/,
            'must be a time as HH:MM (00:00–23:59)',
          ),
      })
      .strict(),
  ],
  {
    errorMap: () => ({ message: 'must be of type interval, cron or daily' }),
  },
);

const filtersSchema = z
  .object({
    include: imagePatterns.optional(),
    never: imagePatterns.optional(),
    always: imagePatterns.optional(),
    latestTags: bounded(FILTER_LATEST_TAGS, true, 'tags').optional(),
    createdWithinDays: bounded(FILTER_WITHIN_DAYS, true, 'days').optional(),
    pushedWithinDays: bounded(FILTER_WITHIN_DAYS, true, 'days').optional(),
  })
  .strict();

const authSchema = z
  .object({
    type: z.enum(AUTH_TYPES, {
      errorMap: () => ({ message: `must be one of ${AUTH_TYPES.join(', ')}` }),
    }),
    username: optionalText(256),
    /** Absent in an update: the stored one is kept. */
    password: optionalText(4096),
    /** Absent in an update: the stored one is kept. */
    token: optionalText(16_384),
  })
  .strict();

function checkUrl(raw: string, ctx: z.RefinementCtx) {
  if (!raw) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is required' });
    return;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'must be an http(s) URL such as https://registry.example.com',
    });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must use http or https, not ${url.protocol.replace(':', '')}`,
    });
  }
  if (url.username || url.password) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message:
        'must not carry a user name or password (put them under authentication)',
    });
  }
  if (url.search || url.hash) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'must not have a query or fragment',
    });
  }
}

/** Options of {@link registrySettingsSchema} and `validateRegistrySettings`. */
export interface RegistrySettingsSchemaOptions {
  /** Registry types an adapter is registered for. */
  knownTypes: readonly string[];
  /**
   * True when validating an update of a stored registry: secrets may then be omitted, and the
   * stored ones are kept. The caller checks that a kept secret exists.
   */
  secretsMayBeKept?: boolean;
}

/** The zod schema of a registry connection's settings, for the given adapters. */
export function registrySettingsSchema(options: RegistrySettingsSchemaOptions) {
  const { knownTypes, secretsMayBeKept = false } = options;
  return z
    .object({
      id: z
        .string({ required_error: 'is required' })
        .max(63, 'must be at most 63 characters')
        .regex(
          REGISTRY_ID_PATTERN,
          'must be lowercase letters, digits and dashes, starting and ending with a letter or digit',
        ),
      name: z
        .string({ required_error: 'is required' })
        .trim()
        .min(1, 'is required')
        .max(200, 'must be at most 200 characters'),
      description: optionalText(2000),
      type: z
        .string({ required_error: 'is required' })
        .superRefine((type, ctx) => {
          if (!knownTypes.includes(type)) {
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              message: `"${type}" has no adapter (known types: ${knownTypes.join(
                ', ',
              )})`,
            });
          }
        }),
      active: z.boolean().default(true),
      url: z
        .string({ required_error: 'is required' })
        .trim()
        .superRefine(checkUrl),
      auth: authSchema.default({ type: 'auto' }),
      repositories: patternList(checkRepositoryPattern).default([]),
      loadFullImagesList: z.boolean().default(false),
      transport: transportSchema.default({}),
      schedule: scheduleSchema.default({ ...DEFAULT_SCHEDULE }),
      filters: filtersSchema.default({}),
      /** The adapter's own options; the backend checks them with the adapter's declaration. */
      options: z
        .record(z.string(), z.unknown(), {
          invalid_type_error: 'must be an object of options',
        })
        .optional(),
    })
    .strict()
    .superRefine((settings, ctx) => {
      const { auth } = settings;
      const missing = (
        field: 'username' | 'password' | 'token',
        message: string,
      ) =>
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['auth', field],
          message,
        });
      if (auth.type === 'basic') {
        if (!auth.username)
          missing('username', 'is required for basic authentication');
        if (!auth.password && !secretsMayBeKept) {
          missing('password', 'is required for basic authentication');
        }
      }
      if (auth.type === 'bearer' && !auth.token && !secretsMayBeKept) {
        missing('token', 'is required for bearer authentication');
      }
      if (auth.type === 'auto' && auth.password && !auth.username) {
        missing('username', 'is required when a password is given');
      }
      const { maxConnections, maxKeepAliveConnections } = settings.transport;
      if (
        maxConnections !== undefined &&
        maxKeepAliveConnections !== undefined &&
        maxKeepAliveConnections > maxConnections
      ) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['transport', 'maxKeepAliveConnections'],
          message: `must not exceed max connections (${maxConnections})`,
        });
      }
    });
}

/** Settings as sent by the form or the API (defaults not yet applied, secrets optional). */
export type RegistrySettingsInput = z.input<
  ReturnType<typeof registrySettingsSchema>
>;
/** Settings after validation, with defaults applied. */
export type RegistrySettings = z.output<
  ReturnType<typeof registrySettingsSchema>
>;
export type RegistryAuthSettings = RegistrySettings['auth'];
export type RegistryTransportSettings = RegistrySettings['transport'];
export type RegistrySchedule = RegistrySettings['schedule'];
export type RegistryFilterSettings = RegistrySettings['filters'];
