/**
 * Backend plugin for the container registry inventory: registry connections, scheduled
 * crawls, the image inventory and its REST API under `/api/container-registry`.
 *
 * @packageDocumentation
 */
export { containerRegistryPlugin as default } from './plugin';
