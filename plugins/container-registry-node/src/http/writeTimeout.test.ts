import { createServer, Server, Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { guardWrites } from './writeTimeout';

describe('guardWrites', () => {
  let server: Server;
  const accepted: Socket[] = [];
  beforeAll(async () => {
    // A peer that accepts connections and never reads from them.
    server = createServer(socket => {
      socket.pause();
      accepted.push(socket);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    accepted.forEach(s => s.destroy());
    await new Promise(resolve => server.close(resolve));
  });

  async function open() {
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await new Promise(resolve => socket.once('connect', resolve));
    return socket;
  }

  it('destroys a socket whose writes stay buffered past the timeout', async () => {
    const socket = guardWrites(await open(), 200);
    const closed = new Promise<Error | undefined>(resolve =>
      socket.once('error', resolve),
    );
    while (socket.write(Buffer.alloc(1 << 20))) {
      // fill the kernel and stream buffers until the write reports back-pressure
    }
    await expect(closed).resolves.toMatchObject({
      code: 'UND_ERR_WRITE_TIMEOUT',
    });
    expect(socket.destroyed).toBe(true);
  });

  it('leaves a socket alone while its writes flush', async () => {
    const socket = guardWrites(await open(), 50);
    socket.write('GET / HTTP/1.1\r\n\r\n');
    await new Promise(resolve => setTimeout(resolve, 150));
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });
});
