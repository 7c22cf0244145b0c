import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ConnectionTestResult,
  CrawlRun,
  FilterPreview,
  RegistryDetails,
  RegistryFilterSettings,
  RegistryAdapterDescription,
  RegistryListItem,
  RegistrySettingsInput,
} from '@container-inventory/plugin-container-registry-common';

/**
 * The container-registry backend as the frontend sees it: one method per route of
 * `/api/container-registry/registries`. Failures throw `ResponseError` with the backend's
 * reason in `cause` and the HTTP status in `statusCode`.
 */
export interface ContainerRegistryApi {
  /** The registry products the backend has adapters for, with their options. */
  listAdapters(): Promise<RegistryAdapterDescription[]>;
  listRegistries(): Promise<RegistryListItem[]>;
  getRegistry(id: string): Promise<RegistryDetails>;
  /** Secrets given are stored encrypted; answers only say whether one is set. */
  createRegistry(settings: RegistrySettingsInput): Promise<RegistryDetails>;
  /** Replaces the settings; a secret left out keeps the stored one. */
  updateRegistry(
    id: string,
    settings: RegistrySettingsInput,
  ): Promise<RegistryDetails>;
  deleteRegistry(id: string): Promise<void>;
  /** Tests settings that are not saved yet. */
  testConnection(
    settings: RegistrySettingsInput,
  ): Promise<ConnectionTestResult>;
  /** Tests a stored registry's connection. */
  testRegistry(id: string): Promise<ConnectionTestResult>;
  /** Re-checks the connection and stores the verdict as the registry's status. */
  refreshStatus(id: string): Promise<void>;
  /** Starts a crawl now ("Update images list"); a 409 when one is under way. */
  refreshRegistry(id: string): Promise<void>;
  /** Cancels the crawl under way; a cancelled crawl removes nothing. */
  cancelCrawl(id: string): Promise<void>;
  listRuns(id: string): Promise<CrawlRun[]>;
  previewFilters(
    id: string,
    filters: RegistryFilterSettings,
  ): Promise<FilterPreview>;
}

export const containerRegistryApiRef = createApiRef<ContainerRegistryApi>({
  id: 'plugin.container-registry.api',
});
