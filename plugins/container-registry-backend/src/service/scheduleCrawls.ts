import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CrawlService } from './CrawlService';
import type { RegistryDirectory } from './RegistryDirectory';

export function crawlTaskId(registryId: string): string {
  return `container-registry:crawl:${registryId}`;
}

/** How often each replica looks for registries made, changed or deleted on another. */
const SYNC_FREQUENCY = { seconds: 10 };

/**
 * One global task per active registry: across replicas, one crawl of a registry at a time.
 * Each replica registers the tasks of the registries it knows and follows the page's changes
 * within one sync; a task outlives its registry's deletion or deactivation, and then does
 * nothing when due, since the scheduler cannot unschedule.
 */
export class CrawlScheduler {
  /** Registry id → the schedule its task was registered with on this replica. */
  private readonly registered = new Map<string, string>();

  constructor(
    private readonly options: {
      directory: RegistryDirectory;
      scheduler: SchedulerService;
      crawlService: CrawlService;
      logger: LoggerService;
    },
  ) {}

  /** Registers the task of every active registry whose schedule is new on this replica. */
  async sync(): Promise<void> {
    const { directory, scheduler, crawlService, logger } = this.options;
    for (const registry of directory.list()) {
      const id = registry.connection.id;
      const schedule = JSON.stringify(registry.schedule);
      if (!registry.active || this.registered.get(id) === schedule) continue;
      await scheduler.scheduleTask({
        id: crawlTaskId(id),
        ...registry.schedule,
        scope: 'global',
        fn: async signal => {
          const current = directory.find(id);
          if (!current?.active) {
            logger.debug(`Registry "${id}" is gone or inactive; not crawled`);
            return;
          }
          await crawlService.crawl(current, signal as AbortSignal);
        },
      });
      this.registered.set(id, schedule);
    }
  }

  /** Reads the page's registries now, then keeps following them on this replica. */
  async start(): Promise<void> {
    const { directory, scheduler } = this.options;
    await directory.refresh();
    await this.sync();
    await scheduler.scheduleTask({
      id: 'container-registry:sync-registries',
      scope: 'local',
      frequency: SYNC_FREQUENCY,
      timeout: { minutes: 1 },
      fn: async () => {
        if (await directory.refresh()) await this.sync();
      },
    });
  }

  /** After a change made through this replica: follow it at once. */
  async changed(): Promise<void> {
    await this.options.directory.refresh();
    await this.sync();
  }
}
