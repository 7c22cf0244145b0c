/** Renders the page in a test app with a fake API, a permission policy and a spying alert API. */
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { alertApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type { RegistrySummary } from '@container-inventory/plugin-container-registry-common';
import { ContainerRegistryApi, containerRegistryApiRef } from '../api';
import { RegistriesPage } from '../components/RegistriesPage';

export const registries: RegistrySummary[] = [
  {
    id: 'team',
    name: 'Team registry',
    type: 'generic',
    url: 'https://registry.example.com',
    source: 'config',
    active: true,
    status: 'connected',
    imageCount: 42,
    lastCrawl: {
      startedAt: '2026-11-22T10:00:00Z',
      finishedAt: '2026-11-22T10:01:00Z',
      outcome: 'succeeded',
      repositories: 7,
      tags: 60,
      images: 42,
      errors: 0,
    },
  },
  {
    id: 'broken',
    name: 'Broken registry',
    type: 'harbor',
    url: 'https://harbor.example.com',
    source: 'config',
    active: true,
    status: 'error',
    statusMessage:
      '/v2/_catalog answered 401: check the username, password or token of this connection',
    imageCount: 5,
  },
];

/** What a page test gets back: the fakes it can assert on. */
export interface RenderedPage {
  api: ContainerRegistryApi;
  alertApi: { post: jest.Mock; alert$: jest.Mock };
}

export async function renderPage(
  api: Partial<ContainerRegistryApi>,
  refreshAllowed = true,
): Promise<RenderedPage> {
  const fullApi: ContainerRegistryApi = {
    listRegistries: jest.fn(async () => registries),
    refreshRegistry: jest.fn(async () => {}),
    ...api,
  };
  const permissionApi = mockApis.permission({
    authorize: refreshAllowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
  });
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [containerRegistryApiRef, fullApi],
        [permissionApiRef, permissionApi],
        [alertApiRef, alertApi],
      ]}
    >
      <RegistriesPage />
    </TestApiProvider>,
  );
  return { api: fullApi, alertApi };
}
