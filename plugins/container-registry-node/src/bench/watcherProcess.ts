import { establishedConnections, requestsServed } from './registryMetrics';

/**
 * Watches a registry from outside the request path, in a process of its own: its connections
 * every 20 ms from the kernel's socket tables, its request count every second from its
 * metrics. Driven over IPC by RegistryWatcher.
 */
function main() {
  const [port, metricsUrl] = [Number(process.argv[2]), process.argv[3]];
  let peakConnections = 0;
  let peakRequestsPerSecond = 0;
  const peers = new Set<string>();
  let lastCount: number | undefined;
  const sampleConnections = setInterval(() => {
    const seen = establishedConnections(port);
    peakConnections = Math.max(peakConnections, seen.count);
    for (const peer of seen.peers) peers.add(peer);
  }, 20);
  const sampleRequests = setInterval(async () => {
    const count = await requestsServed(metricsUrl);
    if (lastCount !== undefined) {
      peakRequestsPerSecond = Math.max(
        peakRequestsPerSecond,
        count - lastCount,
      );
    }
    lastCount = count;
  }, 1000);
  process.on('message', () => {
    clearInterval(sampleConnections);
    clearInterval(sampleRequests);
    process.send!(
      {
        sampled: {
          peakConnections,
          connectionsSeen: peers.size,
          peakRequestsPerSecond,
        },
      },
      () => process.exit(0),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ ready: true });
}

main();
