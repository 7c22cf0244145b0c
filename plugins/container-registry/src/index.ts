/**
 * Frontend for the container registry inventory: the Container registries page, where admins
 * add, test, crawl, edit and delete registry connections.
 * Apps on the new frontend system import `@container-inventory/plugin-container-registry/alpha`.
 *
 * @packageDocumentation
 */
export { containerRegistryPlugin, ContainerRegistriesPage } from './plugin';
export { containerRegistryApiRef, ContainerRegistryClient } from './api';
export type { ContainerRegistryApi } from './api';
export {
  ContainerImagesPage,
  EntityContainerImageCard,
  EntityContainerImageRepositoryCard,
  EntityContainerImagesCard,
  EntityContainerImagesContent,
} from './plugin';
export { containerImagesApiRef, ContainerImagesClient } from './api';
export type {
  ContainerImagesApi,
  ImageDetails,
  ImagesQuery,
  ImageSortKey,
} from './api';
export {
  isContainerImage,
  isContainerImagesAvailable,
} from './components/entity/conditions';
