import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { RegistrySummary } from '@container-inventory/plugin-container-registry-common';
import type { ContainerRegistryApi } from './ContainerRegistryApi';

/** Calls the container-registry backend with the signed-in user's token. */
export class ContainerRegistryClient implements ContainerRegistryApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  private async call(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('container-registry');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }

  async listRegistries(): Promise<RegistrySummary[]> {
    const body = await (await this.call('/registries')).json();
    return body.items;
  }

  async refreshRegistry(id: string): Promise<void> {
    await this.call(`/registries/${encodeURIComponent(id)}/refresh`, {
      method: 'POST',
    });
  }
}
