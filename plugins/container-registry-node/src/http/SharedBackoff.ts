import { sleep } from './abortable';

/** 429s in a row, with no other answer between, after which a registry is left alone. */
export const RATE_LIMIT_TRIP_COUNT = 20;

/**
 * Back-off shared by every request to one registry: when the registry says to wait, all
 * requests wait, instead of each finding out on its own and retrying into the limit.
 * Counts 429s in a row as a circuit breaker.
 */
export class SharedBackoff {
  private pausedUntil = 0;
  private rateLimitedInARow = 0;

  constructor(
    private readonly tripCount = RATE_LIMIT_TRIP_COUNT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Holds every request of the registry for `ms` (the longest pause asked for wins). */
  pause(ms: number) {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  get paused(): boolean {
    return this.pausedUntil > this.now();
  }

  /** Resolves once no pause is in force. */
  async wait(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const remaining = this.pausedUntil - this.now();
      if (remaining <= 0) return;
      await sleep(remaining, signal);
    }
  }

  /** Counts a 429; true when the breaker trips. */
  rateLimited(): boolean {
    this.rateLimitedInARow++;
    return this.rateLimitedInARow >= this.tripCount;
  }

  /** Any answer other than 429 shows the registry still serves: the count starts over. */
  answered() {
    this.rateLimitedInARow = 0;
  }

  get consecutiveRateLimits(): number {
    return this.rateLimitedInARow;
  }
}
