/** Images and a fake images API shared by the tests of the image views. */
import type { InventoryImage } from '@container-inventory/plugin-container-registry-common';
import type { ContainerImagesApi } from '../../../api';

const hex = (char: string) => char.repeat(64);

export function makeImage(
  overrides: Partial<InventoryImage> = {},
): InventoryImage {
  return {
    registry: 'team',
    host: 'registry.example.com',
    repository: 'acme/web',
    digest: `sha256:${hex('a')}`,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    tags: ['1.2.0', 'latest'],
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
    created: '2026-11-20T10:00:00Z',
    pushed: '2026-11-20T10:05:00Z',
    labels: {
      'org.opencontainers.image.source': 'https://github.com/acme/web',
      'org.opencontainers.image.revision': 'abc123',
    },
    entityName: 'acme-web-aaaaaaaaaaaa',
    lifecycle: 'latest',
    component: 'component:default/web-frontend',
    owner: 'group:default/team-web',
    linkedBy: 'source',
    firstSeen: '2026-11-20T11:00:00Z',
    lastSeen: '2026-11-22T11:00:00Z',
    detailsSource: 'image-config',
    ...overrides,
  };
}

/** A fake API whose methods are jest mocks; pass overrides for the calls a test cares about. */
export function fakeImagesApi(
  overrides: Partial<ContainerImagesApi> = {},
): jest.Mocked<ContainerImagesApi> {
  return {
    listImages: jest.fn(async () => ({ items: [], totalCount: 0 })),
    getImage: jest.fn(async () => {
      throw new Error('getImage not scripted');
    }),
    linkRepository: jest.fn(async () => {}),
    unlinkRepository: jest.fn(async () => {}),
    ...overrides,
  } as jest.Mocked<ContainerImagesApi>;
}
