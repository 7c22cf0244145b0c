import { screen } from '@testing-library/react';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { containerRegistryApiRef } from './api';
import { fakeApi } from './__testUtils__/renderRegistriesPage';
import plugin from './alpha';

jest.setTimeout(30_000);

describe('The plugin on the new frontend system', () => {
  it("serves a registry's own view under the page's path", async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/container-registries/lab'],
      apis: [
        [containerRegistryApiRef, fakeApi()],
        [permissionApiRef, mockApis.permission()],
      ],
    });
    expect(await screen.findByText('Crawl history')).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Lab registry' }),
    ).toBeInTheDocument();
  });
});
