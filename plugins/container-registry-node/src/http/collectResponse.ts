import type { Dispatcher } from 'undici';
import { RegistryError } from '../errors';

type IncomingHttpHeaders = Record<string, string | string[] | undefined>;

export interface CollectedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Gathers a body into one buffer. A body in one chunk is kept as is; one in several chunks
 * is copied once, into a buffer sized from the announced length when there is one, instead
 * of keeping every chunk and copying them all again at the end.
 */
class BodyCollector {
  private first?: Buffer;
  private buffer?: Buffer;
  private chunks?: Buffer[];
  size = 0;

  constructor(private readonly announced: number | undefined) {}

  add(chunk: Buffer) {
    if (this.size === 0 && !this.first) {
      this.first = chunk;
    } else {
      if (this.first) this.startCopying();
      this.append(chunk);
    }
    this.size += chunk.length;
  }

  /** A second chunk came: the first moves into the announced-size buffer, or a chunk list. */
  private startCopying() {
    const first = this.first!;
    this.first = undefined;
    if (this.announced !== undefined && this.announced > first.length) {
      this.buffer = Buffer.allocUnsafe(this.announced);
      first.copy(this.buffer, 0);
    } else {
      this.chunks = [first];
    }
  }

  /** Adds a chunk at offset `size`; a body longer than announced falls back to a chunk list. */
  private append(chunk: Buffer) {
    if (this.buffer && this.size + chunk.length <= this.buffer.length) {
      chunk.copy(this.buffer, this.size);
      return;
    }
    if (this.buffer) {
      this.chunks = [this.buffer.subarray(0, this.size)];
      this.buffer = undefined;
    }
    this.chunks!.push(chunk);
  }

  body(): Buffer {
    if (this.first) return this.first;
    if (this.buffer) return this.buffer.subarray(0, this.size);
    if (!this.chunks) return Buffer.alloc(0);
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

/** The whole exchange must end by `at` (a `performance.now()` time), else it fails with `error()`. */
export interface Deadline {
  at: number;
  error(): Error;
}

/**
 * One request through undici's dispatch API, its whole answer gathered in memory. Registry
 * answers are small JSON documents read at once: a stream per answer (undici's `request`)
 * costs the crawl more CPU than the documents themselves.
 *
 * The deadline is checked as the answer arrives: a registry that stops sending altogether
 * meets undici's idle timeouts instead, and one that drips a byte at a time meets this check.
 * A timer per exchange would cost the crawl's hot path more than the exchange's parsing.
 */
export function collectResponse(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  maxBodyBytes: number,
  deadline?: Deadline,
): Promise<CollectedResponse> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let body = new BodyCollector(undefined);
    const overdue = (controller: Dispatcher.DispatchController) => {
      if (!deadline || performance.now() <= deadline.at) return false;
      controller.abort(deadline.error());
      return true;
    };
    dispatcher.dispatch(options, {
      onRequestStart() {},
      onResponseStart(controller, statusCode, responseHeaders) {
        if (overdue(controller)) return;
        status = statusCode;
        headers = responseHeaders;
        body = new BodyCollector(
          options.method === 'HEAD'
            ? undefined
            : announcedLength(headers, maxBodyBytes),
        );
      },
      onResponseData(controller, chunk) {
        if (overdue(controller)) return;
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
        resolve({ status, headers, body: body.body() });
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    });
  });
}
