import { processingResult } from '@backstage/plugin-catalog-node';
import { imageToEntity } from '../providers/imageToEntity';
import { inventoryImage } from '../__testUtils__/inventoryHandlers';
import { ContainerImageEntityProcessor } from './ContainerImageEntityProcessor';

const location = { type: 'container-registry', target: 'demo/acme/app' };

describe('ContainerImageEntityProcessor', () => {
  const processor = new ContainerImageEntityProcessor();

  it('accepts the entities the provider makes, and rejects broken ones with the field', async () => {
    const entity = imageToEntity(inventoryImage(1));
    await expect(processor.validateEntityKind(entity)).resolves.toBe(true);
    await expect(
      processor.validateEntityKind({ ...entity, kind: 'Component' } as any),
    ).resolves.toBe(false);
    await expect(
      processor.validateEntityKind({
        ...entity,
        spec: { ...entity.spec, digest: 'latest' },
      }),
    ).rejects.toThrow(/digest/);
  });

  it('links an image to its owner and component in both directions', async () => {
    const entity = imageToEntity(inventoryImage(1));
    entity.spec.owner = 'group:payments';
    entity.spec.component = 'payments-api';
    const emit = jest.fn();
    await processor.postProcessEntity(entity, location, emit);
    const self = {
      kind: 'ContainerImage',
      namespace: 'default',
      name: entity.metadata.name,
    };
    const owner = { kind: 'group', namespace: 'default', name: 'payments' };
    const component = {
      kind: 'Component',
      namespace: 'default',
      name: 'payments-api',
    };
    expect(emit.mock.calls.map(c => c[0])).toEqual([
      processingResult.relation({
        source: self,
        type: 'ownedBy',
        target: owner,
      }),
      processingResult.relation({
        source: owner,
        type: 'ownerOf',
        target: self,
      }),
      processingResult.relation({
        source: self,
        type: 'partOf',
        target: component,
      }),
      processingResult.relation({
        source: component,
        type: 'hasPart',
        target: self,
      }),
    ]);
  });
});
