/** Escapes each path segment of a repository name; the slashes between them stay. */
export function repositoryPath(repository: string): string {
  return repository.split('/').map(encodeURIComponent).join('/');
}

export function repositoryScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export const CATALOG_SCOPE = 'registry:catalog:*';
