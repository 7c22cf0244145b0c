import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { ImageChangesPage } from '@container-inventory/plugin-container-registry-common';

/**
 * Reads the container-registry plugin's inventory over its REST API with this plugin's own
 * service credentials: the catalog cannot read another plugin's database.
 */
export class InventoryClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async changes(cursor: number, limit: number): Promise<ImageChangesPage> {
    const baseUrl = await this.discovery.getBaseUrl('container-registry');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'container-registry',
    });
    const response = await fetch(
      `${baseUrl}/images/changes?cursor=${cursor}&limit=${limit}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as ImageChangesPage;
  }
}
