export { RoutedV2Api, V2Api } from './V2Api';
export type { FetchedManifest, V2Location } from './V2Api';
export { paginate } from './paginate';
export type { PaginateOptions } from './paginate';
export {
  invalidRepositoryName,
  repositoryPath,
  repositoryScope,
  CATALOG_SCOPE,
} from './paths';
