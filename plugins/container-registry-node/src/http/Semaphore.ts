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

  async acquire(timeoutMs: number): Promise<boolean> {
    if (this.tryAcquire()) return true;
    return new Promise(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const grant = () => {
        clearTimeout(timer);
        resolve(true);
      };
      timer = setTimeout(() => {
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(grant);
    });
  }

  release() {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }
}
