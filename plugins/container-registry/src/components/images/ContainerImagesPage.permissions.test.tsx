import { screen, waitFor } from '@testing-library/react';
import { fakeImagesApi, makeImage } from './__testUtils__/imageFixtures';
import { renderImagesPage } from './__testUtils__/renderImagesPage';

// A file of its own: the permission hook caches answers for the life of the module.
jest.setTimeout(30_000);

describe('ContainerImagesPage without the link permission', () => {
  it('offers no link or unlink actions', async () => {
    const images = fakeImagesApi({
      listImages: jest.fn(async () => ({
        items: [
          makeImage({
            component: undefined,
            owner: undefined,
            linkedBy: undefined,
          }),
          makeImage({
            entityName: 'other',
            repository: 'acme/other',
            linkedBy: 'manual',
          }),
        ],
        totalCount: 2,
      })),
    });
    await renderImagesPage(images, { linkAllowed: false });
    expect(
      await screen.findByRole('link', { name: 'acme/web' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: /Link to component/ }),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.queryByRole('button', { name: /^Unlink/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('columnheader', { name: 'Actions' }),
    ).not.toBeInTheDocument();
  });
});
