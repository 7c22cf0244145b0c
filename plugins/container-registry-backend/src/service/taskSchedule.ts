import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/**
 * When a registry made on the Registries page is crawled: every N minutes; by a cron
 * expression of five fields, or six with seconds first, in the backend's local time zone as
 * Backstage's scheduler reads it; or every N days at HH:MM UTC.
 */
export type RegistrySchedule =
  | { type: 'interval'; minutes: number }
  | { type: 'cron'; expression: string }
  | { type: 'daily'; everyDays: number; at: string };

export const DEFAULT_REGISTRY_SCHEDULE: RegistrySchedule = {
  type: 'daily',
  everyDays: 1,
  at: '03:00',
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MAX_TIMEOUT = 6 * HOUR;
// The timeout frees a hung crawl before the next run is due.
const TIMEOUT_SHARE = 0.9;
const MAX_INTERVAL_MINUTES = 365 * 24 * 60;
const MAX_EVERY_DAYS = 365;
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** Day-of-month steps cron can take; every N days of the month, starting on the 1st. */
const MAX_CRON_DAY_STEP = 31;

/**
 * Maps a registry's schedule to the scheduler's definition. Invalid schedules are an
 * InputError naming the field, so the same call validates what the page sends.
 *
 * "Every N days at HH:MM" is a cron schedule in the backend's time zone (UTC in most
 * deployments): daily, or on every Nth day of the month counted from the 1st for N up to 31;
 * rarer ones run every N days from their first crawl.
 */
export function toTaskSchedule(
  schedule: RegistrySchedule = DEFAULT_REGISTRY_SCHEDULE,
): SchedulerServiceTaskScheduleDefinition {
  switch (schedule?.type) {
    case 'interval':
      return intervalSchedule(schedule.minutes);
    case 'cron':
      return cronSchedule(schedule.expression);
    case 'daily':
      return dailySchedule(schedule.everyDays, schedule.at);
    default:
      throw new InputError(
        'schedule.type must be "interval", "cron" or "daily"',
      );
  }
}

function intervalSchedule(
  minutes: number,
): SchedulerServiceTaskScheduleDefinition {
  if (!isWholeNumberIn(minutes, 1, MAX_INTERVAL_MINUTES)) {
    throw new InputError(
      `schedule.minutes must be a whole number of minutes from 1 to ${MAX_INTERVAL_MINUTES}`,
    );
  }
  return {
    frequency: { minutes },
    timeout: timeoutBelow(minutes * MINUTE),
  };
}

function cronSchedule(
  expression: string,
): SchedulerServiceTaskScheduleDefinition {
  const trimmed = typeof expression === 'string' ? expression.trim() : '';
  return {
    frequency: { cron: trimmed },
    timeout: timeoutBelow(shortestCronGap(trimmed)),
  };
}

function dailySchedule(
  everyDays: number,
  at: string,
): SchedulerServiceTaskScheduleDefinition {
  if (!isWholeNumberIn(everyDays, 1, MAX_EVERY_DAYS)) {
    throw new InputError(
      `schedule.everyDays must be a whole number from 1 to ${MAX_EVERY_DAYS}`,
    );
  }
  const time = typeof at === 'string' ? TIME_OF_DAY.exec(at) : null;
  if (!time) {
    throw new InputError(
      'schedule.at must be a time of day as HH:MM, such as 03:00',
    );
  }
  const [hour, minute] = [Number(time[1]), Number(time[2])];
  const timeout = timeoutBelow(everyDays * DAY);
  // A cron schedule, not a delayed start: the scheduler's worker for a task with an initial
  // delay sleeps through it, so "Update images list" would wait hours for a new registry.
  if (everyDays <= MAX_CRON_DAY_STEP) {
    const days = everyDays === 1 ? '*' : `*/${everyDays}`;
    return { frequency: { cron: `${minute} ${hour} ${days} * *` }, timeout };
  }
  // Beyond a month, cron cannot count days: every N days from the first crawl.
  return { frequency: { days: everyDays }, timeout };
}

function timeoutBelow(frequencyMs: number) {
  return {
    seconds: Math.floor(
      Math.min(MAX_TIMEOUT, frequencyMs * TIMEOUT_SHARE) / SECOND,
    ),
  };
}

function isWholeNumberIn(value: unknown, min: number, max: number) {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= min &&
    value <= max
  );
}

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names a field accepts in place of numbers, lowercase. */
  names?: readonly string[];
  /** Value of the first name. */
  firstName?: number;
}

const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');
const WEEKDAYS = 'sun mon tue wed thu fri sat'.split(' ');
const SECOND_FIELD: CronField = { name: 'second', min: 0, max: 59 };
const CRON_FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, firstName: 1 },
  // 7 is Sunday as well as 0.
  { name: 'day-of-week', min: 0, max: 7, names: WEEKDAYS, firstName: 0 },
];

/**
 * A lower bound of the time between two runs of a cron expression, from its second, minute
 * and hour fields as if every day matched; the day fields only lengthen the gaps, so a
 * timeout below this bound stays below the real frequency. Every field is checked against
 * the grammar Backstage's scheduler accepts.
 */
function shortestCronGap(expression: string): number {
  const fields = expression.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new InputError(
      'schedule.expression must be a cron expression of five fields (minute hour day-of-month month day-of-week), or six with seconds first',
    );
  }
  const specs =
    fields.length === 6 ? [SECOND_FIELD, ...CRON_FIELDS] : CRON_FIELDS;
  const values = fields.map((field, index) =>
    cronFieldValues(field, specs[index]),
  );
  const seconds = fields.length === 6 ? values.shift()! : [0];
  const [minutes, hours] = values;
  const times: number[] = [];
  for (const hour of hours) {
    for (const minute of minutes) {
      for (const second of seconds) {
        times.push(((hour * 60 + minute) * 60 + second) * SECOND);
      }
    }
  }
  let gap = DAY - times[times.length - 1] + times[0];
  for (let i = 1; i < times.length; i++) {
    gap = Math.min(gap, times[i] - times[i - 1]);
  }
  if (gap < MINUTE) {
    throw new InputError(
      'schedule.expression runs more often than once a minute; crawl a registry at most once a minute',
    );
  }
  return gap;
}

/**
 * The sorted values of one cron field: a list of `*`, `a` or `a-b`, each with an optional
 * `/step`, where `a` and `b` are numbers or, for months and weekdays, names.
 */
function cronFieldValues(field: string, spec: CronField): number[] {
  const invalid = () =>
    new InputError(
      `schedule.expression has an invalid ${spec.name} field: use *, ` +
        `${spec.names ? 'names or ' : ''}numbers from ${spec.min} to ${
          spec.max
        }, ranges a-b, steps /n and lists`,
    );
  const value = (text: string | undefined) => {
    if (text === undefined) return undefined;
    if (/^\d+$/.test(text)) return Number(text);
    const index = spec.names?.indexOf(text.toLowerCase()) ?? -1;
    if (index < 0) throw invalid();
    return index + (spec.firstName ?? 0);
  };
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|(\w+)(?:-(\w+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw invalid();
    const [, range, startText, endText, stepText] = match;
    const start = range === '*' ? spec.min : value(startText)!;
    const end =
      range === '*' || (endText === undefined && stepText !== undefined)
        ? spec.max
        : value(endText) ?? start;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (start < spec.min || end > spec.max || start > end || step < 1) {
      throw invalid();
    }
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}
