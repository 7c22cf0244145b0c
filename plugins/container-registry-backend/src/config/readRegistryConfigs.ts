import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  readRegistryConnection,
  RegistryConnection,
} from '@container-inventory/plugin-container-registry-node';
import {
  DEFAULT_REMOVAL_LIMITS,
  RemovalLimits,
} from '../service/removalPolicy';

/** A registry connection with when to crawl it and where it was defined. */
export interface ConfiguredRegistry {
  connection: RegistryConnection;
  active: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  source: 'config' | 'database';
}

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 5 },
};

/** Reads `containerRegistry.registries`; a bad entry fails start-up with its field and reason. */
export function readRegistryConfigs(config: Config): ConfiguredRegistry[] {
  const entries =
    config.getOptionalConfigArray('containerRegistry.registries') ?? [];
  const registries = entries.map((entry, index) => {
    const prefix = `containerRegistry.registries[${index}]`;
    return {
      connection: readRegistryConnection(entry, prefix),
      active: entry.getOptionalBoolean('active') ?? true,
      schedule: entry.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            entry.getConfig('schedule'),
          )
        : DEFAULT_SCHEDULE,
      source: 'config' as const,
    };
  });
  const ids = new Set<string>();
  for (const { connection } of registries) {
    if (ids.has(connection.id)) {
      throw new InputError(
        `containerRegistry.registries: the id "${connection.id}" is used twice`,
      );
    }
    ids.add(connection.id);
  }
  return registries;
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
