import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { BackendCaller } from './BackendCaller';
import type { ImagesPage } from '@container-inventory/plugin-container-registry-common';
import type {
  ContainerImagesApi,
  ImageDetails,
  ImagesQuery,
} from './ContainerImagesApi';

/** Calls the images API of the container-registry backend with the signed-in user's token. */
export class ContainerImagesClient implements ContainerImagesApi {
  private readonly backend: BackendCaller;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new BackendCaller(options);
  }

  private call(path: string, init?: RequestInit): Promise<Response> {
    return this.backend.call(path, init);
  }

  async listImages(query: ImagesQuery = {}): Promise<ImagesPage> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      // Empty filters are left out: the backend rejects empty values.
      if (value !== undefined && value !== '') params.set(name, String(value));
    }
    const search = params.toString();
    return (await this.call(`/images${search ? `?${search}` : ''}`)).json();
  }

  async getImage(entityName: string): Promise<ImageDetails> {
    return (
      await this.call(`/images/${encodeURIComponent(entityName)}`)
    ).json();
  }

  async linkRepository(
    registry: string,
    repository: string,
    componentRef: string,
  ): Promise<void> {
    await this.call(linkPath(registry, repository), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ component: componentRef }),
    });
  }

  async unlinkRepository(registry: string, repository: string): Promise<void> {
    await this.call(linkPath(registry, repository), { method: 'DELETE' });
  }
}

/** The repository name travels as one path segment: `acme/web` becomes `acme%2Fweb`. */
function linkPath(registry: string, repository: string): string {
  return `/registries/${encodeURIComponent(
    registry,
  )}/repositories/${encodeURIComponent(repository)}/link`;
}
