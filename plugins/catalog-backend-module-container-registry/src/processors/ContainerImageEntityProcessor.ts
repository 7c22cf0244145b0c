import {
  Entity,
  parseEntityRef,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import type { LocationSpec } from '@backstage/plugin-catalog-node';
import {
  isContainerImageEntity,
  validateContainerImageEntity,
} from '@container-inventory/plugin-container-registry-common';

/** Makes ContainerImage a kind the catalog accepts, and emits its owner and component links. */
export class ContainerImageEntityProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'ContainerImageEntityProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    return validateContainerImageEntity(entity) !== false;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isContainerImageEntity(entity)) return entity;
    const self = {
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
    };
    const link = (
      target: string | undefined,
      defaultKind: string,
      forward: string,
      backward: string,
    ) => {
      if (!target) return;
      const ref = parseEntityRef(target, {
        defaultKind,
        defaultNamespace: self.namespace,
      });
      emit(
        processingResult.relation({ source: self, type: forward, target: ref }),
      );
      emit(
        processingResult.relation({
          source: ref,
          type: backward,
          target: self,
        }),
      );
    };
    link(entity.spec.owner, 'Group', RELATION_OWNED_BY, RELATION_OWNER_OF);
    link(
      entity.spec.component,
      'Component',
      RELATION_PART_OF,
      RELATION_HAS_PART,
    );
    return entity;
  }
}
