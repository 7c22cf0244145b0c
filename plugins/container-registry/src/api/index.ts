export { containerRegistryApiRef } from './ContainerRegistryApi';
export type { ContainerRegistryApi } from './ContainerRegistryApi';
export { ContainerRegistryClient } from './ContainerRegistryClient';
export { containerImagesApiRef } from './ContainerImagesApi';
export type {
  ContainerImagesApi,
  ImageDetails,
  ImagesQuery,
  ImageSortKey,
} from './ContainerImagesApi';
export { ContainerImagesClient } from './ContainerImagesClient';
