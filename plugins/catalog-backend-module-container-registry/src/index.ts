/**
 * Catalog module that emits ContainerImage entities from the container-registry inventory.
 *
 * @packageDocumentation
 */
export { catalogModuleContainerRegistry as default } from './module';
export { ContainerImageEntityProvider } from './providers/ContainerImageEntityProvider';
export { ContainerImageEntityProcessor } from './processors/ContainerImageEntityProcessor';
export { imageToEntity } from './providers/imageToEntity';
