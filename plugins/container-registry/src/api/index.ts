export { containerRegistryApiRef } from './ContainerRegistryApi';
export type { ContainerRegistryApi } from './ContainerRegistryApi';
export { ContainerRegistryClient } from './ContainerRegistryClient';
