import type {
  ImageChange,
  InventoryImage,
} from '@container-inventory/plugin-container-registry-common';
import { http, HttpResponse } from 'msw';

export const INVENTORY_URL = 'http://localhost:7007/api/container-registry';

export function inventoryImage(
  n: number,
  extra: Partial<InventoryImage> = {},
): InventoryImage {
  const hex = n.toString(16).padStart(12, '0');
  return {
    registry: 'demo',
    host: 'registry.test:5000',
    repository: 'acme/app',
    digest: `sha256:${hex}${'c'.repeat(52)}`,
    entityName: `acme-app-${hex}`,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    tags: [`v${n}`],
    platforms: [{ os: 'linux', architecture: 'amd64' }],
    labels: {},
    lifecycle: 'latest',
    ...extra,
  };
}

/**
 * The inventory's change feed as the backend plugin serves it, over a list of changes the
 * test appends to; it checks the service token like the real API.
 */
export function changeFeedHandler(
  feed: ImageChange[],
  seenTokens: string[] = [],
) {
  return http.get(`${INVENTORY_URL}/images/changes`, ({ request }) => {
    const auth = request.headers.get('authorization') ?? '';
    seenTokens.push(auth);
    if (!auth.startsWith('Bearer ')) {
      return HttpResponse.json(
        { error: { name: 'AuthenticationError', message: 'no token' } },
        { status: 401 },
      );
    }
    const url = new URL(request.url);
    const cursor = Number(url.searchParams.get('cursor') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 500);
    const changes = feed.filter(c => c.seq > cursor).slice(0, limit);
    return HttpResponse.json({
      changes,
      cursor: changes.length ? changes[changes.length - 1].seq : cursor,
      hasMore: changes.length === limit,
    });
  });
}
