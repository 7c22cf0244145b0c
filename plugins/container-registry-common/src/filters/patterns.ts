/**
 * The image pattern grammar of registry filters: `name`, `name:tag` or `:tag`, where `*`
 * matches any run of characters (including `/` in names). Matching is case-sensitive, as
 * registries are.
 */
export interface ImagePattern {
  /** The pattern as written. */
  source: string;
  /** Absent for `:tag` patterns, which match every repository. */
  repository?: RegExp;
  /** Absent for `name` patterns, which match every tag. */
  tag?: RegExp;
}

export type PatternParseResult =
  | { ok: true; pattern: ImagePattern }
  | { ok: false; reason: string };

// Repository paths: lowercase components separated by '/', each of letters, digits and . _ -
const REPOSITORY_CHARS = /^[a-z0-9._\-/*]+$/;
// Tags: up to 128 of letters, digits, _ . - (the distribution spec's grammar), plus '*'.
const TAG_CHARS = /^[A-Za-z0-9_.\-*]{1,128}$/;

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

function checkRepository(repository: string): string | undefined {
  if (!REPOSITORY_CHARS.test(repository)) {
    return 'a repository may hold only lowercase letters, digits, ".", "_", "-", "/" and "*"';
  }
  if (repository.startsWith('/') || repository.endsWith('/')) {
    return 'a repository may not start or end with "/"';
  }
  return undefined;
}

function checkTag(tag: string): string | undefined {
  if (!TAG_CHARS.test(tag)) {
    return 'a tag may hold only letters, digits, "_", ".", "-" and "*" (at most 128)';
  }
  return undefined;
}

/** Parses `name`, `name:tag` or `:tag`; the reason says what is wrong in words. */
export function parseImagePattern(source: string): PatternParseResult {
  const text = source.trim();
  if (!text) return { ok: false, reason: 'a pattern may not be empty' };
  const colon = text.lastIndexOf(':');
  // A colon followed by a '/' belongs to a host:port, which patterns do not carry.
  if (colon >= 0 && text.indexOf('/', colon) >= 0) {
    return {
      ok: false,
      reason: 'write repository paths without the registry host',
    };
  }
  const repository = colon >= 0 ? text.slice(0, colon) : text;
  const tag = colon >= 0 ? text.slice(colon + 1) : undefined;
  if (tag === '') {
    return {
      ok: false,
      reason: 'a tag must follow ":" (write name:* for all tags)',
    };
  }
  const repositoryError = repository ? checkRepository(repository) : undefined;
  const tagError = tag !== undefined ? checkTag(tag) : undefined;
  if (repositoryError || tagError) {
    return { ok: false, reason: (repositoryError ?? tagError)! };
  }
  return {
    ok: true,
    pattern: {
      source: text,
      repository: repository ? globToRegExp(repository) : undefined,
      tag: tag !== undefined ? globToRegExp(tag) : undefined,
    },
  };
}

/** Parses a pattern known to be valid (validated settings); throws on a bad one. */
export function compileImagePattern(source: string): ImagePattern {
  const parsed = parseImagePattern(source);
  if (!parsed.ok)
    throw new Error(`Invalid image pattern "${source}": ${parsed.reason}`);
  return parsed.pattern;
}

/** Whether a repository with the given tag matches. */
export function matchesImagePattern(
  pattern: ImagePattern,
  repository: string,
  tag?: string,
): boolean {
  if (pattern.repository && !pattern.repository.test(repository)) return false;
  if (!pattern.tag) return true;
  return tag !== undefined && pattern.tag.test(tag);
}

/**
 * Whether a repository pattern (`repositories` to load: no tag part) is well formed; the
 * reason when not.
 */
export function checkRepositoryPattern(source: string): string | undefined {
  const text = source.trim();
  if (!text) return 'a pattern may not be empty';
  if (text.includes(':'))
    return 'repositories to load take no tag (use the filters for tags)';
  return checkRepository(text);
}
