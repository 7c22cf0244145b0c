import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * Calls the container-registry backend with the signed-in user's token; an answer that is not
 * 2xx throws `ResponseError` carrying the backend's reason and status.
 */
export class BackendCaller {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async call(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(
      'container-registry',
    );
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}${path}`,
      init,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }
}
