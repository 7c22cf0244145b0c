import { screen, waitFor } from '@testing-library/react';
import { renderPage } from '../../__testUtils__/renderRegistriesPage';

// A file of its own: the permission hook caches answers for the life of the module.
// The table is slow to render while the whole suite runs in parallel on two cores.
jest.setTimeout(20_000);

describe('RegistriesPage without the refresh permission', () => {
  it('hides "Update images list" without the refresh permission', async () => {
    await renderPage({}, false);
    expect(await screen.findByText('Team registry')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: /Update images list/ }),
      ).not.toBeInTheDocument(),
    );
  });
});
