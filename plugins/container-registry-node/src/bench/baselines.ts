import { execFile } from 'node:child_process';
import pLimit from 'p-limit';
import { Pool } from 'undici';
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

/**
 * The registry's own ceiling for a request set: the same requests, in the same order, sent
 * over `connections` keep-alive connections by undici with nothing else to do.
 */
export async function replay(
  origin: string,
  requests: SeenRequest[],
  connections: number,
) {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests.length) {
      const { method, path, accept } = requests[next++];
      const response = await pool.request({
        method: method as 'GET' | 'HEAD',
        path,
        headers: accept ? { accept } : {},
      });
      await response.body.dump();
      if (response.statusCode >= 400) failures++;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return {
    requests: requests.length,
    seconds,
    requestsPerSecond: requests.length / seconds,
    failures,
  };
}
