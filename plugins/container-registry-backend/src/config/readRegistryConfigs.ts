import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  describeSettingsErrors,
  RegistrySchedule,
  RegistrySettingsView,
  TRANSPORT_SETTINGS,
  validateRegistrySettings,
} from '@container-inventory/plugin-container-registry-common';
import {
  readRegistryConnection,
  RegistryAdapterFactory,
  RegistryConnection,
} from '@container-inventory/plugin-container-registry-node';
import type { ConfiguredRegistry } from '../registries/ConfiguredRegistry';
import { toTaskSchedule } from '../service/taskSchedule';
import {
  DEFAULT_REMOVAL_LIMITS,
  RemovalLimits,
} from '../service/removalPolicy';

export type { ConfiguredRegistry } from '../registries/ConfiguredRegistry';

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 5 },
};

/** Transport settings the page shows, besides the numeric ones, in the page's units. */
const VIEW_TRANSPORT_KEYS = new Set<string>([
  ...Object.keys(TRANSPORT_SETTINGS),
  'insecureSkipTlsVerify',
  'caCert',
  'allowedHosts',
]);

/** A connection's transport in the page's units: durations in seconds. */
function transportView(connection: RegistryConnection) {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(connection.transport)) {
    if (value === undefined) continue;
    const isMs = key.endsWith('Ms');
    const name = isMs ? key.slice(0, -2) : key;
    if (!VIEW_TRANSPORT_KEYS.has(name)) continue;
    view[name] = isMs && typeof value === 'number' ? value / 1000 : value;
  }
  return view;
}

/** A Backstage schedule in the page's terms: a cron expression or an interval in minutes. */
function scheduleView(
  schedule: SchedulerServiceTaskScheduleDefinition,
): RegistrySchedule {
  const frequency = schedule.frequency as object;
  if ('cron' in frequency) {
    return { type: 'cron', expression: String(frequency.cron) };
  }
  const ms =
    'trigger' in frequency
      ? 0
      : durationToMilliseconds(
          frequency as Parameters<typeof durationToMilliseconds>[0],
        );
  return { type: 'interval', minutes: Math.max(1, Math.round(ms / 60_000)) };
}

/**
 * A schedule from app-config: the page's shape (`type: interval | cron | daily`) or Backstage's
 * own task schedule (`frequency`, `timeout`, …).
 */
function readSchedule(entry: Config): SchedulerServiceTaskScheduleDefinition {
  if (!entry.has('schedule')) return DEFAULT_SCHEDULE;
  const schedule = entry.getConfig('schedule');
  if (schedule.has('type')) {
    return toTaskSchedule(schedule.get() as RegistrySchedule);
  }
  return readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule);
}

/** One `containerRegistry.registries.<id>` entry. */
function readRegistryConfig(
  id: string,
  entry: Config,
  adapterFactories: RegistryAdapterFactory[] | undefined,
): ConfiguredRegistry {
  const field = `containerRegistry.registries.${id}`;
  const connection = readRegistryConnection(
    new ConfigReader({ ...(entry.get() as object), id }),
    field,
    { adapterFactories },
  );
  const schedule = readSchedule(entry);
  const active = entry.getOptionalBoolean('active') ?? true;
  // The shared settings schema checks the rest (filters, names) as the page and API do.
  const checked = validateRegistrySettings(
    {
      id,
      name: connection.name,
      ...(entry.has('description')
        ? { description: entry.getString('description') }
        : {}),
      type: connection.type,
      active,
      url: connection.url,
      auth: {
        type: connection.auth.type,
        ...(connection.auth.username
          ? { username: connection.auth.username }
          : {}),
      },
      repositories: connection.repositories,
      loadFullImagesList:
        entry.getOptionalBoolean('loadFullImagesList') ?? false,
      transport: transportView(connection),
      schedule: entry.getOptional('schedule.type')
        ? entry.get('schedule')
        : scheduleView(schedule),
      filters: entry.getOptional('filters') ?? {},
      ...(Object.keys(connection.options).length
        ? { options: connection.options }
        : {}),
    },
    // Credentials were checked by the connection reader; config ones are never kept here.
    { knownTypes: [connection.type], secretsMayBeKept: true },
  );
  if (!checked.ok) {
    throw new InputError(
      `Invalid registry connection: ${describeSettingsErrors(
        checked.errors.map(e => ({ ...e, field: `${field}.${e.field}` })),
      )}`,
    );
  }
  const view: RegistrySettingsView = {
    ...checked.value,
    auth: {
      type: connection.auth.type,
      ...(connection.auth.username
        ? { username: connection.auth.username }
        : {}),
      password: { set: connection.auth.password !== undefined },
      token: { set: connection.auth.token !== undefined },
    },
  };
  return {
    connection,
    active,
    schedule,
    source: 'config',
    filters: checked.value.filters,
    view,
  };
}

/**
 * Reads `containerRegistry.registries`, keyed by id as Backstage config is, so an overlay can
 * set one registry's secret without repeating the list. A bad entry fails start-up with its
 * field and reason; a type no adapter registers fails naming the known ones.
 */
export function readRegistryConfigs(
  config: Config,
  options: { adapterFactories?: RegistryAdapterFactory[] } = {},
): ConfiguredRegistry[] {
  const registries = config.getOptionalConfig('containerRegistry.registries');
  if (!registries) return [];
  return registries
    .keys()
    .map(id =>
      readRegistryConfig(
        id,
        registries.getConfig(id),
        options.adapterFactories,
      ),
    );
}

function readShare(config: Config, key: string, fallback: number): number {
  const share = config.getOptionalNumber(key) ?? fallback;
  if (!(share >= 0 && share <= 1)) {
    throw new InputError(`${key} must be between 0 and 1, got ${share}`);
  }
  return share;
}

/** The guards on what one crawl may remove (`containerRegistry.maxRemovalShare…`). */
export function readRemovalLimits(config: Config): RemovalLimits {
  const d = DEFAULT_REMOVAL_LIMITS;
  return {
    maxShare: readShare(
      config,
      'containerRegistry.maxRemovalShare',
      d.maxShare,
    ),
    maxShareOnErrors: readShare(
      config,
      'containerRegistry.maxRemovalShareOnErrors',
      d.maxShareOnErrors,
    ),
    rejectEmptiedRepositories:
      config.getOptionalBoolean(
        'containerRegistry.rejectEmptiedRepositories',
      ) ?? d.rejectEmptiedRepositories,
  };
}
