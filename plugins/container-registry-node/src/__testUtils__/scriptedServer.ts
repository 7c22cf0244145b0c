import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/** Answers a request; what it returns is ignored. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** A real HTTP server on loopback whose answers a test scripts, recording what arrived. */
export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  /** Most connections open at the same time. */
  peakConnections: number;
  /** Connections open now. */
  openConnections: number;
  close(): Promise<void>;
}

export interface ScriptedServerOptions {
  /** Serves HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export async function startScriptedServer(
  handler: Handler,
  options: ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const state = { peakConnections: 0, open: 0 };
  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method!, url: req.url!, headers: req.headers });
    try {
      await handler(req, res);
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  };
  const server: Server = options.tls
    ? createTlsServer(options.tls, listener)
    : createServer(listener);
  server.on('connection', socket => {
    state.open++;
    state.peakConnections = Math.max(state.peakConnections, state.open);
    socket.on('close', () => state.open--);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    get peakConnections() {
      return state.peakConnections;
    },
    get openConnections() {
      return state.open;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
