import {
  AdapterOptionField,
  DEFAULT_SCHEDULE,
  NumericTransportSetting,
  RegistryAdapterDescription,
  RegistryAuthType,
  RegistryDetails,
  RegistrySettingsInput,
  SettingsFieldError,
  TRANSPORT_SETTINGS,
} from '@container-inventory/plugin-container-registry-common';

export const TRANSPORT_NUMBER_FIELDS = Object.keys(
  TRANSPORT_SETTINGS,
) as NumericTransportSetting[];

/** What the form holds: text as typed, so a half-typed number is not lost. */
export interface FormValues {
  id: string;
  name: string;
  description: string;
  type: string;
  active: boolean;
  url: string;
  authType: RegistryAuthType;
  username: string;
  password: string;
  token: string;
  /** Editing a registry whose secret is set: true once the admin chose to replace it. */
  replacePassword: boolean;
  replaceToken: boolean;
  /** One pattern a line. */
  repositories: string;
  loadFullImagesList: boolean;
  transport: Record<NumericTransportSetting, string>;
  insecureSkipTlsVerify: boolean;
  caCert: string;
  allowedHosts: string;
  scheduleType: 'interval' | 'cron' | 'daily';
  intervalMinutes: string;
  cronExpression: string;
  everyDays: string;
  at: string;
  include: string;
  never: string;
  always: string;
  latestTags: string;
  createdWithinDays: string;
  pushedWithinDays: string;
  /** The product's options as typed: lists one entry a line, flags as "true". */
  options: Record<string, string>;
}

/** Which secrets the stored registry has, when editing. */
export interface StoredSecrets {
  password: boolean;
  token: boolean;
}

const lines = (text: string) =>
  text
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean);

const numberOrText = (text: string): number | string | undefined => {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const value = Number(trimmed);
  // Left as text, the schema says "must be a number" beside the field.
  return Number.isFinite(value) ? value : trimmed;
};

const text = (value: number | string | undefined) =>
  value === undefined ? '' : String(value);

const optional = (value: string) => (value.trim() ? value.trim() : undefined);

export function emptyFormValues(type: string): FormValues {
  return {
    id: '',
    name: '',
    description: '',
    type,
    active: true,
    url: '',
    authType: 'auto',
    username: '',
    password: '',
    token: '',
    replacePassword: false,
    replaceToken: false,
    repositories: '',
    loadFullImagesList: false,
    transport: Object.fromEntries(
      TRANSPORT_NUMBER_FIELDS.map(field => [field, '']),
    ) as FormValues['transport'],
    insecureSkipTlsVerify: false,
    caCert: '',
    allowedHosts: '',
    scheduleType: DEFAULT_SCHEDULE.type,
    intervalMinutes: '60',
    cronExpression: '0 3 * * *',
    everyDays: String(DEFAULT_SCHEDULE.everyDays),
    at: DEFAULT_SCHEDULE.at,
    include: '',
    never: '',
    always: '',
    latestTags: '',
    createdWithinDays: '',
    pushedWithinDays: '',
    options: {},
  };
}

/** A stored option as the form shows it. */
function optionText(value: unknown): string {
  if (Array.isArray(value)) return value.join('\n');
  return value === undefined || value === null ? '' : String(value);
}

/** An option as typed, in the shape its adapter declares; undefined when left empty. */
function optionValue(field: AdapterOptionField | undefined, typed: string) {
  switch (field?.kind) {
    case 'list': {
      const entries = lines(typed);
      return entries.length ? entries : undefined;
    }
    case 'boolean':
      return typed === '' ? undefined : typed === 'true';
    case 'number':
      return numberOrText(typed);
    default:
      return optional(typed);
  }
}

function optionsOf(
  values: FormValues,
  adapter: RegistryAdapterDescription | undefined,
) {
  const options = Object.fromEntries(
    Object.entries(values.options)
      .map(([key, typed]) => [
        key,
        optionValue(
          adapter?.options?.find(f => f.key === key),
          typed,
        ),
      ])
      .filter(([, value]) => value !== undefined),
  );
  return Object.keys(options).length ? options : undefined;
}

