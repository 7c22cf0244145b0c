import {
  applyImageFilters,
  ContainerImageRecord,
  hasImageFilters,
  RegistryFilterSettings,
} from '@container-inventory/plugin-container-registry-common';
import type { TagInfo } from '@container-inventory/plugin-container-registry-node';

/**
 * The filters that can be decided from a tag listing alone, before any manifest is read: the
 * name patterns, and the push date where the registry's listing gives one.
 */
export function tagSelector(
  filters: RegistryFilterSettings,
  now: () => Date = () => new Date(),
): ((repository: string, tags: TagInfo[]) => TagInfo[]) | undefined {
  if (!hasImageFilters(filters)) return undefined;
  const { include, never, always, pushedWithinDays } = filters;
  const early = { include, never, always, pushedWithinDays };
  return (repository, tags) =>
    applyImageFilters(
      tags.map(tag => ({
        repository,
        tags: [tag.name],
        ...(tag.pushed ? { pushed: tag.pushed } : {}),
        tag,
      })),
      early,
      now(),
    ).kept.map(({ image }) => image.tag);
}

/** Every filter, on images whose dates are known once their details were read. */
export function filterImages(
  images: ContainerImageRecord[],
  filters: RegistryFilterSettings,
  now = new Date(),
): ContainerImageRecord[] {
  if (!hasImageFilters(filters)) return images;
  return applyImageFilters(images, filters, now).kept.map(({ image }) => image);
}
