import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { InventoryStore } from '../database/InventoryStore';
import type { RegistryDirectory } from './RegistryDirectory';

/** A running crawl writes a heartbeat every second or so; this much silence means it died. */
export const INTERRUPTED_AFTER_MS = 5 * 60_000;

/**
 * Ends crawl runs whose backend stopped while they ran. Runs of other replicas still going
 * keep their heartbeat fresh and are left alone, so this is safe on every replica, at start-up
 * and periodically.
 */
export async function markInterruptedRuns(
  store: InventoryStore,
  logger: LoggerService,
  now = Date.now(),
) {
  const registries = await store.markInterruptedRuns(
    new Date(now - INTERRUPTED_AFTER_MS),
  );
  if (registries.length > 0) {
    logger.warn(
      `Crawls of ${registries.join(
        ', ',
      )} were interrupted by a backend stop; they were marked as such`,
    );
  }
}

/**
 * Images of registries that are no longer defined leave the catalog: deliberately, saying so
 * in the log, rather than staying there forever unowned by any crawl.
 */
export async function removeImagesOfRemovedRegistries(
  store: InventoryStore,
  directory: RegistryDirectory,
  logger: LoggerService,
) {
  const known = new Set(directory.list().map(r => r.connection.id));
  for (const registryId of await store.registriesWithImages()) {
    if (known.has(registryId)) continue;
    const removed = await store.removeRegistry(registryId);
    logger.info(
      `Registry "${registryId}" is no longer defined: its ${removed} images were removed from the inventory and leave the catalog`,
    );
  }
}

/** Runs the checks once now and then every few minutes, on one replica at a time. */
export async function scheduleHousekeeping(options: {
  store: InventoryStore;
  directory: RegistryDirectory;
  scheduler: SchedulerService;
  logger: LoggerService;
}) {
  const { store, directory, scheduler, logger } = options;
  await scheduler.scheduleTask({
    id: 'container-registry:housekeeping',
    scope: 'global',
    frequency: { minutes: 5 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 1 },
    fn: async () => {
      await markInterruptedRuns(store, logger);
      await removeImagesOfRemovedRegistries(store, directory, logger);
    },
  });
}
