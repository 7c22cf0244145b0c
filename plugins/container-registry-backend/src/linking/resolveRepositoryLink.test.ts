import {
  LinkableComponent,
  LinkingContext,
  resolveRepositoryLink,
} from './resolveRepositoryLink';

const component = (
  name: string,
  extra: Partial<LinkableComponent> = {},
): LinkableComponent => ({
  ref: `component:default/${name}`,
  owner: `group:default/${name}-team`,
  imagePatterns: [],
  ...extra,
});

const repo = (repository: string, sources: string[] = [], registry = 'r1') => ({
  registry,
  repository,
  sources,
});

describe('resolveRepositoryLink', () => {
  const context: LinkingContext = {
    components: [
      component('web', { source: 'github.com/acme/web' }),
      component('web-annotated', {
        imagePatterns: [{ pattern: 'acme/web*' }],
      }),
      component('web-exact', {
        imagePatterns: [{ registry: 'r1', pattern: 'acme/web' }],
      }),
      component('api', { source: 'github.com/acme/api' }),
    ],
    rules: [
      { pattern: 'acme/*', owner: 'group:default/fallback' },
      { pattern: 'tools/*', component: 'component:default/api' },
    ],
  };

  it('takes a manual link first, with the Component owner', () => {
    expect(
      resolveRepositoryLink(context, {
        ...repo('acme/web', ['github.com/acme/web']),
        manualComponent: 'component:default/api',
      }),
    ).toEqual({
      component: 'component:default/api',
      owner: 'group:default/api-team',
      rule: 'manual',
    });
  });

  it('then the most specific annotation, a registry-scoped pattern above any-registry ones', () => {
    expect(
      resolveRepositoryLink(context, repo('acme/web', ['github.com/acme/web'])),
    ).toMatchObject({
      component: 'component:default/web-exact',
      rule: 'annotation',
    });
    // In another registry the scoped pattern does not apply.
    expect(
      resolveRepositoryLink(context, repo('acme/web', [], 'r2')),
    ).toMatchObject({ component: 'component:default/web-annotated' });
  });

  it('then the source label matched to a source location', () => {
    expect(
      resolveRepositoryLink(context, repo('team/api', ['github.com/acme/api'])),
    ).toEqual({
      component: 'component:default/api',
      owner: 'group:default/api-team',
      rule: 'source',
    });
  });

  it('then app-config rules: an owner alone, or a Component whose owner follows', () => {
    expect(resolveRepositoryLink(context, repo('acme/other'))).toEqual({
      owner: 'group:default/fallback',
      rule: 'config',
    });
    expect(resolveRepositoryLink(context, repo('tools/x'))).toEqual({
      component: 'component:default/api',
      owner: 'group:default/api-team',
      rule: 'config',
    });
  });

  it('leaves a repository that matches nothing unlinked', () => {
    expect(resolveRepositoryLink(context, repo('misc/thing'))).toEqual({});
  });
});
