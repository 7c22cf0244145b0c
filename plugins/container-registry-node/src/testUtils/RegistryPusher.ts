import { createHash } from 'node:crypto';

/** A content descriptor as manifests reference it. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

/** What `pushBlob` answers: the media type only when the caller named one. */
export type BlobDescriptor = Omit<Descriptor, 'mediaType'> & {
  mediaType?: string;
};

export interface RegistryAddress {
  url: string;
  credentials?: { username: string; password: string };
}

export const sha256Digest = (bytes: Buffer) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

type Challenge =
  | { scheme: 'basic' }
  | { scheme: 'bearer'; realm: string; service?: string };

function parseChallenge(header: string): Challenge | undefined {
  const scheme = header.split(' ')[0].toLowerCase();
  if (scheme === 'basic') return { scheme };
  if (scheme !== 'bearer') return undefined;
  const params = new Map<string, string>();
  for (const [, key, value] of header.matchAll(/(\w+)="([^"]*)"/g)) {
    params.set(key.toLowerCase(), value);
  }
  const realm = params.get('realm');
  return realm ? { scheme, realm, service: params.get('service') } : undefined;
}

/**
 * Pushes blobs and manifests through the V2 API the way `docker push` does, so tests and the
 * demo fill a real registry. Starts anonymous and answers Basic or Bearer challenges itself.
 */
export class RegistryPusher {
  private readonly basic?: string;
  private challenge?: Challenge;
  /** Bearer tokens by the scopes they were asked for. */
  private readonly tokens = new Map<string, Promise<string>>();
  /** A repository each blob is known to be in, to mount it elsewhere instead of uploading. */
  private readonly blobHomes = new Map<string, string>();
  /**
   * Blob pushes by repository and digest. distribution rewrites a blob's link file in place on
   * every upload, so a second concurrent upload of a blob could let a manifest PUT read a half
   * written link and fail with BLOB_UNKNOWN: each blob goes to each repository once.
   */
  private readonly blobPushes = new Map<string, Promise<void>>();

  constructor(private readonly registry: RegistryAddress) {
    const { credentials } = registry;
    if (credentials) {
      const pair = `${credentials.username}:${credentials.password}`;
      this.basic = `Basic ${Buffer.from(pair).toString('base64')}`;
    }
  }

