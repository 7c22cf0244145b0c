import { AzureAuthorityHosts, ClientSecretCredential } from '@azure/identity';
import type { RegistryAuth } from '../../connection/types';
import { RegistryError, snippet } from '../../errors';
import { parseNextLink } from '../../http/linkHeader';
import type { RegistryHttpClient } from '../../http/RegistryHttpClient';
import { isValidDigest } from '../../manifests';
import { withFix } from '../perRepositoryV2';
import type {
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from '../types';
import type { V2Location } from '../v2/V2Api';

/** ACR answers at most 1000 entries a page. */
const ACR_MAX_PAGE = 1000;
const MAX_PAGES = 100_000;
/** The user name ACR takes with a refresh token as password. */
const REFRESH_TOKEN_USER = '00000000-0000-0000-0000-000000000000';
/** ACR refresh tokens live about 3 hours; a new one is exchanged well before. */
const REFRESH_TOKEN_RENEW_MS = 60 * 60_000;

const CLOUDS = {
  public: {
    authorityHost: AzureAuthorityHosts.AzurePublicCloud,
    scope: 'https://management.azure.com/.default',
  },
  usgovernment: {
    authorityHost: AzureAuthorityHosts.AzureGovernment,
    scope: 'https://management.usgovcloudapi.net/.default',
  },
} as const;

const ROLE_ADVICE =
  'assign the service principal or token the AcrPull role on the registry (on registries with ABAC repository permissions: Container Registry Repository Catalog Lister and Container Registry Repository Reader)';

interface AcrTag {
  name?: unknown;
  digest?: unknown;
  createdTime?: unknown;
  lastUpdateTime?: unknown;
}

function isoDate(value: unknown): string | undefined {
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** A tag of `/acr/v1/{repo}/_tags`: its digest, pushed when the tag last moved. */
export function acrTagInfo(tag: AcrTag): TagInfo | undefined {
  if (typeof tag?.name !== 'string' || !tag.name) return undefined;
  const digest = isValidDigest(tag.digest) ? tag.digest : undefined;
  const pushed = isoDate(tag.lastUpdateTime) ?? isoDate(tag.createdTime);
  return {
    name: tag.name,
    ...(digest ? { digest } : {}),
    ...(pushed ? { pushed } : {}),
  };
}

/**
 * Azure Container Registry: repositories from `/acr/v1/_catalog` and tags with digest and
 * dates from `/acr/v1/{repo}/_tags`, paged by `Link` (at most 1000 a page), so an unchanged
 * recrawl reads no manifest. An admin user or a repository-scoped token logs in through the
 * registry's own challenge. A service principal gets an Azure AD token through
 * `@azure/identity`, exchanged at `/oauth2/exchange` for an ACR refresh token, which the
 * registry's challenge then turns into an access token per scope; the refresh token is
 * exchanged anew before it ends.
 */
export class AcrAdapter implements RegistryAdapter {
  private readonly credential?: ClientSecretCredential;
  private readonly scope: string;
  private readonly tenantId?: string;
  /** The service principal's registry login, renewed in place so the client's next token uses it. */
  private readonly refreshAuth: RegistryAuth = {
    type: 'auto',
    username: REFRESH_TOKEN_USER,
  };
  private spClient?: RegistryHttpClient;
  private renewAt = 0;
  private renewal?: Promise<void>;

  constructor(private readonly context: RegistryAdapterContext) {
    const { connection } = context;
    const options = connection.options as {
      tenantId?: string;
      cloud?: keyof typeof CLOUDS;
      authorityHost?: string;
    };
    const cloud = CLOUDS[options.cloud ?? 'public'];
    this.scope = cloud.scope;
    this.tenantId = options.tenantId;
    const { username, password } = connection.auth;
    if (options.tenantId && username && password) {
      const caCert = connection.transport.caCert;
      this.credential = new ClientSecretCredential(
        options.tenantId,
        username,
        password,
        {
          authorityHost: options.authorityHost ?? cloud.authorityHost,
          // An authority of its own (Azure Stack, a test double) is not in Microsoft's list.
          ...(options.authorityHost ? { disableInstanceDiscovery: true } : {}),
          ...(caCert ? { tlsOptions: { ca: caCert } } : {}),
        },
      );
    }
  }

  private get host() {
    return new URL(this.context.connection.url).host;
  }

  /** The client that reads the registry: the service principal's, or the connection's own. */
  private async registry(): Promise<RegistryHttpClient> {
    if (!this.credential) return this.context.http;
    if (!this.spClient || Date.now() >= this.renewAt) {
      this.renewal ??= this.exchange().finally(() => {
        this.renewal = undefined;
      });
      await this.renewal;
    }
    return this.spClient!;
  }

  /** Azure AD token → ACR refresh token (`/oauth2/exchange`). */
  private async exchange(): Promise<void> {
    let aadToken: string;
    try {
      aadToken = (
        await this.credential!.getToken(this.scope, {
          abortSignal: this.context.signal,
        })
      ).token;
    } catch (error) {
      throw new RegistryError(
        'unauthorized',
        `Azure AD refused the service principal: check the tenant id, the client id and the client secret, which expires (${snippet(
          String((error as Error)?.message ?? error),
        )})`,
      );
    }
    const form = new URLSearchParams({
      grant_type: 'access_token',
      service: this.host,
      tenant: this.tenantId!,
      access_token: aadToken,
    });
    let refreshToken: unknown;
    try {
      const response = await this.context.http.request({
        kind: 'token',
        method: 'POST',
        url: '/oauth2/exchange',
        accept: 'application/json',
        authorization: '',
        payload: {
          contentType: 'application/x-www-form-urlencoded',
          content: form.toString(),
        },
      });
      refreshToken = JSON.parse(response.body.toString('utf8'))?.refresh_token;
    } catch (error) {
      throw withFix(error, e =>
        e.reason === 'unauthorized' || e.reason === 'forbidden'
          ? `The registry did not take the service principal's Azure AD token: ${ROLE_ADVICE}`
          : undefined,
      );
    }
    if (typeof refreshToken !== 'string' || !refreshToken) {
      throw new RegistryError(
        'invalid-response',
        '/oauth2/exchange answered no refresh_token',
      );
    }
    this.refreshAuth.password = refreshToken;
    this.renewAt = Date.now() + REFRESH_TOKEN_RENEW_MS;
    this.spClient ??= this.context.clientFor(
      this.context.connection.url,
      this.refreshAuth,
    );
  }

  v2Location(repository: string): V2Location {
    if (!this.credential) return { prefix: '', repository };
    // listTags logged in first; the connection's own client holds the client secret: refuse it.
    if (!this.spClient) {
      throw new RegistryError(
        'unauthorized',
        'The registry was read before the service principal logged in',
      );
    }
    return { prefix: '', repository, http: this.spClient };
  }

  /** Every page of an `/acr/v1` listing, following `Link: rel="next"` on the registry only. */
  private async *pages(
    http: RegistryHttpClient,
    path: string,
    scope: string,
    field: string,
  ): AsyncGenerator<unknown[]> {
    const n = Math.min(
      this.context.connection.transport.pageSize,
      ACR_MAX_PAGE,
    );
    let url: URL | undefined = http.resolve(`${path}?n=${n}`);
    const seen = new Set<string>();
    while (url) {
      if (this.context.signal?.aborted)
        throw new RegistryError('aborted', 'The crawl was cancelled');
      if (seen.has(url.href) || seen.size >= MAX_PAGES) {
        throw new RegistryError(
          'pagination-loop',
          `${path} kept linking to more pages (${seen.size} read)`,
        );
      }
      seen.add(url.href);
      const response = await http.request({
        kind: 'api',
        url,
        scope,
        accept: 'application/json',
      });
      let body: Record<string, unknown> | undefined;
      try {
        body = JSON.parse(response.body.toString('utf8'));
      } catch {
        body = undefined;
      }
      const items = body?.[field];
      if (!Array.isArray(items)) {
        throw new RegistryError(
          'invalid-response',
          `${path} answered no "${field}" list`,
        );
      }
      if (items.length) yield items;
      const next = parseNextLink(response.header('link'), response.url);
      if (next && next.origin !== response.url.origin) {
        throw new RegistryError(
          'cross-host',
          `${path} linked its next page to ${next.origin}`,
        );
      }
      url = next;
    }
  }

  private advised(error: unknown): unknown {
    return withFix(error, e => {
      if (e.reason === 'forbidden')
        return `The credentials may not list the registry: ${ROLE_ADVICE}`;
      if (e.reason === 'unauthorized')
        return this.credential
          ? `The registry refused the service principal: ${ROLE_ADVICE}`
          : 'The registry refused the user name and password: give the admin user (Access keys) or a token of a scope map with content/read and metadata/read';
      return undefined;
    });
  }

  async testConnection(): Promise<void> {
    // A refused login says what is wrong by itself; what follows is the registry's verdict.
    const http = await this.registry();
    try {
      await http.request({
        kind: 'api',
        url: '/acr/v1/_catalog?n=1',
        scope: 'registry:catalog:*',
        accept: 'application/json',
      });
    } catch (error) {
      throw this.advised(error);
    }
  }

  async *listRepositories(): AsyncIterable<string[]> {
    const http = await this.registry();
    try {
      for await (const page of this.pages(
        http,
        '/acr/v1/_catalog',
        'registry:catalog:*',
        'repositories',
      )) {
        yield page.filter((r): r is string => typeof r === 'string' && !!r);
      }
    } catch (error) {
      throw this.advised(error);
    }
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    const path = `/acr/v1/${repository
      .split('/')
      .map(encodeURIComponent)
      .join('/')}/_tags`;
    for await (const page of this.pages(
      await this.registry(),
      path,
      `repository:${repository}:metadata_read`,
      'tags',
    )) {
      yield (page as AcrTag[]).flatMap(tag => {
        const info = acrTagInfo(tag);
        return info ? [info] : [];
      });
    }
  }
}

export const acrAdapterFactory: RegistryAdapterFactory = {
  type: 'acr',
  title: 'Azure Container Registry',
  credentials: {
    username: 'Admin user, token name, or service principal client id',
    password: 'Password, or client secret',
  },
  options: [
    {
      key: 'tenantId',
      label: 'Tenant id',
      kind: 'text',
      help: 'The Azure AD tenant of a service principal; leave empty for an admin user or a token.',
    },
    {
      key: 'cloud',
      label: 'Azure cloud',
      kind: 'choice',
      choices: ['public', 'usgovernment'],
      help: 'Azure public cloud (default) or Azure US Government.',
    },
    {
      key: 'authorityHost',
      label: 'Authority host',
      kind: 'url',
      help: "Overrides the cloud's Azure AD authority host (https://login.microsoftonline.com).",
    },
  ],
  create: context => new AcrAdapter(context),
};
