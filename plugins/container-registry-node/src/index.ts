/**
 * Registry client and crawler for Docker Registry V2 / OCI distribution registries, with one
 * adapter per registry product.
 *
 * @packageDocumentation
 */
export * from './connection';
export * from './errors';
export * from './http';
export * from './manifests';
export * from './adapters';
export * from './crawler';
export { containerRegistryAdaptersExtensionPoint } from './extensions';
export type { ContainerRegistryAdaptersExtensionPoint } from './extensions';
