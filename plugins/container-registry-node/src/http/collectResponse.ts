import type { Dispatcher } from 'undici';
import { RegistryError } from '../errors';

type IncomingHttpHeaders = Record<string, string | string[] | undefined>;

export interface CollectedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
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
): Promise<CollectedResponse> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let chunks: Buffer[] = [];
    let size = 0;
    dispatcher.dispatch(options, {
      onRequestStart() {},
      onResponseStart(_controller, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders;
        chunks = [];
        size = 0;
      },
      onResponseData(controller, chunk) {
        size += chunk.length;
        if (size > maxBodyBytes) {
          // A registry streaming garbage without end must not exhaust the crawler's memory.
          controller.abort(
            new RegistryError(
              'invalid-response',
              `${options.path} answered with more than ${maxBodyBytes} bytes`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      },
      onResponseEnd() {
        resolve({
          status,
          headers,
          body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size),
        });
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    });
  });
}
