import { GenericRegistryAdapter } from '../generic';
import { withFix } from '../perRepositoryV2';
import type {
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from '../types';

/** Where an image lives on GitFlic, from its path. */
export type GitFlicOwner =
  | { kind: 'project'; owner: string; project: string }
  | { kind: 'company'; company: string }
  | { kind: 'instance' };

/**
 * `project/{owner}/{project}/{image}` and `company/{company}/{image}` are images of a project
 * or a company; anything else is published at the service level or pulled through one of
 * the instance's proxied registries.
 */
export function gitflicOwnerOf(repository: string): GitFlicOwner {
  const parts = repository.split('/');
  if (parts[0] === 'project' && parts.length >= 4) {
    return { kind: 'project', owner: parts[1], project: parts[2] };
  }
  if (parts[0] === 'company' && parts.length >= 3) {
    return { kind: 'company', company: parts[1] };
  }
  return { kind: 'instance' };
}

const CREDENTIALS_FIX =
  'GitFlic refused the credentials: give your user name and a transport token (profile settings, transport tokens) as password';

/**
 * GitFlic: its registry is the plain V2 API, so repositories come from the catalog and tags
 * from the tag lists; the chosen projects (`owner/project`) and companies narrow the catalog
 * to their image paths, which also leaves out proxied registries' images.
 */
export class GitFlicAdapter implements RegistryAdapter {
  private readonly registry: GenericRegistryAdapter;

  constructor(private readonly context: RegistryAdapterContext) {
    this.registry = new GenericRegistryAdapter(context);
  }

  private get projects(): string[] {
    return (this.context.connection.options.projects as string[]) ?? [];
  }

  private get companies(): string[] {
    return (this.context.connection.options.companies as string[]) ?? [];
  }

  private wanted(repository: string): boolean {
    if (!this.projects.length && !this.companies.length) return true;
    const owner = gitflicOwnerOf(repository);
    if (owner.kind === 'project')
      return this.projects.includes(`${owner.owner}/${owner.project}`);
    if (owner.kind === 'company') return this.companies.includes(owner.company);
    return false;
  }

  private advised(error: unknown) {
    return withFix(error, e => {
      if (e.reason === 'unauthorized') return CREDENTIALS_FIX;
      if (e.reason === 'forbidden')
        return 'GitFlic does not let this account list the registry: make it a member of the projects or companies to inventory (developer role or higher for private ones)';
      return undefined;
    });
  }

  async testConnection(): Promise<void> {
    try {
      await this.registry.testConnection();
    } catch (error) {
      throw this.advised(error);
    }
  }

  async *listRepositories(): AsyncIterable<string[]> {
    try {
      for await (const page of this.registry.listRepositories()) {
        const kept = page.filter(name => this.wanted(name));
        if (kept.length) yield kept;
      }
    } catch (error) {
      throw this.advised(error);
    }
  }

  listTags(repository: string): AsyncIterable<TagInfo[]> {
    return this.registry.listTags(repository);
  }
}

export const gitflicAdapterFactory: RegistryAdapterFactory = {
  type: 'gitflic',
  title: 'GitFlic',
  credentials: {
    username: 'User name',
    password: 'Transport token',
  },
  options: [
    {
      key: 'projects',
      label: 'Projects',
      kind: 'list',
      pattern: '^[^/\\s]+/[^/\\s]+$',
      patternHint: '"owner/project"',
      help: 'Projects as "owner/project" whose images (project/owner/project/…) to load.',
    },
    {
      key: 'companies',
      label: 'Companies',
      kind: 'list',
      help: 'Companies whose images (company/alias/…) to load; with neither, every image the account can list.',
    },
  ],
  create: context => new GitFlicAdapter(context),
};
