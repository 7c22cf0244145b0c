import { InputError } from '@backstage/errors';
import { acrAdapterFactory } from './acr/AcrAdapter';
import { artifactoryAdapterFactory } from './artifactory/ArtifactoryAdapter';
import { dockerHubAdapterFactory } from './dockerhub/DockerHubAdapter';
import { ecrAdapterFactory } from './ecr/EcrAdapter';
import { garAdapterFactory } from './gar/GarAdapter';
import { gcrAdapterFactory } from './gar/GcrAdapter';
import { genericAdapterFactory } from './generic';
import { ghcrAdapterFactory } from './ghcr/GhcrAdapter';
import { gitflicAdapterFactory } from './gitflic/GitFlicAdapter';
import { gitlabAdapterFactory } from './gitlab/GitLabAdapter';
import { harborAdapterFactory } from './harbor/HarborAdapter';
import { nexusAdapterFactory } from './nexus/NexusAdapter';
import { quayAdapterFactory } from './quay/QuayAdapter';
import type { RegistryAdapterFactory } from './types';

export * from './types';
export { GenericRegistryAdapter, genericAdapterFactory } from './generic';
export { HarborAdapter, harborAdapterFactory } from './harbor/HarborAdapter';
export { GitLabAdapter, gitlabAdapterFactory } from './gitlab/GitLabAdapter';
export { NexusAdapter, nexusAdapterFactory } from './nexus/NexusAdapter';
export { QuayAdapter, quayAdapterFactory } from './quay/QuayAdapter';
export {
  DockerHubAdapter,
  dockerHubAdapterFactory,
} from './dockerhub/DockerHubAdapter';
export { GhcrAdapter, ghcrAdapterFactory } from './ghcr/GhcrAdapter';
export { EcrAdapter, ecrAdapterFactory } from './ecr/EcrAdapter';
export { AcrAdapter, acrAdapterFactory } from './acr/AcrAdapter';
export { GarAdapter, garAdapterFactory } from './gar/GarAdapter';
export { GcrAdapter, gcrAdapterFactory } from './gar/GcrAdapter';
export {
  GitFlicAdapter,
  gitflicAdapterFactory,
  gitflicOwnerOf,
} from './gitflic/GitFlicAdapter';
export type { GitFlicOwner } from './gitflic/GitFlicAdapter';
export {
  ArtifactoryAdapter,
  artifactoryAdapterFactory,
} from './artifactory/ArtifactoryAdapter';
export * from './v2';

/** The adapters that ship with the crawler, by product. */
export const builtInAdapterFactories: RegistryAdapterFactory[] = [
  genericAdapterFactory,
  harborAdapterFactory,
  gitlabAdapterFactory,
  nexusAdapterFactory,
  artifactoryAdapterFactory,
  quayAdapterFactory,
  gitflicAdapterFactory,
  dockerHubAdapterFactory,
  ghcrAdapterFactory,
  ecrAdapterFactory,
  acrAdapterFactory,
  garAdapterFactory,
  gcrAdapterFactory,
];

/** Finds the adapter of a product; unknown products are an error that names the known ones. */
export function findAdapterFactory(
  type: string,
  factories: RegistryAdapterFactory[] = builtInAdapterFactories,
): RegistryAdapterFactory {
  const factory = factories.find(f => f.type === type);
  if (!factory) {
    throw new InputError(
      `No adapter for registry type "${type}"; known types: ${factories
        .map(f => f.type)
        .join(', ')}`,
    );
  }
  return factory;
}
