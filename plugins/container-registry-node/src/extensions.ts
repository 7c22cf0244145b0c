import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { RegistryAdapterFactory } from './adapters/types';

/** Lets backend modules add adapters for registry products, or replace a built-in one. */
export interface ContainerRegistryAdaptersExtensionPoint {
  addAdapter(factory: RegistryAdapterFactory): void;
}

export const containerRegistryAdaptersExtensionPoint =
  createExtensionPoint<ContainerRegistryAdaptersExtensionPoint>({
    id: 'container-registry.adapters',
  });
