import { sleep } from './abortable';

/**
 * Spaces request starts at least `1000 / maxPerSecond` ms apart, for every request of one
 * registry. Strict spacing (no burst) keeps any one-second window at the configured rate.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private nextSlot = 0;

  constructor(maxPerSecond: number) {
    this.intervalMs = 1000 / maxPerSecond;
  }

  /** Resolves when the caller may start its request; rejects when the signal aborts first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = performance.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    const wait = slot - now;
    if (wait > 0) await sleep(wait, signal);
  }
}