/** The form for a stored registry: its settings, with secrets never filled in. */
export function formValuesOf(details: RegistryDetails): FormValues {
  const { settings } = details;
  const values = emptyFormValues(settings.type);
  const { schedule, filters, transport } = settings;
  return {
    ...values,
    id: settings.id,
    name: settings.name,
    description: settings.description ?? '',
    active: settings.active,
    url: settings.url,
    authType: settings.auth.type,
    username: settings.auth.username ?? '',
    repositories: settings.repositories.join('\n'),
    loadFullImagesList: settings.loadFullImagesList,
    transport: Object.fromEntries(
      TRANSPORT_NUMBER_FIELDS.map(field => [field, text(transport[field])]),
    ) as FormValues['transport'],
    insecureSkipTlsVerify: transport.insecureSkipTlsVerify ?? false,
    caCert: transport.caCert ?? '',
    allowedHosts: (transport.allowedHosts ?? []).join('\n'),
    scheduleType: schedule.type,
    ...(schedule.type === 'interval' && {
      intervalMinutes: String(schedule.minutes),
    }),
    ...(schedule.type === 'cron' && { cronExpression: schedule.expression }),
    ...(schedule.type === 'daily' && {
      everyDays: String(schedule.everyDays),
      at: schedule.at,
    }),
    include: (filters.include ?? []).join('\n'),
    never: (filters.never ?? []).join('\n'),
    always: (filters.always ?? []).join('\n'),
    latestTags: text(filters.latestTags),
    createdWithinDays: text(filters.createdWithinDays),
    pushedWithinDays: text(filters.pushedWithinDays),
    options: Object.fromEntries(
      Object.entries(settings.options ?? {}).map(([key, value]) => [
        key,
        optionText(value),
      ]),
    ),
  };
}

function scheduleOf(values: FormValues) {
  switch (values.scheduleType) {
    case 'interval':
      return {
        type: 'interval',
        minutes: numberOrText(values.intervalMinutes),
      };
    case 'cron':
      return { type: 'cron', expression: values.cronExpression.trim() };
    default:
      return {
        type: 'daily',
        everyDays: numberOrText(values.everyDays),
        at: values.at.trim(),
      };
  }
}

/** A secret to send: typed ones always; when editing, nothing (kept) unless being replaced. */
function secretOf(typed: string, stored: boolean, replacing: boolean) {
  if (stored && !replacing) return undefined;
  return typed ? typed : undefined;
}

function authOf(
  values: FormValues,
  stored: StoredSecrets,
  adapter: RegistryAdapterDescription | undefined,
) {
  const { authType } = values;
  const password = secretOf(
    values.password,
    stored.password,
    values.replacePassword,
  );
  const token = secretOf(values.token, stored.token, values.replaceToken);
  if (authType === 'none') return { type: authType };
  if (authType === 'bearer') return { type: authType, token };
  // Products with an API token beside the registry's user and password (Quay) take both.
  return {
    type: authType,
    username: optional(values.username),
    password,
    ...(adapter?.credentials?.token && token ? { token } : {}),
  };
}

/**
 * The settings the form sends. Numbers the admin typed badly stay text so the shared schema
 * says "must be a number" beside them; secrets left alone while editing are omitted (kept).
 */
export function settingsInputOf(
  values: FormValues,
  stored: StoredSecrets = { password: false, token: false },
  adapter?: RegistryAdapterDescription,
): RegistrySettingsInput {
  const options = optionsOf(values, adapter);
  const transport = Object.fromEntries(
    TRANSPORT_NUMBER_FIELDS.map(field => [
      field,
      numberOrText(values.transport[field]),
    ]).filter(([, value]) => value !== undefined),
  );
  const filters = {
    include: lines(values.include),
    never: lines(values.never),
    always: lines(values.always),
    latestTags: numberOrText(values.latestTags),
    createdWithinDays: numberOrText(values.createdWithinDays),
    pushedWithinDays: numberOrText(values.pushedWithinDays),
  };
  const allowedHosts = lines(values.allowedHosts);
  return {
    id: values.id.trim(),
    name: values.name.trim(),
    description: optional(values.description),
    type: values.type,
    active: values.active,
    url: values.url.trim(),
    auth: authOf(values, stored, adapter),
    repositories: lines(values.repositories),
    loadFullImagesList: values.loadFullImagesList,
    transport: {
      ...transport,
      insecureSkipTlsVerify: values.insecureSkipTlsVerify,
      caCert: optional(values.caCert),
      ...(allowedHosts.length > 0 && { allowedHosts }),
    },
    schedule: scheduleOf(values),
    filters: Object.fromEntries(
      Object.entries(filters).filter(([, value]) =>
        Array.isArray(value) ? value.length > 0 : value !== undefined,
      ),
    ),
    ...(options && { options }),
    // The schema checks the types; the form's loose values are what it is for.
  } as RegistrySettingsInput;
}

/** The form field an error belongs to: list items go to their list, `(line n)` in front. */
export function fieldErrorsByKey(
  errors: SettingsFieldError[],
): Record<string, string> {
  const byKey: Record<string, string> = {};
  for (const { field, message } of errors) {
    const match = /^(.*?)\.(\d+)$/.exec(field);
    const key = match ? match[1] : field;
    const reason = match ? `line ${Number(match[2]) + 1}: ${message}` : message;
    byKey[key] = byKey[key] ? `${byKey[key]}; ${reason}` : reason;
  }
  return byKey;
}
