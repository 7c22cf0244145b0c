/** Renders the plugin's pages in a test app with a fake API, a permission policy and a spying alert API. */
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { alertApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type {
  CrawlRun,
  RegistryAdapterDescription,
  RegistryDetails,
  RegistryListItem,
} from '@container-inventory/plugin-container-registry-common';
import { ContainerRegistryApi, containerRegistryApiRef } from '../api';
import { Router } from '../components/Router';

export const registries: RegistryListItem[] = [
  {
    id: 'team',
    name: 'Team registry',
    type: 'generic',
    url: 'https://registry.example.com',
    source: 'config',
    active: true,
    status: 'connected',
    imageCount: 42,
    nextCrawlAt: '2999-01-01T03:00:00Z',
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

/** A registry added on the page, with basic auth and a stored password. */
export const pageRegistry: RegistryDetails = {
  id: 'lab',
  name: 'Lab registry',
  type: 'generic',
  url: 'https://lab.example.com',
  source: 'database',
  active: true,
  status: 'connected',
  imageCount: 17,
  readOnly: false,
  nextCrawlAt: '2999-01-01T03:00:00Z',
  settings: {
    id: 'lab',
    name: 'Lab registry',
    type: 'generic',
    url: 'https://lab.example.com',
    active: true,
    auth: {
      type: 'basic',
      username: 'robot',
      password: { set: true },
      token: { set: false },
    },
    repositories: ['team/*'],
    loadFullImagesList: false,
    transport: { maxConnections: 4 },
    schedule: { type: 'daily', everyDays: 1, at: '03:00' },
    filters: { never: [':dev-*'] },
  },
};

export const runs: CrawlRun[] = [
  {
    id: 'r2',
    startedAt: '2026-11-22T10:00:00Z',
    finishedAt: '2026-11-22T10:01:05Z',
    outcome: 'partial',
    trigger: 'manual',
    repositories: 7,
    tags: 60,
    images: 17,
    errors: 2,
    message: '2 manifests answered 404: the tags were deleted during the crawl',
  },
];

/** Products as the backend describes them: a plain one and one with options. */
export const adapters: RegistryAdapterDescription[] = [
  { type: 'generic', title: 'Docker Registry V2 / OCI distribution' },
  {
    type: 'gitlab',
    title: 'GitLab',
    credentials: {
      username: 'User name (of the token, or the deploy token)',
      password:
        'Access token (read_registry, and read_api to list groups or projects)',
    },
    options: [
      { key: 'apiUrl', label: 'GitLab URL', kind: 'url', required: true },
      { key: 'groups', label: 'Groups', kind: 'list' },
    ],
  },
  {
    type: 'quay',
    title: 'Quay',
    credentials: {
      username: 'Robot account',
      password: 'Robot account token',
      token: 'OAuth application token, for the API',
    },
    options: [
      { key: 'namespaces', label: 'Namespaces', kind: 'list', required: true },
    ],
  },
];

/** A fake API whose every method is a jest mock; pass overrides for what a test needs. */
export function fakeApi(
  overrides: Partial<ContainerRegistryApi> = {},
): jest.Mocked<ContainerRegistryApi> {
  const api: ContainerRegistryApi = {
    listAdapters: async () => adapters,
    listRegistries: async () => [...registries, pageRegistry],
    getRegistry: async id =>
      id === pageRegistry.id
        ? pageRegistry
        : {
            ...registries.find(r => r.id === id)!,
            readOnly: true,
            settings: {
              ...pageRegistry.settings,
              id,
              auth: {
                type: 'auto',
                password: { set: false },
                token: { set: false },
              },
            },
          },
    createRegistry: async settings => ({
      ...pageRegistry,
      id: settings.id,
      name: settings.name,
    }),
    updateRegistry: async () => pageRegistry,
    deleteRegistry: async () => {},
    testConnection: async () => ({
      ok: true,
      message: 'Listed 3 repositories',
      checks: {
        reachable: true,
        credentialsAccepted: true,
        listingAllowed: true,
        repositoryCount: 3,
      },
    }),
    testRegistry: async () => ({
      ok: false,
      message: 'The registry refused the credentials (401): check the password',
      checks: { reachable: true, credentialsAccepted: false },
    }),
    refreshStatus: async () => {},
    refreshRegistry: async () => {},
    cancelCrawl: async () => {},
    listRuns: async () => runs,
    previewFilters: async () => ({
      total: 0,
      kept: 0,
      dropped: 0,
      droppedBy: {},
      sample: [],
    }),
    ...overrides,
  };
  const mocked = Object.fromEntries(
    Object.entries(api).map(([name, method]) => [name, jest.fn(method)]),
  );
  return mocked as unknown as jest.Mocked<ContainerRegistryApi>;
}

/** What a page test gets back: the fakes it can assert on. */
export interface RenderedPage {
  api: jest.Mocked<ContainerRegistryApi>;
  alertApi: { post: jest.Mock; alert$: jest.Mock };
}

/**
 * Renders the pages at `path` (`/` is the list, `/<id>` a registry). `allowed` says whether the
 * user holds each permission, by name; all are allowed by default.
 */
export async function renderPages(options: {
  api?: Partial<ContainerRegistryApi>;
  path?: string;
  allowed?: (permissionName: string) => boolean;
}): Promise<RenderedPage> {
  const api = fakeApi(options.api);
  const allowed = options.allowed ?? (() => true);
  const permissionApi = mockApis.permission({
    authorize: request =>
      allowed(request.permission.name)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
  });
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [containerRegistryApiRef, api],
        [permissionApiRef, permissionApi],
        [alertApiRef, alertApi],
      ]}
    >
      <Router />
    </TestApiProvider>,
    { routeEntries: [options.path ?? '/'] },
  );
  return { api, alertApi };
}

/** The list page, as the older tests call it. */
export function renderPage(
  api: Partial<ContainerRegistryApi>,
  refreshAllowed = true,
): Promise<RenderedPage> {
  return renderPages({
    api: { listRegistries: async () => registries, ...api },
    allowed: () => refreshAllowed,
  });
}
