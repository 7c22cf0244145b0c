import { createPublicKey, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forwardToRegistry } from './registryProxy';
import { sendJson } from './scriptedServer';

/**
 * Google doubles written from Google's references.
 *
 * OAuth token endpoint: `POST` form `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&
 * assertion=<RS256 JWT>` answers `{access_token, expires_in, token_type}`, or 400
 * `{error: 'invalid_grant', error_description: 'Invalid JWT Signature.'}`.
 *
 * Artifact Registry API v1: `…/locations/{l}/repositories` answers `{repositories: [{name,
 * format, …}], nextPageToken}`; `…/repositories/{r}/packages` `{packages: [{name}]}` with the
 * image path URL-encoded; `…/packages/{p}/versions?view=FULL` `{versions: [{name:
 * …/versions/sha256:…, createTime, updateTime, relatedTags: [{name: …/tags/<tag>}]}]}`, all
 * paged by `pageSize`/`pageToken`. A refused call answers `{error: {code: 403, message:
 * "Permission 'artifactregistry.repositories.list' denied …", status: 'PERMISSION_DENIED'}}`.
 *
 * The registry (`<location>-docker.pkg.dev`): a Bearer challenge whose realm `/v2/token`
 * takes `oauth2accesstoken` and an access token as Basic; `/v2/{project}/{repository}/…`
 * goes on to a real registry without the project and repository.
 */
export interface GarFixture {
  project: string;
  location: string;
  /** Service accounts: email → public key (PEM) and whether they hold artifactregistry.reader. */
  accounts: Record<string, { publicKey: string; reader: boolean }>;
  /** GAR repository → format and, for DOCKER, image → versions. */
  repositories: Record<
    string,
    {
      format: string;
      images: Record<
        string,
        { digest: string; tags: string[]; createTime: string }[]
      >;
    }
  >;
  perPage: number;
  registry: { url: string; username: string; password: string };
  /** Access tokens issued. */
  issued: Map<string, string>;
  throttleOnce?: Set<string>;
  /**
   * Serves a gcr.io host instead: `/v2/_catalog` lists `{project}/{image}` of the DOCKER
   * repository's images (and `otherProjectRepositories`), `/v2/{project}/{image}/tags/list`
   * answers `{name, tags, child, manifest: {<digest>: {tag, mediaType, timeCreatedMs,
   * timeUploadedMs, imageSizeBytes, layerId}}}`.
   */
  gcr?: { otherProjectRepositories: string[] };
}

function pageOf<T>(items: T[], url: URL, perPage: number) {
  const size = Math.min(
    Number(url.searchParams.get('pageSize') ?? 50),
    perPage,
  );
  const start = Number(url.searchParams.get('pageToken') ?? 0);
  return {
    slice: items.slice(start, start + size),
    ...(start + size < items.length
      ? { nextPageToken: String(start + size) }
      : {}),
  };
}

function apiError(
  res: ServerResponse,
  code: number,
  status: string,
  message: string,
) {
  sendJson(res, code, { error: { code, message, status } });
}

async function formOf(req: IncomingMessage) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

