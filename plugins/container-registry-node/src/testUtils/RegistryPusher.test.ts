import { MediaType } from '../manifests/mediaTypes';
import { pushDockerImage, pushOciImage } from './images';
import { RegistryPusher, sha256Digest } from './RegistryPusher';
import { startTestRegistry, TestRegistry } from './TestRegistry';

jest.setTimeout(60_000);

/** Records `METHOD path?query` of every request the pusher makes to the registry. */
function recordRequests(registryUrl: string) {
  const requests: string[] = [];
  const realFetch = global.fetch;
  const spy = jest.spyOn(global, 'fetch').mockImplementation((input, init) => {
    const url = new URL(String(input));
    if (url.origin === registryUrl) {
      // The upload state differs on each run.
      url.searchParams.delete('_state');
      requests.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
    }
    return realFetch(input, init);
  });
  return { requests, restore: () => spy.mockRestore() };
}

describe('RegistryPusher', () => {
  const started: TestRegistry[] = [];
  const start = async (options: Parameters<typeof startTestRegistry>[0]) => {
    const registry = await startTestRegistry(options);
    started.push(registry);
    return registry;
  };
  afterAll(() => Promise.all(started.map(registry => registry.stop())));

  it('skips a blob the repository has and mounts one another repository has', async () => {
    const registry = await start({});
    const pusher = new RegistryPusher(registry);
    const bytes = Buffer.from('layer bytes');
    const digest = sha256Digest(bytes);
    const recorder = recordRequests(registry.url);
    try {
      expect(await pusher.pushBlob('acme/one', bytes)).toEqual({
        digest,
        size: bytes.length,
      });
      await pusher.pushBlob('acme/one', bytes, 'application/octet-stream');
      await pusher.pushBlob('acme/two', bytes);
    } finally {
      recorder.restore();
    }
    expect(recorder.requests).toEqual([
      `HEAD /v2/acme/one/blobs/${digest}`,
      'POST /v2/acme/one/blobs/uploads/',
      expect.stringMatching(
        new RegExp(
          `^PUT /v2/acme/one/blobs/uploads/[\\w-]+\\?digest=${encodeURIComponent(
            digest,
          )}$`,
        ),
      ),
      `HEAD /v2/acme/two/blobs/${digest}`,
      `POST /v2/acme/two/blobs/uploads/?mount=${encodeURIComponent(
        digest,
      )}&from=acme%2Fone`,
    ]);
    const mounted = await fetch(`${registry.url}/v2/acme/two/blobs/${digest}`);
    expect(Buffer.from(await mounted.arrayBuffer())).toEqual(bytes);
  });

  it('sends a layer shared by images pushed at once to their repository once', async () => {
    const registry = await start({});
    const pusher = new RegistryPusher(registry);
    const recorder = recordRequests(registry.url);
    let images;
    try {
      images = await Promise.all(
        ['v1', 'v2', 'v3', 'v4'].map(tag =>
          pushDockerImage(pusher, 'acme/shared', [tag], {
            seed: tag,
            layerSeed: 'base',
          }),
        ),
      );
    } finally {
      recorder.restore();
    }
    expect(new Set(images.map(image => image.digest)).size).toBe(4);
    // One upload for the shared layer, one per image for its own config.
    const uploads = recorder.requests.filter(request =>
      request.startsWith('POST /v2/acme/shared/blobs/uploads/'),
    );
    expect(uploads).toHaveLength(5);
  });

  it('gives one digest to a manifest pushed under several tags', async () => {
    const registry = await start({ auth: 'basic' });
    const pusher = new RegistryPusher(registry);
    const image = await pushOciImage(pusher, 'acme/app', ['latest', '1.0'], {
      seed: 'tags',
    });
    expect(image.tags).toEqual(['1.0', 'latest']);
    const byDigest = await pushOciImage(pusher, 'acme/app', [], {
      seed: 'tags',
    });
    expect(byDigest.digest).toBe(image.digest);
    expect(byDigest.tags).toEqual([]);
  });

  it('asks the token server again once the registry refuses its token', async () => {
    // distribution accepts a token until 60 s past its exp: this one lives about 2 s.
    const registry = await start({ auth: 'token', tokenExpiresInSeconds: -58 });
    const pusher = new RegistryPusher(registry);
    await pushDockerImage(pusher, 'acme/app', ['1'], { seed: 'first' });
    const issued = registry.tokenServer!.tokensIssued();
    await new Promise(resolve => setTimeout(resolve, 3000));
    await pushDockerImage(pusher, 'acme/app', ['2'], { seed: 'second' });
    expect(registry.tokenServer!.tokensIssued()).toBe(issued + 1);
  });

  it('fails clearly with wrong credentials', async () => {
    const basic = await start({ auth: 'basic' });
    const token = await start({ auth: 'token' });
    const credentials = { username: 'admin', password: 'wrong' };
    const blob = Buffer.from('x');
    await expect(
      new RegistryPusher({ ...basic, credentials }).pushBlob('acme/a', blob),
    ).rejects.toThrow(/answered 401/);
    await expect(
      new RegistryPusher({ ...token, credentials }).pushBlob('acme/a', blob),
    ).rejects.toThrow(
      /Token request for repository:acme\/a:pull,push answered 401/,
    );
  });

  it('refuses a manifest whose blobs are missing, naming the registry error', async () => {
    const registry = await start({});
    const pusher = new RegistryPusher(registry);
    const body = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: {
          mediaType: MediaType.ociConfig,
          digest: sha256Digest(Buffer.from('absent')),
          size: 6,
        },
        layers: [],
      }),
    );
    await expect(
      pusher.pushManifest('acme/app', 'broken', MediaType.ociManifest, body),
    ).rejects.toThrow(/answered 400: .*MANIFEST_BLOB_UNKNOWN/);
  });
});
