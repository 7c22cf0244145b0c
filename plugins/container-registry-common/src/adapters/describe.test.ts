import { RegistryAdapterDescription, validateAdapterOptions } from './describe';

const adapter: RegistryAdapterDescription = {
  type: 'example',
  title: 'Example',
  options: [
    { key: 'apiUrl', label: 'API URL', kind: 'url', required: true },
    {
      key: 'method',
      label: 'Method',
      kind: 'choice',
      choices: ['path', 'port'],
    },
    {
      key: 'projects',
      label: 'Projects',
      kind: 'list',
      pattern: '^[^/]+/[^/]+$',
      patternHint: '"owner/project"',
    },
    { key: 'pages', label: 'Pages', kind: 'number', min: 1, max: 10 },
  ],
};

describe('validateAdapterOptions', () => {
  it('keeps valid options normalised, and empty form fields as absent', () => {
    // What untouched form fields send.
    expect(
      validateAdapterOptions(adapter, {
        apiUrl: 'https://gitlab.example.com',
        method: '',
        projects: [],
      }),
    ).toEqual({ ok: true, value: { apiUrl: 'https://gitlab.example.com' } });
    expect(
      validateAdapterOptions(adapter, {
        apiUrl: 'https://gitlab.example.com/',
        method: 'port',
        projects: [' a/b '],
        pages: 3,
      }),
    ).toEqual({
      ok: true,
      value: {
        apiUrl: 'https://gitlab.example.com',
        method: 'port',
        projects: ['a/b'],
        pages: 3,
      },
    });
  });

  it('names each wrong option and why', () => {
    const result = validateAdapterOptions(adapter, {
      apiUrl: 'https://user:pw@gitlab.example.com',
      method: 'subdomain',
      projects: ['shop'],
      pages: 11,
      project: 'x',
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'apiUrl',
          message:
            'must not carry a user name or password (put them under authentication)',
        },
        { field: 'method', message: 'must be one of path, port' },
        { field: 'projects', message: 'must be "owner/project", got "shop"' },
        { field: 'pages', message: 'must be from 1 to 10' },
        {
          field: 'project',
          message:
            'is not an option of Example (options: apiUrl, method, projects, pages)',
        },
      ],
    });
  });

  it('asks for required options', () => {
    expect(validateAdapterOptions(adapter, { apiUrl: '' })).toEqual({
      ok: false,
      errors: [{ field: 'apiUrl', message: 'is required for Example' }],
    });
  });
});
