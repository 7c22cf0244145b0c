import { ChildProcess, fork } from 'node:child_process';
import type { ProxySnapshot } from './CountingProxy';

/** A CountingProxy running in a child process, asked for its counts over IPC. */
export class RemoteCountingProxy {
  private nextId = 1;
  private readonly pending = new Map<number, (value: any) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (message: { id?: number; value?: unknown }) => {
      if (message?.id === undefined) return;
      this.pending.get(message.id)?.(message.value);
      this.pending.delete(message.id);
    });
  }

  static async start(targetPort: number): Promise<RemoteCountingProxy> {
    const child = fork(
      require.resolve('./proxyProcess'),
      [String(targetPort)],
      {
        execArgv: [
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        ],
      },
    );
    const port = await new Promise<number>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean; port?: number }) => {
        if (!message?.ready) return;
        child.off('message', onMessage);
        resolve(message.port!);
      };
      child.on('message', onMessage);
      child.once('exit', code =>
        reject(new Error(`The proxy process exited with ${code}`)),
      );
    });
    return new RemoteCountingProxy(child, port);
  }

  private ask<T>(command: 'reset' | 'snapshot' | 'close'): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>(resolve => {
      this.pending.set(id, resolve);
      this.child.send({ id, command });
    });
  }

  reset(): Promise<void> {
    return this.ask('reset');
  }

  snapshot(): Promise<ProxySnapshot> {
    return this.ask('snapshot');
  }

  close(): Promise<void> {
    return this.ask('close');
  }
}
