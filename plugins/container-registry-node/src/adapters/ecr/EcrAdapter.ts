import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { RegistryError, snippet } from '../../errors';
import type { RegistryAuth } from '../../connection/types';
import type { RegistryHttpClient } from '../../http/RegistryHttpClient';
import { isValidDigest } from '../../manifests';
import type {
  RegistryAdapter,
  RegistryAdapterContext,
  RegistryAdapterFactory,
  TagInfo,
} from '../types';
import type { V2Location } from '../v2/V2Api';

/** ECR refuses `maxResults` above 1000. */
const ECR_MAX_RESULTS = 1000;
/** The registry password lives 12 h; it is renewed once less than this is left. */
const RENEW_BEFORE_MS = 60 * 60_000;

/** What each call needs, in IAM's words, for the verdict of a refused one. */
const ACTIONS = {
  GetAuthorizationToken: 'ecr:GetAuthorizationToken',
  DescribeRepositories: 'ecr:DescribeRepositories',
  DescribeImages: 'ecr:DescribeImages',
} as const;
type EcrCall = keyof typeof ACTIONS;

const LEAST_PRIVILEGE =
  'ecr:GetAuthorizationToken, ecr:DescribeRepositories, ecr:DescribeImages, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer (the AWS managed policy AmazonEC2ContainerRegistryReadOnly has them)';

/** An AWS SDK error as a RegistryError an admin can act on; AWS's text is cut short. */
export function ecrError(error: unknown, call: EcrCall): RegistryError {
  if (error instanceof RegistryError) return error;
  const e = error as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e?.$metadata?.httpStatusCode;
  const said = snippet(`${e?.name ?? 'Error'}: ${e?.message ?? ''}`);
  switch (e?.name) {
    case 'AccessDeniedException':
      return new RegistryError(
        'forbidden',
        `AWS denied ${ACTIONS[call]} to these credentials: allow it in the IAM policy of the user or role, which needs ${LEAST_PRIVILEGE} (${said})`,
        { status },
      );
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
    case 'InvalidClientTokenId':
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return new RegistryError(
        'unauthorized',
        `AWS refused the access key: check the access key id and secret access key (and the session token, which expires), or the role to assume (${said})`,
        { status },
      );
    case 'RepositoryNotFoundException':
    case 'RegistryNotFoundException':
      return new RegistryError('not-found', said, { status });
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return new RegistryError(
        'rate-limited',
        `AWS kept throttling ${ACTIONS[call]} after retries: crawl less often or raise the account's ECR API quota (${said})`,
        { status },
      );
    default:
      if (status === undefined)
        return new RegistryError('network', `${ACTIONS[call]} failed: ${said}`);
      return new RegistryError(
        status >= 500 ? 'server-error' : 'invalid-response',
        `${ACTIONS[call]} failed: ${said}`,
        { status },
      );
  }
}

/** The tags of one image of `DescribeImages`, with its digest and push date. */
export function imageTags(image: ImageDetail): TagInfo[] {
  const digest = isValidDigest(image.imageDigest)
    ? image.imageDigest
    : undefined;
  const pushed =
    image.imagePushedAt instanceof Date &&
    !Number.isNaN(image.imagePushedAt.getTime())
      ? image.imagePushedAt.toISOString()
      : undefined;
  return (image.imageTags ?? []).map(name => ({
    name,
    ...(digest ? { digest } : {}),
    ...(pushed ? { pushed } : {}),
  }));
}

/** `123456789012.dkr.ecr.eu-west-1.amazonaws.com` → account id and region. */
function parseRegistryHost(url: string) {
  const match =
    /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(
      new URL(url).hostname,
    );
  return match ? { accountId: match[1], region: match[2] } : {};
}

/**
 * AWS Elastic Container Registry through the AWS SDK (`@aws-sdk/client-ecr`, which signs each
 * call): repositories from `DescribeRepositories`, tags with digest and push date from
 * `DescribeImages` (tagged images only), both paged by `nextToken` with at most 1000 per page,
 * so an unchanged recrawl reads no manifest. The registry takes the password of
 * `GetAuthorizationToken` as user `AWS`; it lives 12 hours and is renewed before it ends. A
 * role to assume is taken through STS (`@aws-sdk/credential-providers`); without an access
 * key the SDK's default chain applies (environment, web identity, instance or task role).
 */
