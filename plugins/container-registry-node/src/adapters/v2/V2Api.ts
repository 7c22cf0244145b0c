import { RegistryError } from '../../errors';
import type {
  RegistryHttpClient,
  RegistryResponse,
} from '../../http/RegistryHttpClient';
import {
  DIGEST_PATTERN,
  digestLike,
  isValidDigest,
  MANIFEST_ACCEPT,
  MediaType,
  schema1Payload,
  sha256Digest,
} from '../../manifests';
import { repositoryPath, repositoryScope } from './paths';

export interface FetchedManifest {
  digest: string;
  bytes: Buffer;
  contentType?: string;
}

function announcedDigest(response: RegistryResponse): string | undefined {
  const digest = response.header('docker-content-digest')?.trim();
  return digest && DIGEST_PATTERN.test(digest) ? digest : undefined;
}

/** The digest a registry computes: over the JWS payload for signed schema1, else the bytes. */
function computeDigest(bytes: Buffer, contentType: string | undefined): string {
  const isSchema1 =
    contentType?.startsWith(MediaType.dockerSchema1Signed) ||
    contentType?.startsWith(MediaType.dockerSchema1);
  return sha256Digest(isSchema1 ? schema1Payload(bytes) : bytes);
}

/** The manifest and blob calls of the distribution API, the same for every product. */
export class V2Api {
  /**
   * @param prefix - a path before `/v2/` under the registry URL, for products that serve a
   * V2 API per repository of theirs (`/repository/docker-hosted` on Nexus).
   */
  constructor(
    private readonly http: RegistryHttpClient,
    private readonly prefix = '',
  ) {}

  /** GET a manifest; its digest is checked against `Docker-Content-Digest` when sent. */
  async getManifest(
    repository: string,
    reference: string,
  ): Promise<FetchedManifest> {
    const response = await this.http.request({
      kind: 'manifest',
      url: `${this.prefix}/v2/${repositoryPath(
        repository,
      )}/manifests/${encodeURIComponent(reference)}`,
      scope: repositoryScope(repository),
      accept: MANIFEST_ACCEPT,
    });
    const contentType = response.header('content-type');
    const computed = computeDigest(response.body, contentType);
    const announced = announcedDigest(response);
    if (announced && announced !== computed) {
      throw new RegistryError(
        'digest-mismatch',
        `${repository}:${reference} was announced as ${announced} but its bytes hash to ${computed}`,
      );
    }
    if (reference.startsWith('sha256:') && reference !== computed) {
      throw new RegistryError(
        'digest-mismatch',
        `${repository}@${reference} answered bytes that hash to ${computed}`,
      );
    }
    return { digest: computed, bytes: response.body, contentType };
  }

  /** HEAD a manifest: its current digest, or undefined when the registry does not say. */
  async headManifest(
    repository: string,
    reference: string,
  ): Promise<string | undefined> {
    const response = await this.http.request({
      kind: 'manifest-head',
      method: 'HEAD',
      url: `${this.prefix}/v2/${repositoryPath(
        repository,
      )}/manifests/${encodeURIComponent(reference)}`,
      scope: repositoryScope(repository),
      accept: MANIFEST_ACCEPT,
    });
    return announcedDigest(response);
  }

  async getBlob(repository: string, digest: string): Promise<Buffer> {
    if (!isValidDigest(digest)) {
      throw new RegistryError(
        'invalid-response',
        `A manifest of ${repository} names a blob digest that is not valid`,
      );
    }
    const response = await this.http.request({
      kind: 'blob',
      url: `${this.prefix}/v2/${repositoryPath(repository)}/blobs/${digest}`,
      scope: repositoryScope(repository),
    });
    if (digestLike(digest, response.body) !== digest) {
      throw new RegistryError(
        'digest-mismatch',
        `Blob ${digest} of ${repository} does not match its digest`,
      );
    }
    return response.body;
  }
}

/** Where a repository's V2 API is: a path before `/v2/` and the name under it. */
export interface V2Location {
  prefix: string;
  repository: string;
  /** The client of the API's origin when it is not the registry's (a subdomain or port). */
  http?: RegistryHttpClient;
}

/**
 * The V2 calls of a registry whose repositories live under several V2 APIs of one origin
 * (Nexus, Artifactory): each call goes to the API `locate` names, through the same client,
 * so connection limits and credentials stay those of the registry.
 */
export class RoutedV2Api extends V2Api {
  private readonly apis = new Map<string, V2Api>();

  constructor(
    private readonly client: RegistryHttpClient,
    private readonly locate: (repository: string) => V2Location,
  ) {
    super(client);
  }

  private route(repository: string): [V2Api, string] {
    const location = this.locate(repository);
    const http = location.http ?? this.client;
    const key = `${http.baseUrl.href} ${location.prefix}`;
    let api = this.apis.get(key);
    if (!api) {
      api = new V2Api(http, location.prefix);
      this.apis.set(key, api);
    }
    return [api, location.repository];
  }

  getManifest(repository: string, reference: string) {
    const [api, name] = this.route(repository);
    return api.getManifest(name, reference);
  }

  headManifest(repository: string, reference: string) {
    const [api, name] = this.route(repository);
    return api.headManifest(name, reference);
  }

  getBlob(repository: string, digest: string) {
    const [api, name] = this.route(repository);
    return api.getBlob(name, digest);
  }
}
