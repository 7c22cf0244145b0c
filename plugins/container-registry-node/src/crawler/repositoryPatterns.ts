function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** Matches repository names against patterns with `*`; no patterns match everything. */
export function repositoryMatcher(
  patterns: string[],
): (name: string) => boolean {
  if (patterns.length === 0) return () => true;
  const expressions = patterns.map(patternToRegExp);
  return name => expressions.some(expression => expression.test(name));
}

/** Patterns without wildcards name repositories outright: no catalog listing is needed. */
export function literalRepositories(patterns: string[]): string[] | undefined {
  if (patterns.length === 0 || patterns.some(p => p.includes('*')))
    return undefined;
  return [...new Set(patterns)];
}
