import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

export interface ProviderConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  pageSize: number;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 15 },
  timeout: { minutes: 10 },
};

/** Reads `catalog.providers.containerRegistry`; everything has a default. */
export function readProviderConfig(config: Config): ProviderConfig {
  const provider = config.getOptionalConfig(
    'catalog.providers.containerRegistry',
  );
  return {
    schedule: provider?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          provider.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
    pageSize: provider?.getOptionalNumber('pageSize') ?? 500,
  };
}
