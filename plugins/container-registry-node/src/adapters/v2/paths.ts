import { RegistryError } from '../../errors';

/** Characters `encodeURIComponent` leaves alone, and the slash: most names are only these. */
const PLAIN_PATH = /^[\w./~-]*$/;

/**
 * Why a listed repository name cannot be used, or undefined when it can. Names come from the
 * registry: `..` or empty segments would address another path once put in a URL.
 */
export function invalidRepositoryName(repository: unknown): string | undefined {
  if (typeof repository !== 'string' || repository.length === 0)
    return 'the repository name is empty';
  if (repository.length > 4096) return 'the repository name is too long';
  const segments = repository.split('/');
  if (segments.some(s => s === '')) return 'it has an empty path segment';
  if (segments.some(s => s === '.' || s === '..'))
    return 'it has a "." or ".." path segment';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(repository))
    return 'it contains control characters';
  return undefined;
}

/** Escapes each path segment of a repository name; the slashes between them stay. */
export function repositoryPath(repository: string): string {
  const problem = invalidRepositoryName(repository);
  if (problem) {
    throw new RegistryError(
      'invalid-response',
      `Repository name ${JSON.stringify(
        repository,
      )} cannot be requested: ${problem}`,
    );
  }
  if (PLAIN_PATH.test(repository)) return repository;
  return repository.split('/').map(encodeURIComponent).join('/');
}

export function repositoryScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export const CATALOG_SCOPE = 'registry:catalog:*';
