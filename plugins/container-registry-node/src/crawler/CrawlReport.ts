import type { RegistryErrorReason } from '../errors';
import type { RequestStats } from '../http/RequestStats';

/** One thing that could not be read; the crawl went on without it. */
export interface CrawlItemError {
  repository?: string;
  tag?: string;
  reason: RegistryErrorReason;
  message: string;
}

/** Why a crawl ended before it had read everything. */
export interface CrawlStop {
  reason: 'aborted' | 'rate-limited';
  message: string;
}

const KEPT_ERROR_SAMPLES = 20;

/** Counts of a crawl and what went wrong, by cause. */
export class CrawlReport {
  repositories = 0;
  tags = 0;
  images = 0;
  /** False when the repository listing broke off: repositories not seen may still exist. */
  listingComplete = true;
  /** Set when the crawl ended early: cancelled, or the registry kept rate-limiting. */
  stopped?: CrawlStop;
  readonly errorsByReason: Partial<Record<RegistryErrorReason, number>> = {};
  readonly errorSamples: CrawlItemError[] = [];
  private readonly startedAt = performance.now();
  finishedAt?: number;

  constructor(private readonly requests: RequestStats) {}

  addError(error: CrawlItemError) {
    this.errorsByReason[error.reason] =
      (this.errorsByReason[error.reason] ?? 0) + 1;
    if (this.errorSamples.length < KEPT_ERROR_SAMPLES)
      this.errorSamples.push(error);
  }

  get errorCount(): number {
    return Object.values(this.errorsByReason).reduce(
      (sum, n) => sum + (n ?? 0),
      0,
    );
  }

  get durationMs(): number {
    return Math.round((this.finishedAt ?? performance.now()) - this.startedAt);
  }

  toJSON() {
    return {
      repositories: this.repositories,
      tags: this.tags,
      images: this.images,
      listingComplete: this.listingComplete,
      ...(this.stopped ? { stopped: this.stopped } : {}),
      requests: this.requests.toJSON(),
      errors: {
        total: this.errorCount,
        byReason: this.errorsByReason,
        samples: this.errorSamples,
      },
      durationMs: this.durationMs,
    };
  }
}
