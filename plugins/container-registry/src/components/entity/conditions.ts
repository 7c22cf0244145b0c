import {
  Entity,
  parseEntityRef,
  RELATION_HAS_PART,
} from '@backstage/catalog-model';
import {
  CONTAINER_IMAGE_KIND,
  isContainerImageEntity,
} from '@container-inventory/plugin-container-registry-common';

const IMAGE_KIND = CONTAINER_IMAGE_KIND.toLocaleLowerCase('en-US');

/**
 * True for a Component that has container images: the catalog gives it a `hasPart` relation to
 * each ContainerImage linked to it. Synchronous, so both frontend systems can filter tabs and
 * cards with it without asking the backend.
 */
export function isContainerImagesAvailable(entity: Entity): boolean {
  if (entity.kind.toLocaleLowerCase('en-US') !== 'component') return false;
  return (entity.relations ?? []).some(
    relation =>
      relation.type === RELATION_HAS_PART &&
      parseEntityRef(relation.targetRef).kind.toLocaleLowerCase('en-US') ===
        IMAGE_KIND,
  );
}

/** True for a ContainerImage entity. */
export function isContainerImage(entity: Entity): boolean {
  return isContainerImageEntity(entity);
}
