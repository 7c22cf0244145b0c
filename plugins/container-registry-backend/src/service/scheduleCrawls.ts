import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CrawlService } from './CrawlService';
import type { RegistryDirectory } from './RegistryDirectory';

export function crawlTaskId(registryId: string): string {
  return `container-registry:crawl:${registryId}`;
}

/** One global task per active registry: across replicas, one crawl of a registry at a time. */
export async function scheduleCrawls(options: {
  directory: RegistryDirectory;
  scheduler: SchedulerService;
  crawlService: CrawlService;
  logger: LoggerService;
}) {
  for (const registry of options.directory.list()) {
    if (!registry.active) continue;
    await options.scheduler.scheduleTask({
      id: crawlTaskId(registry.connection.id),
      ...registry.schedule,
      scope: 'global',
      fn: async signal => {
        await options.crawlService.crawl(registry, signal as AbortSignal);
      },
    });
  }
}
