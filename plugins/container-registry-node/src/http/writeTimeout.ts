import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

export class WriteTimeoutError extends Error {
  readonly code = 'UND_ERR_WRITE_TIMEOUT';
  constructor(ms: number) {
    super(`Sending the request stalled for more than ${ms} ms (write timeout)`);
    this.name = 'WriteTimeoutError';
  }
}

/**
 * Destroys the socket when a write stays buffered (the peer stopped reading) for longer than
 * `ms`: undici has timeouts for connecting and reading, but none for writing.
 */
export function guardWrites(socket: Socket, ms: number): Socket {
  let timer: NodeJS.Timeout | undefined;
  const clear = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => {
    const flushed = write(...args);
    if (!flushed && !timer) {
      timer = setTimeout(() => socket.destroy(new WriteTimeoutError(ms)), ms);
      timer.unref();
      socket.once('drain', clear);
    }
    return flushed;
  }) as Socket['write'];
  socket.once('close', clear);
  return socket;
}

/** undici's own connector, with every socket it opens guarded by the write timeout. */
export function connectorWithWriteTimeout(
  options: buildConnector.BuildOptions,
  writeTimeoutMs: number,
): buildConnector.connector {
  const connect = buildConnector(options);
  return (connectOptions, callback) =>
    connect(connectOptions, (error, socket) => {
      if (error || !socket) {
        callback(error ?? new Error('No socket'), null);
        return;
      }
      callback(null, guardWrites(socket as Socket, writeTimeoutMs));
    });
}
