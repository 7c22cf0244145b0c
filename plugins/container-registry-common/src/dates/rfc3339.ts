/**
 * RFC 3339 date-time as registries write it: `2026-03-01T12:00:00Z`, with optional fractional
 * seconds (Go writes up to nine digits) and a `Z` or `±hh:mm` offset. A lowercase `t`/`z` is
 * allowed by the RFC.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** The longest value {@link normalizeRfc3339} can return; inventory columns are sized by it. */
export const MAX_RFC3339_LENGTH = 35;

/**
 * The value when it is a real RFC 3339 date-time, else undefined. Values come from image
 * configs, labels and annotations that anyone can push: a date that is not one is dropped,
 * never stored.
 */
export function normalizeRfc3339(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_RFC3339_LENGTH) {
    return undefined;
  }
  const match = RFC3339.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const validDay =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day;
  // 60 is a leap second, which RFC 3339 allows.
  if (!validDay || hour > 23 || minute > 59 || second > 60) return undefined;
  return value;
}
