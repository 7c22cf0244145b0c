import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeImagesApi, makeImage } from './__testUtils__/imageFixtures';
import { renderImagesPage } from './__testUtils__/renderImagesPage';

// The table is slow to render while the suite runs in parallel on two cores.
jest.setTimeout(30_000);

const web = makeImage({
  tags: ['1.4.0', '1.4', '1', 'stable', 'latest'],
  linkedBy: 'manual',
});
const api = makeImage({
  repository: 'acme/api',
  entityName: 'acme-api-cccccccccccc',
  digest: `sha256:${'c'.repeat(64)}`,
  tags: ['2.0.0'],
  component: undefined,
  owner: undefined,
  linkedBy: undefined,
  lifecycle: 'pending',
});

function scriptedApi() {
  return fakeImagesApi({
    listImages: jest.fn(async query => ({
      items: [web, api],
      totalCount: 60,
      nextCursor: query?.cursor ? undefined : 'page-2',
    })),
  });
}

const lastQuery = (images: ReturnType<typeof scriptedApi>) =>
  images.listImages.mock.calls[images.listImages.mock.calls.length - 1][0];

async function rowOf(name: string) {
  const link = await screen.findByRole('link', { name });
  return link.closest('tr') as HTMLElement;
}

describe('ContainerImagesPage', () => {
  it('shows the first page without asking the catalog', async () => {
    const images = scriptedApi();
    const { catalogApi } = await renderImagesPage(images);

    const row = await rowOf('acme/web');
    expect(within(row).getByText('1.4.0')).toBeInTheDocument();
    expect(within(row).getByText('1')).toBeInTheDocument();
    expect(within(row).getByText('+2')).toBeInTheDocument();
    expect(within(row).queryByText('stable')).not.toBeInTheDocument();
    expect(within(row).queryByText('latest')).not.toBeInTheDocument();
    expect(within(row).getByText('aaaaaaaaaaaa')).toBeInTheDocument();
    expect(within(row).getByText('linux/arm64/v8')).toBeInTheDocument();
    expect(within(row).getByText('Latest')).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: 'team-web' }),
    ).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: 'web-frontend' }),
    ).toBeInTheDocument();
    expect(images.listImages).toHaveBeenCalledTimes(1);
    expect(lastQuery(images)).toEqual(
      expect.objectContaining({
        sort: 'repository',
        order: 'asc',
        limit: 25,
        cursor: undefined,
      }),
    );
    expect(catalogApi.queryEntities).not.toHaveBeenCalled();
  });

  it('pages forward with the cursor and back to the first page', async () => {
    const images = scriptedApi();
    await renderImagesPage(images);
    await rowOf('acme/web');

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(lastQuery(images)).toMatchObject({ cursor: 'page-2' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    await waitFor(() => expect(lastQuery(images)?.cursor).toBeUndefined());
  });

  it('sorts on the server: a header click sorts by it, a second click reverses', async () => {
    const images = scriptedApi();
    await renderImagesPage(images);
    await rowOf('acme/web');

    await userEvent.click(screen.getByRole('button', { name: 'Created' }));
    await waitFor(() =>
      expect(lastQuery(images)).toMatchObject({
        sort: 'created',
        order: 'asc',
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Created' }));
    await waitFor(() =>
      expect(lastQuery(images)).toMatchObject({
        sort: 'created',
        order: 'desc',
      }),
    );
  });

  it('searches on the server from the first page once the user pauses typing', async () => {
    const images = scriptedApi();
    await renderImagesPage(images);
    await rowOf('acme/web');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(lastQuery(images)).toMatchObject({ cursor: 'page-2' }),
    );

    await userEvent.type(
      screen.getByRole('textbox', {
        name: 'Search repository, tag or digest',
      }),
      'arm64',
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Unlinked only' }),
    );
    await waitFor(() =>
      expect(lastQuery(images)).toEqual(
        expect.objectContaining({
          q: 'arm64',
          unlinked: true,
          cursor: undefined,
        }),
      ),
    );
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '?q=arm64&unlinked=true',
      ),
    );
    // Typing is debounced: no request went out for a partial word.
    expect(
      images.listImages.mock.calls.map(([query]) => query?.q),
    ).not.toContain('arm');
  });

  it('completes an owner or Component typed by name into a full entity ref', async () => {
    const images = scriptedApi();
    await renderImagesPage(images);
    await rowOf('acme/web');
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Owner' }),
      'payments',
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Component' }),
      'Component:Default/web-frontend',
    );
    await waitFor(() =>
      expect(lastQuery(images)).toMatchObject({
        owner: 'group:default/payments',
        component: 'component:default/web-frontend',
      }),
    );
  });

  it('sends a platform filter only once it reads os/architecture', async () => {
    const images = scriptedApi();
    await renderImagesPage(images);
    await rowOf('acme/web');
    const platform = screen.getByRole('textbox', { name: 'Platform' });
    await userEvent.type(platform, 'linux');
    expect(
      await screen.findByText('os/architecture[/variant], e.g. linux/arm64'),
    ).toBeInTheDocument();
    await userEvent.type(platform, '/arm64');
    await waitFor(() =>
      expect(lastQuery(images)).toMatchObject({ platform: 'linux/arm64' }),
    );
    expect(
      images.listImages.mock.calls.map(([query]) => query?.platform),
    ).not.toContain('linux');
  });

  it('opens already filtered by the parameters of its URL', async () => {
    const images = scriptedApi();
    await renderImagesPage(images, {
      url: '/container-images?component=component%3Adefault%2Fweb-frontend&lifecycle=latest',
    });
    await rowOf('acme/web');
    expect(images.listImages.mock.calls[0][0]).toMatchObject({
      component: 'component:default/web-frontend',
      lifecycle: 'latest',
    });
  });

  it('links an unlinked repository to the Component picked from the catalog', async () => {
    const images = scriptedApi();
    const { catalogApi, alertApi } = await renderImagesPage(images);
    const row = await rowOf('acme/api');

    await userEvent.click(
      within(row).getByRole('button', { name: 'Link to component acme/api' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Component' }),
      'web',
    );
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenCalledWith(
        expect.objectContaining({
          filter: { kind: 'component' },
          fullTextFilter: expect.objectContaining({ term: 'web' }),
        }),
      ),
    );
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'Web frontend (component:default/web-frontend)',
      }),
    );
    const callsBefore = images.listImages.mock.calls.length;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Link' }));

    await waitFor(() =>
      expect(images.linkRepository).toHaveBeenCalledWith(
        'team',
        'acme/api',
        'component:default/web-frontend',
      ),
    );
    await waitFor(() =>
      expect(images.listImages.mock.calls.length).toBeGreaterThan(callsBefore),
    );
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ severity: 'success' }),
    );
  });

  it('offers to replace a link made by another rule with a manual one', async () => {
    const images = fakeImagesApi({
      listImages: jest.fn(async () => ({
        items: [makeImage({ linkedBy: 'source' })],
        totalCount: 1,
      })),
    });
    await renderImagesPage(images);
    const row = await rowOf('acme/web');
    await userEvent.click(
      within(row).getByRole('button', { name: 'Change component acme/web' }),
    );
    expect(await screen.findByRole('dialog')).toHaveTextContent(
      'Link acme/web to a Component',
    );
    expect(
      within(row).queryByRole('button', { name: /^Unlink/ }),
    ).not.toBeInTheDocument();
  });

  it('removes a manual link', async () => {
    const images = scriptedApi();
    await renderImagesPage(images);
    const row = await rowOf('acme/web');
    await userEvent.click(
      within(row).getByRole('button', { name: 'Unlink acme/web' }),
    );
    await waitFor(() =>
      expect(images.unlinkRepository).toHaveBeenCalledWith('team', 'acme/web'),
    );
  });

  it("shows the backend's reason when a link fails", async () => {
    const images = scriptedApi();
    images.unlinkRepository.mockRejectedValue(
      Object.assign(new Error('Request failed with 404'), {
        body: { error: { message: 'acme/web of "team" has no manual link' } },
      }),
    );
    const { alertApi } = await renderImagesPage(images);
    const row = await rowOf('acme/web');
    await userEvent.click(
      within(row).getByRole('button', { name: 'Unlink acme/web' }),
    );
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith(
        expect.objectContaining({
          severity: 'error',
          message:
            'Could not change the link of acme/web: acme/web of "team" has no manual link',
        }),
      ),
    );
  });
});
