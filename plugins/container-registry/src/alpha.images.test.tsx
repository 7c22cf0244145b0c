import type { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import plugin from './alpha';

const componentWithImages: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web-frontend' },
  relations: [
    { type: 'hasPart', targetRef: 'containerimage:default/acme-web-0123' },
  ],
};
const componentWithoutImages: Entity = {
  ...componentWithImages,
  relations: [],
};
const image: Entity = {
  apiVersion: 'container-inventory.dev/v1alpha1',
  kind: 'ContainerImage',
  metadata: { name: 'acme-web-0123' },
};

/** The extension's filter; failing the test when it has none. */
function filterOf(filter?: (entity: Entity) => boolean) {
  if (!filter) throw new Error('the extension has no filter function');
  return filter;
}

describe('container-registry in the new frontend system', () => {
  it('adds a "Container images" tab only to Components that have images', () => {
    const tab = createExtensionTester(
      plugin.getExtension('entity-content:container-registry/component-images'),
    );
    expect(tab.get(coreExtensionData.routePath)).toBe('container-images');
    expect(tab.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Container images',
    );
    const shows = filterOf(
      tab.get(EntityContentBlueprint.dataRefs.filterFunction),
    );
    expect(shows(componentWithImages)).toBe(true);
    expect(shows(componentWithoutImages)).toBe(false);
    expect(shows(image)).toBe(false);
  });

  it('puts the image cards on ContainerImage pages and the images card on Components', () => {
    const imageCard = createExtensionTester(
      plugin.getExtension('entity-card:container-registry/image'),
    );
    const siblingsCard = createExtensionTester(
      plugin.getExtension('entity-card:container-registry/repository-images'),
    );
    for (const card of [imageCard, siblingsCard]) {
      const shows = filterOf(
        card.get(EntityCardBlueprint.dataRefs.filterFunction),
      );
      expect(shows(image)).toBe(true);
      expect(shows(componentWithImages)).toBe(false);
    }
    const shows = filterOf(
      createExtensionTester(
        plugin.getExtension('entity-card:container-registry/component-images'),
      ).get(EntityCardBlueprint.dataRefs.filterFunction),
    );
    expect(shows(componentWithImages)).toBe(true);
    expect(shows(componentWithoutImages)).toBe(false);
  });

  it('serves the images table at /container-images', () => {
    const page = createExtensionTester(
      plugin.getExtension('page:container-registry/images'),
    );
    expect(page.get(coreExtensionData.routePath)).toBe('/container-images');
  });
});
