import { ConfigReader } from '@backstage/config';
import { parseImagePatterns, readLinkRules } from './ComponentLinker';

describe('parseImagePatterns', () => {
  it('scopes a pattern to a registry only when its first segment is a registry id', () => {
    expect(
      parseImagePatterns(
        'team/acme/web-*, acme/api\nother/x',
        new Set(['team']),
      ),
    ).toEqual([
      { registry: 'team', pattern: 'acme/web-*' },
      { pattern: 'acme/api' },
      { pattern: 'other/x' },
    ]);
  });
});

describe('readLinkRules', () => {
  it('reads rules with full entity refs', () => {
    expect(
      readLinkRules(
        new ConfigReader({
          containerRegistry: {
            linking: {
              rules: [
                { repository: 'acme/*', owner: 'payments' },
                { registry: 'r', repository: 'x', component: 'web' },
              ],
            },
          },
        }),
      ),
    ).toEqual([
      {
        registry: undefined,
        pattern: 'acme/*',
        owner: 'group:default/payments',
      },
      { registry: 'r', pattern: 'x', component: 'component:default/web' },
    ]);
  });

  it('refuses a rule that links to nothing, naming it', () => {
    expect(() =>
      readLinkRules(
        new ConfigReader({
          containerRegistry: { linking: { rules: [{ repository: 'x' }] } },
        }),
      ),
    ).toThrow(
      /containerRegistry\.linking\.rules\[0\] needs a component, an owner or both/,
    );
  });
});
