/** Characters `encodeURIComponent` leaves alone, and the slash: most names are only these. */
const PLAIN_PATH = /^[\w./~-]*$/;

/** Escapes each path segment of a repository name; the slashes between them stay. */
export function repositoryPath(repository: string): string {
  if (PLAIN_PATH.test(repository)) return repository;
  return repository.split('/').map(encodeURIComponent).join('/');
}

export function repositoryScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export const CATALOG_SCOPE = 'registry:catalog:*';
