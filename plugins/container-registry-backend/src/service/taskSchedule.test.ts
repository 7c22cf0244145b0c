import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  DEFAULT_REGISTRY_SCHEDULE,
  RegistrySchedule,
  toTaskSchedule,
} from './taskSchedule';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ms = (duration: unknown) =>
  durationToMilliseconds(duration as HumanDuration);
const now = new Date('2026-12-01T01:30:00.000Z');

describe('toTaskSchedule', () => {
  it('crawls daily at 03:00 UTC by default', () => {
    expect(DEFAULT_REGISTRY_SCHEDULE).toEqual({
      type: 'daily',
      everyDays: 1,
      at: '03:00',
    });
    const schedule = toTaskSchedule(undefined, now);
    expect(schedule.frequency).toEqual({ days: 1 });
    expect(ms(schedule.initialDelay)).toBe(90 * MINUTE);
    expect(ms(schedule.timeout)).toBe(6 * HOUR);
  });

  describe('every N days at HH:MM', () => {
    const daily = (everyDays: number, at: string): RegistrySchedule => ({
      type: 'daily',
      everyDays,
      at,
    });

    it('waits until that time later today', () => {
      const schedule = toTaskSchedule(daily(7, '23:45'), now);
      expect(schedule.frequency).toEqual({ days: 7 });
      expect(ms(schedule.initialDelay)).toBe(22 * HOUR + 15 * MINUTE);
    });

    it('waits until tomorrow when the time has passed today', () => {
      const schedule = toTaskSchedule(daily(1, '01:00'), now);
      expect(ms(schedule.initialDelay)).toBe(DAY - 30 * MINUTE);
    });

    it('starts at once at that very minute, and never before it', () => {
      expect(ms(toTaskSchedule(daily(1, '01:30'), now).initialDelay)).toBe(0);
      const justBefore = new Date('2026-12-01T01:29:59.400Z');
      expect(
        ms(toTaskSchedule(daily(1, '01:30'), justBefore).initialDelay),
      ).toBe(1000);
    });

    it('reads the time as UTC across a month end', () => {
      const lastEvening = new Date('2026-12-31T22:00:00.000Z');
      expect(
        ms(toTaskSchedule(daily(365, '00:00'), lastEvening).initialDelay),
      ).toBe(2 * HOUR);
    });

    it.each([
      [0, '03:00', /everyDays/],
      [366, '03:00', /everyDays/],
      [1.5, '03:00', /everyDays/],
      [1, '24:00', /schedule\.at/],
      [1, '3:00', /schedule\.at/],
      [1, '03:60', /schedule\.at/],
    ])('rejects every %p days at %p', (everyDays, at, field) => {
      expect(() => toTaskSchedule(daily(everyDays, at), now)).toThrow(field);
    });
  });

  describe('interval', () => {
    it('runs every N minutes with a timeout below the interval', () => {
      const schedule = toTaskSchedule({ type: 'interval', minutes: 30 }, now);
      expect(schedule.frequency).toEqual({ minutes: 30 });
      expect(ms(schedule.timeout)).toBeLessThan(30 * MINUTE);
      expect(ms(schedule.timeout)).toBeGreaterThan(0);
      expect(schedule.initialDelay).toBeUndefined();
    });

    it('keeps the timeout below even a one-minute interval', () => {
      const schedule = toTaskSchedule({ type: 'interval', minutes: 1 }, now);
      expect(ms(schedule.timeout)).toBeLessThan(MINUTE);
      expect(ms(schedule.timeout)).toBeGreaterThan(0);
    });

    it('caps the timeout at six hours', () => {
      const schedule = toTaskSchedule(
        { type: 'interval', minutes: 24 * 60 },
        now,
      );
      expect(ms(schedule.timeout)).toBe(6 * HOUR);
    });

    it.each([0, -5, 2.5, 365 * 24 * 60 + 1, NaN])(
      'rejects %p minutes',
      minutes => {
        expect(() =>
          toTaskSchedule({ type: 'interval', minutes }, now),
        ).toThrow(/schedule\.minutes/);
      },
    );
  });

  describe('cron', () => {
    const cron = (expression: string) =>
      toTaskSchedule({ type: 'cron', expression }, now);

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
      toTaskSchedule({ type: 'weekly' } as unknown as RegistrySchedule, now),
    ).toThrow(/schedule\.type/);
  });
});
