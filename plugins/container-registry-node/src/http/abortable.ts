import { RegistryError } from '../errors';

export function abortedError(): RegistryError {
  return new RegistryError('aborted', 'The crawl was cancelled');
}

/** The signal's own RegistryError reason (a deadline), else `aborted`. */
export function abortReason(signal: AbortSignal): RegistryError {
  return signal.reason instanceof RegistryError
    ? signal.reason
    : abortedError();
}

/** Waits `ms`, or rejects as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined = undefined;
    function onAbort() {
      clearTimeout(timer);
      reject(abortReason(signal!));
    }
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
