import type {
  ImagePlatform,
  InventoryImage,
} from '@container-inventory/plugin-container-registry-common';

/** `linux/arm64/v8`, the way `docker pull --platform` spells it. */
export function formatPlatform(platform: ImagePlatform): string {
  return [platform.os, platform.architecture, platform.variant]
    .filter(Boolean)
    .join('/');
}

/** The first 12 hex digits of a digest, as `docker images` shows it. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** `host/repository@sha256:…`: what pulls exactly this image, whatever its tags become. */
export function pullReference(
  image: Pick<InventoryImage, 'host' | 'repository' | 'digest'>,
): string {
  return `${image.host}/${image.repository}@${image.digest}`;
}

/** The date the image was built, else pushed: what "newest" means in its repository. */
export function imageDate(
  image: Pick<InventoryImage, 'created' | 'pushed'>,
): string | undefined {
  return image.created ?? image.pushed;
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 days ago". */
export function formatAge(iso: string, now = Date.now()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const delta = time - now;
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms || unit === 'second') {
      return format.format(Math.round(delta / ms), unit);
    }
  }
  return iso;
}

/** A date in the reader's locale, with the ISO value in the tooltip. */
export function formatDate(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toLocaleString();
}
