export * from './types';
export { readRegistryConnection } from './readRegistryConnection';
