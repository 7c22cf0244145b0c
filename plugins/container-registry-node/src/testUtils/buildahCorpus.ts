import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The command-line tools the corpus is built and inspected with. */
export const CORPUS_TOOLS = ['buildah', 'skopeo'] as const;

/** The tools that are not on the PATH. */
export async function missingCorpusTools(): Promise<string[]> {
  const missing: string[] = [];
  for (const tool of CORPUS_TOOLS) {
    try {
      await run(tool, ['--version']);
    } catch {
      missing.push(tool);
    }
  }
  return missing;
}

interface CorpusPlatform {
  os: string;
  architecture: string;
  variant?: string;
}

/** One image of the corpus as pushed, by repository and tag. */
export interface CorpusImage {
  repository: string;
  tag: string;
}

/**
 * Builds images with buildah the way CI pipelines do (from `scratch`, files copied in, labels
 * set with `buildah config`, multi-platform lists with `buildah manifest`) and pushes them to
 * a registry on loopback; copies some with skopeo to convert their format. Storage is a temp
 * folder of its own (`--root`/`--runroot`, vfs), so runs share nothing.
 */
export class BuildahCorpus {
  private readonly dir = mkdtempSync(join(tmpdir(), 'buildah-corpus-'));
  private readonly storage = [
    '--root',
    join(this.dir, 'root'),
    '--runroot',
    join(this.dir, 'runroot'),
    '--storage-driver',
    'vfs',
  ];
  readonly images: CorpusImage[] = [];

  /** `host` is the registry's `host:port`, served over plain HTTP. */
  constructor(private readonly host: string) {}

  private buildah(args: string[]) {
    return run('buildah', [...this.storage, ...args], {
      maxBuffer: 16 * 1024 * 1024,
    });
  }

  private ref(repository: string, tag: string) {
    return `docker://${this.host}/${repository}:${tag}`;
  }

  /** Builds one single-platform image into local storage under `name`. */
  async build(
    name: string,
    options: {
      platform: CorpusPlatform;
      labels?: Record<string, string>;
      format: 'oci' | 'docker';
    },
  ): Promise<void> {
    const { platform } = options;
    const { stdout } = await this.buildah([
      'from',
      '--quiet',
      '--os',
      platform.os,
      '--arch',
      platform.architecture,
      ...(platform.variant ? ['--variant', platform.variant] : []),
      'scratch',
    ]);
    const container = stdout.trim();
    const file = join(this.dir, `${name}.txt`);
    writeFileSync(file, `${name}\n`);
    await this.buildah(['copy', container, file, `/${name}.txt`]);
    // buildah's own label would make every image labelled; "not labelled" means none.
    const labels = Object.entries(options.labels ?? {}).flatMap(([k, v]) => [
      '--label',
      `${k}=${v}`,
    ]);
    await this.buildah([
      'config',
      '--os',
      platform.os,
      '--arch',
      platform.architecture,
      ...(platform.variant ? ['--variant', platform.variant] : []),
      ...labels,
      container,
    ]);
    await this.buildah([
      'commit',
      '--quiet',
      '--identity-label=false',
      '--format',
      options.format,
      container,
      name,
    ]);
    await this.buildah(['rm', container]);
  }

  /** Pushes a locally built image. */
  async push(name: string, repository: string, tag: string): Promise<void> {
    await this.buildah([
      'push',
      '--quiet',
      '--tls-verify=false',
      name,
      this.ref(repository, tag),
    ]);
    this.images.push({ repository, tag });
  }

  /** A list of locally built images, pushed with them in the given format. */
  async pushList(
    images: string[],
    repository: string,
    tag: string,
    format: 'oci' | 'v2s2',
  ): Promise<void> {
    const list = `list-${repository.replace(/\W/g, '-')}-${tag}`;
    await this.buildah(['manifest', 'create', list]);
    for (const image of images) {
      await this.buildah(['manifest', 'add', list, image]);
    }
    await this.buildah([
      'manifest',
      'push',
      '--quiet',
      '--all',
      '--tls-verify=false',
      '--format',
      format,
      list,
      this.ref(repository, tag),
    ]);
    this.images.push({ repository, tag });
  }

  /** A registry-to-registry copy with skopeo, converting the manifest format. */
  async copy(
    from: CorpusImage,
    repository: string,
    tag: string,
    format: 'oci' | 'v2s2',
  ): Promise<void> {
    await run('skopeo', [
      'copy',
      '--quiet',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      '--format',
      format,
      this.ref(from.repository, from.tag),
      this.ref(repository, tag),
    ]);
    this.images.push({ repository, tag });
  }

  /** Removes the local storage. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What `skopeo inspect` says of an image, in the crawler's terms. */
export interface InspectedImage {
  repository: string;
  tag: string;
  digest: string;
  mediaType: string;
  platforms: Array<CorpusPlatform & { digest?: string }>;
  created?: string;
  labels: Record<string, string>;
}

async function skopeoInspect(args: string[]): Promise<string> {
  const { stdout } = await run(
    'skopeo',
    ['inspect', '--tls-verify=false', ...args],
    { maxBuffer: 16 * 1024 * 1024, encoding: 'buffer' },
  );
  return stdout.toString('utf8');
}

const isAttestation = (entry: any) =>
  entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
  (entry.platform?.os === 'unknown' &&
    entry.platform?.architecture === 'unknown');

const platformOf = (p: any): CorpusPlatform => ({
  os: p.os,
  architecture: p.architecture,
  ...(p.variant ? { variant: p.variant } : {}),
});

/**
 * Inspects one image with skopeo: the raw manifest gives digest, media type and an index's
 * platforms; `--config` (for an index, of its linux/amd64 image) gives date, labels and a
 * single image's platform.
 */
export async function inspectWithSkopeo(
  host: string,
  image: CorpusImage,
): Promise<InspectedImage> {
  const ref = `docker://${host}/${image.repository}:${image.tag}`;
  const raw = await skopeoInspect(['--raw', ref]);
  const manifest = JSON.parse(raw);
  const config = JSON.parse(
    await skopeoInspect([
      '--config',
      '--override-os',
      'linux',
      '--override-arch',
      'amd64',
      ref,
    ]),
  );
  const isIndex = Array.isArray(manifest.manifests);
  return {
    ...image,
    digest: `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    mediaType: manifest.mediaType,
    platforms: isIndex
      ? manifest.manifests
          .filter((entry: any) => !isAttestation(entry))
          .map((entry: any) => ({
            ...platformOf(entry.platform),
            digest: entry.digest,
          }))
      : [platformOf(config)],
    ...(config.created ? { created: config.created } : {}),
    labels: config.config?.Labels ?? {},
  };
}
