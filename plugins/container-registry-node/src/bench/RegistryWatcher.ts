import { ChildProcess, fork } from 'node:child_process';
import { requestsServed } from './registryMetrics';

export interface RegistryLoad {
  /** Requests the registry answered, from its own metrics. */
  requests: number;
  /** Most established connections at once, sampled every 20 ms. */
  peakConnections: number;
  /** Distinct client connections sampled. */
  connectionsSeen: number;
  /** Most requests answered within one second, from the metrics scraped each second. */
  peakRequestsPerSecond: number;
}

/** What the registry saw during a run, counted at the registry and the kernel. */
export class RegistryWatcher {
  private constructor(
    private readonly child: ChildProcess,
    private readonly metricsUrl: string,
    private readonly requestsBefore: number,
  ) {}

  static async start(port: number, metricsUrl: string) {
    const requestsBefore = await requestsServed(metricsUrl);
    const child = fork(
      require.resolve('./watcherProcess'),
      [String(port), metricsUrl],
      {
        execArgv: [
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        ],
      },
    );
    // The module loader of the child talks over the same channel: only our replies count.
    await new Promise<void>((resolve, reject) => {
      child.on('message', (message: { ready?: boolean }) => {
        if (message?.ready) resolve();
      });
      child.once('exit', code =>
        reject(new Error(`The registry watcher exited with ${code}`)),
      );
    });
    return new RegistryWatcher(child, metricsUrl, requestsBefore);
  }

  async stop(): Promise<RegistryLoad> {
    const sampled = await new Promise<Omit<RegistryLoad, 'requests'>>(
      resolve => {
        this.child.on('message', (message: { sampled?: RegistryLoad }) => {
          if (message?.sampled) resolve(message.sampled);
        });
        this.child.send('stop');
      },
    );
    const requests =
      (await requestsServed(this.metricsUrl)) - this.requestsBefore;
    return { requests, ...sampled };
  }
}
