import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ContainerImageEntityProcessor } from './processors/ContainerImageEntityProcessor';
import { ContainerImageEntityProvider } from './providers/ContainerImageEntityProvider';

/** Puts the container-registry inventory into the catalog as ContainerImage entities. */
export const catalogModuleContainerRegistry = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'container-registry',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ catalog, config, logger, scheduler, discovery, auth }) {
        catalog.addProcessor(new ContainerImageEntityProcessor());
        catalog.addEntityProvider(
          ContainerImageEntityProvider.fromConfig(config, {
            logger,
            scheduler,
            discovery,
            auth,
          }),
        );
      },
    });
  },
});
