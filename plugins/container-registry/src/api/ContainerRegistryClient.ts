import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { BackendCaller } from './BackendCaller';
import type {
  ConnectionTestResult,
  CrawlRun,
  FilterPreview,
  RegistryDetails,
  RegistryAdapterDescription,
  RegistryFilterSettings,
  RegistryListItem,
  RegistrySettingsInput,
} from '@container-inventory/plugin-container-registry-common';
import type { ContainerRegistryApi } from './ContainerRegistryApi';

/** Calls the container-registry backend with the signed-in user's token. */
export class ContainerRegistryClient implements ContainerRegistryApi {
  private readonly backend: BackendCaller;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new BackendCaller(options);
  }

  private call(path: string, init?: RequestInit): Promise<Response> {
    return this.backend.call(path, init);
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    return (await this.call(path, init)).json();
  }

  private send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.json<T>(path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  private async post(path: string): Promise<void> {
    await this.call(path, { method: 'POST' });
  }

  private registryPath(id: string, action = ''): string {
    return `/registries/${encodeURIComponent(id)}${action}`;
  }

  async listAdapters(): Promise<RegistryAdapterDescription[]> {
    const body = await this.json<{ items: RegistryAdapterDescription[] }>(
      '/adapters',
    );
    return body.items;
  }

  async listRegistries(): Promise<RegistryListItem[]> {
    const body = await this.json<{ items: RegistryListItem[] }>('/registries');
    return body.items;
  }

  getRegistry(id: string): Promise<RegistryDetails> {
    return this.json(this.registryPath(id));
  }

  createRegistry(settings: RegistrySettingsInput): Promise<RegistryDetails> {
    return this.send('POST', '/registries', settings);
  }

  updateRegistry(
    id: string,
    settings: RegistrySettingsInput,
  ): Promise<RegistryDetails> {
    return this.send('PUT', this.registryPath(id), settings);
  }

  async deleteRegistry(id: string): Promise<void> {
    await this.call(this.registryPath(id), { method: 'DELETE' });
  }

  testConnection(
    settings: RegistrySettingsInput,
  ): Promise<ConnectionTestResult> {
    return this.send('POST', '/registries/test', settings);
  }

  testRegistry(id: string): Promise<ConnectionTestResult> {
    return this.send('POST', this.registryPath(id, '/test'));
  }

  refreshStatus(id: string): Promise<void> {
    return this.post(this.registryPath(id, '/refresh-status'));
  }

  refreshRegistry(id: string): Promise<void> {
    return this.post(this.registryPath(id, '/refresh'));
  }

  cancelCrawl(id: string): Promise<void> {
    return this.post(this.registryPath(id, '/cancel'));
  }

  async listRuns(id: string): Promise<CrawlRun[]> {
    const body = await this.json<{ items: CrawlRun[] } | CrawlRun[]>(
      this.registryPath(id, '/runs'),
    );
    return Array.isArray(body) ? body : body.items;
  }

  previewFilters(
    id: string,
    filters: RegistryFilterSettings,
  ): Promise<FilterPreview> {
    return this.send('POST', this.registryPath(id, '/filters/preview'), {
      filters,
    });
  }
}
