import { CountingProxy } from './CountingProxy';

/**
 * The counting proxy in a process of its own, so that forwarding bytes does not compete with
 * the crawler for its event loop. Driven over IPC by RemoteCountingProxy.
 */
async function main() {
  const proxy = await CountingProxy.start(Number(process.argv[2]));
  process.on(
    'message',
    (message: { id: number; command: 'reset' | 'snapshot' | 'close' }) => {
      const reply = (value: unknown) =>
        process.send!({ id: message.id, value });
      if (message.command === 'reset') {
        proxy.reset();
        reply(null);
      } else if (message.command === 'snapshot') {
        reply(proxy.snapshot());
      } else {
        proxy.close().then(() => {
          reply(null);
          process.exit(0);
        });
      }
    },
  );
  // A benchmark that dies or is interrupted takes its proxy with it.
  process.on('disconnect', () => process.exit(0));
  process.send!({ ready: true, port: proxy.port });
}

main().catch(error => {
  process.stderr.write(`${error}\n`);
  process.exit(1);
});
