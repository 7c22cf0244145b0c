import { abortReason } from './abortable';

/** Counts free slots; a waiter gives up after `timeoutMs` (the connection's pool timeout). */
export class Semaphore {
  private free: number;
  private readonly waiters: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Takes a free slot without waiting; false when there is none. */
  tryAcquire(): boolean {
    if (this.free === 0) return false;
    this.free--;
    return true;
  }

  /** True once a slot is taken, false after the timeout; rejects when the signal aborts. */
  async acquire(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) throw abortReason(signal);
    if (this.tryAcquire()) return true;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const waiters = this.waiters;
      function leave() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = waiters.indexOf(grant);
        if (index >= 0) waiters.splice(index, 1);
      }
      function grant() {
        leave();
        resolve(true);
      }
      function onAbort() {
        leave();
        reject(abortReason(signal!));
      }
      timer = setTimeout(() => {
        leave();
        resolve(false);
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.push(grant);
    });
  }

  release() {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }
}
