import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { MediaType } from '../manifests/mediaTypes';
import {
  ScriptedServer,
  sendJson,
  startScriptedServer,
} from './scriptedServer';

const sha = (bytes: Buffer) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
}

/** What a fault hook may do with a request: answer it itself, or let the registry answer. */
export type FaultHook = (
  req: IncomingMessage,
  res: ServerResponse,
) => boolean | Promise<boolean>;

/**
 * An in-memory Registry V2 API on a real loopback port, for the faults a real registry will not
 * produce on demand. Pages listings with `n`/`last` and `Link`, like distribution does.
 */
export class FakeRegistry {
  private readonly manifests = new Map<string, Map<string, StoredManifest>>();
  private readonly blobs = new Map<string, Buffer>();
  private readonly tags = new Map<string, Map<string, string>>();
  private server?: ScriptedServer;
  faults: FaultHook[] = [];

  static async start(): Promise<FakeRegistry> {
    const registry = new FakeRegistry();
    registry.server = await startScriptedServer((req, res) =>
      registry.handle(req, res),
    );
    return registry;
  }

  get url() {
    return this.server!.url;
  }

  get requests() {
    return this.server!.requests;
  }

  get peakConnections() {
    return this.server!.peakConnections;
  }

  /** Requests whose path contains `part`, by method. */
  count(method: string, part: string): number {
    return this.requests.filter(
      r => r.method === method && r.url.includes(part),
    ).length;
  }

  close() {
    return this.server!.close();
  }

  private putBlob(bytes: Buffer): string {
    const digest = sha(bytes);
    this.blobs.set(digest, bytes);
    return digest;
  }

  /** Stores a manifest under its digest and under each tag; returns the digest. */
  putManifest(
    repository: string,
    tags: string[],
    mediaType: string,
    document: unknown,
  ): string {
    const bytes = Buffer.from(JSON.stringify(document));
    const digest = sha(bytes);
    const repo = this.manifests.get(repository) ?? new Map();
    repo.set(digest, { bytes, mediaType });
    this.manifests.set(repository, repo);
    const repoTags = this.tags.get(repository) ?? new Map();
    for (const tag of tags) repoTags.set(tag, digest);
    this.tags.set(repository, repoTags);
    return digest;
  }

  /** A single-platform image; `seed` makes its config (and so its digest) unique. */
  addImage(
    repository: string,
    tags: string[],
    options: {
      platform?: Platform;
      seed?: string;
      created?: string;
      labels?: Record<string, string>;
      oci?: boolean;
    } = {},
  ): string {
    const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
    const config = this.putBlob(
      Buffer.from(
        JSON.stringify({
          ...platform,
          created: options.created ?? '2026-01-01T00:00:00Z',
          config: { Labels: options.labels ?? {} },
          rootfs: { type: 'layers', diff_ids: [] },
          seed: options.seed ?? `${repository}:${tags.join(',')}`,
        }),
      ),
    );
    const mediaType = options.oci
      ? MediaType.ociManifest
      : MediaType.dockerManifest;
    return this.putManifest(repository, tags, mediaType, {
      schemaVersion: 2,
      mediaType,
      config: {
        mediaType: options.oci ? MediaType.ociConfig : MediaType.dockerConfig,
        digest: config,
        size: 1,
      },
      layers: [],
    });
  }

  /**
   * A multi-platform index over one image per platform: an OCI index (with `annotations` if
   * given) or a Docker manifest list, optionally with a buildkit attestation entry first.
   */
  addIndex(
    repository: string,
    tags: string[],
    platforms: Platform[],
    options: {
      docker?: boolean;
      annotations?: Record<string, string>;
      attestation?: boolean;
      created?: (platform: Platform) => string;
      labels?: (platform: Platform) => Record<string, string>;
    } = {},
  ): string {
    const entryType = options.docker
      ? MediaType.dockerManifest
      : MediaType.ociManifest;
    const manifests: object[] = platforms.map(platform => ({
      mediaType: entryType,
      digest: this.addImage(repository, [], {
        platform,
        oci: !options.docker,
        seed: `${repository}:${tags}:${platform.architecture}`,
        created: options.created?.(platform),
        labels: options.labels?.(platform),
      }),
      size: 1,
      platform,
    }));
    if (options.attestation) {
      manifests.unshift({
        mediaType: MediaType.ociManifest,
        digest: this.addImage(repository, [], {
          platform: { os: 'unknown', architecture: 'unknown' },
          oci: true,
          seed: `${repository}:${tags}:attestation`,
          labels: { attestation: 'yes' },
        }),
        size: 1,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
      });
    }
    const mediaType = options.docker
      ? MediaType.dockerManifestList
      : MediaType.ociIndex;
    return this.putManifest(repository, tags, mediaType, {
      schemaVersion: 2,
      mediaType,
      manifests,
      ...(options.annotations ? { annotations: options.annotations } : {}),
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    for (const fault of this.faults) {
      if (await fault(req, res)) return;
    }
    this.answer(req, res);
  }

  /** The distribution API over the in-memory content. */
  private answer(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, this.url);
    const path = url.pathname.split('/').map(decodeURIComponent).join('/');
    const tagList = /^\/v2\/(.+)\/tags\/list$/.exec(path);
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    const blob = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]+)$/.exec(path);
    if (path === '/v2/') {
      sendJson(res, 200, {});
    } else if (path === '/v2/_catalog') {
      this.page(
        res,
        url,
        [...this.manifests.keys()].sort(),
        'repositories',
        {},
      );
    } else if (tagList) {
      const tags = this.tags.get(tagList[1]);
      if (tags)
        this.page(res, url, [...tags.keys()].sort(), 'tags', {
          name: tagList[1],
        });
      else this.notFound(res, 'NAME_UNKNOWN');
    } else if (manifest) {
      this.sendManifest(req, res, manifest[1], manifest[2]);
    } else if (blob && this.blobs.has(blob[2])) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(this.blobs.get(blob[2]));
    } else {
      this.notFound(res, 'BLOB_UNKNOWN');
    }
  }

  private sendManifest(
    req: IncomingMessage,
    res: ServerResponse,
    repository: string,
    reference: string,
  ) {
    const digest = reference.startsWith('sha256:')
      ? reference
      : this.tags.get(repository)?.get(reference);
    const stored = digest
      ? this.manifests.get(repository)?.get(digest)
      : undefined;
    if (!stored || !digest) {
      this.notFound(res, 'MANIFEST_UNKNOWN');
      return;
    }
    res.writeHead(200, {
      'content-type': stored.mediaType,
      'docker-content-digest': digest,
      'content-length': stored.bytes.length,
    });
    res.end(req.method === 'HEAD' ? undefined : stored.bytes);
  }

  private page(
    res: ServerResponse,
    url: URL,
    all: string[],
    field: string,
    extra: object,
  ) {
    const n = Number(url.searchParams.get('n') ?? all.length) || all.length;
    const last = url.searchParams.get('last');
    const start = last ? all.findIndex(item => item > last) : 0;
    const items = start < 0 ? [] : all.slice(start, start + n);
    const more = start >= 0 && start + n < all.length;
    const next = new URL(url);
    next.searchParams.set('last', items[items.length - 1] ?? '');
    sendJson(
      res,
      200,
      { ...extra, [field]: items },
      more ? { link: `<${next.pathname}${next.search}>; rel="next"` } : {},
    );
  }

  private notFound(res: ServerResponse, code: string) {
    sendJson(res, 404, {
      errors: [{ code, message: code.toLowerCase().replace('_', ' ') }],
    });
  }
}
