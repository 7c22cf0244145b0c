import type { RegistryType } from '@container-inventory/plugin-container-registry-common';
import { genericAdapterFactory } from './generic';
import type { RegistryAdapterFactory } from './types';

export * from './types';
export { GenericRegistryAdapter, genericAdapterFactory } from './generic';
export * from './v2';

/** The adapters that ship with the crawler, by product. */
export const builtInAdapterFactories: RegistryAdapterFactory[] = [
  genericAdapterFactory,
];

/** Finds the adapter of a product; unknown products are an error that names the known ones. */
export function findAdapterFactory(
  type: RegistryType,
  factories: RegistryAdapterFactory[] = builtInAdapterFactories,
): RegistryAdapterFactory {
  const factory = factories.find(f => f.type === type);
  if (!factory) {
    throw new Error(
      `No adapter for registry type "${type}"; available: ${factories
        .map(f => f.type)
        .join(', ')}`,
    );
  }
  return factory;
}
