import { readFileSync } from 'node:fs';

/** Requests the registry answered so far, summed over its handlers, from its Prometheus metrics. */
export async function requestsServed(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('registry_http_request_duration_seconds_count{')) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

/**
 * Established TCP connections to a local port, read from the kernel's socket tables: counted
 * beside the path, never in it.
 */
export function establishedConnections(port: number): {
  count: number;
  peers: string[];
} {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const peers: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address rem_address st: 01 is ESTABLISHED.
      if (fields.length < 4 || fields[3] !== '01') continue;
      if (fields[1].endsWith(`:${hexPort}`)) peers.push(fields[2]);
    }
  }
  return { count: peers.length, peers };
}
