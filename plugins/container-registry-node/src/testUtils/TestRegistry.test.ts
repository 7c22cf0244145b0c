import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { authorizedFetch } from './authorizedFetch';
import { freePort } from './network';
import { pushOciImage } from './images';
import { RegistryPusher } from './RegistryPusher';
import { seedRepositories } from './seed';
import { startTestRegistry, TestRegistry } from './TestRegistry';

jest.setTimeout(60_000);

// Lets a test hand the registry a port that is taken, as a race with another process would.
jest.mock('./network', () => {
  const actual = jest.requireActual('./network');
  return { ...actual, freePort: jest.fn(actual.freePort) };
});

const CATALOG = 'registry:catalog:*';

describe('startTestRegistry', () => {
  const started: TestRegistry[] = [];
  const start = async (options: Parameters<typeof startTestRegistry>[0]) => {
    const registry = await startTestRegistry(options);
    started.push(registry);
    return registry;
  };
  afterAll(() => Promise.all(started.map(registry => registry.stop())));

  it('starts an open registry on a loopback port', async () => {
    const registry = await start({});
    expect(registry.url).toBe(`http://${registry.host}`);
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(registry.credentials).toBeUndefined();
    expect(registry.tokenServer).toBeUndefined();
    const response = await fetch(`${registry.url}/v2/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-distribution-api-version')).toBe(
      'registry/2.0',
    );
  });

  it('runs on the CPUs it is given, for benchmarks', async () => {
    const registry = await start({ cpus: '0' });
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
    const status = readFileSync(`/proc/${registry.pid}/status`, 'utf8');
    expect(status).toMatch(/^Name:\s+docker-registry$/m);
    expect(status).toMatch(/^Cpus_allowed_list:\s+0$/m);
  });

  it.each([
    ['basic', /^Basic realm="test-registry"/],
    ['token', /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token",service=/],
  ] as const)(
    'with %s auth refuses anonymous requests and lets its user in',
    async (auth, challenge) => {
      const registry = await start({ auth });
      expect(registry.credentials).toEqual({
        username: 'admin',
        password: 'secret',
      });
      for (const path of ['/v2/', '/v2/_catalog']) {
        const anonymous = await fetch(`${registry.url}${path}`);
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('www-authenticate')).toMatch(challenge);
      }
      const allowed = await authorizedFetch(registry, '/v2/_catalog', {
        scope: CATALOG,
      });
      expect(allowed.status).toBe(200);
      expect(await allowed.json()).toEqual({ repositories: [] });
    },
  );

  it('checks htpasswd passwords and takes every user given', async () => {
    const registry = await start({
      auth: 'basic',
      users: { ci: 'p:ss wörd', reader: 'other' },
    });
    expect(registry.credentials).toEqual({
      username: 'ci',
      password: 'p:ss wörd',
    });
    const as = (username: string, password: string) =>
      authorizedFetch(
        { ...registry, credentials: { username, password } },
        '/v2/',
      );
    expect((await as('ci', 'p:ss wörd')).status).toBe(200);
    expect((await as('reader', 'other')).status).toBe(200);
    expect((await as('ci', 'wrong')).status).toBe(401);
    expect((await as('nobody', 'other')).status).toBe(401);
  });

  it('counts the tokens its token server issues', async () => {
    const registry = await start({ auth: 'token' });
    const before = registry.tokenServer!.tokensIssued();
    await authorizedFetch(registry, '/v2/_catalog', { scope: CATALOG });
    await authorizedFetch(registry, '/v2/_catalog', { scope: CATALOG });
    expect(registry.tokenServer!.tokensIssued()).toBe(before + 2);
  });

  it('pages _catalog with a Link header when catalogMaxEntries is small', async () => {
    const registry = await start({ catalogMaxEntries: 2 });
    await seedRepositories(registry, { repositories: 5, tagsPerRepository: 1 });

    const pages: string[][] = [];
    let next: string | undefined = '/v2/_catalog?n=2';
    while (next) {
      const response: Response = await fetch(new URL(next, registry.url));
      expect(response.status).toBe(200);
      pages.push((await response.json()).repositories);
      next = response.headers
        .get('link')
        ?.match(/^<([^>]+)>; rel="next"$/)?.[1];
    }
    expect(pages.map(page => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual([
      'bench/repo-00000',
      'bench/repo-00001',
      'bench/repo-00002',
      'bench/repo-00003',
      'bench/repo-00004',
    ]);
    // distribution refuses a page larger than maxentries rather than shortening it.
    const tooLarge = await fetch(`${registry.url}/v2/_catalog?n=3`);
    expect(tooLarge.status).toBe(400);
  });

  it('moves to another port when the one it picked is taken meanwhile', async () => {
    const squatter = createServer();
    await new Promise<void>(resolve =>
      squatter.listen(0, '127.0.0.1', resolve),
    );
    const taken = (squatter.address() as AddressInfo).port;
    const picked = jest.mocked(freePort);
    picked.mockClear().mockResolvedValueOnce(taken);
    try {
      const registry = await start({});
      expect(picked).toHaveBeenCalledTimes(2);
      expect(registry.host).not.toBe(`127.0.0.1:${taken}`);
      await expect(start({ port: taken })).rejects.toThrow(
        /did not start on http:\/\/127\.0\.0\.1:\d+ .*\n.*address already in use/s,
      );
    } finally {
      squatter.close();
    }
  });

  it('stops for good, twice over, and removes its temporary folder', async () => {
    // A parent folder of its own, so that only this registry's folder shows in it.
    const parent = mkdtempSync(join(tmpdir(), 'registry-parent-'));
    const tmpdirSpy = jest.spyOn(os, 'tmpdir').mockReturnValue(parent);
    try {
      const registry = await start({ auth: 'token' });
      expect(readdirSync(parent)).toEqual([
        expect.stringMatching(/^test-registry-/),
      ]);
      await registry.stop();
      await registry.stop();
      await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
      await expect(fetch(registry.tokenServer!.url)).rejects.toThrow();
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      tmpdirSpy.mockRestore();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('keeps a given storage folder across restarts on a given port', async () => {
    const storageDir = mkdtempSync(join(tmpdir(), 'kept-storage-'));
    try {
      const first = await start({ storageDir });
      const port = Number(new URL(first.url).port);
      await pushOciImage(new RegistryPusher(first), 'acme/kept', ['v1'], {
        seed: 'kept',
      });
      await first.stop();
      expect(existsSync(join(storageDir, 'docker'))).toBe(true);

      const second = await start({ storageDir, port });
      expect(second.url).toBe(first.url);
      const catalog = await (await fetch(`${second.url}/v2/_catalog`)).json();
      expect(catalog.repositories).toEqual(['acme/kept']);
      await second.stop();
    } finally {
      rmSync(storageDir, { recursive: true, force: true });
    }
  });
});
