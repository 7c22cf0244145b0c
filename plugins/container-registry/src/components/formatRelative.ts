import type { PageTranslation } from '../translation';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 minutes ago", for the last crawl column. */
export function formatRelative(iso: string, now = Date.now()): string {
  const delta = Date.parse(iso) - now;
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms || unit === 'second') {
      return format.format(Math.round(delta / ms), unit);
    }
  }
  return iso;
}

/** "1 min 5 s", for how long a crawl took. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** How long a run took, from its duration or its start and end. */
export function runDuration(run: {
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
}): number | undefined {
  if (run.durationMs !== undefined) return run.durationMs;
  if (!run.finishedAt) return undefined;
  return Date.parse(run.finishedAt) - Date.parse(run.startedAt);
}

/** When a registry is crawled next: in words, or why it is not. */
export function describeNextCrawl(
  registry: { active: boolean; nextCrawlAt?: string },
  t: PageTranslation,
): string {
  if (!registry.active) return t('inactive');
  if (registry.nextCrawlAt) return formatRelative(registry.nextCrawlAt);
  return t('notScheduled');
}
