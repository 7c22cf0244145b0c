import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  CrawlOutcome,
  CrawlRunSummary,
} from '@container-inventory/plugin-container-registry-common';
import {
  RegistryAdapterFactory,
  RegistryCrawler,
  toRegistryError,
} from '@container-inventory/plugin-container-registry-node';
import type { ConfiguredRegistry } from '../config/readRegistryConfigs';
import type { InventoryStore } from '../database/InventoryStore';
import { StoreCrawlMemory } from './StoreCrawlMemory';

const PROGRESS_INTERVAL_MS = 1000;

export interface CrawlServiceOptions {
  store: InventoryStore;
  logger: LoggerService;
  adapterFactories: () => RegistryAdapterFactory[];
  maxRemovalShare: number;
}

/** Runs crawls into the inventory and keeps each registry's status and crawl history. */
export class CrawlService {
  constructor(private readonly options: CrawlServiceOptions) {}

  private crawlerFor(registry: ConfiguredRegistry, signal?: AbortSignal) {
    const { store, adapterFactories } = this.options;
    return new RegistryCrawler(registry.connection, {
      memory: new StoreCrawlMemory(store, registry.connection.id),
      adapterFactories: adapterFactories(),
      signal,
    });
  }

  /** Checks that the registry answers and the credentials work; never throws. */
  async testConnection(
    registry: ConfiguredRegistry,
  ): Promise<{ ok: boolean; message: string }> {
    const crawler = this.crawlerFor(registry);
    try {
      await crawler.testConnection();
      return { ok: true, message: 'Connected' };
    } catch (error) {
      return { ok: false, message: toRegistryError(error).advice };
    } finally {
      await crawler.close();
    }
  }

  async crawl(
    registry: ConfiguredRegistry,
    signal?: AbortSignal,
  ): Promise<CrawlRunSummary> {
    const { store, maxRemovalShare } = this.options;
    const id = registry.connection.id;
    const logger = this.options.logger.child({ registry: id });
    const startedAt = new Date().toISOString();
    const runId = await store.startRun(id);
    const crawler = this.crawlerFor(registry, signal);
    const { report } = crawler;
    const seen = new Set<string>();
    const complete = new Set<string>();
    let lastProgress = 0;
    let outcome: CrawlOutcome = 'succeeded';
    let message: string | undefined;
    let changes = 0;

    await store.setStatus(id, {
      status: 'syncing',
      progress: { repositories: 0, tags: 0, errors: 0 },
    });
    logger.info(`Crawling ${registry.connection.url}`);
    try {
      for await (const result of crawler.crawl()) {
        changes += await store.saveRepository(id, runId, result);
        seen.add(result.repository);
        if (result.complete) complete.add(result.repository);
        if (performance.now() - lastProgress > PROGRESS_INTERVAL_MS) {
          lastProgress = performance.now();
          await store.setStatus(id, {
            status: 'syncing',
            progress: {
              repositories: report.repositories,
              tags: report.tags,
              errors: report.errorCount,
            },
          });
        }
      }
      const sweep = await store.sweep(id, {
        runId,
        completeRepositories: complete,
        seenRepositories: seen,
        listingComplete: report.listingComplete,
        clean: report.errorCount === 0 && report.listingComplete,
        maxRemovalShare,
      });
      changes += sweep.removed;
      if (report.errorCount > 0 || sweep.refused) {
        outcome = 'partial';
        message = [this.describeErrors(crawler), sweep.refused]
          .filter(Boolean)
          .join('. ');
      }
    } catch (error) {
      outcome = 'failed';
      message = toRegistryError(error).advice;
      logger.warn(`Crawl failed: ${message}`);
    } finally {
      await crawler.close();
    }

    const summary = {
      outcome,
      repositories: report.repositories,
      tags: report.tags,
      images: report.images,
      errors: report.errorCount + (outcome === 'failed' ? 1 : 0),
      ...(message ? { message } : {}),
    };
    await store.finishRun(runId, summary, report.toJSON());
    await store.setStatus(id, {
      status: outcome === 'failed' ? 'error' : 'connected',
      ...(message ? { message } : {}),
    });
    logger.info(
      `Crawl ${outcome}: ${report.repositories} repositories, ${report.tags} tags, ` +
        `${report.images} images, ${report.errorCount} errors, ${changes} changes in ${report.durationMs} ms`,
    );
    return { ...summary, startedAt, finishedAt: new Date().toISOString() };
  }

  /** "3 tags could not be read (2 timeout, 1 not-found): first: …" */
  private describeErrors(crawler: RegistryCrawler): string | undefined {
    const { report } = crawler;
    if (report.errorCount === 0) return undefined;
    const reasons = Object.entries(report.errorsByReason)
      .map(([reason, count]) => `${count} ${reason}`)
      .join(', ');
    const first = report.errorSamples[0];
    const where = first
      ? ` — first: ${[first.repository, first.tag]
          .filter(Boolean)
          .join(':')}: ${first.message}`
      : '';
    return `${report.errorCount} items could not be read (${reasons})${where}`;
  }
}
