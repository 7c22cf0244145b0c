import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { SeenRequest } from './CountingProxy';

/** `skopeo inspect` of each image, `concurrency` at a time: tags per second. */
export async function skopeoInspect(
  host: string,
  images: string[],
  concurrency: number,
) {
  const limit = pLimit(concurrency);
  const started = performance.now();
  let failures = 0;
  await Promise.all(
    images.map(image =>
      limit(
        () =>
          new Promise<void>(resolve =>
            execFile(
              'skopeo',
              ['inspect', '--tls-verify=false', `docker://${host}/${image}`],
              error => {
                if (error) failures++;
                resolve();
              },
            ),
          ),
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    tags: images.length,
    seconds,
    tagsPerSecond: images.length / seconds,
    failures,
  };
}

/** The wrk script that replays a request file once, in order. */
const REPLAY_SCRIPT = require.resolve('./replay.lua');

interface WrkReplayResult {
  responses: number;
  failures: number;
  microseconds: number;
  /** CPU time wrk used, read from the kernel when its threads were done. */
  cpuSeconds?: number;
}

/** User and system CPU of a live process, from /proc (Linux clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Runs wrk until each of its threads says it is done, then stops it as Ctrl-C would. */
function runWrk(args: string[], threads: number): Promise<WrkReplayResult> {
  return new Promise((resolve, reject) => {
    const wrk = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stopping = false;
    let cpuSeconds: number | undefined;
    wrk.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const done = output.match(/^replay-thread-done$/gm)?.length ?? 0;
      if (done === threads && !stopping) {
        stopping = true;
        cpuSeconds = cpuSecondsOf(wrk.pid!);
        wrk.kill('SIGINT');
      }
    });
    wrk.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    wrk.once('error', reject);
    wrk.once('close', () => {
      const line = output.split('\n').find(l => l.startsWith('{"responses"'));
      if (line) resolve({ ...JSON.parse(line), cpuSeconds });
      else reject(new Error(`wrk printed no result:\n${output}`));
    });
  });
}

/**
 * The registry's own ceiling for a request set: the same requests, in the same order, sent over
 * `connections` keep-alive connections by wrk, a load generator in C that leaves the registry
 * nearly all of the machine.
 */
export async function replay(
  origin: string,
  requests: SeenRequest[],
  connections: number,
) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-replay-'));
  const requestFile = join(dir, 'requests.tsv');
  writeFileSync(
    requestFile,
    requests.map(r => `${r.method}\t${r.path}\t${r.accept ?? ''}\n`).join(''),
  );
  const threads = Math.max(1, Math.min(connections, cpus().length));
  try {
    const result = await runWrk(
      [
        ...['-t', String(threads), '-c', String(connections)],
        ...['-d', '10m', '--timeout', '30s', '-s', REPLAY_SCRIPT],
        ...[origin, '--', requestFile, String(threads)],
      ],
      threads,
    );
    const seconds = result.microseconds / 1e6;
    return {
      requests: result.responses,
      seconds,
      requestsPerSecond: result.responses / seconds,
      failures: result.failures,
      cpuSeconds: result.cpuSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
