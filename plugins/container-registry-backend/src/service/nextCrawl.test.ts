import { nextCrawlAt } from './nextCrawl';

const now = new Date('2026-12-01T10:00:00.000Z');

describe('nextCrawlAt', () => {
  it('adds the interval to the last crawl, and says now when that is past', () => {
    const registry = {
      active: true,
      schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
    };
    expect(nextCrawlAt(registry, '2026-12-01T09:45:00.000Z', now)).toBe(
      '2026-12-01T10:15:00.000Z',
    );
    expect(nextCrawlAt(registry, '2026-12-01T08:00:00.000Z', now)).toBe(
      now.toISOString(),
    );
  });

  it('takes the next time of a cron schedule', () => {
    const next = nextCrawlAt(
      {
        active: true,
        schedule: { frequency: { cron: '0 3 * * *' }, timeout: { hours: 1 } },
      },
      undefined,
    );
    expect(new Date(next!).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(next!).getMinutes()).toBe(0);
  });

  it('has none for an inactive registry', () => {
    expect(
      nextCrawlAt(
        {
          active: false,
          schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
        },
        undefined,
        now,
      ),
    ).toBeUndefined();
  });
});
