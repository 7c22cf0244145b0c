import { createPermission } from '@backstage/plugin-permission-common';

/** See registry connections, their status and crawl history. */
export const registryReadPermission = createPermission({
  name: 'container-registry.registry.read',
  attributes: { action: 'read' },
});

export const registryCreatePermission = createPermission({
  name: 'container-registry.registry.create',
  attributes: { action: 'create' },
});

export const registryUpdatePermission = createPermission({
  name: 'container-registry.registry.update',
  attributes: { action: 'update' },
});

export const registryDeletePermission = createPermission({
  name: 'container-registry.registry.delete',
  attributes: { action: 'delete' },
});

/** Start or cancel a crawl, re-check a connection's status, or test it: acts on the registry. */
export const registryRefreshPermission = createPermission({
  name: 'container-registry.registry.refresh',
  attributes: { action: 'update' },
});

/** Browse the inventory's images through the images API and table. */
export const imageReadPermission = createPermission({
  name: 'container-registry.image.read',
  attributes: { action: 'read' },
});

/** Link a repository's images to a Component by hand, or remove such a link. */
export const imageLinkPermission = createPermission({
  name: 'container-registry.image.link',
  attributes: { action: 'update' },
});

export const containerRegistryPermissions = [
  registryReadPermission,
  registryCreatePermission,
  registryUpdatePermission,
  registryDeletePermission,
  registryRefreshPermission,
  imageReadPermission,
  imageLinkPermission,
];
