import { createConnection, createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** One request as it crossed the proxy: enough to send it again. */
export interface SeenRequest {
  method: string;
  path: string;
  accept?: string;
  /** ms since the proxy started. */
  at: number;
}

/**
 * A TCP proxy in front of the registry that sees what the registry sees: connections open at
 * once, and each request's line and Accept header (read from the start of each chunk the
 * client sends; clients here neither pipeline nor send bodies).
 */
export class CountingProxy {
  private server?: Server;
  private open = 0;
  private readonly started = performance.now();
  peakConnections = 0;
  connectionsOpened = 0;
  readonly requests: SeenRequest[] = [];

  static async start(targetPort: number): Promise<CountingProxy> {
    const proxy = new CountingProxy();
    proxy.server = createServer(client => proxy.pipe(client, targetPort));
    await new Promise<void>(resolve =>
      proxy.server!.listen(0, '127.0.0.1', resolve),
    );
    return proxy;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  private pipe(client: Socket, targetPort: number) {
    this.open++;
    this.connectionsOpened++;
    this.peakConnections = Math.max(this.peakConnections, this.open);
    const upstream = createConnection(targetPort, '127.0.0.1');
    client.on('data', (chunk: Buffer) => this.read(chunk));
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.once('close', () => {
      this.open--;
      upstream.destroy();
    });
  }

  private read(chunk: Buffer) {
    const head = chunk.subarray(0, 4096).toString('latin1');
    const line = /^(GET|HEAD|POST|PUT|PATCH|DELETE) (\S+) HTTP\/1\.1\r\n/.exec(
      head,
    );
    if (!line) return;
    const accept = /\r\naccept: ([^\r]*)/i.exec(head)?.[1];
    this.requests.push({
      method: line[1],
      path: line[2],
      accept,
      at: performance.now() - this.started,
    });
  }

  /** Forget what was seen, to measure the next phase on its own. */
  reset() {
    this.requests.length = 0;
    this.peakConnections = this.open;
    this.connectionsOpened = 0;
  }

  /** Most requests that arrived within any one second. */
  peakRequestsPerSecond(): number {
    let peak = 0;
    let start = 0;
    for (let end = 0; end < this.requests.length; end++) {
      while (this.requests[end].at - this.requests[start].at >= 1000) start++;
      peak = Math.max(peak, end - start + 1);
    }
    return peak;
  }

  snapshot(): ProxySnapshot {
    return {
      requests: [...this.requests],
      peakConnections: this.peakConnections,
      connectionsOpened: this.connectionsOpened,
      peakRequestsPerSecond: this.peakRequestsPerSecond(),
    };
  }

  close(): Promise<void> {
    return new Promise(resolve => this.server!.close(() => resolve()));
  }
}

/** What the proxy saw since its last reset. */
export interface ProxySnapshot {
  requests: SeenRequest[];
  peakConnections: number;
  connectionsOpened: number;
  peakRequestsPerSecond: number;
}
