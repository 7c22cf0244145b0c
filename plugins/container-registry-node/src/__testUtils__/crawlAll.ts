import type { RegistryConnection } from '../connection/types';
import { InMemoryCrawlMemory } from '../crawler/CrawlMemory';
import {
  RegistryCrawler,
  RegistryCrawlerOptions,
  RepositoryCrawlResult,
} from '../crawler/RegistryCrawler';

/** Runs one crawl to its end: results by repository name, the report, and all images. */
export async function crawlAll(
  connection: RegistryConnection,
  options: RegistryCrawlerOptions = {},
) {
  const crawler = new RegistryCrawler(connection, {
    memory: new InMemoryCrawlMemory(),
    ...options,
  });
  const results: RepositoryCrawlResult[] = [];
  try {
    for await (const result of crawler.crawl()) results.push(result);
  } finally {
    await crawler.close();
  }
  results.sort((a, b) => a.repository.localeCompare(b.repository));
  return {
    results,
    report: crawler.report,
    images: results.flatMap(r => r.images),
  };
}
