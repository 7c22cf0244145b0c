import { normalizeSourceUrl } from './normalizeSourceUrl';

describe('normalizeSourceUrl', () => {
  it.each([
    'https://github.com/acme/web',
    'http://github.com/acme/web',
    'url:https://github.com/acme/web/',
    'https://GitHub.com/acme/web.git',
    'git+https://github.com/acme/web.git',
    'git+ssh://git@github.com/acme/web.git',
    'git@github.com:acme/web.git',
    'url:https://github.com/acme/web/tree/main/',
    'https://github.com/acme/web/tree/main/services/api',
    'https://github.com/acme/web/blob/main/Dockerfile',
  ])('reads %s as the acme/web repository', value => {
    expect(normalizeSourceUrl(value)).toBe('github.com/acme/web');
  });

  it('keeps a GitLab group path and drops its tree', () => {
    expect(
      normalizeSourceUrl('https://gitlab.example.com/a/b/c/-/tree/main/x'),
    ).toBe('gitlab.example.com/a/b/c');
  });

  it('keeps a non-standard port and the case of the path', () => {
    expect(normalizeSourceUrl('https://git.example.com:8443/Acme/Web')).toBe(
      'git.example.com:8443/Acme/Web',
    );
  });

  it.each([undefined, '', 'not a url', 'https://github.com/', 'url:'])(
    'reads %p as nothing',
    value => {
      expect(normalizeSourceUrl(value)).toBeUndefined();
    },
  );
});
