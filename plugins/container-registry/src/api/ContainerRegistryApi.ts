import { createApiRef } from '@backstage/core-plugin-api';
import type { RegistrySummary } from '@container-inventory/plugin-container-registry-common';

/** The container-registry backend as the frontend sees it. */
export interface ContainerRegistryApi {
  listRegistries(): Promise<RegistrySummary[]>;
  /** Starts a crawl of the registry now ("Update images list"). */
  refreshRegistry(id: string): Promise<void>;
}

export const containerRegistryApiRef = createApiRef<ContainerRegistryApi>({
  id: 'plugin.container-registry.api',
});
