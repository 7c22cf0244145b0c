export { RegistryCrawler } from './RegistryCrawler';
export type {
  RegistryCrawlerOptions,
  RepositoryCrawlResult,
} from './RegistryCrawler';
export { InMemoryCrawlMemory } from './CrawlMemory';
export type { CrawlMemory, ImageDetails } from './CrawlMemory';
export { CrawlReport } from './CrawlReport';
export type { CrawlItemError, CrawlStop } from './CrawlReport';
export { repositoryMatcher } from './repositoryPatterns';