  /**
   * Uploads a blob unless the repository has it already. A blob pushed earlier to another
   * repository is mounted from there, which costs one request instead of two.
   */
  pushBlob(repository: string, bytes: Buffer): Promise<BlobDescriptor>;
  pushBlob(
    repository: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<Descriptor>;
  async pushBlob(
    repository: string,
    bytes: Buffer,
    mediaType?: string,
  ): Promise<BlobDescriptor> {
    const digest = sha256Digest(bytes);
    const descriptor = {
      ...(mediaType ? { mediaType } : {}),
      digest,
      size: bytes.length,
    };
    const key = `${repository}@${digest}`;
    let push = this.blobPushes.get(key);
    if (!push) {
      push = this.uploadUnlessPresent(repository, digest, bytes);
      this.blobPushes.set(key, push);
      // A failed push must not stay cached for the next caller.
      push.catch(() => this.blobPushes.delete(key));
    }
    await push;
    // The first home stays: one extra token scope per repository, not one per blob push.
    if (!this.blobHomes.has(digest)) this.blobHomes.set(digest, repository);
    return descriptor;
  }

  private async uploadUnlessPresent(
    repository: string,
    digest: string,
    bytes: Buffer,
  ) {
    if (await this.hasBlob(repository, digest)) return;
    const location = await this.startUpload(repository, digest);
    if (location) await this.finishUpload(repository, location, bytes);
  }

  /** Puts a manifest under a tag or digest; answers its digest, checked against the registry's. */
  async pushManifest(
    repository: string,
    reference: string,
    mediaType: string,
    body: Buffer,
  ): Promise<string> {
    const response = await this.expectStatus(
      this.send(repository, `/v2/${repository}/manifests/${reference}`, {
        method: 'PUT',
        headers: { 'content-type': mediaType },
        body,
      }),
      201,
      `Pushing manifest ${repository}:${reference}`,
    );
    const digest = sha256Digest(body);
    const announced = response.headers.get('docker-content-digest');
    if (announced !== digest) {
      throw new Error(
        `Registry answered digest ${announced} for a manifest whose bytes hash to ${digest}`,
      );
    }
    return digest;
  }

  private async hasBlob(repository: string, digest: string) {
    const response = await this.send(
      repository,
      `/v2/${repository}/blobs/${digest}`,
      { method: 'HEAD' },
    );
    return response.status === 200;
  }

  /** Answers where to upload the bytes, or undefined when the blob was mounted. */
  private async startUpload(repository: string, digest: string) {
    const from = this.blobHomes.get(digest);
    const mount =
      from && from !== repository
        ? `?${new URLSearchParams({ mount: digest, from })}`
        : '';
    const response = await this.expectStatus(
      this.send(
        repository,
        `/v2/${repository}/blobs/uploads/${mount}`,
        { method: 'POST' },
        from && mount ? [`repository:${from}:pull`] : [],
      ),
      [201, 202],
      `Starting the upload of ${digest} to ${repository}`,
    );
    if (response.status === 201) return undefined;
    const location = response.headers.get('location');
    if (!location) throw new Error(`Upload of ${digest} has no Location`);
    // The Location is relative or absolute and may carry its own query (distribution's _state).
    const target = new URL(location, this.registry.url);
    target.searchParams.set('digest', digest);
    return target;
  }

  private async finishUpload(repository: string, location: URL, bytes: Buffer) {
    // distribution 2.8 has no single-request upload: POST, then PUT the whole blob.
    await this.expectStatus(
      this.send(repository, location.href, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      }),
      201,
      `Uploading ${location.searchParams.get('digest')} to ${repository}`,
    );
  }

  private async expectStatus(
    pending: Promise<Response>,
    expected: number | number[],
    what: string,
  ) {
    const response = await pending;
    if (![expected].flat().includes(response.status)) {
      throw new Error(
        `${what} answered ${response.status}: ${await response.text()}`,
      );
    }
    return response;
  }

  /** One request; a 401 is answered once, with fresh credentials for the challenge it names. */
  private async send(
    repository: string,
    path: string,
    init: RequestInit,
    extraScopes: string[] = [],
  ): Promise<Response> {
    const scopes = [`repository:${repository}:pull,push`, ...extraScopes];
    const target = new URL(path, this.registry.url);
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(init.headers);
      const authorization = await this.authorization(scopes);
      if (authorization) headers.set('authorization', authorization);
      const response = await fetch(target, {
        ...init,
        headers,
        redirect: 'manual',
      });
      if (response.status !== 401 || attempt > 0) return response;
      await response.arrayBuffer();
      this.challenge = parseChallenge(
        response.headers.get('www-authenticate') ?? '',
      );
      // A cached token that is refused has expired: ask for a new one.
      this.tokens.delete(scopes.join(' '));
    }
  }

  private async authorization(scopes: string[]) {
    if (!this.challenge) return undefined;
    if (this.challenge.scheme === 'basic') return this.basic;
    const key = scopes.join(' ');
    let token = this.tokens.get(key);
    if (!token) {
      token = this.fetchToken(this.challenge, scopes);
      this.tokens.set(key, token);
      // A failed request must not stay cached for the next caller.
      token.catch(() => this.tokens.delete(key));
    }
    return `Bearer ${await token}`;
  }

  private async fetchToken(
    challenge: Extract<Challenge, { scheme: 'bearer' }>,
    scopes: string[],
  ) {
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const response = await fetch(url, {
      headers: this.basic ? { authorization: this.basic } : {},
    });
    if (!response.ok) {
      throw new Error(
        `Token request for ${scopes.join(' ')} answered ${response.status}`,
      );
    }
    const body = (await response.json()) as {
      token?: string;
      access_token?: string;
    };
    const token = body.token ?? body.access_token;
    if (!token) throw new Error(`Token response for ${scopes} has no token`);
    return token;
  }
}
