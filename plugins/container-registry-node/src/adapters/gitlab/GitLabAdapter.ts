import { RegistryError } from '../../errors';
import type { RegistryHttpClient } from '../../http/RegistryHttpClient';
import { GenericRegistryAdapter } from '../generic';
import { getJson, pagedJson } from '../productApi';
import type {
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from '../types';
import { CATALOG_SCOPE } from '../v2';

/** GitLab answers at most 100 items per page. */
const GITLAB_MAX_PAGE_SIZE = 100;
const API = '/api/v4';

export const GITLAB_CATALOG_ADVICE =
  'GitLab lists the registry catalog only for administrators: give a group or project to list through the GitLab API (gitlab.groups or gitlab.projects), with a token that has read_api';

interface Scope {
  kind: 'group' | 'project';
  path: string;
}

function gitlabOption(context: RegistryAdapterContext, key: string) {
  return context.connection.options[key] as string[] | undefined;
}

/** A RegistryError with GitLab's own fix in place of the generic advice. */
function advised(
  error: unknown,
  fix: (e: RegistryError) => string | undefined,
) {
  if (!(error instanceof RegistryError)) return error;
  const message = fix(error);
  return message
    ? new RegistryError(error.reason, `${message} (${error.message})`, {
        status: error.status,
      })
    : error;
}

/**
 * GitLab's container registry. Repositories are listed through the GitLab API of the groups
 * (with their subgroups) and projects given, since the registry's catalog is for
 * administrators only; tags and manifests come from the registry's V2 API with a registry
 * JWT that the instance's `/jwt/auth` issues for the same credentials and the client renews.
 * GitLab's tag API names no digest or platform without one request per tag, the same cost as
 * the manifest, so tags are read from the registry: a recrawl costs one HEAD per tag.
 */
export class GitLabAdapter implements RegistryAdapter {
  private readonly api: RegistryHttpClient;
  private readonly registry: GenericRegistryAdapter;
  private readonly pageSize: number;

  constructor(private readonly context: RegistryAdapterContext) {
    const { auth } = context.connection;
    const token = auth.token ?? auth.password;
    // The API takes personal, group and project access tokens as Bearer; anonymous reads
    // see public groups and projects only.
    this.api = context.clientFor(
      context.connection.options.apiUrl as string,
      token && auth.type !== 'none'
        ? { type: 'bearer', token }
        : { type: 'none' },
    );
    this.registry = new GenericRegistryAdapter(context);
    this.pageSize = Math.min(
      context.connection.transport.pageSize,
      GITLAB_MAX_PAGE_SIZE,
    );
  }

  private get scopes(): Scope[] {
    return [
      ...(gitlabOption(this.context, 'groups') ?? []).map(path => ({
        kind: 'group' as const,
        path,
      })),
      ...(gitlabOption(this.context, 'projects') ?? []).map(path => ({
        kind: 'project' as const,
        path,
      })),
    ];
  }

  async testConnection(): Promise<void> {
    try {
      await this.context.http.request({ kind: 'ping', url: '/v2/' });
    } catch (error) {
      throw advised(error, e =>
        e.reason === 'unauthorized'
          ? 'GitLab refused the credentials for its registry: give the user name and a token with read_registry (for a deploy token, its own user name)'
          : undefined,
      );
    }
    if (this.scopes.length === 0) {
      try {
        await this.context.http.request({
          kind: 'catalog',
          url: '/v2/_catalog?n=1',
          scope: CATALOG_SCOPE,
        });
      } catch (error) {
        throw advised(error, e =>
          e.reason === 'unauthorized' || e.reason === 'forbidden'
            ? GITLAB_CATALOG_ADVICE
            : undefined,
        );
      }
      return;
    }
    for (const scope of this.scopes) {
      try {
        await getJson(
          this.api,
          `${this.repositoriesPath(scope)}?page=1&per_page=1`,
        );
      } catch (error) {
        throw this.apiAdvice(error, scope);
      }
    }
  }

  private repositoriesPath(scope: Scope): string {
    return `${API}/${scope.kind}s/${encodeURIComponent(
      scope.path,
    )}/registry/repositories`;
  }

  private apiAdvice(error: unknown, scope: Scope) {
    return advised(error, e => {
      if (e.reason === 'unauthorized')
        return `The GitLab API refused the token: use a personal, group or project access token with read_api (deploy tokens cannot list through the API)`;
      if (e.reason === 'forbidden')
        return `The token may not read the GitLab API for ${scope.kind} "${scope.path}": give it the read_api scope`;
      if (e.reason === 'not-found')
        return `GitLab shows no ${scope.kind} "${scope.path}" to this token: check its full path (group/subgroup) and that the token's user is a member with at least the Reporter role`;
      return undefined;
    });
  }

  async *listRepositories(): AsyncIterable<string[]> {
    if (this.scopes.length === 0) {
      try {
        yield* this.registry.listRepositories();
      } catch (error) {
        throw advised(error, e =>
          e.reason === 'unauthorized' || e.reason === 'forbidden'
            ? GITLAB_CATALOG_ADVICE
            : undefined,
        );
      }
      return;
    }
    // A project may be listed through its group too: each repository once.
    const seen = new Set<string>();
    for (const scope of this.scopes) {
      const pages = pagedJson({
        http: this.api,
        path: this.repositoriesPath(scope),
        pageSize: this.pageSize,
        pageParam: 'page',
        sizeParam: 'per_page',
        signal: this.context.signal,
      });
      try {
        for await (const page of pages) {
          const paths = (page as { path?: unknown }[])
            .map(r => r?.path)
            .filter(
              (path): path is string =>
                typeof path === 'string' && !seen.has(path),
            );
          paths.forEach(path => seen.add(path));
          if (paths.length) yield paths;
        }
      } catch (error) {
        throw this.apiAdvice(error, scope);
      }
    }
  }

  listTags(repository: string): AsyncIterable<TagInfo[]> {
    return this.registry.listTags(repository);
  }
}

export const gitlabAdapterFactory: RegistryAdapterFactory = {
  type: 'gitlab',
  title: 'GitLab',
  credentials: {
    username: 'User name (of the token, or the deploy token)',
    password:
      'Access token (read_registry, and read_api to list groups or projects)',
  },
  options: [
    {
      key: 'apiUrl',
      label: 'GitLab URL',
      kind: 'url',
      required: true,
      help: 'The GitLab instance (https://gitlab.example.com); its API lists repositories and its /jwt/auth issues registry tokens.',
    },
    {
      key: 'groups',
      label: 'Groups',
      kind: 'list',
      help: 'Full paths or ids of groups whose repositories to load, subgroups included.',
    },
    {
      key: 'projects',
      label: 'Projects',
      kind: 'list',
      help: 'Full paths or ids of projects whose repositories to load.',
    },
  ],
  // The registry sends clients to the instance's /jwt/auth for its tokens.
  credentialOrigins: connection => [
    new URL(connection.options.apiUrl as string).origin,
  ],
  create: context => new GitLabAdapter(context),
};
