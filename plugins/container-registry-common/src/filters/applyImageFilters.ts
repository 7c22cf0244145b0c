import {
  compileImagePattern,
  ImagePattern,
  matchesImagePattern,
} from './patterns';

/** A registry's image filters, as stored with its settings. All parts are optional. */
export interface ImageFilters {
  /** When set, only images matching one of these are kept. */
  include?: string[];
  /** Images matching one of these are dropped. */
  never?: string[];
  /** Images matching one of these are kept whatever the other filters say. */
  always?: string[];
  /** Keep only the newest N images of each repository. */
  latestTags?: number;
  /** Keep only images built within N days; images whose build date is unknown are kept. */
  createdWithinDays?: number;
  /** Keep only images pushed within N days; images whose push date is unknown are kept. */
  pushedWithinDays?: number;
}

/** What a filter needs to know of an image (or of a single tag, before its manifest is read). */
export interface FilterableImage {
  repository: string;
  tags: string[];
  /** ISO 8601 build date. */
  created?: string;
  /** ISO 8601 push date. */
  pushed?: string;
}

/** Why a filter dropped an image. */
export type ImageDropReason =
  | 'never'
  | 'not-included'
  | 'created-too-old'
  | 'pushed-too-old'
  | 'not-latest';

/** Why an image was kept: an `always` pattern, or no filter dropped it. */
export type ImageKeepReason = 'always' | 'passed';

export interface ImageFilterResult<T> {
  kept: Array<{ image: T; reason: ImageKeepReason }>;
  dropped: Array<{ image: T; reason: ImageDropReason }>;
}

const DAY_MS = 86_400_000;

/** Words for a drop reason, as the filter preview shows them. */
export const IMAGE_DROP_REASON_TEXT: Record<ImageDropReason, string> = {
  never: 'matches a "never" pattern',
  'not-included': 'matches no "include" pattern',
  'created-too-old': 'built before the "created within" window',
  'pushed-too-old': 'pushed before the "pushed within" window',
  'not-latest': 'older than the latest tags kept per repository',
};

function matchesAny(patterns: ImagePattern[], image: FilterableImage): boolean {
  const tags = image.tags.length > 0 ? image.tags : [undefined];
  return patterns.some(pattern =>
    tags.some(tag => matchesImagePattern(pattern, image.repository, tag)),
  );
}

function olderThan(
  date: string | undefined,
  days: number | undefined,
  now: Date,
) {
  if (days === undefined || !date) return false;
  const time = Date.parse(date);
  return !Number.isNaN(time) && time < now.getTime() - days * DAY_MS;
}

/** The image's newest known date, for "latest N": undated images rank last. */
function newestDate(image: FilterableImage): number {
  const dates = [image.created, image.pushed]
    .map(date => (date ? Date.parse(date) : NaN))
    .filter(time => !Number.isNaN(time));
  return dates.length ? Math.max(...dates) : -Infinity;
}

function dropReason(
  image: FilterableImage,
  filters: ImageFilters,
  compiled: { include: ImagePattern[]; never: ImagePattern[] },
  now: Date,
): ImageDropReason | undefined {
  if (matchesAny(compiled.never, image)) return 'never';
  if (compiled.include.length > 0 && !matchesAny(compiled.include, image)) {
    return 'not-included';
  }
  if (olderThan(image.created, filters.createdWithinDays, now)) {
    return 'created-too-old';
  }
  if (olderThan(image.pushed, filters.pushedWithinDays, now)) {
    return 'pushed-too-old';
  }
  return undefined;
}

/** Of the images that passed the other filters, the newest `latest` per repository. */
function latestPerRepository<T extends FilterableImage>(
  passed: T[],
  latest: number,
): Set<T> {
  const byRepository = new Map<string, T[]>();
  for (const image of passed) {
    const list = byRepository.get(image.repository) ?? [];
    list.push(image);
    byRepository.set(image.repository, list);
  }
  const keep = new Set<T>();
  for (const list of byRepository.values()) {
    // Array.prototype.sort is stable, so undated images keep their listing order.
    const newestFirst = [...list].sort((a, b) => newestDate(b) - newestDate(a));
    newestFirst.slice(0, latest).forEach(image => keep.add(image));
  }
  return keep;
}

/**
 * Applies a registry's filters to a list of images (or tags). "Always" beats every other
 * filter; "latest N" counts only the images the other filters kept. `now` anchors the
 * "within N days" windows. Pattern strings must be valid (they are, in validated settings).
 */
export function applyImageFilters<T extends FilterableImage>(
  images: T[],
  filters: ImageFilters,
  now: Date,
): ImageFilterResult<T> {
  const compiled = {
    include: (filters.include ?? []).map(compileImagePattern),
    never: (filters.never ?? []).map(compileImagePattern),
    always: (filters.always ?? []).map(compileImagePattern),
  };
  const result: ImageFilterResult<T> = { kept: [], dropped: [] };
  const passed: T[] = [];
  const outcome = new Map<T, ImageKeepReason | ImageDropReason>();
  for (const image of images) {
    if (matchesAny(compiled.always, image)) {
      outcome.set(image, 'always');
      continue;
    }
    const reason = dropReason(image, filters, compiled, now);
    outcome.set(image, reason ?? 'passed');
    if (!reason) passed.push(image);
  }
  const latest =
    filters.latestTags !== undefined
      ? latestPerRepository(passed, filters.latestTags)
      : undefined;
  for (const image of images) {
    const reason = outcome.get(image)!;
    if (reason === 'always') {
      result.kept.push({ image, reason });
    } else if (reason !== 'passed') {
      result.dropped.push({ image, reason });
    } else if (latest && !latest.has(image)) {
      result.dropped.push({ image, reason: 'not-latest' });
    } else {
      result.kept.push({ image, reason });
    }
  }
  return result;
}

/** True when the filters keep everything (nothing to apply). */
export function hasImageFilters(filters: ImageFilters | undefined): boolean {
  if (!filters) return false;
  return Boolean(
    filters.include?.length ||
      filters.never?.length ||
      filters.latestTags !== undefined ||
      filters.createdWithinDays !== undefined ||
      filters.pushedWithinDays !== undefined,
  );
}
