import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { containerRegistryPermissions } from '@container-inventory/plugin-container-registry-common';
import {
  builtInAdapterFactories,
  containerRegistryAdaptersExtensionPoint,
  RegistryAdapterFactory,
} from '@container-inventory/plugin-container-registry-node';
import {
  readRegistryConfigs,
  readRemovalLimits,
} from './config/readRegistryConfigs';
import { InventoryStore } from './database/InventoryStore';
import { CrawlService } from './service/CrawlService';
import { RegistryDirectory } from './service/RegistryDirectory';
import { createRouter } from './service/router';
import { scheduleCrawls } from './service/scheduleCrawls';
import { scheduleHousekeeping } from './service/housekeeping';

/**
 * The container-registry backend plugin: registry connections, scheduled crawls, the image
 * inventory and its REST API.
 */
export const containerRegistryPlugin = createBackendPlugin({
  pluginId: 'container-registry',
  register(env) {
    const extraAdapters: RegistryAdapterFactory[] = [];
    env.registerExtensionPoint(containerRegistryAdaptersExtensionPoint, {
      addAdapter(factory) {
        extraAdapters.push(factory);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
      },
      async init(deps) {
        const { config, logger, database, scheduler, httpRouter } = deps;
        const directory = new RegistryDirectory(readRegistryConfigs(config));
        const store = await InventoryStore.create(database);
        // Added adapters come first, so a module can replace a built-in one.
        const adapterFactories = () => [
          ...extraAdapters,
          ...builtInAdapterFactories,
        ];
        const crawlService = new CrawlService({
          store,
          logger,
          adapterFactories,
          removalLimits: readRemovalLimits(config),
        });
        deps.permissionsRegistry.addPermissions(containerRegistryPermissions);

        await scheduleHousekeeping({ store, directory, scheduler, logger });
        await scheduleCrawls({ directory, scheduler, crawlService, logger });
        httpRouter.use(
          await createRouter({ ...deps, store, directory, crawlService }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        logger.info(
          `Crawling ${directory.list().length} registries from app-config`,
        );
      },
    });
  },
});
