import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';
import { containerRegistryApiRef, ContainerRegistryClient } from './api';

const rootRouteRef = createRouteRef();

const containerRegistryApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: containerRegistryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ContainerRegistryClient(deps),
    }),
});

/** `page:container-registry` at /container-registries (each registry under /:id), in the sidebar. */
const registriesPage = PageBlueprint.make({
  params: {
    path: '/container-registries',
    routeRef: rootRouteRef,
    title: 'Container registries',
    icon: <StorageIcon fontSize="inherit" />,
    noHeader: true,
    loader: () => import('./components/Router').then(m => <m.Router />),
  },
});

/** The container-registry frontend plugin, for apps on the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'container-registry',
  title: 'Container registries',
  icon: <StorageIcon fontSize="inherit" />,
  routes: { root: rootRouteRef },
  extensions: [containerRegistryApi, registriesPage],
});

export { containerRegistryTranslationRef } from './translation';