export class EcrAdapter implements RegistryAdapter {
  private readonly ecr: ECRClient;
  private readonly registryId?: string;
  /** The registry's own client, logged in as `AWS` with the current password. */
  private registry?: RegistryHttpClient;
  /** Kept so a renewed password reaches the registry client's next requests. */
  private readonly registryAuth: RegistryAuth = {
    type: 'basic',
    username: 'AWS',
  };
  private renewAt = 0;
  private renewal?: Promise<void>;

  constructor(private readonly context: RegistryAdapterContext) {
    const { connection } = context;
    const options = connection.options as {
      region?: string;
      registryId?: string;
      roleArn?: string;
      externalId?: string;
      endpoint?: string;
      stsEndpoint?: string;
    };
    const fromHost = parseRegistryHost(connection.url);
    const region = options.region ?? fromHost.region;
    if (!region) {
      throw new RegistryError(
        'invalid-response',
        `Give the ECR connection's region (options.region): ${connection.url} does not name one`,
      );
    }
    this.registryId = options.registryId ?? fromHost.accountId;
    const { username, password, token } = connection.auth;
    const keys:
      | { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
      | undefined =
      username && password
        ? {
            accessKeyId: username,
            secretAccessKey: password,
            ...(token ? { sessionToken: token } : {}),
          }
        : undefined;
    const credentials = options.roleArn
      ? fromTemporaryCredentials({
          params: {
            RoleArn: options.roleArn,
            RoleSessionName: 'container-inventory',
            ...(options.externalId ? { ExternalId: options.externalId } : {}),
          },
          ...(keys ? { masterCredentials: keys } : {}),
          clientConfig: {
            region,
            ...(options.stsEndpoint ? { endpoint: options.stsEndpoint } : {}),
          },
        })
      : keys;
    this.ecr = new ECRClient({
      region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      maxAttempts: connection.transport.maxRetries + 1,
    });
  }

  private async call<T>(call: EcrCall, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw ecrError(error, call);
    }
  }

  private get abort() {
    return { abortSignal: this.context.signal };
  }

  /** A registry password with more than an hour left, from GetAuthorizationToken. */
  private async ensureRegistryLogin(): Promise<void> {
    if (this.registry && Date.now() < this.renewAt) return;
    this.renewal ??= this.logIn().finally(() => {
      this.renewal = undefined;
    });
    await this.renewal;
  }

