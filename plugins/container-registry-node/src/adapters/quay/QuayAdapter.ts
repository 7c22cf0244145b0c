import { RegistryError } from '../../errors';
import type { RegistryHttpClient } from '../../http/RegistryHttpClient';
import { isValidDigest } from '../../manifests';
import { withFix } from '../perRepositoryV2';
import { getJson } from '../productApi';
import type {
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from '../types';

/** Quay answers at most 100 tags per page. */
const QUAY_MAX_TAGS_PER_PAGE = 100;
const API = '/api/v1';
/** Far beyond any namespace, so a server that keeps answering `next_page` cannot hold a crawl. */
const MAX_PAGES = 100_000;

interface QuayTag {
  name?: unknown;
  manifest_digest?: unknown;
  start_ts?: unknown;
}

function pushedOf(startTs: unknown): string | undefined {
  return typeof startTs === 'number' && Number.isFinite(startTs)
    ? new Date(startTs * 1000).toISOString()
    : undefined;
}

/**
 * Quay (quay.io and Red Hat Quay): repositories of the given namespaces (organisations or
 * users) from `/api/v1/repository?namespace=` paged by `next_page`, tags from the tag API,
 * which names each tag's manifest digest and push time (`start_ts`), so an unchanged recrawl
 * costs the listings only. The API takes an OAuth application token (Bearer); manifests come
 * from the V2 API with a robot account (`namespace+robot`), the connection's user name and
 * password.
 */
export class QuayAdapter implements RegistryAdapter {
  private readonly api: RegistryHttpClient;

  constructor(private readonly context: RegistryAdapterContext) {
    const { auth, options } = context.connection;
    const apiUrl =
      (options.apiUrl as string | undefined) ?? context.connection.url;
    this.api = context.clientFor(
      apiUrl,
      auth.token ? { type: 'bearer', token: auth.token } : { type: 'none' },
    );
  }

  private get namespaces(): string[] {
    return this.context.connection.options.namespaces as string[];
  }

  private advised(error: unknown, namespace?: string): unknown {
    return withFix(error, e => {
      if (e.reason === 'unauthorized')
        return 'Quay refused the API token: create an OAuth application token in the organisation with "View all visible repositories" and give it as the token';
      if (e.reason === 'forbidden' || (namespace && e.reason === 'not-found'))
        return `Quay does not show namespace "${namespace}" to this token: check the name, and give the token's application (or its user) read access to the repositories`;
      return undefined;
    });
  }

  async testConnection(): Promise<void> {
    for (const namespace of this.namespaces) {
      try {
        await getJson(
          this.api,
          `${API}/repository?namespace=${encodeURIComponent(namespace)}`,
        );
      } catch (error) {
        throw this.advised(error, namespace);
      }
    }
    try {
      await this.context.http.request({ kind: 'ping', url: '/v2/' });
    } catch (error) {
      throw withFix(error, e =>
        e.reason === 'unauthorized'
          ? "Quay refused the robot account for its registry: give the robot account's full name (namespace+robot) as user name and its token as password"
          : undefined,
      );
    }
  }

  async *listRepositories(): AsyncIterable<string[]> {
    for (const namespace of this.namespaces) {
      let nextPage: string | undefined;
      for (let page = 0; page === 0 || nextPage; page++) {
        if (page >= MAX_PAGES) {
          throw new RegistryError(
            'pagination-loop',
            `Quay kept answering next_page for namespace "${namespace}"`,
          );
        }
        const query = new URLSearchParams({ namespace });
        if (nextPage) query.set('next_page', nextPage);
        let body: { repositories?: unknown; next_page?: unknown };
        try {
          body = (await getJson(
            this.api,
            `${API}/repository?${query}`,
          )) as typeof body;
        } catch (error) {
          throw this.advised(error, namespace);
        }
        if (!Array.isArray(body?.repositories)) {
          throw new RegistryError(
            'invalid-response',
            `${API}/repository answered no "repositories" list`,
          );
        }
        const names = (
          body.repositories as { name?: unknown; namespace?: unknown }[]
        )
          .filter(r => typeof r?.name === 'string')
          .map(
            r =>
              `${typeof r.namespace === 'string' ? r.namespace : namespace}/${
                r.name
              }`,
          );
        if (names.length) yield names;
        const next =
          typeof body.next_page === 'string' ? body.next_page : undefined;
        if (next && next === nextPage) {
          throw new RegistryError(
            'pagination-loop',
            `Quay answered the same next_page twice for namespace "${namespace}"`,
          );
        }
        nextPage = next;
      }
    }
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    const path = `${API}/repository/${repository
      .split('/')
      .map(encodeURIComponent)
      .join('/')}/tag/`;
    const limit = Math.min(
      this.context.connection.transport.pageSize,
      QUAY_MAX_TAGS_PER_PAGE,
    );
    for (let page = 1; page <= MAX_PAGES; page++) {
      if (this.context.signal?.aborted)
        throw new RegistryError('aborted', 'The crawl was cancelled');
      const body = (await getJson(
        this.api,
        `${path}?onlyActiveTags=true&limit=${limit}&page=${page}`,
      )) as { tags?: unknown; has_additional?: unknown };
      if (!Array.isArray(body?.tags)) {
        throw new RegistryError(
          'invalid-response',
          `${path} answered no "tags" list`,
        );
      }
      yield (body.tags as QuayTag[]).flatMap(tag => {
        if (typeof tag?.name !== 'string') return [];
        const digest =
          typeof tag.manifest_digest === 'string' &&
          isValidDigest(tag.manifest_digest)
            ? tag.manifest_digest
            : undefined;
        const pushed = pushedOf(tag.start_ts);
        return [
          {
            name: tag.name,
            ...(digest ? { digest } : {}),
            ...(pushed ? { pushed } : {}),
          },
        ];
      });
      if (body.has_additional !== true) return;
    }
    throw new RegistryError(
      'pagination-loop',
      `${path} went on for more than ${MAX_PAGES} pages`,
    );
  }
}

export const quayAdapterFactory: RegistryAdapterFactory = {
  type: 'quay',
  title: 'Quay',
  credentials: {
    username: 'Robot account (namespace+robot), for the registry',
    password: 'Robot account token',
    token: 'OAuth application token, for the API',
  },
  options: [
    {
      key: 'namespaces',
      label: 'Namespaces',
      kind: 'list',
      required: true,
      help: 'Organisations or users whose repositories to load.',
    },
    {
      key: 'apiUrl',
      label: 'API URL',
      kind: 'url',
      help: "Quay's address when the API is not served at the registry URL.",
    },
  ],
  create: context => new QuayAdapter(context),
};
