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
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { ImagesQuery } from './database/ImagesQuery';
import { InventoryStore } from './database/InventoryStore';
import { ManualLinkStore } from './database/ManualLinkStore';
import { ComponentLinker, readLinkRules } from './linking/ComponentLinker';
import { scheduleLinking } from './linking/scheduleLinking';
import { CrawlService } from './service/CrawlService';
import { RegistryDirectory } from './service/RegistryDirectory';
import { createRouter } from './service/router';
import { RegistryConnectionStore } from './database/RegistryConnectionStore';
import { SecretBox } from './secrets/SecretBox';
import { CrawlScheduler } from './service/scheduleCrawls';
import { DEFAULT_RUNS_KEPT } from './service/CrawlService';
import { reencryptCredentials } from './secrets/reencryptCredentials';
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
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, logger, database, scheduler, httpRouter } = deps;
        // Added adapters come first, so a module can replace a built-in one.
        const adapterFactories = () => [
          ...extraAdapters,
          ...builtInAdapterFactories,
        ];
        const knownTypes = () => [
          ...new Set(adapterFactories().map(factory => factory.type)),
        ];
        const store = await InventoryStore.create(database);
        const connections = await RegistryConnectionStore.create({
          database,
          secretBox: SecretBox.fromConfig(config),
        });
        await reencryptCredentials(connections, logger);
        const directory = new RegistryDirectory(
          readRegistryConfigs(config, { adapterFactories: adapterFactories() }),
          { connections, knownTypes, adapterFactories, logger },
        );
        const images = await ImagesQuery.create(database);
        const manualLinks = await ManualLinkStore.create(database);
        const linker = new ComponentLinker({
          catalog: deps.catalog,
          auth: deps.auth,
          store,
          manualLinks,
          rules: readLinkRules(config),
          registryIds: () => directory.list().map(r => r.connection.id),
          logger: logger.child({ task: 'linking' }),
        });
        const crawlService = new CrawlService({
          store,
          logger,
          adapterFactories,
          removalLimits: readRemovalLimits(config),
          runsKept:
            config.getOptionalNumber('containerRegistry.crawlHistory.keep') ??
            DEFAULT_RUNS_KEPT,
        });
        const crawlScheduler = new CrawlScheduler({
          directory,
          scheduler,
          crawlService,
          logger,
        });
        deps.permissionsRegistry.addPermissions(containerRegistryPermissions);

        await crawlScheduler.start();
        await scheduleHousekeeping({ store, directory, scheduler, logger });
        await scheduleLinking({ linker, scheduler, config });
        httpRouter.use(
          await createRouter({
            ...deps,
            store,
            directory,
            connections,
            crawlService,
            crawlScheduler,
            knownTypes,
            adapterFactories,
            images,
            manualLinks,
            linker,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        logger.info(
          `Crawling ${
            directory.list().length
          } registries (app-config and the Registries page)`,
        );
      },
    });
  },
});
