import { literalRepositories, repositoryMatcher } from './repositoryPatterns';

describe('repository patterns', () => {
  it('matches with * anywhere and treats other characters literally', () => {
    const matches = repositoryMatcher(['acme/*', 'tools/ci.runner']);
    expect(matches('acme/payments-api')).toBe(true);
    expect(matches('tools/ci.runner')).toBe(true);
    expect(matches('tools/cixrunner')).toBe(false);
    expect(matches('other/app')).toBe(false);
  });

  it('matches everything without patterns', () => {
    expect(repositoryMatcher([])('anything')).toBe(true);
  });

  it('names repositories outright only when no pattern has a wildcard', () => {
    expect(literalRepositories(['a', 'b', 'a'])).toEqual(['a', 'b']);
    expect(literalRepositories(['a', 'b*'])).toBeUndefined();
    expect(literalRepositories([])).toBeUndefined();
  });
});
