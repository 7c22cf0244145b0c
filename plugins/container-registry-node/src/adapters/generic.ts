import { RegistryError } from '../errors';
import type {
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from './types';
import { CATALOG_SCOPE, paginate, repositoryPath, repositoryScope } from './v2';

function stringArray(value: unknown, field: string): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
    throw new RegistryError(
      'invalid-response',
      `"${field}" is not a list of names`,
    );
  }
  return value;
}

/** Any registry that implements the Docker Registry V2 / OCI distribution API. */
export class GenericRegistryAdapter implements RegistryAdapter {
  constructor(private readonly context: RegistryAdapterContext) {}

  async testConnection(): Promise<void> {
    await this.context.http.request({ kind: 'ping', url: '/v2/' });
    // The catalog is what a crawl needs first: check it can be read with these credentials.
    const { repositories } = this.context.connection;
    if (repositories.length === 0 || repositories.some(p => p.includes('*'))) {
      await this.context.http.request({
        kind: 'catalog',
        url: '/v2/_catalog?n=1',
        scope: CATALOG_SCOPE,
      });
    }
  }

  listRepositories(): AsyncIterable<string[]> {
    return paginate({
      http: this.context.http,
      kind: 'catalog',
      path: '/v2/_catalog',
      scope: CATALOG_SCOPE,
      pageSize: this.context.connection.transport.pageSize,
      read: body => ({
        items: stringArray((body as any)?.repositories, 'repositories'),
      }),
    });
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    const pages = paginate({
      http: this.context.http,
      kind: 'tags',
      path: `/v2/${repositoryPath(repository)}/tags/list`,
      scope: repositoryScope(repository),
      pageSize: this.context.connection.transport.pageSize,
      read: body => ({ items: stringArray((body as any)?.tags, 'tags') }),
    });
    for await (const names of pages) {
      yield names.map(name => ({ name }));
    }
  }
}

export const genericAdapterFactory: RegistryAdapterFactory = {
  type: 'generic',
  create: context => new GenericRegistryAdapter(context),
};
