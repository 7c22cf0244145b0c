import { screen } from '@testing-library/react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { Route, Routes } from 'react-router-dom';
import { containerRegistryApiRef } from './api';
import { fakeApi } from './__testUtils__/renderRegistriesPage';
import { ContainerRegistriesPage } from './plugin';
import { rootRouteRef } from './routes';

jest.setTimeout(30_000);

describe('The plugin on the legacy frontend system', () => {
  it("serves a registry's own view under the route the page is mounted on", async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [containerRegistryApiRef, fakeApi()],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <Routes>
          <Route
            path="/container-registries/*"
            element={<ContainerRegistriesPage />}
          />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/container-registries/lab'],
        mountedRoutes: { '/container-registries': rootRouteRef },
      },
    );
    expect(await screen.findByText('Crawl history')).toBeInTheDocument();
  });
});
