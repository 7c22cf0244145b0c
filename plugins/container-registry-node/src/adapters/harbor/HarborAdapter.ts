import type { ImagePlatform } from '@container-inventory/plugin-container-registry-common';
import { RegistryError } from '../../errors';
import type { RegistryHttpClient } from '../../http/RegistryHttpClient';
import { INDEX_MEDIA_TYPES } from '../../manifests';
import { getJson, pagedJson } from '../productApi';
import type {
  ListedImage,
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from '../types';

/** Harbor refuses `page_size` above 100. */
const HARBOR_MAX_PAGE_SIZE = 100;
const API = '/api/v2.0';

interface HarborPlatform {
  os?: string;
  architecture?: string;
  variant?: string;
}

interface HarborArtifact {
  digest?: string;
  manifest_media_type?: string;
  push_time?: string;
  tags?: { name?: string; push_time?: string }[] | null;
  extra_attrs?: {
    architecture?: string;
    os?: string;
    variant?: string;
    created?: string;
    config?: { Labels?: Record<string, string> | null };
  } | null;
  references?:
    | {
        child_digest?: string;
        platform?: HarborPlatform | null;
        annotations?: Record<string, string> | null;
      }[]
    | null;
}

/** Architectures whose variant the generic path reads from the image config. */
const VARIANT_ARCHITECTURES = new Set(['arm', 'arm64']);

/** `project/a/b` → `/projects/project/repositories/a%252Fb`: Harbor wants `/` encoded twice. */
function repositoryApiPath(repository: string): string {
  const slash = repository.indexOf('/');
  if (slash < 1) {
    throw new RegistryError(
      'invalid-response',
      `Harbor repository "${repository}" has no project part`,
    );
  }
  const project = repository.slice(0, slash);
  const rest = repository.slice(slash + 1);
  return `${API}/projects/${encodeURIComponent(
    project,
  )}/repositories/${encodeURIComponent(encodeURIComponent(rest))}`;
}

/** What the artifact listing says of a single-platform image, or undefined when not enough. */
function singleImage(artifact: HarborArtifact): ListedImage | undefined {
  const attrs = artifact.extra_attrs;
  if (!attrs?.os || !attrs.architecture) return undefined;
  if (VARIANT_ARCHITECTURES.has(attrs.architecture) && !attrs.variant) {
    // Harbor's listing leaves out the variant (arm/v7, arm64/v8): read the config instead.
    return undefined;
  }
  return {
    mediaType: artifact.manifest_media_type!,
    platforms: [
      {
        os: attrs.os,
        architecture: attrs.architecture,
        ...(attrs.variant ? { variant: attrs.variant } : {}),
      },
    ],
    ...(attrs.created ? { created: attrs.created } : {}),
    labels: attrs.config?.Labels ?? {},
  };
}

/** The platforms of an index from its references; attestations are not platforms. */
function indexPlatforms(artifact: HarborArtifact): ImagePlatform[] {
  return (artifact.references ?? []).flatMap(reference => {
    const platform = reference.platform;
    const attestation =
      reference.annotations?.['vnd.docker.reference.type'] ===
        'attestation-manifest' ||
      (platform?.os === 'unknown' && platform.architecture === 'unknown');
    if (!platform?.os || !platform.architecture || attestation) return [];
    return [
      {
        os: platform.os,
        architecture: platform.architecture,
        ...(platform.variant ? { variant: platform.variant } : {}),
        ...(reference.child_digest ? { digest: reference.child_digest } : {}),
      },
    ];
  });
}

/**
 * Harbor (2.x): lists projects, their repositories and each repository's artifacts with tags
 * through Harbor's API, which names each artifact's digest, push times, platform and build
 * date. A first crawl reads no manifest where the listing says all that, and a recrawl costs
 * only the listing. Works for any member of the projects (Guest is enough) and for robot
 * accounts with "list repository" and "list artifact" permissions.
 */
export class HarborAdapter implements RegistryAdapter {
  private readonly api: RegistryHttpClient;
  private readonly pageSize: number;
  /** Build date and labels of an index, from one platform image's artifact, by index digest. */
  private readonly indexDetails = new Map<
    string,
    Promise<Pick<ListedImage, 'created' | 'labels'>>
  >();

  constructor(private readonly context: RegistryAdapterContext) {
    const apiUrl = context.connection.options.apiUrl as string | undefined;
    this.api =
      apiUrl &&
      new URL(apiUrl).origin !== new URL(context.connection.url).origin
        ? context.clientFor(apiUrl)
        : context.http;
    this.pageSize = Math.min(
      context.connection.transport.pageSize,
      HARBOR_MAX_PAGE_SIZE,
    );
  }

  private get projectsOption(): string[] | undefined {
    return this.context.connection.options.projects as string[] | undefined;
  }

  async testConnection(): Promise<void> {
    try {
      await getJson(this.api, `${API}/projects?page=1&page_size=1`);
    } catch (error) {
      throw advised(error);
    }
    for (const project of this.projectsOption ?? []) {
      try {
        await getJson(
          this.api,
          `${API}/projects/${encodeURIComponent(
            project,
          )}/repositories?page=1&page_size=1`,
        );
      } catch (error) {
        throw advised(error, project);
      }
    }
  }

  private async *projects(): AsyncGenerator<string> {
    if (this.projectsOption) {
      yield* this.projectsOption;
      return;
    }
    for await (const page of this.paged(`${API}/projects`)) {
      for (const project of page as { name?: unknown }[]) {
        if (typeof project?.name === 'string') yield project.name;
      }
    }
  }

  async *listRepositories(): AsyncIterable<string[]> {
    for await (const project of this.projects()) {
      const pages = this.paged(
        `${API}/projects/${encodeURIComponent(project)}/repositories`,
      );
      try {
        for await (const page of pages) {
          yield (page as { name?: unknown }[])
            .map(r => r?.name)
            .filter((name): name is string => typeof name === 'string');
        }
      } catch (error) {
        throw advised(error, project);
      }
    }
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    const path = `${repositoryApiPath(
      repository,
    )}/artifacts?with_tag=true&with_label=false&with_scan_overview=false&with_signature=false&with_immutable_status=false&with_accessory=false`;
    for await (const page of this.paged(path)) {
      const tags = await Promise.all(
        (page as HarborArtifact[]).map(a => this.tagsOf(repository, a)),
      );
      yield tags.flat();
    }
  }

  private async tagsOf(
    repository: string,
    artifact: HarborArtifact,
  ): Promise<TagInfo[]> {
    const named = (artifact.tags ?? []).filter(
      t => typeof t?.name === 'string',
    );
    if (!artifact.digest || named.length === 0) return [];
    const image = await this.imageOf(repository, artifact);
    return named.map(tag => ({
      name: tag.name!,
      digest: artifact.digest,
      ...(tag.push_time ?? artifact.push_time
        ? { pushed: tag.push_time ?? artifact.push_time }
        : {}),
      ...(image ? { image } : {}),
    }));
  }

  private async imageOf(
    repository: string,
    artifact: HarborArtifact,
  ): Promise<ListedImage | undefined> {
    const mediaType = artifact.manifest_media_type;
    if (!mediaType) return undefined;
    if (!INDEX_MEDIA_TYPES.includes(mediaType)) return singleImage(artifact);
    const platforms = indexPlatforms(artifact);
    const first = platforms.find(p => p.digest);
    if (!first) return undefined;
    // An index has no config: its date and labels are those of a platform image, as the
    // generic path records them; one API request per index instead of two manifests and a blob.
    let details = this.indexDetails.get(artifact.digest!);
    if (!details) {
      details = this.platformDetails(repository, first.digest!);
      this.indexDetails.set(artifact.digest!, details);
    }
    return { mediaType, platforms, ...(await details) };
  }

  private async platformDetails(
    repository: string,
    digest: string,
  ): Promise<Pick<ListedImage, 'created' | 'labels'>> {
    const child = (await getJson(
      this.api,
      `${repositoryApiPath(repository)}/artifacts/${digest}?with_tag=false`,
    )) as HarborArtifact;
    const attrs = child?.extra_attrs;
    return {
      ...(attrs?.created ? { created: attrs.created } : {}),
      labels: attrs?.config?.Labels ?? {},
    };
  }

  private paged(path: string) {
    return pagedJson({
      http: this.api,
      path,
      pageSize: this.pageSize,
      pageParam: 'page',
      sizeParam: 'page_size',
      signal: this.context.signal,
    });
  }
}

/** Harbor's errors with Harbor's own fix. */
function advised(error: unknown, project?: string): unknown {
  if (!(error instanceof RegistryError)) return error;
  if (error.reason === 'unauthorized') {
    return new RegistryError(
      'unauthorized',
      `Harbor refused the credentials (${error.message}): check the user name, or the robot account's full name as Harbor shows it (robot$… ), and its password or secret`,
      { status: error.status },
    );
  }
  if (
    error.reason === 'forbidden' ||
    (project && error.reason === 'not-found')
  ) {
    return new RegistryError(
      error.reason,
      `Harbor does not let these credentials list ${
        project ? `project "${project}"` : 'projects'
      } (${
        error.message
      }): make the user a member of the project (Guest is enough), or give the robot account "list repository" and "list artifact" permissions${
        project ? ', and check the project name' : ''
      }`,
      { status: error.status },
    );
  }
  return error;
}

export const harborAdapterFactory: RegistryAdapterFactory = {
  type: 'harbor',
  title: 'Harbor',
  credentials: {
    username: 'User or robot account (robot$…)',
    password: 'Password or robot secret',
  },
  options: [
    {
      key: 'projects',
      label: 'Projects',
      kind: 'list',
      help: 'Projects to inventory; all projects the account can see when empty.',
    },
    {
      key: 'apiUrl',
      label: 'API URL',
      kind: 'url',
      help: "Harbor's address when it differs from the registry URL (the /api/v2.0 API is served there).",
    },
  ],
  create: context => new HarborAdapter(context),
};
