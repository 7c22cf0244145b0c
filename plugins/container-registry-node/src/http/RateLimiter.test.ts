import { RateLimiter } from './RateLimiter';

describe('RateLimiter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('never lets more than the limit start within one second', async () => {
    const limiter = new RateLimiter(5);
    const starts: number[] = [];
    const all = Array.from({ length: 12 }, () =>
      limiter.acquire().then(() => starts.push(performance.now())),
    );
    await jest.advanceTimersByTimeAsync(5000);
    await Promise.all(all);
    expect(starts).toHaveLength(12);
    for (let i = 5; i < starts.length; i++) {
      expect(starts[i] - starts[i - 5]).toBeGreaterThanOrEqual(1000);
    }
  });
});
