import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { ComponentLinker } from './ComponentLinker';

/** Often enough that a changed Component relinks its images within one catalog refresh. */
const DEFAULT_LINKING_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 30 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 10 },
};

/** One global linking pass at a time across replicas (`containerRegistry.linking.schedule`). */
export async function scheduleLinking(options: {
  linker: ComponentLinker;
  scheduler: SchedulerService;
  config: Config;
}) {
  const schedule = options.config.has('containerRegistry.linking.schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        options.config.getConfig('containerRegistry.linking.schedule'),
      )
    : DEFAULT_LINKING_SCHEDULE;
  await options.scheduler.scheduleTask({
    id: 'container-registry:link-components',
    ...schedule,
    scope: 'global',
    fn: async () => {
      await options.linker.link();
    },
  });
}
