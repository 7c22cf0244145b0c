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
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import LayersIcon from '@material-ui/icons/Layers';
import { containerImagesApiRef, ContainerImagesClient } from './api';
import {
  isContainerImage,
  isContainerImagesAvailable,
} from './components/entity/conditions';
import { imageStrings } from './components/images/strings';

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

const imagesRouteRef = createRouteRef();

const containerImagesApi = ApiBlueprint.make({
  name: 'images',
  params: defineParams =>
    defineParams({
      api: containerImagesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ContainerImagesClient(deps),
    }),
});

/** `page:container-registry/images` at /container-images, listed in the sidebar. */
const imagesPage = PageBlueprint.make({
  name: 'images',
  params: {
    path: '/container-images',
    routeRef: imagesRouteRef,
    title: imageStrings.table.pageTitle,
    icon: <LayersIcon fontSize="inherit" />,
    noHeader: true,
    loader: () =>
      import('./components/images').then(m => <m.ContainerImagesPage />),
  },
});

/** `entity-card:container-registry/image`: overview of a ContainerImage. */
const imageCard = EntityCardBlueprint.make({
  name: 'image',
  params: {
    filter: isContainerImage,
    loader: () =>
      import('./components/entity').then(m => <m.ContainerImageCard />),
  },
});

/** `entity-card:container-registry/repository-images`: the image's siblings. */
const repositoryImagesCard = EntityCardBlueprint.make({
  name: 'repository-images',
  params: {
    filter: isContainerImage,
    loader: () =>
      import('./components/entity').then(m => <m.RepositoryImagesCard />),
  },
});

/** `entity-card:container-registry/component-images`: a Component's newest images. */
const componentImagesCard = EntityCardBlueprint.make({
  name: 'component-images',
  params: {
    filter: isContainerImagesAvailable,
    loader: () =>
      import('./components/entity').then(m => <m.ComponentImagesCard />),
  },
});

/** `entity-content:container-registry/component-images`: the "Container images" tab. */
const componentImagesContent = EntityContentBlueprint.make({
  name: 'component-images',
  params: {
    path: 'container-images',
    title: imageStrings.componentImages.tabTitle,
    filter: isContainerImagesAvailable,
    loader: () =>
      import('./components/entity').then(m => <m.ComponentImagesContent />),
  },
});

/** The container-registry frontend plugin, for apps on the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'container-registry',
  title: 'Container registries',
  icon: <StorageIcon fontSize="inherit" />,
  routes: { root: rootRouteRef, images: imagesRouteRef },
  extensions: [
    containerRegistryApi,
    registriesPage,
    containerImagesApi,
    imagesPage,
    imageCard,
    repositoryImagesCard,
    componentImagesCard,
    componentImagesContent,
  ],
});

export { containerRegistryTranslationRef } from './translation';
