import type { Dispatcher } from 'undici';
import { RegistryError } from '../errors';
import { abortReason } from './abortable';

type IncomingHttpHeaders = Record<string, string | string[] | undefined>;

export interface CollectedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Gathers a body into one buffer, sized up front when the length is announced. */
class BodyCollector {
  private chunks: Buffer[] = [];
  private buffer?: Buffer;
  size = 0;

  constructor(announced: number | undefined) {
    // The announced length is a hint: a body longer than it falls back to chunks.
    if (announced !== undefined) this.buffer = Buffer.allocUnsafe(announced);
  }

  add(chunk: Buffer) {
    if (this.buffer && this.size + chunk.length <= this.buffer.length) {
      chunk.copy(this.buffer, this.size);
    } else {
      if (this.buffer) {
        this.chunks = [this.buffer.subarray(0, this.size)];
        this.buffer = undefined;
      }
      this.chunks.push(chunk);
    }
    this.size += chunk.length;
  }

  body(): Buffer {
    if (this.buffer) return this.buffer.subarray(0, this.size);
    return this.chunks.length === 1
      ? this.chunks[0]
      : Buffer.concat(this.chunks, this.size);
  }
}

function announcedLength(
  headers: IncomingHttpHeaders,
  maxBodyBytes: number,
): number | undefined {
  const value = headers['content-length'];
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  const length = Number(value);
  return length <= maxBodyBytes ? length : undefined;
}

export interface CollectOptions {
  /** Aborts the exchange at any point, body included. */
  signal?: AbortSignal;
  /** Ends the exchange after this many ms, whatever its progress, with `deadlineError()`. */
  deadlineMs?: number;
  deadlineError?: () => Error;
}

/**
 * One request through undici's dispatch API, its whole answer gathered in memory. Registry
 * answers are small JSON documents read at once: a stream per answer (undici's `request`)
 * costs the crawl more CPU than the documents themselves.
 */
export function collectResponse(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  maxBodyBytes: number,
  { signal, deadlineMs, deadlineError }: CollectOptions = {},
): Promise<CollectedResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let body = new BodyCollector(undefined);
    let onAbort: (() => void) | undefined;
    let deadline: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(deadline);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    };
    dispatcher.dispatch(options, {
      onRequestStart(controller) {
        if (deadlineMs !== undefined) {
          deadline = setTimeout(
            () =>
              controller.abort(
                deadlineError?.() ?? new Error('Request deadline passed'),
              ),
            deadlineMs,
          );
        }
        if (!signal) return;
        onAbort = () => controller.abort(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
      },
      onResponseStart(_controller, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders;
        body = new BodyCollector(
          options.method === 'HEAD'
            ? undefined
            : announcedLength(headers, maxBodyBytes),
        );
      },
      onResponseData(controller, chunk) {
        if (body.size + chunk.length > maxBodyBytes) {
          // A registry streaming garbage without end must not exhaust the crawler's memory.
          controller.abort(
            new RegistryError(
              'invalid-response',
              `${
                options.path.split('?')[0]
              } answered with more than ${maxBodyBytes} bytes`,
            ),
          );
          return;
        }
        body.add(chunk);
      },
      onResponseEnd() {
        done();
        resolve({ status, headers, body: body.body() });
      },
      onResponseError(_controller, error) {
        done();
        reject(error);
      },
    });
  });
}
