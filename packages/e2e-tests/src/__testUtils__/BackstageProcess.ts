import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '@container-inventory/plugin-container-registry-node/testUtils';
import { stringify as toYaml } from 'yaml';

/** The dev backend's package folder; the repository's app-config sits two levels up. */
const BACKEND_DIR = dirname(require.resolve('backend/package.json'));
const REPO_CONFIG = join(BACKEND_DIR, '../../app-config.yaml');

/**
 * The dev backend as a child process, serving the built app (packages/app/dist) on one free
 * port, with the repository's app-config plus `config` on top.
 */
export class BackstageProcess {
  private output = '';

  private constructor(
    readonly baseUrl: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {
    child.stdout?.on('data', chunk => this.record(chunk));
    child.stderr?.on('data', chunk => this.record(chunk));
  }

  private record(chunk: Buffer) {
    this.output = (this.output + chunk.toString()).slice(-20_000);
  }

  static async start(config: object): Promise<BackstageProcess> {
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    const dir = mkdtempSync(join(tmpdir(), 'e2e-backstage-'));
    const configPath = join(dir, 'app-config.e2e.yaml');
    writeFileSync(
      configPath,
      toYaml({
        app: { baseUrl },
        backend: {
          baseUrl,
          listen: { port },
          cors: { origin: baseUrl },
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        ...config,
      }),
    );
    const child = spawn(
      process.execPath,
      [
        require.resolve('@backstage/cli/bin/backstage-cli'),
        'package',
        'start',
        '--config',
        REPO_CONFIG,
        '--config',
        configPath,
      ],
      {
        cwd: BACKEND_DIR,
        // As under `yarn start`: the guest sign-in works in development only, and Jest sets `test`.
        env: { ...process.env, NODE_ENV: 'development' },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const backstage = new BackstageProcess(baseUrl, child, dir);
    await backstage.waitUntilServing();
    return backstage;
  }

  private async waitUntilServing() {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && this.child.exitCode === null) {
      try {
        const response = await fetch(
          `${this.baseUrl}/api/container-registry/health`,
        );
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise(done => setTimeout(done, 500));
    }
    await this.stop();
    throw new Error(
      `The backend did not start on ${this.baseUrl}:\n${this.output}`,
    );
  }

  /** Stops the backend and the watcher that runs it (its whole process group). */
  async stop() {
    if (this.child.exitCode === null && this.child.pid) {
      const exited = new Promise(done => this.child.once('exit', done));
      process.kill(-this.child.pid, 'SIGTERM');
      const timer = setTimeout(
        () => process.kill(-this.child.pid!, 'SIGKILL'),
        5000,
      );
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