export function garHandler(fixture: GarFixture, origin: () => string) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, origin());
    if (fixture.throttleOnce?.delete(url.pathname)) {
      return apiError(
        res,
        429,
        'RESOURCE_EXHAUSTED',
        "Quota exceeded for quota metric 'Requests'",
      );
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = await formOf(req);
      const [header, payload, signature] = (form.get('assertion') ?? '').split(
        '.',
      );
      const claims = JSON.parse(
        Buffer.from(payload ?? '', 'base64url').toString('utf8') || '{}',
      );
      const account = fixture.accounts[claims.iss];
      const valid =
        account &&
        verify(
          'RSA-SHA256',
          Buffer.from(`${header}.${payload}`),
          createPublicKey(account.publicKey),
          Buffer.from(signature ?? '', 'base64url'),
        );
      if (!valid) {
        return sendJson(res, 400, {
          error: 'invalid_grant',
          error_description: 'Invalid JWT Signature.',
        });
      }
      const token = `ya29.${fixture.issued.size}`;
      fixture.issued.set(token, claims.iss);
      return sendJson(res, 200, {
        access_token: token,
        expires_in: 3599,
        token_type: 'Bearer',
      });
    }
    if (url.pathname === '/v2/token') {
      const header = req.headers.authorization ?? '';
      const [user, password] = Buffer.from(
        header.replace(/^Basic /, ''),
        'base64',
      )
        .toString('utf8')
        .split(':');
      if (user !== 'oauth2accesstoken' || !fixture.issued.has(password)) {
        return sendJson(res, 401, {
          errors: [{ code: 'UNAUTHORIZED', message: 'Not Authorized.' }],
        });
      }
      return sendJson(res, 200, {
        token: `registry.${password}`,
        expires_in: 3600,
      });
    }
    if (url.pathname.startsWith('/v2/')) {
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!bearer.startsWith('registry.')) {
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="${origin()}/v2/token",service="${
            new URL(origin()).host
          }"`,
          'content-type': 'application/json',
        });
        res.end(
          JSON.stringify({
            errors: [
              { code: 'UNAUTHORIZED', message: 'Unauthenticated request.' },
            ],
          }),
        );
        return undefined;
      }
      const prefix = `/v2/${fixture.project}/`;
      const images = Object.values(fixture.repositories).find(
        r => r.format === 'DOCKER',
      )!.images;
      if (fixture.gcr && url.pathname === '/v2/_catalog') {
        return sendJson(res, 200, {
          repositories: [
            ...Object.keys(images).map(i => `${fixture.project}/${i}`),
            ...fixture.gcr.otherProjectRepositories,
          ].sort(),
        });
      }
      const tagList = /^\/v2\/[^/]+\/(.+)\/tags\/list$/.exec(url.pathname);
      if (fixture.gcr && tagList) {
        const versions = images[tagList[1]] ?? [];
        return sendJson(res, 200, {
          name: `${fixture.project}/${tagList[1]}`,
          child: [],
          tags: versions.flatMap(v => v.tags).sort(),
          manifest: Object.fromEntries(
            versions.map(v => [
              v.digest,
              {
                tag: v.tags,
                mediaType: 'application/vnd.oci.image.manifest.v1+json',
                imageSizeBytes: '1234',
                layerId: '',
                timeCreatedMs: String(Date.parse(v.createTime)),
                timeUploadedMs: String(Date.parse(v.createTime)),
              },
            ]),
          ),
        });
      }
      const rest = url.pathname.startsWith(prefix)
        ? url.pathname
            .slice(prefix.length)
            .split('/')
            .slice(fixture.gcr ? 0 : 1)
            .join('/')
        : '';
      req.headers.authorization = `Basic ${Buffer.from(
        `${fixture.registry.username}:${fixture.registry.password}`,
      ).toString('base64')}`;
      forwardToRegistry(req, res, rest ? `/v2/${rest}${url.search}` : '/v2/', {
        target: fixture.registry.url,
      });
      return undefined;
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const account = fixture.accounts[fixture.issued.get(token) ?? ''];
    if (!account) {
      return apiError(
        res,
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials.',
      );
    }
    const parent = `/v1/projects/${fixture.project}/locations/${fixture.location}`;
    if (!account.reader || !url.pathname.startsWith(`${parent}/`)) {
      return apiError(
        res,
        403,
        'PERMISSION_DENIED',
        `Permission 'artifactregistry.repositories.list' denied on resource '//artifactregistry.googleapis.com${url.pathname.replace(
          '/v1',
          '',
        )}' (or it may not exist).`,
      );
    }
    const resource = url.pathname.slice(1).replace(/^v1\//, '');
    if (url.pathname === `${parent}/repositories`) {
      const { slice, ...next } = pageOf(
        Object.keys(fixture.repositories).sort(),
        url,
        fixture.perPage,
      );
      return sendJson(res, 200, {
        repositories: slice.map(id => ({
          name: `${resource}/${id}`,
          format: fixture.repositories[id].format,
          mode: 'STANDARD_REPOSITORY',
        })),
        ...next,
      });
    }
    const packages = /^\/v1\/.*\/repositories\/([^/]+)\/packages$/.exec(
      url.pathname,
    );
    if (packages) {
      const images = Object.keys(
        fixture.repositories[packages[1]]?.images ?? {},
      ).sort();
      const { slice, ...next } = pageOf(images, url, fixture.perPage);
      return sendJson(res, 200, {
        packages: slice.map(image => ({
          name: `${resource}/${encodeURIComponent(image)}`,
        })),
        ...next,
      });
    }
    const versions =
      /^\/v1\/.*\/repositories\/([^/]+)\/packages\/([^/]+)\/versions$/.exec(
        url.pathname,
      );
    const list =
      versions &&
      fixture.repositories[versions[1]]?.images[
        decodeURIComponent(versions[2])
      ];
    if (!list)
      return apiError(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
    const full = url.searchParams.get('view') === 'FULL';
    const { slice, ...next } = pageOf(list, url, fixture.perPage);
    const packageName = resource.slice(0, resource.lastIndexOf('/versions'));
    return sendJson(res, 200, {
      versions: slice.map(v => ({
        name: `${resource}/${v.digest}`,
        createTime: v.createTime,
        updateTime: v.createTime,
        ...(full
          ? {
              relatedTags: v.tags.map(tag => ({
                name: `${packageName}/tags/${tag}`,
                version: `${resource}/${v.digest}`,
              })),
            }
          : {}),
      })),
      ...next,
    });
  };
}
