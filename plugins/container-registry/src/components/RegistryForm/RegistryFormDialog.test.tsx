import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderPages } from '../../__testUtils__/renderRegistriesPage';

// MUI dialogs and tables are slow to render while the suite runs in parallel on two cores.
jest.setTimeout(30_000);

const type = (label: RegExp, value: string) =>
  fireEvent.change(screen.getByRole('textbox', { name: label }), {
    target: { value },
  });

async function openAddForm() {
  const rendered = await renderPages({});
  fireEvent.click(await screen.findByRole('button', { name: 'Add registry' }));
  await screen.findByRole('dialog');
  return rendered;
}

function choose(selectLabel: RegExp, option: string) {
  fireEvent.mouseDown(screen.getByRole('button', { name: selectLabel }));
  fireEvent.click(screen.getByRole('option', { name: option }));
}

function fillConnection() {
  type(/^Id/, 'lab');
  type(/^Name/, 'Lab registry');
  type(/^URL/, 'https://lab.example.com');
}

describe('The registry form', () => {
  it('shows each validation error beside its field and sends nothing', async () => {
    const { api } = await openAddForm();
    type(/^Id/, 'Lab_1');
    type(/^URL/, 'ftp://lab.example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(
      screen.getByRole('textbox', { name: /^Id/ }),
    ).toHaveAccessibleDescription(
      expect.stringMatching(/lowercase letters, digits and dashes/),
    );
    expect(
      screen.getByRole('textbox', { name: /^Name/ }),
    ).toHaveAccessibleDescription('is required');
    expect(
      screen.getByRole('textbox', { name: /^URL/ }),
    ).toHaveAccessibleDescription('must use http or https, not ftp');
    expect(screen.getByRole('alert')).toHaveTextContent(
      /Some fields need attention/,
    );
    expect(api.createRegistry).not.toHaveBeenCalled();
  });

  it('asks for a username and a password once basic authentication is chosen', async () => {
    await openAddForm();
    fillConnection();
    choose(/Authentication/, 'none');
    expect(screen.queryByLabelText(/^Password/)).not.toBeInTheDocument();
    choose(/Authentication/, 'basic');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      screen.getByRole('textbox', { name: /^Username/ }),
    ).toHaveAccessibleDescription('is required for basic authentication');
    expect(screen.getByLabelText(/^Password/)).toHaveAccessibleDescription(
      'is required for basic authentication',
    );
  });

  it('shows units, bounds and defaults of the transport settings, and their errors', async () => {
    await openAddForm();
    fillConnection();
    fireEvent.click(screen.getByText(/^Transport:/));
    const field = screen.getByRole('textbox', { name: 'Max connections' });
    expect(field).toHaveAccessibleDescription('connections, 1–256; default 8');
    fireEvent.change(field, { target: { value: 'many' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(field).toHaveAccessibleDescription('must be a number');
  });

  it('tests the unsaved connection and shows the verdict with its checks', async () => {
    const { api } = await openAddForm();
    fillConnection();
    choose(/Authentication/, 'basic');
    type(/^Username/, 'robot');
    fireEvent.change(screen.getByLabelText(/^Password/), {
      target: { value: 's3cret' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));

    const verdict = await screen.findByRole('status', {
      name: 'Connection test result',
    });
    expect(verdict).toHaveTextContent(
      'Connection works: Listed 3 repositories',
    );
    expect(verdict).toHaveTextContent('Credentials accepted: yes');
    expect(verdict).toHaveTextContent('Repositories visible: 3');
    expect(api.testConnection).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'lab',
        url: 'https://lab.example.com',
        auth: { type: 'basic', username: 'robot', password: 's3cret' },
      }),
    );
    expect(api.createRegistry).not.toHaveBeenCalled();
  });

  it('creates the registry with its schedule and filters, then opens its page', async () => {
    const { api } = await openAddForm();
    fillConnection();
    choose(/^Schedule/, 'Every N minutes');
    type(/^Every \(minutes\)/, '45');
    type(/^Never/, ':dev-*\n\n  :tmp ');
    type(/^Latest tags per repository/, '5');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(api.createRegistry).toHaveBeenCalledTimes(1));
    expect(api.createRegistry.mock.calls[0][0]).toMatchObject({
      id: 'lab',
      name: 'Lab registry',
      type: 'generic',
      active: true,
      schedule: { type: 'interval', minutes: 45 },
      filters: { never: [':dev-*', ':tmp'], latestTags: 5 },
    });
    // The new registry's own view.
    expect(await screen.findByText('Crawl history')).toBeInTheDocument();
    expect(api.getRegistry).toHaveBeenCalledWith('lab');
  });

  it("puts the backend's 400 reason beside the field it names", async () => {
    const refused = Object.assign(new Error('Request failed with 400'), {
      statusCode: 400,
      cause: {
        name: 'InputError',
        message:
          'Invalid registry settings: type "generic" has no adapter (known types: harbor)',
      },
    });
    await renderPages({
      api: { createRegistry: jest.fn().mockRejectedValue(refused) },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Add registry' }),
    );
    fillConnection();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() =>
      expect(
        within(dialog).getByText(
          '"generic" has no adapter (known types: harbor)',
        ),
      ).toBeInTheDocument(),
    );
  });

  it('says when the id is taken', async () => {
    const taken = Object.assign(new Error('Request failed with 409'), {
      statusCode: 409,
      cause: {
        name: 'ConflictError',
        message: 'A registry with id "lab" exists',
      },
    });
    await renderPages({
      api: { createRegistry: jest.fn().mockRejectedValue(taken) },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Add registry' }),
    );
    fillConnection();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'A registry with id "lab" exists',
    );
  });

  it("shows the chosen product's own fields and credential names, and sends its options", async () => {
    const { api } = await openAddForm();
    fillConnection();
    // The backend's products are listed by their titles.
    choose(/^Type/, 'GitLab');
    expect(
      screen.getByRole('heading', { name: 'GitLab settings' }),
    ).toBeInTheDocument();
    choose(/Authentication/, 'basic');
    type(/^User name \(of the token/, 'inventory-bot');
    fireEvent.change(screen.getByLabelText(/^Access token/), {
      target: { value: 'glpat-x' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      screen.getByRole('textbox', { name: /^GitLab URL/ }),
    ).toHaveAccessibleDescription('is required for GitLab');
    expect(api.createRegistry).not.toHaveBeenCalled();

    type(/^GitLab URL/, 'https://gitlab.example.com/');
    type(/^Groups/, 'platform\n\n acme/web ');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.createRegistry).toHaveBeenCalledTimes(1));
    expect(api.createRegistry.mock.calls[0][0]).toMatchObject({
      type: 'gitlab',
      auth: { type: 'basic', username: 'inventory-bot', password: 'glpat-x' },
      options: {
        apiUrl: 'https://gitlab.example.com/',
        groups: ['platform', 'acme/web'],
      },
    });
  });

  it('asks for both the robot account and the API token of a product that takes both', async () => {
    const { api } = await openAddForm();
    fillConnection();
    choose(/^Type/, 'Quay');
    choose(/Authentication/, 'basic');
    type(/^Robot account$/, 'acme+inventory');
    fireEvent.change(screen.getByLabelText(/^Robot account token/), {
      target: { value: 'robot-secret' },
    });
    fireEvent.change(screen.getByLabelText(/^OAuth application token/), {
      target: { value: 'oauth-secret' },
    });
    type(/^Namespaces/, 'acme');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.createRegistry).toHaveBeenCalledTimes(1));
    expect(api.createRegistry.mock.calls[0][0]).toMatchObject({
      type: 'quay',
      auth: {
        type: 'basic',
        username: 'acme+inventory',
        password: 'robot-secret',
        token: 'oauth-secret',
      },
      options: { namespaces: ['acme'] },
    });
  });
});
