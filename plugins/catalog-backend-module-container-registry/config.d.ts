import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      containerRegistry?: {
        /** How often the catalog reads the inventory's changes; default every 15 seconds. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Changes read per request; default 500. */
        pageSize?: number;
      };
    };
  };
}
