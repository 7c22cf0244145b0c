import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  renderPage,
  renderPages,
} from '../../__testUtils__/renderRegistriesPage';

// The table is slow to render while the whole suite runs in parallel on two cores.
jest.setTimeout(20_000);

describe('RegistriesPage', () => {
  it('lists each registry with its status, image count and last crawl', async () => {
    await renderPage({});
    expect(await screen.findByText('Team registry')).toBeInTheDocument();
    expect(screen.getByText('Connected')).toBeInTheDocument();
    expect(screen.getByText('42')).toBeInTheDocument();
    expect(
      screen.getByText('7 repositories, 60 tags, 42 images, 0 errors'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('app-config (read-only)')).toHaveLength(2);
  });

  it('shows why a registry is in error', async () => {
    await renderPage({});
    expect(
      await screen.findByText(/answered 401: check the username/),
    ).toBeInTheDocument();
    expect(screen.getByText('Error')).toBeInTheDocument();
  });

  it('starts a crawl from "Update images list"', async () => {
    const { api, alertApi } = await renderPage({});
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Update images list of Team registry',
      }),
    );
    await waitFor(() =>
      expect(api.refreshRegistry).toHaveBeenCalledWith('team'),
    );
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ severity: 'success' }),
    );
  });

  it("shows the backend's reason when a crawl cannot start", async () => {
    const refused = Object.assign(
      new Error('Request failed with 403 Forbidden'),
      {
        name: 'ResponseError',
        cause: {
          name: 'NotAllowedError',
          message: 'Not allowed: container-registry.registry.refresh',
        },
      },
    );
    const { alertApi } = await renderPage({
      refreshRegistry: jest.fn(async () => Promise.reject(refused)),
    });
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Update images list of Team registry',
      }),
    );
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message:
          'Could not update Team registry: Not allowed: container-registry.registry.refresh',
        severity: 'error',
      }),
    );
  });

  it('says how to add a registry when there is none', async () => {
    await renderPage({ listRegistries: async () => [] });
    expect(
      await screen.findByText('No container registries yet'),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend cannot be read', async () => {
    await renderPage({
      listRegistries: async () => {
        throw new Error('backend unavailable');
      },
    });
    expect(
      await screen.findByText('Error: backend unavailable'),
    ).toBeInTheDocument();
  });
});

describe('RegistriesPage with registries added on the page', () => {
  it('shows source, active, last crawl duration and next crawl, and links each registry to its page', async () => {
    await renderPages({});
    const link = await screen.findByRole('link', { name: 'Lab registry' });
    expect(screen.getByText('added on this page')).toBeInTheDocument();
    expect(
      screen.getByText(/succeeded .*, took 1 min 0 s/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/^in [\d,]+ days$/).length).toBeGreaterThan(0);
    fireEvent.click(link);
    expect(await screen.findByText('Crawl history')).toBeInTheDocument();
  });

  it('opens the form from "Add registry"', async () => {
    await renderPages({});
    fireEvent.click(
      await screen.findByRole('button', { name: 'Add registry' }),
    );
    expect(await screen.findByRole('dialog')).toHaveTextContent(
      'Test connection',
    );
  });

  it('says a crawl is under way when "Update images list" answers 409', async () => {
    const busy = Object.assign(new Error('Request failed with 409'), {
      statusCode: 409,
      cause: { name: 'ConflictError', message: 'A crawl is running' },
    });
    const { alertApi } = await renderPages({
      api: { refreshRegistry: jest.fn().mockRejectedValue(busy) },
    });
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Update images list of Lab registry',
      }),
    );
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith(
        expect.objectContaining({
          message: expect.stringMatching(/already under way/),
        }),
      ),
    );
  });
});
