import { createHash } from 'node:crypto';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

const sha256 = (bytes: Buffer) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function parseChallenge(header: string) {
  const params: Record<string, string> = {};
  for (const [, key, value] of header.matchAll(/(\w+)="([^"]*)"/g))
    params[key] = value;
  return { scheme: header.split(' ')[0].toLowerCase(), ...params };
}

/**
 * Pushes blobs and manifests through the V2 API, as `docker push` does: the way tests and the
 * demo put images into a real registry. Answers Basic and Bearer challenges itself.
 */
export class RegistryPusher {
  private readonly basic?: string;
  private readonly tokens = new Map<string, string>();
  private bearer?: { realm: string; service?: string };

  constructor(
    private readonly registry: {
      url: string;
      credentials?: { username: string; password: string };
    },
  ) {
    const c = registry.credentials;
    if (c)
      this.basic = `Basic ${Buffer.from(`${c.username}:${c.password}`).toString(
        'base64',
      )}`;
  }

  private async authorization(scope: string): Promise<string | undefined> {
    if (!this.bearer) return this.basic;
    let token = this.tokens.get(scope);
    if (!token) {
      const url = new URL(this.bearer.realm);
      if (this.bearer.service)
        url.searchParams.set('service', this.bearer.service);
      url.searchParams.set('scope', scope);
      const response = await fetch(url, {
        headers: this.basic ? { authorization: this.basic } : {},
      });
      if (!response.ok)
        throw new Error(
          `Token request for ${scope} failed: ${response.status}`,
        );
      token = ((await response.json()) as { token: string }).token;
      this.tokens.set(scope, token);
    }
    return `Bearer ${token}`;
  }

  /** One request, answering a 401 challenge once. */
  private async send(
    repository: string,
    url: string,
    init: RequestInit = {},
  ): Promise<Response> {
    const scope = `repository:${repository}:pull,push`;
    const target = new URL(url, this.registry.url);
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(init.headers);
      const authorization = await this.authorization(scope);
      if (authorization) headers.set('authorization', authorization);
      const response = await fetch(target, {
        ...init,
        headers,
        redirect: 'manual',
      });
      if (response.status !== 401 || attempt > 0) return response;
      const challenge = parseChallenge(
        response.headers.get('www-authenticate') ?? '',
      );
      if (challenge.scheme === 'bearer' && 'realm' in challenge) {
        this.bearer = {
          realm: challenge.realm as string,
          service: (challenge as any).service,
        };
      }
    }
  }

  private async expect(response: Response, status: number[], what: string) {
    if (!status.includes(response.status)) {
      throw new Error(
        `${what} answered ${response.status}: ${await response.text()}`,
      );
    }
    return response;
  }

  async pushBlob(
    repository: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<Descriptor> {
    const digest = sha256(bytes);
    const descriptor = { mediaType, digest, size: bytes.length };
    const head = await this.send(
      repository,
      `/v2/${repository}/blobs/${digest}`,
      { method: 'HEAD' },
    );
    if (head.status === 200) return descriptor;
    const started = await this.expect(
      await this.send(repository, `/v2/${repository}/blobs/uploads/`, {
        method: 'POST',
      }),
      [202],
      `Starting the upload of ${digest}`,
    );
    // distribution 2.8 needs POST then PUT; the Location may carry a query string already.
    const location = new URL(
      started.headers.get('location')!,
      this.registry.url,
    );
    location.searchParams.set('digest', digest);
    await this.expect(
      await this.send(repository, location.href, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      }),
      [201],
      `Uploading ${digest}`,
    );
    return descriptor;
  }

  /** Puts a manifest under a tag or digest; returns its digest, checked against the registry's. */
  async pushManifest(
    repository: string,
    reference: string,
    mediaType: string,
    body: Buffer,
  ): Promise<string> {
    const response = await this.expect(
      await this.send(repository, `/v2/${repository}/manifests/${reference}`, {
        method: 'PUT',
        headers: { 'content-type': mediaType },
        body,
      }),
      [201],
      `Pushing ${repository}:${reference}`,
    );
    const digest = sha256(body);
    const announced = response.headers.get('docker-content-digest');
    if (announced && announced !== digest) {
      throw new Error(
        `Registry computed ${announced} for a manifest whose bytes hash to ${digest}`,
      );
    }
    return digest;
  }
}
