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

export function readMaxRemovalShare(config: Config): number {
  const share =
    config.getOptionalNumber('containerRegistry.maxRemovalShareOnErrors') ??
    0.2;
  if (share < 0 || share > 1) {
    throw new InputError(
      `containerRegistry.maxRemovalShareOnErrors must be between 0 and 1, got ${share}`,
    );
  }
  return share;
}
