import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  DEFAULT_REGISTRY_SCHEDULE,
  RegistrySchedule,
  toTaskSchedule,
} from './taskSchedule';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ms = (duration: unknown) =>
  durationToMilliseconds(duration as HumanDuration);

describe('toTaskSchedule', () => {
  it('crawls daily at 03:00 by default, as a cron schedule', () => {
    expect(DEFAULT_REGISTRY_SCHEDULE).toEqual({
      type: 'daily',
      everyDays: 1,
      at: '03:00',
    });
    const schedule = toTaskSchedule(undefined);
    expect(schedule.frequency).toEqual({ cron: '0 3 * * *' });
    expect(schedule.initialDelay).toBeUndefined();
    expect(ms(schedule.timeout)).toBe(6 * HOUR);
  });

  describe('every N days at HH:MM', () => {
    const daily = (everyDays: number, at: string): RegistrySchedule => ({
      type: 'daily',
      everyDays,
      at,
    });

    it('runs at that time on every Nth day of the month, never after a start delay', () => {
      const schedule = toTaskSchedule(daily(7, '23:45'));
      expect(schedule.frequency).toEqual({ cron: '45 23 */7 * *' });
      // A delayed start would keep the worker asleep and a triggered crawl waiting.
      expect(schedule.initialDelay).toBeUndefined();
    });

    it('counts rarer schedules in days from the first crawl', () => {
      expect(toTaskSchedule(daily(90, '00:00')).frequency).toEqual({
        days: 90,
      });
    });

    it.each([
      [0, '03:00', /everyDays/],
      [366, '03:00', /everyDays/],
      [1.5, '03:00', /everyDays/],
      [1, '24:00', /schedule\.at/],
      [1, '3:00', /schedule\.at/],
      [1, '03:60', /schedule\.at/],
    ])('rejects every %p days at %p', (everyDays, at, field) => {
      expect(() => toTaskSchedule(daily(everyDays, at))).toThrow(field);
    });
  });

  describe('interval', () => {
    it('runs every N minutes with a timeout below the interval', () => {
      const schedule = toTaskSchedule({ type: 'interval', minutes: 30 });
      expect(schedule.frequency).toEqual({ minutes: 30 });
      expect(ms(schedule.timeout)).toBeLessThan(30 * MINUTE);
      expect(ms(schedule.timeout)).toBeGreaterThan(0);
      expect(schedule.initialDelay).toBeUndefined();
    });

    it('keeps the timeout below even a one-minute interval', () => {
      const schedule = toTaskSchedule({ type: 'interval', minutes: 1 });
      expect(ms(schedule.timeout)).toBeLessThan(MINUTE);
      expect(ms(schedule.timeout)).toBeGreaterThan(0);
    });

    it('caps the timeout at six hours', () => {
      const schedule = toTaskSchedule({ type: 'interval', minutes: 24 * 60 });
      expect(ms(schedule.timeout)).toBe(6 * HOUR);
    });

    it.each([0, -5, 2.5, 365 * 24 * 60 + 1, NaN])(
      'rejects %p minutes',
      minutes => {
        expect(() => toTaskSchedule({ type: 'interval', minutes })).toThrow(
          /schedule\.minutes/,
        );
      },
    );
  });

  describe('cron', () => {
    const cron = (expression: string) =>
      toTaskSchedule({ type: 'cron', expression });

    it('passes the expression on to the scheduler', () => {
      expect(cron(' 0 */6 * * 1-5 ').frequency).toEqual({
        cron: '0 */6 * * 1-5',
      });
    });

    it.each([
      ['*/15 * * * *', 15 * MINUTE],
      ['0,10 * * * *', 10 * MINUTE],
      ['0 9-17 * * MON-FRI', HOUR],
      ['0 0,23 * * *', HOUR],
      ['30 7/4 * * *', 4 * HOUR],
      ['0 */30 * * * *', 30 * MINUTE],
    ])(
      'keeps the timeout of %p below its shortest gap of %p ms',
      (expression, gap) => {
        const timeout = ms(cron(expression).timeout);
        expect(timeout).toBeLessThan(gap);
        expect(timeout).toBeGreaterThan(gap / 2);
      },
    );

    it('accepts what the scheduler accepts: names, steps and Sunday as 7', () => {
      for (const expression of [
        '0 3 * * 7',
        '0 3 * * mon-fri/2',
        '0 3 * Jan-Mar,dec *',
        '0 3 1-31/2 * *',
        '0 3 * * SUN-SAT',
      ]) {
        expect(cron(expression).frequency).toEqual({ cron: expression });
      }
    });

    it('allows a run every minute, with a timeout below a minute', () => {
      const timeout = ms(cron('* * * * *').timeout);
      expect(timeout).toBeLessThan(MINUTE);
      expect(timeout).toBeGreaterThan(0);
    });

    it('caps the timeout at six hours for daily and rarer expressions', () => {
      expect(ms(cron('0 3 * * *').timeout)).toBe(6 * HOUR);
      expect(ms(cron('0 3 1 */3 *').timeout)).toBe(6 * HOUR);
    });

    it.each([
      ['* * * *', /five fields/],
      ['* * * * * * *', /five fields/],
      ['60 * * * *', /minute field/],
      ['0 24 * * *', /hour field/],
      ['0 5-2 * * *', /hour field/],
      ['0 */0 * * *', /hour field/],
      ['0 3 * * $', /day-of-week field/],
      ['0 3 ? * *', /day-of-month field/],
      ['0 3 L * *', /day-of-month field/],
      ['0 3 0 * *', /day-of-month field/],
      ['0 3 * 13 *', /month field/],
      ['0 3 * foo *', /month field/],
      ['0 3 * * 8', /day-of-week field/],
      ['0 3 * * 1#2', /day-of-week field/],
      ['*/30 * * * * *', /more often than once a minute/],
    ])('rejects %p', (expression, reason) => {
      expect(() => cron(expression)).toThrow(InputError);
      expect(() => cron(expression)).toThrow(reason);
    });
  });

  it('rejects an unknown schedule type', () => {
    expect(() =>
      toTaskSchedule({ type: 'weekly' } as unknown as RegistrySchedule),
    ).toThrow(/schedule\.type/);
  });
});
