import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { ContainerImageEntityV1alpha1 } from '@container-inventory/plugin-container-registry-common';
import { screen } from '@testing-library/react';
import { containerImagesApiRef, ContainerImagesApi } from '../../api';
import {
  fakeImagesApi,
  makeImage,
} from '../images/__testUtils__/imageFixtures';
import { ContainerImageCard } from './ContainerImageCard';
import { RepositoryImagesCard } from './RepositoryImagesCard';

jest.setTimeout(20_000);

const image = makeImage();

const entity: ContainerImageEntityV1alpha1 = {
  apiVersion: 'container-inventory.dev/v1alpha1',
  kind: 'ContainerImage',
  metadata: { name: image.entityName },
  spec: {
    registry: image.registry,
    host: image.host,
    repository: image.repository,
    digest: image.digest,
    mediaType: image.mediaType,
    tags: image.tags,
    platforms: image.platforms,
    created: image.created,
    pushed: image.pushed,
    lifecycle: image.lifecycle,
    labels: image.labels,
    owner: image.owner,
    component: image.component,
  },
};

async function renderCard(api: ContainerImagesApi, card: JSX.Element) {
  await renderInTestApp(
    <TestApiProvider apis={[[containerImagesApiRef, api]]}>
      <EntityProvider entity={entity}>{card}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ContainerImageCard', () => {
  it('shows how to pull the image, what it is and where it comes from', async () => {
    const api = fakeImagesApi({
      getImage: jest.fn(async () => ({ ...image, repositoryImages: [image] })),
    });
    await renderCard(api, <ContainerImageCard />);

    expect(
      screen.getByText(
        `registry.example.com/acme/web@sha256:${'a'.repeat(64)}`,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy pull reference' }),
    ).toBeInTheDocument();
    expect(screen.getByText('1.2.0')).toBeInTheDocument();
    expect(screen.getByText('latest')).toBeInTheDocument();
    expect(screen.getByText('linux/amd64')).toBeInTheDocument();
    expect(screen.getByText('linux/arm64/v8')).toBeInTheDocument();
    expect(
      screen.getByText('org.opencontainers.image.revision'),
    ).toBeInTheDocument();
    expect(screen.getByText('abc123')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /^https:\/\/github.com\/acme\/web/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/web');
    expect(screen.getByRole('link', { name: 'web-frontend' })).toHaveAttribute(
      'href',
      '/catalog/default/component/web-frontend',
    );
    expect(screen.getByRole('link', { name: 'team-web' })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-web',
    );
    // Live details from the inventory: which rule linked it and where its details came from.
    expect(
      await screen.findByText("the image's source label"),
    ).toBeInTheDocument();
    expect(screen.getByText('the image config')).toBeInTheDocument();
    expect(api.getImage).toHaveBeenCalledWith(image.entityName);
  });

  it('says when nothing links the image to a Component', async () => {
    const unlinked = {
      ...image,
      component: undefined,
      owner: undefined,
      linkedBy: undefined,
    };
    const api = fakeImagesApi({
      getImage: jest.fn(async () => ({ ...unlinked, repositoryImages: [] })),
    });
    await renderCard(api, <ContainerImageCard />);
    expect(
      await screen.findByText(/Not linked to a Component/),
    ).toBeInTheDocument();
  });

  it('warns when the inventory no longer has the image', async () => {
    const api = fakeImagesApi({
      getImage: jest.fn(async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: { name: 'NotFoundError', message: 'gone' },
            }),
            {
              status: 404,
              headers: { 'Content-Type': 'application/json' },
            },
          ),
        );
      }),
    });
    await renderCard(api, <ContainerImageCard />);
    expect(
      await screen.findByText(/no longer in the inventory/),
    ).toBeInTheDocument();
    expect(screen.getByText('1.2.0')).toBeInTheDocument();
  });
});

describe('RepositoryImagesCard', () => {
  it("lists the repository's other images with their tags, not the image itself", async () => {
    const older = makeImage({
      entityName: 'acme-web-bbbbbbbbbbbb',
      digest: `sha256:${'b'.repeat(64)}`,
      tags: ['1.1.0'],
      lifecycle: 'outdated',
    });
    const api = fakeImagesApi({
      getImage: jest.fn(async () => ({
        ...image,
        repositoryImages: [image, older],
      })),
    });
    await renderCard(api, <RepositoryImagesCard />);

    expect(
      await screen.findByRole('link', { name: 'acme/web@bbbbbbbbbbbb' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/containerimage/acme-web-bbbbbbbbbbbb',
    );
    expect(screen.getByText('1.1.0')).toBeInTheDocument();
    expect(screen.getByText('Outdated')).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'acme/web@aaaaaaaaaaaa' }),
    ).not.toBeInTheDocument();
  });

  it('says so when the image is alone in its repository', async () => {
    const api = fakeImagesApi({
      getImage: jest.fn(async () => ({ ...image, repositoryImages: [image] })),
    });
    await renderCard(api, <RepositoryImagesCard />);
    expect(
      await screen.findByText('This is the only image of its repository.'),
    ).toBeInTheDocument();
  });
});
