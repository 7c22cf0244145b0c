import {
  ContainerImageRecord,
  normalizeRfc3339,
} from '@container-inventory/plugin-container-registry-common';

/** Column limits of `images`; PostgreSQL enforces them, SQLite does not. */
const MAX_REPOSITORY_LENGTH = 255;
const MAX_MEDIA_TYPE_LENGTH = 255;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
const NUL = '\u0000';

/** An image the inventory will not store, with the field and the reason. */
export class UnstorableImageError extends Error {
  constructor(field: string, reason: string) {
    super(`${field} ${reason}`);
    this.name = 'UnstorableImageError';
  }
}

function withoutNul(value: string): string {
  return value.includes(NUL) ? value.split(NUL).join('') : value;
}

function cleanRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      withoutNul(key),
      withoutNul(value),
    ]),
  );
}

/**
 * The image as the inventory can store it on any database: dates that are not RFC 3339 are
 * dropped, NUL characters (PostgreSQL refuses them in text) are removed from labels and tags,
 * and values that cannot fit are refused with the field, so that one image pushed with garbage
 * is that repository's error and never the whole crawl's.
 */
export function storableImage(
  image: ContainerImageRecord,
): ContainerImageRecord {
  if (
    image.repository.length > MAX_REPOSITORY_LENGTH ||
    image.repository.includes(NUL)
  ) {
    throw new UnstorableImageError(
      'its name',
      `must be at most ${MAX_REPOSITORY_LENGTH} characters without NUL bytes (it has ${image.repository.length})`,
    );
  }
  if (!SHA256_DIGEST.test(image.digest)) {
    throw new UnstorableImageError('its digest', 'must be sha256:<64 hex>');
  }
  if (
    image.mediaType.length > MAX_MEDIA_TYPE_LENGTH ||
    image.mediaType.includes(NUL)
  ) {
    throw new UnstorableImageError(
      `the media type of ${image.digest}`,
      `must be at most ${MAX_MEDIA_TYPE_LENGTH} characters without NUL bytes`,
    );
  }
  const created = normalizeRfc3339(image.created);
  const pushed = normalizeRfc3339(image.pushed);
  const { created: _created, pushed: _pushed, ...rest } = image;
  return {
    ...rest,
    tags: image.tags.map(withoutNul).filter(tag => tag.length > 0),
    labels: cleanRecord(image.labels),
    ...(created ? { created } : {}),
    ...(pushed ? { pushed } : {}),
  };
}
