import { createServer, Server } from 'node:http';
import { connect, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { establishedConnections, requestsServed } from './registryMetrics';

const METRICS = `# HELP registry_http_request_duration_seconds The HTTP request latencies in seconds.
registry_http_request_duration_seconds_bucket{handler="manifest",method="get",le="0.005"} 40
registry_http_request_duration_seconds_count{handler="base",method="get"} 1
registry_http_request_duration_seconds_count{handler="manifest",method="get"} 41
registry_http_request_duration_seconds_count{handler="manifest",method="head"} 7
registry_http_in_flight_requests{handler="manifest"} 3
`;

describe('registry metrics for benchmarks', () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => res.end(METRICS));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  it('sums the requests the registry answered over handlers and methods', async () => {
    expect(await requestsServed(`http://127.0.0.1:${port}/metrics`)).toBe(49);
  });

  it('counts each connection to a port once, though both its ends are on this host', async () => {
    // A server of its own: the metrics request above may still hold a keep-alive connection.
    const quiet = createServer();
    await new Promise<void>(resolve => quiet.listen(0, '127.0.0.1', resolve));
    const quietPort = (quiet.address() as AddressInfo).port;
    try {
      for (let i = 0; i < 3; i++) {
        const socket = connect(quietPort, '127.0.0.1');
        await new Promise(resolve => socket.once('connect', resolve));
        sockets.push(socket);
      }
      expect(establishedConnections(quietPort).count).toBe(3);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise(resolve => quiet.close(resolve));
    }
  });
});
