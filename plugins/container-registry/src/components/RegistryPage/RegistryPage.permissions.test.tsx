import { screen, waitFor } from '@testing-library/react';
import { renderPages } from '../../__testUtils__/renderRegistriesPage';

// A file of its own: the permission hook caches answers for the life of the module.
jest.setTimeout(30_000);

describe('The pages for a user who may only read', () => {
  const readOnly = (name: string) =>
    name === 'container-registry.registry.read';

  it("shows a registry's settings and history without any action", async () => {
    await renderPages({ path: '/lab', allowed: readOnly });
    expect(await screen.findByText('Crawl history')).toBeInTheDocument();
    expect(screen.getByText('Settings')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryAllByRole('button', {
          name: /Test connection|Refresh status|Update images list|Edit|Delete|Cancel crawl/,
        }),
      ).toEqual([]),
    );
  });

  it('lists registries without "Add registry"', async () => {
    await renderPages({ allowed: readOnly });
    expect(await screen.findByText('Lab registry')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Add registry' }),
      ).not.toBeInTheDocument(),
    );
  });
});
