/** Renders the images table in a test app with fake images, catalog, permission and alert APIs. */
import type { Entity } from '@backstage/catalog-model';
import { alertApiRef } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type { ContainerImagesApi } from '../../../api';
import { containerImagesApiRef } from '../../../api';
import { useLocation } from 'react-router-dom';
import { ContainerImagesPage } from '../ContainerImagesPage';

export const components: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'web-frontend',
      namespace: 'default',
      title: 'Web frontend',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default' },
  },
];

/** Shows the page's URL parameters, for tests of what the address bar says. */
function LocationProbe() {
  return <output data-testid="location">{useLocation().search}</output>;
}

export async function renderImagesPage(
  api: ContainerImagesApi,
  options: { linkAllowed?: boolean; url?: string } = {},
) {
  const catalogApi = {
    queryEntities: jest.fn(async () => ({
      items: components,
      totalItems: components.length,
      pageInfo: {},
    })),
  };
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  const permissionApi = mockApis.permission({
    authorize:
      options.linkAllowed === false
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [containerImagesApiRef, api],
        [catalogApiRef, catalogApi],
        [permissionApiRef, permissionApi],
        [alertApiRef, alertApi],
      ]}
    >
      <ContainerImagesPage />
      <LocationProbe />
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: [options.url ?? '/container-images'],
    },
  );
  return { catalogApi, alertApi };
}
