import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './scriptedServer';

/**
 * An Amazon ECR API double, written from the ECR API reference (AWS JSON 1.1: `POST /` with
 * `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Action>`, dates as epoch seconds):
 * `GetAuthorizationToken` answers `{authorizationData: [{authorizationToken:
 * base64("AWS:<password>"), expiresAt, proxyEndpoint}]}`; `DescribeRepositories` and
 * `DescribeImages` page by `nextToken` with `maxResults` at most 1000 (more is a
 * `ValidationException`); `DescribeImages` answers `imageDetails: [{imageDigest, imageTags,
 * imagePushedAt, imageManifestMediaType, …}]`. Errors are status 400 with `{__type,
 * message}`: `AccessDeniedException` naming the action, `UnrecognizedClientException` for an
 * unknown key, `ThrottlingException` ("Rate exceeded"). The signature is not verified; the
 * access key id is read from the SigV4 `Credential=` field.
 */
export interface EcrImageFixture {
  imageDigest: string;
  imageTags?: string[];
  imagePushedAt: number;
  imageManifestMediaType: string;
}

export interface EcrFixture {
  /** Access key id → the actions its policy allows (`ecr:DescribeImages`, …). */
  keys: Record<string, string[]>;
  registryPassword: string;
  /** Seconds the registry password lives (12 h at AWS). */
  passwordLifetimeS: number;
  repositories: Record<string, EcrImageFixture[]>;
  /** Entries per page at most, whatever maxResults asks. */
  perPage: number;
  /** Actions answered once with a ThrottlingException. */
  throttleOnce?: Set<string>;
  calls: { action: string; body: Record<string, unknown> }[];
}

function awsError(res: ServerResponse, type: string, message: string) {
  sendJson(res, 400, { __type: type, message }, { 'x-amzn-errortype': type });
}

function paged<T>(items: T[], body: Record<string, unknown>, perPage: number) {
  const size = Math.min(Number(body.maxResults ?? 100), perPage);
  const start = Number(body.nextToken ?? 0);
  const end = start + size;
  return {
    page: items.slice(start, end),
    ...(end < items.length ? { nextToken: String(end) } : {}),
  };
}

export function ecrHandler(fixture: EcrFixture) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || '{}');
    const action = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    fixture.calls.push({ action, body });
    const key = /Credential=([^/]+)\//.exec(
      String(req.headers.authorization ?? ''),
    )?.[1];
    const allowed = key ? fixture.keys[key] : undefined;
    if (!allowed) {
      return awsError(
        res,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (fixture.throttleOnce?.delete(action)) {
      return awsError(res, 'ThrottlingException', 'Rate exceeded');
    }
    if (!allowed.includes(`ecr:${action}`)) {
      return awsError(
        res,
        'AccessDeniedException',
        `User: arn:aws:iam::123456789012:user/inventory is not authorized to perform: ecr:${action} on resource: arn:aws:ecr:us-gov-west-1:123456789012:repository/* because no identity-based policy allows the ecr:${action} action`,
      );
    }
    if (Number(body.maxResults) > 1000) {
      return awsError(
        res,
        'ValidationException',
        "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
      );
    }
    if (action === 'GetAuthorizationToken') {
      return sendJson(res, 200, {
        authorizationData: [
          {
            authorizationToken: Buffer.from(
              `AWS:${fixture.registryPassword}`,
            ).toString('base64'),
            expiresAt: Date.now() / 1000 + fixture.passwordLifetimeS,
            proxyEndpoint:
              'https://123456789012.dkr.ecr.us-gov-west-1.amazonaws.com',
          },
        ],
      });
    }
    if (action === 'DescribeRepositories') {
      const { page, nextToken } = paged(
        Object.keys(fixture.repositories).sort(),
        body,
        fixture.perPage,
      );
      return sendJson(res, 200, {
        repositories: page.map(name => ({
          repositoryName: name,
          registryId: '123456789012',
          repositoryArn: `arn:aws:ecr:us-gov-west-1:123456789012:repository/${name}`,
          repositoryUri: `123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/${name}`,
          createdAt: 1_767_225_600,
          imageTagMutability: 'MUTABLE',
        })),
        ...(nextToken ? { nextToken } : {}),
      });
    }
    if (action === 'DescribeImages') {
      const images = fixture.repositories[body.repositoryName];
      if (!images) {
        return awsError(
          res,
          'RepositoryNotFoundException',
          `The repository with name '${body.repositoryName}' does not exist in the registry with id '123456789012'`,
        );
      }
      const wanted =
        body.filter?.tagStatus === 'TAGGED'
          ? images.filter(i => i.imageTags?.length)
          : images;
      const { page, nextToken } = paged(wanted, body, fixture.perPage);
      return sendJson(res, 200, {
        imageDetails: page.map(image => ({
          registryId: '123456789012',
          repositoryName: body.repositoryName,
          ...image,
          imageSizeInBytes: 1234,
          artifactMediaType: 'application/vnd.docker.container.image.v1+json',
        })),
        ...(nextToken ? { nextToken } : {}),
      });
    }
    return awsError(res, 'UnknownOperationException', `Unknown ${action}`);
  };
}

/**
 * An AWS STS double for `AssumeRole` (query protocol: a form POST, an XML answer), written
 * from the STS API reference. It hands out `assumed` for `roleArn` when called with a key
 * of `callers`, and records the form fields it got.
 */
export function stsHandler(sts: {
  roleArn: string;
  callers: string[];
  assumed: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
  };
  calls: Record<string, string>[];
}) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const form = Object.fromEntries(new URLSearchParams(raw));
    sts.calls.push(form);
    const key = /Credential=([^/]+)\//.exec(
      String(req.headers.authorization ?? ''),
    )?.[1];
    res.setHeader('content-type', 'text/xml');
    if (
      form.Action !== 'AssumeRole' ||
      form.RoleArn !== sts.roleArn ||
      !key ||
      !sts.callers.includes(key)
    ) {
      res.statusCode = 403;
      res.end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole on resource: ${form.RoleArn}</Message></Error><RequestId>r1</RequestId></ErrorResponse>`,
      );
      return;
    }
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>${sts.assumed.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${sts.assumed.secretAccessKey}</SecretAccessKey>
      <SessionToken>${sts.assumed.sessionToken}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <Arn>${sts.roleArn}/container-inventory</Arn>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:container-inventory</AssumedRoleId>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata>
</AssumeRoleResponse>`);
  };
}
