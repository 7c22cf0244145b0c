/**
 * Frontend for the container registry inventory: the Container registries page.
 * Apps on the new frontend system import `@container-inventory/plugin-container-registry/alpha`.
 *
 * @packageDocumentation
 */
export { containerRegistryPlugin, ContainerRegistriesPage } from './plugin';
export { containerRegistryApiRef, ContainerRegistryClient } from './api';
export type { ContainerRegistryApi } from './api';
