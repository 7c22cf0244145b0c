import type { ImageLifecycle } from '@container-inventory/plugin-container-registry-common';

interface Dated {
  id: number;
  created: string | null;
  pushed: string | null;
}

/**
 * Per repository: the newest image (by build date, else push date) is `latest`, other dated
 * images are `outdated`, and images without any date are `pending`.
 */
export function computeLifecycles(
  images: Dated[],
): Map<number, ImageLifecycle> {
  const dateOf = (image: Dated) => {
    const text = image.created ?? image.pushed;
    const time = text ? Date.parse(text) : NaN;
    return Number.isNaN(time) ? undefined : time;
  };
  let newest: { id: number; time: number } | undefined;
  for (const image of images) {
    const time = dateOf(image);
    if (time !== undefined && (!newest || time > newest.time))
      newest = { id: image.id, time };
  }
  return new Map(
    images.map(image => {
      if (dateOf(image) === undefined) return [image.id, 'pending'];
      return [image.id, image.id === newest?.id ? 'latest' : 'outdated'];
    }),
  );
}
