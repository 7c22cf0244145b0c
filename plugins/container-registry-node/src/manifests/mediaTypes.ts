export const MediaType = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList:
    'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed:
    'application/vnd.docker.distribution.manifest.v1+prettyjws',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
} as const;

/**
 * Accept header of manifest requests. Registries answer 404 for an index, or convert it
 * to something else, unless its type is listed here.
 */
export const MANIFEST_ACCEPT = [
  MediaType.ociIndex,
  MediaType.dockerManifestList,
  MediaType.ociManifest,
  MediaType.dockerManifest,
  MediaType.dockerSchema1Signed,
  MediaType.dockerSchema1,
].join(', ');

export const INDEX_MEDIA_TYPES: string[] = [
  MediaType.ociIndex,
  MediaType.dockerManifestList,
];

export const IMAGE_CONFIG_MEDIA_TYPES: string[] = [
  MediaType.dockerConfig,
  MediaType.ociConfig,
];
