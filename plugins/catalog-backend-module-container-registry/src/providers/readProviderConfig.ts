import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** The inventory API serves at most this many changes per page. */
export const MAX_PAGE_SIZE = 1000;

function readPageSize(provider: Config | undefined): number {
  const pageSize = provider?.getOptionalNumber('pageSize') ?? 500;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new InputError(
      `catalog.providers.containerRegistry.pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`,
    );
  }
  return pageSize;
}

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
    pageSize: readPageSize(provider),
  };
}
