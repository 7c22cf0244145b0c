import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  pageRegistry,
  renderPages,
} from '../../__testUtils__/renderRegistriesPage';

// MUI dialogs and tables are slow to render while the suite runs in parallel on two cores.
jest.setTimeout(30_000);

const syncing = {
  ...pageRegistry,
  status: 'syncing' as const,
  progress: { repositories: 3, tags: 40, errors: 1 },
};

describe("A registry's own view", () => {
  it('shows its settings with secrets only as set, its status and its crawl history', async () => {
    await renderPages({ path: '/lab' });
    expect(await screen.findByText('Crawl history')).toBeInTheDocument();
    expect(screen.getByText('Password')).toBeInTheDocument();
    const passwordRow = screen.getByText('Password').closest('tr')!;
    expect(passwordRow).toHaveTextContent(/Passwordset$/);
    expect(screen.getByText('daily at 03:00')).toBeInTheDocument();
    expect(screen.getByText('Images in the catalog: 17')).toBeInTheDocument();
    expect(
      screen.getByText(/2 manifests answered 404: the tags were deleted/),
    ).toBeInTheDocument();
    expect(screen.getByText('1 min 5 s')).toBeInTheDocument();
  });

  it('keeps a stored password when an edit leaves it alone, and replaces it when asked', async () => {
    const { api } = await renderPages({ path: '/lab' });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog');
    // Never filled in: only whether it is set.
    expect(within(dialog).getByText('Password: set')).toBeInTheDocument();
    expect(
      within(dialog).queryByLabelText(/^Password/),
    ).not.toBeInTheDocument();
    expect(within(dialog).getByRole('textbox', { name: /^Id/ })).toBeDisabled();
    fireEvent.change(within(dialog).getByRole('textbox', { name: /^Name/ }), {
      target: { value: 'Lab registry 2' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.updateRegistry).toHaveBeenCalledTimes(1));
    const [id, kept] = api.updateRegistry.mock.calls[0];
    expect(id).toBe('lab');
    expect(kept).toMatchObject({
      name: 'Lab registry 2',
      auth: { type: 'basic', username: 'robot' },
      repositories: ['team/*'],
      transport: { maxConnections: 4 },
      filters: { never: [':dev-*'] },
    });
    expect(kept.auth).not.toHaveProperty('password', expect.anything());

    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const again = await screen.findByRole('dialog');
    fireEvent.click(
      within(again).getByRole('button', { name: 'Replace password' }),
    );
    fireEvent.change(within(again).getByLabelText(/^Password/), {
      target: { value: 'n3w' },
    });
    fireEvent.click(within(again).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.updateRegistry).toHaveBeenCalledTimes(2));
    expect(api.updateRegistry.mock.calls[1][1].auth).toMatchObject({
      password: 'n3w',
    });
  });

  it('says how many images will leave the catalog before deleting', async () => {
    const { api } = await renderPages({ path: '/lab' });
    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Delete Lab registry?');
    expect(dialog).toHaveTextContent('17 images will leave the catalog');
    expect(api.deleteRegistry).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.deleteRegistry).toHaveBeenCalledWith('lab'));
    // Back on the list.
    expect(await screen.findByText('Registries')).toBeInTheDocument();
  });

  it('says a crawl is under way when "Update images list" answers 409', async () => {
    const busy = Object.assign(new Error('Request failed with 409 Conflict'), {
      statusCode: 409,
      cause: { name: 'ConflictError', message: 'A crawl is running' },
    });
    const { alertApi } = await renderPages({
      path: '/lab',
      api: { refreshRegistry: jest.fn().mockRejectedValue(busy) },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Update images list' }),
    );
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message:
          'A crawl of this registry is already under way; wait for it to end or cancel it.',
        severity: 'error',
      }),
    );
  });

  it('shows the progress of a crawl under way and cancels it', async () => {
    const { api } = await renderPages({
      path: '/lab',
      api: { getRegistry: async () => syncing },
    });
    expect(
      await screen.findByText(/Syncing \(3 repositories, 40 tags, 1 errors\)/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', {
        name: 'Crawl of Lab registry under way',
      }),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel crawl' }));
    await waitFor(() => expect(api.cancelCrawl).toHaveBeenCalledWith('lab'));
  });

  it('tests the stored connection and shows why it failed', async () => {
    const { api } = await renderPages({ path: '/lab' });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Test connection' }),
    );
    const verdict = await screen.findByRole('status', {
      name: 'Connection test result',
    });
    expect(verdict).toHaveTextContent(
      'Connection failed: The registry refused the credentials (401): check the password',
    );
    expect(verdict).toHaveTextContent('Credentials accepted: no');
    expect(api.testRegistry).toHaveBeenCalledWith('lab');
  });

  it('re-checks the status on "Refresh status"', async () => {
    const { api } = await renderPages({ path: '/lab' });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Refresh status' }),
    );
    await waitFor(() => expect(api.refreshStatus).toHaveBeenCalledWith('lab'));
    await waitFor(() => expect(api.getRegistry).toHaveBeenCalledTimes(2));
  });

  it('offers no edit or delete for a config registry, and says why', async () => {
    await renderPages({ path: '/team' });
    expect(
      await screen.findByText(/defined in app-config and is read-only here/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Update images list' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Edit' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Delete' }),
    ).not.toBeInTheDocument();
  });
});

describe('Testing a connection while editing', () => {
  it('tests the stored registry when nothing changed, and warns that changed settings travel without the stored secret', async () => {
    const { api } = await renderPages({ path: '/lab' });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Test connection' }),
    );
    await waitFor(() => expect(api.testRegistry).toHaveBeenCalledWith('lab'));
    expect(api.testConnection).not.toHaveBeenCalled();

    fireEvent.change(within(dialog).getByRole('textbox', { name: /^URL/ }), {
      target: { value: 'https://lab2.example.com' },
    });
    expect(dialog).toHaveTextContent(/sends no stored secret/);
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Test connection' }),
    );
    await waitFor(() =>
      expect(api.testConnection).toHaveBeenCalledWith(
        expect.objectContaining({ url: 'https://lab2.example.com' }),
      ),
    );
  });
});

describe('Previewing filters while editing', () => {
  it("sends the filters as typed and shows what they keep of the last crawl's images", async () => {
    const { api } = await renderPages({
      path: '/lab',
      api: {
        previewFilters: async () => ({
          basedOnCrawlAt: '2026-11-22T10:00:00Z',
          total: 17,
          kept: 12,
          dropped: 5,
          droppedBy: { never: 3, 'not-latest': 2 },
          sample: [
            {
              repository: 'team/app',
              tags: ['dev-1'],
              kept: false,
              reason: 'never',
            },
          ],
        }),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(
      within(dialog).getByRole('textbox', { name: /^Latest tags/ }),
      {
        target: { value: '3' },
      },
    );
    fireEvent.click(
      within(dialog).getByRole('button', { name: /Preview filters/ }),
    );
    const preview = await within(dialog).findByRole('status', {
      name: 'Filter preview',
    });
    expect(preview).toHaveTextContent(/Keeps 12 of 17 images/);
    expect(preview).toHaveTextContent('3 matches a "never" pattern');
    expect(preview).toHaveTextContent('team/app:dev-1 dropped');
    expect(api.previewFilters).toHaveBeenCalledWith('lab', {
      never: [':dev-*'],
      latestTags: 3,
    });
  });
});
