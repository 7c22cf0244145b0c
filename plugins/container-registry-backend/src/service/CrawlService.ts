import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ConnectionTestResult,
  CrawlOutcome,
  CrawlRunSummary,
} from '@container-inventory/plugin-container-registry-common';
import {
  CrawlReport,
  RegistryAdapterFactory,
  RegistryCrawler,
  RegistryErrorReason,
  RepositoryCrawlResult,
  toRegistryError,
} from '@container-inventory/plugin-container-registry-node';
import type { ConfiguredRegistry } from '../config/readRegistryConfigs';
import type { InventoryStore } from '../database/InventoryStore';
import { filterImages, tagSelector } from '../registries/imageFilters';
import { describeSaveFailure } from './describeSaveFailure';
import { INTERRUPTED_AFTER_MS } from './housekeeping';
import { decideRemovals, RemovalLimits } from './removalPolicy';
import { StoreCrawlMemory } from './StoreCrawlMemory';

const PROGRESS_INTERVAL_MS = 1000;
/** How often a running crawl says it is alive and looks for a cancel request. */
const HEARTBEAT_INTERVAL_MS = 2000;
/** Runs kept per registry when the config does not say. */
export const DEFAULT_RUNS_KEPT = 50;

export interface CrawlServiceOptions {
  store: InventoryStore;
  logger: LoggerService;
  adapterFactories: () => RegistryAdapterFactory[];
  removalLimits: RemovalLimits;
  /** Crawl runs kept per registry in the history. */
  runsKept?: number;
}

/** What one crawl gathered while it ran. */
interface CrawlProgress {
  seen: Set<string>;
  complete: Set<string>;
  changes: number;
  saveErrors: number;
  firstSaveError?: string;
}

/** What a failed test proved: how far the conversation with the registry got. */
function checksAfter(
  reason: RegistryErrorReason,
): ConnectionTestResult['checks'] {
  const unreachable: RegistryErrorReason[] = [
    'network',
    'tls',
    'timeout',
    'not-found',
  ];
  if (unreachable.includes(reason)) return { reachable: false };
  if (reason === 'unauthorized') {
    return { reachable: true, credentialsAccepted: false };
  }
  if (reason === 'forbidden') {
    return {
      reachable: true,
      credentialsAccepted: true,
      listingAllowed: false,
    };
  }
  return { reachable: true };
}

/** Repositories a connection test counts at most; past it the test says "10000+". */
const REPOSITORIES_COUNTED = 10_000;

/** Runs crawls into the inventory and keeps each registry's status and crawl history. */
export class CrawlService {
  constructor(private readonly options: CrawlServiceOptions) {}

  private crawlerFor(
    registry: Pick<ConfiguredRegistry, 'connection'> &
      Partial<Pick<ConfiguredRegistry, 'filters'>>,
    signal?: AbortSignal,
  ) {
    const { store, adapterFactories } = this.options;
    const selectTags = registry.filters
      ? tagSelector(registry.filters)
      : undefined;
    return new RegistryCrawler(registry.connection, {
      memory: new StoreCrawlMemory(store, registry.connection.id),
      adapterFactories: adapterFactories(),
      signal,
      ...(selectTags ? { selectTags } : {}),
    });
  }

  /**
   * Checks that the registry answers, takes the credentials and lets them list; never throws.
   * The verdict says in words what to fix.
   */
  async testConnection(
    registry: Pick<ConfiguredRegistry, 'connection'>,
  ): Promise<ConnectionTestResult> {
    let crawler: RegistryCrawler | undefined;
    try {
      crawler = this.crawlerFor(registry);
      await crawler.testConnection();
      const { count, more } = await crawler.countRepositories(
        REPOSITORIES_COUNTED,
      );
      return {
        ok: true,
        message: `Connected: the registry answers and lets these credentials list ${count}${
          more ? '+' : ''
        } repositories`,
        checks: {
          reachable: true,
          credentialsAccepted: true,
          listingAllowed: true,
          repositoryCount: count,
        },
      };
    } catch (error) {
      const failure = toRegistryError(error);
      return {
        ok: false,
        message: failure.advice,
        checks: checksAfter(failure.reason),
      };
    } finally {
      await crawler?.close();
    }
  }

  /** Re-checks the connection and keeps the verdict as the registry's status. */
  async refreshStatus(
    registry: Pick<ConfiguredRegistry, 'connection'>,
  ): Promise<ConnectionTestResult> {
    const result = await this.testConnection(registry);
    const id = registry.connection.id;
    const running = await this.options.store.runningRun(
      id,
      new Date(Date.now() - INTERRUPTED_AFTER_MS),
    );
    if (!running) {
      await this.options.store.setStatus(id, {
        status: result.ok ? 'connected' : 'error',
        ...(result.ok ? {} : { message: result.message }),
      });
    }
    return result;
  }

