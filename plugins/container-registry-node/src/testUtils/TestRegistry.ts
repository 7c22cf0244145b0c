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
  /**
   * Run the registry on these CPUs only (a `taskset` list such as `1`), as if on a host of its
   * own: for benchmarks, so that the client's work does not take the registry's CPU.
   */
  cpus?: string;
  /**
   * Serve distribution's Prometheus metrics on a debug port of their own, so that a benchmark
   * counts what the registry saw without standing between it and the client.
   */
  metrics?: boolean;
}

export interface TestRegistry {
  url: string;
  host: string;
  /** The registry's process id. */
  pid: number;
  credentials?: { username: string; password: string };
  tokenServer?: { url: string; tokensIssued(): number };
  /** The Prometheus endpoint, when asked for with `metrics`. */
  metricsUrl?: string;
  stop(): Promise<void>;
}

/** The registry checks the hash on every request: the lowest cost keeps tests quick. */
const BCRYPT_COST = 4;

/**
 * distribution checks hashes with Go's bcrypt, which takes the `$2a$`, `$2b$` and `$2y$`
 * prefixes alike; `$2y$` is what `htpasswd -B` writes, so the file looks like a real one.
 */
function htpasswd(users: Record<string, string>): string {
  return Object.entries(users)
    .map(([user, password]) => {
      const hash = bcrypt
        .hashSync(password, BCRYPT_COST)
        .replace(/^\$2[ab]\$/, '$2y$');
      return `${user}:${hash}\n`;
    })
    .join('');
}

function registryConfig(options: {
  port: number;
  storage: string;
  auth?: object;
  catalogMaxEntries?: number;
  metricsPort?: number;
}) {
  return {
    version: 0.1,
    // Warnings and errors only: the access log would grow by a line per request.
    log: { level: 'warn', formatter: 'text', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: options.storage },
      delete: { enabled: true },
    },
    http: {
      addr: `127.0.0.1:${options.port}`,
      // Without a secret every start warns and picks a random one anyway.
      secret: randomBytes(16).toString('hex'),
      ...(options.metricsPort
        ? {
            debug: {
              addr: `127.0.0.1:${options.metricsPort}`,
              prometheus: { enabled: true, path: '/metrics' },
            },
          }
        : {}),
    },
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.catalogMaxEntries
      ? { catalog: { maxentries: options.catalogMaxEntries } }
      : {}),
  };
}

const readTail = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').slice(-2000) : '';

async function waitUntilServing(
  url: string,
  child: ChildProcess,
  logFile: string,
) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      // Bounded: when another server holds the port, its silence must not stall the start.
      const response = await fetch(`${url}/v2/`, {
        signal: AbortSignal.timeout(1000),
      });
      await response.arrayBuffer();
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(
    `docker-registry did not start on ${url} (exit code ${
      child.exitCode
    }):\n${readTail(logFile)}`,
  );
}

/** Registries still running, killed if this process exits without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killOnExit(child: ChildProcess) {
  running.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const orphan of running) orphan.kill('SIGKILL');
  });
}

async function stopProcess(child: ChildProcess) {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Writes the files an auth mode needs into `dir`; answers the registry's `auth` section. */
async function setUpAuth(
  auth: NonNullable<TestRegistryOptions['auth']>,
  dir: string,
  users: Record<string, string>,
  tokenExpiresInSeconds: number,
): Promise<{ config?: object; tokenServer?: TokenServer }> {
  if (auth === 'basic') {
    const path = join(dir, 'htpasswd');
    writeFileSync(path, htpasswd(users));
    return { config: { htpasswd: { realm: 'test-registry', path } } };
  }
  if (auth === 'token') {
    const tokenServer = await startTokenServer({
      dir,
      users,
      expiresInSeconds: tokenExpiresInSeconds,
    });
    const config = {
      token: {
        realm: tokenServer.realm,
        service: tokenServer.service,
        issuer: tokenServer.issuer,
        rootcertbundle: tokenServer.certificatePath,
      },
    };
    return { config, tokenServer };
  }
  return {};
}

/**
 * Runs the registry until `/v2/` answers. A port picked free can be taken before the registry
 * binds it, so a bind failure on a picked port is retried on another.
 */
async function serve(
  dir: string,
  config: Omit<Parameters<typeof registryConfig>[0], 'port'>,
  placement: { fixedPort?: number; cpus?: string },
) {
  const { fixedPort, cpus } = placement;
  const configPath = join(dir, 'config.yml');
  const logFile = join(dir, 'registry.log');
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    writeFileSync(configPath, toYaml(registryConfig({ ...config, port })));
    const log = openSync(logFile, 'w');
    const command = [REGISTRY_BINARY, 'serve', configPath];
    // taskset sets the CPUs and then becomes the registry: the child is the registry itself.
    if (cpus) command.unshift('taskset', '--cpu-list', cpus);
    const child = spawn(command[0], command.slice(1), {
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    killOnExit(child);
    try {
      await waitUntilServing(`http://127.0.0.1:${port}`, child, logFile);
      return { child, port };
    } catch (error) {
      await stopProcess(child);
      const bindFailed = /address already in use/.test(readTail(logFile));
      if (!bindFailed || fixedPort || attempt >= 5) throw error;
    }
  }
}

/**
 * Starts Debian's docker-registry (CNCF distribution) on a loopback port with its own storage
 * and auth, for tests and the demo. Fails, never skips, when the binary is missing.
 */
export async function startTestRegistry(
  options: TestRegistryOptions = {},
): Promise<TestRegistry> {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(
      `${REGISTRY_BINARY} is missing: install it with "apt-get install docker-registry" or run "./run setup"`,
    );
  }
  const users = options.users ?? { admin: 'secret' };
  const auth = options.auth ?? 'none';
  const dir = mkdtempSync(join(tmpdir(), 'test-registry-'));
  const storage = options.storageDir ?? join(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  let tokenServer: TokenServer | undefined;
  let child: ChildProcess | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child) await stopProcess(child);
    await tokenServer?.close();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const authSetup = await setUpAuth(
      auth,
      dir,
      users,
      options.tokenExpiresInSeconds ?? 300,
    );
    tokenServer = authSetup.tokenServer;
    const metricsPort = options.metrics ? await freePort() : undefined;
    const served = await serve(
      dir,
      {
        storage,
        auth: authSetup.config,
        catalogMaxEntries: options.catalogMaxEntries,
        metricsPort,
      },
      { fixedPort: options.port, cpus: options.cpus },
    );
    child = served.child;
    const host = `127.0.0.1:${served.port}`;
    const [username] = Object.keys(users);
    return {
      url: `http://${host}`,
      host,
      pid: child.pid!,
      ...(metricsPort
        ? { metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` }
        : {}),
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
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
