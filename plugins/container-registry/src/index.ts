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
