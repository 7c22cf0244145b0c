import { Agent } from 'undici';
import {
  ScriptedServer,
  startScriptedServer,
} from '../__testUtils__/scriptedServer';
import { collectResponse } from './collectResponse';

describe('collectResponse', () => {
  let server: ScriptedServer;
  const agent = new Agent();
  const body = Buffer.alloc(300_000, 'abcdefgh');
  beforeAll(async () => {
    server = await startScriptedServer((req, res) => {
      const headers: Record<string, string> =
        req.url === '/sized' ? { 'content-length': String(body.length) } : {};
      res.writeHead(200, headers);
      // Several writes, so the body arrives in several chunks.
      const length = req.url === '/empty' ? 0 : body.length;
      for (let i = 0; i < length; i += 65_536) {
        res.write(body.subarray(i, i + 65_536));
      }
      res.end();
    });
  });
  afterAll(async () => {
    await agent.close();
    await server.close();
  });

  const get = (path: string, method: 'GET' | 'HEAD' = 'GET') =>
    collectResponse(
      agent,
      { origin: server.url, path, method, headers: {} },
      1_000_000,
    );

  it('gathers a body of announced length, in chunks, exactly', async () => {
    const res = await get('/sized');
    expect(res.body.equals(body)).toBe(true);
  });

  it('gathers a chunked body of unknown length exactly', async () => {
    const res = await get('/chunked');
    expect(res.body.equals(body)).toBe(true);
  });

  it('gathers an empty body', async () => {
    const res = await get('/empty');
    expect(res.body.length).toBe(0);
  });

  it('answers an empty body to HEAD whatever length is announced', async () => {
    const res = await get('/sized', 'HEAD');
    expect(res.body.length).toBe(0);
  });
});
