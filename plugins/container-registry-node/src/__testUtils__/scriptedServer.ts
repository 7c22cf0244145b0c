import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
) => void | Promise<void>;

/** A real HTTP server on loopback whose answers a test scripts, recording what arrived. */
export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  /** Most connections open at the same time. */
  peakConnections: number;
  close(): Promise<void>;
}

export async function startScriptedServer(
  handler: Handler,
): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  let open = 0;
  const state = { peakConnections: 0 };
  const server: Server = createServer(async (req, res) => {
    requests.push({ method: req.method!, url: req.url!, headers: req.headers });
    try {
      await handler(req, res);
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  server.on('connection', socket => {
    open++;
    state.peakConnections = Math.max(state.peakConnections, open);
    socket.on('close', () => open--);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get peakConnections() {
      return state.peakConnections;
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
