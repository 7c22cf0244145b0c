import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { containerImagesApiRef, ContainerImagesApi } from '../../api';
import {
  fakeImagesApi,
  makeImage,
} from '../images/__testUtils__/imageFixtures';
import { ComponentImagesCard, ComponentImagesContent } from './ComponentImages';
import { isContainerImagesAvailable } from './conditions';

jest.setTimeout(20_000);

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web-frontend', namespace: 'default' },
  spec: { type: 'website', owner: 'team-web', lifecycle: 'production' },
  relations: [
    {
      type: 'hasPart',
      targetRef: 'containerimage:default/acme-web-aaaaaaaaaaaa',
    },
  ],
};

const newest = makeImage();
const older = makeImage({
  entityName: 'acme-web-bbbbbbbbbbbb',
  digest: `sha256:${'b'.repeat(64)}`,
  tags: ['1.1.0'],
  lifecycle: 'outdated',
  created: '2026-10-01T00:00:00Z',
});

async function renderWith(api: ContainerImagesApi, element: JSX.Element) {
  return renderInTestApp(
    <TestApiProvider apis={[[containerImagesApiRef, api]]}>
      <EntityProvider entity={component}>{element}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ComponentImagesContent', () => {
  it("lists the Component's images newest first, each linking to its page", async () => {
    const api = fakeImagesApi({
      listImages: jest.fn(async () => ({
        items: [newest, older],
        totalCount: 2,
      })),
    });
    await renderWith(api, <ComponentImagesContent />);

    const links = await screen.findAllByRole('link', { name: /^acme\/web@/ });
    expect(links.map(link => link.textContent)).toEqual([
      'acme/web@aaaaaaaaaaaa',
      'acme/web@bbbbbbbbbbbb',
    ]);
    expect(links[1]).toHaveAttribute(
      'href',
      '/catalog/default/containerimage/acme-web-bbbbbbbbbbbb',
    );
    expect(screen.getByText('1.1.0')).toBeInTheDocument();
    expect(screen.getAllByText('linux/arm64/v8')).toHaveLength(2);
    expect(screen.getByText('Latest')).toBeInTheDocument();
    expect(screen.getByText('Outdated')).toBeInTheDocument();
    expect(api.listImages).toHaveBeenCalledWith(
      expect.objectContaining({
        component: 'component:default/web-frontend',
        sort: 'created',
        order: 'desc',
      }),
    );
  });

  it('reads further pages with the cursor the backend gave', async () => {
    const listImages = jest
      .fn()
      .mockResolvedValueOnce({
        items: [newest],
        totalCount: 2,
        nextCursor: 'page-2',
      })
      .mockResolvedValueOnce({ items: [older], totalCount: 2 });
    await renderWith(fakeImagesApi({ listImages }), <ComponentImagesContent />);

    await userEvent.click(
      await screen.findByRole('button', { name: /Show more/ }),
    );
    expect(
      await screen.findByRole('link', { name: 'acme/web@bbbbbbbbbbbb' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'acme/web@aaaaaaaaaaaa' }),
    ).toBeInTheDocument();
    expect(listImages).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: 'page-2' }),
    );
  });

  it('explains how to link images when the Component has none', async () => {
    await renderWith(fakeImagesApi(), <ComponentImagesContent />);
    expect(
      await screen.findByText(
        'No container images are linked to this component.',
      ),
    ).toBeInTheDocument();
  });
});

describe('ComponentImagesCard', () => {
  it('shows the newest images and how many more there are', async () => {
    const api = fakeImagesApi({
      listImages: jest.fn(async () => ({ items: [newest], totalCount: 7 })),
    });
    await renderWith(api, <ComponentImagesCard />);
    expect(
      await screen.findByRole('link', { name: 'acme/web@aaaaaaaaaaaa' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('and 6 more in the Container images tab'),
    ).toBeInTheDocument();
  });

  it('renders nothing when the Component has no images', async () => {
    const api = fakeImagesApi();
    await renderWith(api, <ComponentImagesCard />);
    await waitFor(() => expect(api.listImages).toHaveBeenCalled());
    // Let the empty answer arrive, then check the card left no trace.
    await act(async () => {});
    expect(screen.queryByText('Container images')).not.toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });
});

describe('isContainerImagesAvailable', () => {
  it('is true for a Component with a hasPart relation to a ContainerImage', () => {
    expect(isContainerImagesAvailable(component)).toBe(true);
  });

  it('is false for a Component without images and for other kinds', () => {
    expect(
      isContainerImagesAvailable({
        ...component,
        relations: [{ type: 'hasPart', targetRef: 'component:default/part' }],
      }),
    ).toBe(false);
    expect(
      isContainerImagesAvailable({ ...component, relations: undefined }),
    ).toBe(false);
    expect(isContainerImagesAvailable({ ...component, kind: 'System' })).toBe(
      false,
    );
  });
});