  private async logIn(): Promise<void> {
    const answer = await this.call('GetAuthorizationToken', () =>
      this.ecr.send(new GetAuthorizationTokenCommand({}), this.abort),
    );
    const data = answer.authorizationData?.[0];
    const decoded = Buffer.from(
      data?.authorizationToken ?? '',
      'base64',
    ).toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new RegistryError(
        'invalid-response',
        'GetAuthorizationToken answered no registry password',
      );
    }
    this.registryAuth.username = decoded.slice(0, colon);
    this.registryAuth.password = decoded.slice(colon + 1);
    const expires = data?.expiresAt?.getTime() ?? Date.now() + 12 * 3600_000;
    this.renewAt = expires - RENEW_BEFORE_MS;
    this.registry ??= this.context.clientFor(
      this.context.connection.url,
      this.registryAuth,
    );
  }

  v2Location(repository: string): V2Location {
    // listTags logged in before the crawler reads this repository's manifests. Without
    // that login the crawler's own client would offer the AWS keys to the registry: refuse.
    if (!this.registry) {
      throw new RegistryError(
        'unauthorized',
        'The ECR registry was read before GetAuthorizationToken answered',
      );
    }
    return { prefix: '', repository, http: this.registry };
  }

  async testConnection(): Promise<void> {
    await this.ensureRegistryLogin();
    const repositories = await this.call('DescribeRepositories', () =>
      this.ecr.send(
        new DescribeRepositoriesCommand({
          registryId: this.registryId,
          maxResults: 1,
        }),
        this.abort,
      ),
    );
    const first = repositories.repositories?.[0]?.repositoryName;
    if (first) {
      await this.call('DescribeImages', () =>
        this.ecr.send(
          new DescribeImagesCommand({
            registryId: this.registryId,
            repositoryName: first,
            maxResults: 1,
          }),
          this.abort,
        ),
      );
    }
    try {
      await this.registry!.request({ kind: 'ping', url: '/v2/' });
    } catch (error) {
      if (error instanceof RegistryError && error.reason === 'unauthorized') {
        throw new RegistryError(
          'unauthorized',
          `The registry refused the password from GetAuthorizationToken: check that the URL is the registry of account ${
            this.registryId ?? '(unknown)'
          } in the connection's region (${error.message})`,
        );
      }
      throw error;
    }
  }

  private get pageSize() {
    return Math.min(
      this.context.connection.transport.pageSize,
      ECR_MAX_RESULTS,
    );
  }

  private repositoriesPage(nextToken: string | undefined) {
    return this.call('DescribeRepositories', () =>
      this.ecr.send(
        new DescribeRepositoriesCommand({
          registryId: this.registryId,
          maxResults: this.pageSize,
          nextToken,
        }),
        this.abort,
      ),
    );
  }

  private imagesPage(repositoryName: string, nextToken: string | undefined) {
    return this.call('DescribeImages', () =>
      this.ecr.send(
        new DescribeImagesCommand({
          registryId: this.registryId,
          repositoryName,
          filter: { tagStatus: 'TAGGED' },
          maxResults: this.pageSize,
          nextToken,
        }),
        this.abort,
      ),
    );
  }

  async *listRepositories(): AsyncIterable<string[]> {
    let nextToken: string | undefined;
    do {
      const page = await this.repositoriesPage(nextToken);
      const names = (page.repositories ?? []).flatMap(r =>
        r.repositoryName ? [r.repositoryName] : [],
      );
      if (names.length) yield names;
      nextToken = page.nextToken;
    } while (nextToken);
  }

  async *listTags(repository: string): AsyncIterable<TagInfo[]> {
    await this.ensureRegistryLogin();
    let nextToken: string | undefined;
    do {
      const page = await this.imagesPage(repository, nextToken);
      yield (page.imageDetails ?? []).flatMap(imageTags);
      nextToken = page.nextToken;
    } while (nextToken);
  }

  async close(): Promise<void> {
    this.ecr.destroy();
  }
}

export const ecrAdapterFactory: RegistryAdapterFactory = {
  type: 'ecr',
  title: 'Amazon ECR',
  credentials: {
    username: 'Access key id (empty: the default AWS credential chain)',
    password: 'Secret access key',
    token: 'Session token (temporary credentials only)',
  },
  options: [
    {
      key: 'region',
      label: 'Region',
      kind: 'text',
      help: 'AWS region of the registry (us-gov-west-1 for GovCloud); read from the registry URL when absent.',
    },
    {
      key: 'registryId',
      label: 'Account id',
      kind: 'text',
      help: "The registry's AWS account id; read from the registry URL when absent.",
    },
    {
      key: 'roleArn',
      label: 'Role to assume',
      kind: 'text',
      help: 'ARN of an IAM role with read access to ECR, assumed through STS.',
    },
    {
      key: 'externalId',
      label: 'External id',
      kind: 'text',
      help: "The role's external id, if its trust policy asks for one.",
    },
    {
      key: 'endpoint',
      label: 'ECR API endpoint',
      kind: 'url',
      help: 'Overrides the ECR API endpoint (VPC endpoints, FIPS, test doubles).',
    },
    {
      key: 'stsEndpoint',
      label: 'STS endpoint',
      kind: 'url',
      help: 'Overrides the STS endpoint used to assume the role.',
    },
  ],
  create: context => new EcrAdapter(context),
};
