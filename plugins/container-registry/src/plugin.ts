import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { containerRegistryApiRef, ContainerRegistryClient } from './api';
import { rootRouteRef } from './routes';

/** The container-registry frontend plugin, for apps on the legacy frontend system. */
export const containerRegistryPlugin = createPlugin({
  id: 'container-registry',
  apis: [
    createApiFactory({
      api: containerRegistryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ContainerRegistryClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
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
