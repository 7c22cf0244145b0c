import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { containerImagesApiRef } from './api';
import {
  fakeImagesApi,
  makeImage,
} from './components/images/__testUtils__/imageFixtures';
import {
  EntityContainerImageCard,
  EntityContainerImagesContent,
  isContainerImagesAvailable,
} from './index';

jest.setTimeout(20_000);

const image = makeImage();
const imageEntity: Entity = {
  apiVersion: 'container-inventory.dev/v1alpha1',
  kind: 'ContainerImage',
  metadata: { name: image.entityName },
  spec: { ...image, entityName: undefined },
};
const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web-frontend', namespace: 'default' },
  relations: [
    {
      type: 'hasPart',
      targetRef: `containerimage:default/${image.entityName}`,
    },
  ],
};

async function renderForEntity(entity: Entity, element: JSX.Element) {
  const api = fakeImagesApi({
    getImage: jest.fn(async () => ({ ...image, repositoryImages: [image] })),
    listImages: jest.fn(async () => ({ items: [image], totalCount: 1 })),
  });
  await renderInTestApp(
    <TestApiProvider apis={[[containerImagesApiRef, api]]}>
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

describe('legacy frontend system exports', () => {
  it('EntityContainerImageCard shows the pull reference of the entity', async () => {
    await renderForEntity(imageEntity, <EntityContainerImageCard />);
    expect(
      await screen.findByText(
        `registry.example.com/acme/web@sha256:${'a'.repeat(64)}`,
      ),
    ).toBeInTheDocument();
  });

  it('EntityContainerImagesContent lists the images of the Component', async () => {
    const api = await renderForEntity(
      component,
      <EntityContainerImagesContent />,
    );
    expect(
      await screen.findByRole('link', { name: 'acme/web@aaaaaaaaaaaa' }),
    ).toBeInTheDocument();
    expect(api.listImages).toHaveBeenCalledWith(
      expect.objectContaining({ component: 'component:default/web-frontend' }),
    );
  });

  it('isContainerImagesAvailable decides the tab for EntitySwitch', () => {
    expect(isContainerImagesAvailable(component)).toBe(true);
    expect(isContainerImagesAvailable({ ...component, relations: [] })).toBe(
      false,
    );
  });
});
