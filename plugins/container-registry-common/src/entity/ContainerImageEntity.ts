import type { Entity } from '@backstage/catalog-model';
import type { ImageLifecycle, ImagePlatform } from '../types';

/** Annotation and apiVersion domain of this plugin suite. */
export const CONTAINER_INVENTORY_DOMAIN = 'container-inventory.dev';

export const CONTAINER_IMAGE_API_VERSION = `${CONTAINER_INVENTORY_DOMAIN}/v1alpha1`;
export const CONTAINER_IMAGE_KIND = 'ContainerImage';

export const ANNOTATION_REGISTRY = `${CONTAINER_INVENTORY_DOMAIN}/registry`;
export const ANNOTATION_REPOSITORY = `${CONTAINER_INVENTORY_DOMAIN}/repository`;
export const ANNOTATION_DIGEST = `${CONTAINER_INVENTORY_DOMAIN}/digest`;

/**
 * On a Component: its image repositories, comma-separated, `*` wildcards allowed. A first
 * segment that is a registry id limits the pattern to that registry
 * (`team-registry/acme/web-*`); otherwise it applies to every registry (`acme/web-*`).
 */
export const ANNOTATION_IMAGE_REPOSITORIES = `${CONTAINER_INVENTORY_DOMAIN}/image-repositories`;

/** A container image in the catalog: one per (registry, repository, digest). */
export interface ContainerImageEntityV1alpha1 extends Entity {
  apiVersion: typeof CONTAINER_IMAGE_API_VERSION;
  kind: typeof CONTAINER_IMAGE_KIND;
  spec: {
    registry: string;
    host: string;
    repository: string;
    digest: string;
    mediaType: string;
    tags: string[];
    platforms: ImagePlatform[];
    created?: string;
    pushed?: string;
    lifecycle: ImageLifecycle;
    labels: Record<string, string>;
    owner?: string;
    component?: string;
  };
}

export function isContainerImageEntity(
  entity: Entity,
): entity is ContainerImageEntityV1alpha1 {
  return (
    entity.apiVersion === CONTAINER_IMAGE_API_VERSION &&
    entity.kind === CONTAINER_IMAGE_KIND
  );
}
