/**
 * Maps an async source with at most `concurrency` calls of `fn` running, yielding results as
 * they finish. It pulls from the source only when a slot is free, so a long source streams
 * through instead of piling up in memory. `fn` should not reject.
 */
export async function* mapConcurrent<T, R>(
  source: AsyncIterable<T>,
  concurrency: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const iterator = source[Symbol.asyncIterator]();
  const running = new Map<number, Promise<{ id: number; result: R }>>();
  let nextId = 0;
  let exhausted = false;
  while (true) {
    while (!exhausted && running.size < concurrency) {
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const id = nextId++;
      running.set(
        id,
        fn(next.value).then(result => ({ id, result })),
      );
    }
    if (running.size === 0) return;
    const { id, result } = await Promise.race(running.values());
    running.delete(id);
    yield result;
  }
}
