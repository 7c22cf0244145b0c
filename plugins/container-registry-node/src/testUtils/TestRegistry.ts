import bcrypt from 'bcryptjs';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { freePort } from './network';
import { startTokenServer, TokenServer } from './tokenServer';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface TestRegistryOptions {
  /** `none` (open), `basic` (htpasswd, bcrypt) or `token` (a token server beside it). */
  auth?: 'none' | 'basic' | 'token';
  /** username → password; default `{ admin: 'secret' }`. */
  users?: Record<string, string>;
  /** distribution's `catalog.maxentries`: the largest `_catalog` page it answers. */
  catalogMaxEntries?: number;
  /** Keep storage here (the demo); default a temporary folder removed on stop. */
  storageDir?: string;
  port?: number;
  /** Token auth: `expires_in` of issued tokens; default 300. */
  tokenExpiresInSeconds?: number;
}

export interface TestRegistry {
  url: string;
  host: string;
  credentials?: { username: string; password: string };
  tokenServer?: { url: string; tokensIssued(): number };
  stop(): Promise<void>;
}

function htpasswd(users: Record<string, string>): string {
  // distribution reads bcrypt hashes; `$2y$` is the prefix htpasswd itself writes.
  return Object.entries(users)
    .map(
      ([user, password]) =>
        `${user}:${bcrypt.hashSync(password, 6).replace(/^\$2[ab]\$/, '$2y$')}`,
    )
    .join('\n');
}

function registryConfig(options: {
  port: number;
  storage: string;
  logFile: string;
  auth?: object;
  catalogMaxEntries?: number;
}) {
  return {
    version: 0.1,
    log: { level: 'warn', formatter: 'text' },
    storage: {
      filesystem: { rootdirectory: options.storage },
      delete: { enabled: true },
    },
    http: {
      addr: `127.0.0.1:${options.port}`,
      secret: randomBytes(16).toString('hex'),
    },
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.catalogMaxEntries
      ? { catalog: { maxentries: options.catalogMaxEntries } }
      : {}),
  };
}

async function waitUntilServing(
  url: string,
  child: ChildProcess,
  logFile: string,
) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}/v2/`);
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  const log = existsSync(logFile)
    ? readFileSync(logFile, 'utf8').slice(-2000)
    : '';
  throw new Error(
    `docker-registry did not start on ${url} (exit code ${child.exitCode}):\n${log}`,
  );
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts Debian's docker-registry (CNCF distribution) on a free loopback port with its own
 * storage and auth, for tests and the demo. Fails, never skips, when the binary is missing.
 */
export async function startTestRegistry(
  options: TestRegistryOptions = {},
): Promise<TestRegistry> {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(
      `${REGISTRY_BINARY} is missing: install it with "apt-get install docker-registry" or run "./run setup"`,
    );
  }
  const auth = options.auth ?? 'none';
  const users = options.users ?? { admin: 'secret' };
  const dir = mkdtempSync(join(tmpdir(), 'test-registry-'));
  const storage = options.storageDir ?? join(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  const logFile = join(dir, 'registry.log');

  let tokenServer: TokenServer | undefined;
  let authConfig: object | undefined;
  if (auth === 'basic') {
    writeFileSync(join(dir, 'htpasswd'), htpasswd(users));
    authConfig = {
      htpasswd: { realm: 'test-registry', path: join(dir, 'htpasswd') },
    };
  } else if (auth === 'token') {
    tokenServer = await startTokenServer({
      dir,
      users,
      expiresInSeconds: options.tokenExpiresInSeconds ?? 300,
    });
    authConfig = {
      token: {
        realm: tokenServer.realm,
        service: tokenServer.service,
        issuer: tokenServer.issuer,
        rootcertbundle: tokenServer.certificatePath,
      },
    };
  }

  // A port picked free can be taken before the registry binds it: try a few.
  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort());
    const configPath = join(dir, 'config.yml');
    writeFileSync(
      configPath,
      toYaml(
        registryConfig({
          port,
          storage,
          logFile,
          auth: authConfig,
          catalogMaxEntries: options.catalogMaxEntries,
        }),
      ),
    );
    const log = openSync(logFile, 'a');
    const child = spawn(REGISTRY_BINARY, ['serve', configPath], {
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilServing(url, child, logFile);
    } catch (error) {
      await stopProcess(child);
      const bindError = /address already in use/.test(
        readFileSync(logFile, 'utf8'),
      );
      if (bindError && !options.port && attempt < 3) continue;
      await tokenServer?.close();
      throw error;
    }
    const [username] = Object.keys(users);
    let stopped = false;
    return {
      url,
      host: `127.0.0.1:${port}`,
      ...(auth !== 'none'
        ? { credentials: { username, password: users[username] } }
        : {}),
      ...(tokenServer
        ? {
            tokenServer: {
              url: tokenServer.url,
              tokensIssued: tokenServer.tokensIssued,
            },
          }
        : {}),
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopProcess(child);
        await tokenServer?.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
