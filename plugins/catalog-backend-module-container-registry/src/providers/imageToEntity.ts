import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
} from '@backstage/catalog-model';
import {
  ANNOTATION_DIGEST,
  ANNOTATION_REGISTRY,
  ANNOTATION_REPOSITORY,
  CONTAINER_IMAGE_API_VERSION,
  CONTAINER_IMAGE_KIND,
  ContainerImageEntityV1alpha1,
  containerImageEntityTitle,
  InventoryImage,
} from '@container-inventory/plugin-container-registry-common';

const SOURCE_LABEL = 'org.opencontainers.image.source';
const DESCRIPTION_LABEL = 'org.opencontainers.image.description';

/** Where the provider says an image's entity comes from: its registry and repository. */
export function imageLocation(
  image: Pick<InventoryImage, 'registry' | 'repository'>,
) {
  return `container-registry:${image.registry}/${image.repository}`;
}

/** Entities of one registry share a location key, so another provider cannot take them over. */
export function registryLocationKey(registry: string) {
  return `container-registry:${registry}`;
}

/**
 * The image's source label as a Backstage location: an http(s) URL without user-info or query,
 * since a CI pipeline may have baked a `user:token@` or a signed query into the label, and the
 * catalog shows the location to everyone.
 */
export function sourceLocation(
  labels: Record<string, string>,
): string | undefined {
  const source = labels[SOURCE_LABEL];
  if (!source) return undefined;
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return `url:${url.href}`;
}

export function imageToEntity(
  image: InventoryImage,
): ContainerImageEntityV1alpha1 {
  const location = imageLocation(image);
  const source = sourceLocation(image.labels);
  const description = image.labels[DESCRIPTION_LABEL];
  return {
    apiVersion: CONTAINER_IMAGE_API_VERSION,
    kind: CONTAINER_IMAGE_KIND,
    metadata: {
      name: image.entityName,
      title: containerImageEntityTitle(image.repository, image.digest),
      ...(description ? { description } : {}),
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATION_REGISTRY]: image.registry,
        [ANNOTATION_REPOSITORY]: image.repository,
        [ANNOTATION_DIGEST]: image.digest,
        ...(source ? { [ANNOTATION_SOURCE_LOCATION]: source } : {}),
      },
    },
    spec: {
      registry: image.registry,
      host: image.host,
      repository: image.repository,
      digest: image.digest,
      mediaType: image.mediaType,
      tags: image.tags,
      platforms: image.platforms,
      ...(image.created ? { created: image.created } : {}),
      ...(image.pushed ? { pushed: image.pushed } : {}),
      lifecycle: image.lifecycle,
      labels: image.labels,
      ...(image.owner ? { owner: image.owner } : {}),
      ...(image.component ? { component: image.component } : {}),
    },
  };
}