  /**
   * Crawls one registry into the inventory. Whatever happens — even a crawler that cannot be
   * built — the run is ended and the registry's status set, and nothing is removed unless the
   * crawl ran to its end.
   */
  async crawl(
    registry: ConfiguredRegistry,
    scheduleSignal?: AbortSignal,
  ): Promise<CrawlRunSummary> {
    const { store } = this.options;
    const id = registry.connection.id;
    const logger = this.options.logger.child({ registry: id });
    const startedAt = new Date().toISOString();
    const runId = await store.startRun(id);
    // Stopped by its schedule's timeout, or by an admin's cancel read with the heartbeat.
    const cancel = new AbortController();
    const signal = scheduleSignal
      ? AbortSignal.any([scheduleSignal, cancel.signal])
      : cancel.signal;
    const heartbeat = setInterval(() => {
      store
        .heartbeat(runId)
        .then(({ cancelRequested }) => {
          if (cancelRequested) cancel.abort();
        })
        .catch(error =>
          logger.warn(`Crawl heartbeat failed: ${(error as Error).name}`),
        );
    }, HEARTBEAT_INTERVAL_MS);
    const progress: CrawlProgress = {
      seen: new Set(),
      complete: new Set(),
      changes: 0,
      saveErrors: 0,
    };
    let crawler: RegistryCrawler | undefined;
    let outcome: CrawlOutcome = 'succeeded';
    let messages: string[] = [];

    try {
      await store.setStatus(id, {
        status: 'syncing',
        progress: { repositories: 0, tags: 0, errors: 0 },
      });
      logger.info(`Crawling ${registry.connection.url}`);
      crawler = this.crawlerFor(registry, signal);
      await this.saveResults(registry, runId, crawler, progress, logger);
      ({ outcome, messages } = await this.finishCrawl(
        id,
        runId,
        crawler.report,
        progress,
        signal,
      ));
    } catch (error) {
      outcome = signal?.aborted ? 'cancelled' : 'failed';
      messages = [
        signal?.aborted
          ? 'The crawl was cancelled; nothing was removed'
          : toRegistryError(error).advice,
      ];
      logger.warn(`Crawl ${outcome}: ${messages[0]}`);
    } finally {
      clearInterval(heartbeat);
      await crawler?.close();
    }

    const report = crawler?.report;
    const errors = (report?.errorCount ?? 0) + progress.saveErrors;
    const message = messages.filter(Boolean).join('. ') || undefined;
    const summary = {
      outcome,
      repositories: report?.repositories ?? 0,
      tags: report?.tags ?? 0,
      images: report?.images ?? 0,
      errors: errors + (outcome === 'failed' ? 1 : 0),
      ...(message ? { message } : {}),
    };
    await store.finishRun(runId, summary, report?.toJSON() ?? {});
    await store.pruneRuns(id, this.options.runsKept ?? DEFAULT_RUNS_KEPT);
    await store.setStatus(id, {
      status: outcome === 'failed' ? 'error' : 'connected',
      ...(message ? { message } : {}),
    });
    logger.info(
      `Crawl ${outcome}: ${summary.repositories} repositories, ${summary.tags} tags, ` +
        `${summary.images} images, ${summary.errors} errors, ${
          progress.changes
        } changes in ${report?.durationMs ?? 0} ms`,
    );
    return { ...summary, startedAt, finishedAt: new Date().toISOString() };
  }

  /**
   * Saves each repository as the crawler yields it; one that cannot be saved is its own error.
   * Saving a few at once measured no faster on SQLite (yarn bench:backend-crawl), so they are
   * written one after another.
   */
  private async saveResults(
    registry: ConfiguredRegistry,
    runId: number,
    crawler: RegistryCrawler,
    progress: CrawlProgress,
    logger: LoggerService,
  ) {
    const { store } = this.options;
    const { report } = crawler;
    const registryId = registry.connection.id;
    let lastProgress = 0;
    for await (const result of crawler.crawl()) {
      progress.seen.add(result.repository);
      await this.saveOne(registry, runId, result, progress, logger);
      if (performance.now() - lastProgress > PROGRESS_INTERVAL_MS) {
        lastProgress = performance.now();
        await store.setStatus(registryId, {
          status: 'syncing',
          progress: {
            repositories: report.repositories,
            tags: report.tags,
            errors: report.errorCount + progress.saveErrors,
          },
        });
      }
    }
  }

  private async saveOne(
    registry: ConfiguredRegistry,
    runId: number,
    result: RepositoryCrawlResult,
    progress: CrawlProgress,
    logger: LoggerService,
  ) {
    try {
      progress.changes += await this.options.store.saveRepository(
        registry.connection.id,
        runId,
        { ...result, images: filterImages(result.images, registry.filters) },
      );
      if (result.complete) progress.complete.add(result.repository);
    } catch (error) {
      const message = describeSaveFailure(result.repository, error);
      progress.saveErrors++;
      progress.firstSaveError ??= message;
      logger.warn(message);
    }
  }

  /** Applies the removals the crawl allows and says how it went. */
  private async finishCrawl(
    registryId: string,
    runId: number,
    report: CrawlReport,
    progress: CrawlProgress,
    signal?: AbortSignal,
  ): Promise<{ outcome: CrawlOutcome; messages: string[] }> {
    const { store, removalLimits } = this.options;
    const stopped = Boolean(report.stopped) || Boolean(signal?.aborted);
    const candidates = await store.removalCandidates(registryId, runId, {
      completeRepositories: progress.complete,
      seenRepositories: progress.seen,
      listingComplete: report.listingComplete,
    });
    const decision = decideRemovals(
      candidates,
      {
        stopped,
        clean:
          !stopped &&
          report.errorCount === 0 &&
          progress.saveErrors === 0 &&
          report.listingComplete,
        seenRepositories: progress.seen,
      },
      removalLimits,
    );
    progress.changes += await store.removeImages(
      registryId,
      decision.ids,
      runId,
    );
    const messages = [
      report.stopped?.message,
      this.describeErrors(report),
      progress.firstSaveError &&
        `${progress.saveErrors} repositories could not be saved — first: ${progress.firstSaveError}`,
      ...decision.heldBack,
    ].filter((m): m is string => Boolean(m));
    let outcome: CrawlOutcome = messages.length > 0 ? 'partial' : 'succeeded';
    if (stopped && report.stopped?.reason !== 'rate-limited')
      outcome = 'cancelled';
    return { outcome, messages };
  }

  /** "3 tags could not be read (2 timeout, 1 not-found): first: …" */
  private describeErrors(report: CrawlReport): string | undefined {
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
