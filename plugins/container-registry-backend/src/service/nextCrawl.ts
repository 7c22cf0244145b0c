import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { sendAt } from 'cron';

/**
 * When the registry's next scheduled crawl is due, as the page shows it: the next cron time,
 * or the last crawl's start plus the interval (now when that is past). Undefined for inactive
 * registries and schedules that only run when triggered.
 */
export function nextCrawlAt(
  registry: {
    active: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
  },
  lastStartedAt: string | undefined,
  now = new Date(),
): string | undefined {
  if (!registry.active) return undefined;
  const frequency = registry.schedule.frequency as object;
  if ('trigger' in frequency) return undefined;
  if ('cron' in frequency) {
    try {
      return sendAt(String(frequency.cron)).toJSDate().toISOString();
    } catch {
      return undefined;
    }
  }
  const interval = durationToMilliseconds(frequency as HumanDuration);
  const last = lastStartedAt ? Date.parse(lastStartedAt) : NaN;
  const due = Number.isNaN(last) ? now.getTime() : last + interval;
  return new Date(Math.max(due, now.getTime())).toISOString();
}
