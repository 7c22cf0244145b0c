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
  constructor(private readonly http: RegistryHttpClient) {}

  /** GET a manifest; its digest is checked against `Docker-Content-Digest` when sent. */
  async getManifest(
    repository: string,
    reference: string,
  ): Promise<FetchedManifest> {
    const response = await this.http.request({
      kind: 'manifest',
      url: `/v2/${repositoryPath(repository)}/manifests/${encodeURIComponent(
        reference,
      )}`,
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
      url: `/v2/${repositoryPath(repository)}/manifests/${encodeURIComponent(
        reference,
      )}`,
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
      url: `/v2/${repositoryPath(repository)}/blobs/${digest}`,
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
