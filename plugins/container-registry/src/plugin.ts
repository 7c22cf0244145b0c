import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { containerRegistryApiRef, ContainerRegistryClient } from './api';
import { rootRouteRef } from './routes';
import { containerImagesApiRef, ContainerImagesClient } from './api';
import { imagesRouteRef } from './routes';

/** The container-registry frontend plugin, for apps on the legacy frontend system. */
export const containerRegistryPlugin = createPlugin({
  id: 'container-registry',
  apis: [
    createApiFactory({
      api: containerRegistryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ContainerRegistryClient(deps),
    }),
    createApiFactory({
      api: containerImagesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ContainerImagesClient(deps),
    }),
  ],
  routes: { root: rootRouteRef, images: imagesRouteRef },
});

/**
 * The Container registries pages: the list at the mounted route and each registry's view under
 * `<route>/<id>`. Mount it on a route that allows sub-paths, e.g. `/container-registries/*`.
 */
export const ContainerRegistriesPage = containerRegistryPlugin.provide(
  createRoutableExtension({
    name: 'ContainerRegistriesPage',
    component: () => import('./components/Router').then(m => m.Router),
    mountPoint: rootRouteRef,
  }),
);

/** The Container images table; mount it on a route, e.g. `/container-images`. */
export const ContainerImagesPage = containerRegistryPlugin.provide(
  createRoutableExtension({
    name: 'ContainerImagesPage',
    component: () =>
      import('./components/images').then(m => m.ContainerImagesPage),
    mountPoint: imagesRouteRef,
  }),
);

/** Overview card of a ContainerImage entity: pull reference, tags, platforms, labels, links. */
export const EntityContainerImageCard = containerRegistryPlugin.provide(
  createComponentExtension({
    name: 'EntityContainerImageCard',
    component: {
      lazy: () => import('./components/entity').then(m => m.ContainerImageCard),
    },
  }),
);

/** Card of a ContainerImage entity listing the other images of its repository. */
export const EntityContainerImageRepositoryCard =
  containerRegistryPlugin.provide(
    createComponentExtension({
      name: 'EntityContainerImageRepositoryCard',
      component: {
        lazy: () =>
          import('./components/entity').then(m => m.RepositoryImagesCard),
      },
    }),
  );

/** "Container images" tab of a Component; show it where `isContainerImagesAvailable`. */
export const EntityContainerImagesContent = containerRegistryPlugin.provide(
  createComponentExtension({
    name: 'EntityContainerImagesContent',
    component: {
      lazy: () =>
        import('./components/entity').then(m => m.ComponentImagesContent),
    },
  }),
);

/** Overview card of a Component with its newest images; renders nothing without images. */
export const EntityContainerImagesCard = containerRegistryPlugin.provide(
  createComponentExtension({
    name: 'EntityContainerImagesCard',
    component: {
      lazy: () =>
        import('./components/entity').then(m => m.ComponentImagesCard),
    },
  }),
);
