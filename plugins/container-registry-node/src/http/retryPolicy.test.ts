import { parseRetryAfter, rateLimitWaitMs, retryDelayMs } from './retryPolicy';

describe('retry policy', () => {
  it('reads Retry-After in seconds and as an HTTP date', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, and obeys the server when it says', () => {
    expect(retryDelayMs(0, undefined, () => 0)).toBe(125);
    expect(retryDelayMs(3, undefined, () => 1)).toBe(2000);
    expect(retryDelayMs(20, undefined, () => 1)).toBe(30_000);
    expect(retryDelayMs(1, 5000)).toBe(5000);
  });
});

describe('rateLimitWaitMs', () => {
  const headers = (values: Record<string, string>) => (name: string) =>
    values[name];
  const now = Date.parse('2026-11-22T10:00:00Z');

  it('prefers Retry-After', () => {
    expect(
      rateLimitWaitMs(
        headers({ 'retry-after': '2', 'ratelimit-reset': '50' }),
        now,
      ),
    ).toBe(2000);
  });

  it('reads the reset of ratelimit headers, relative or as epoch seconds', () => {
    expect(rateLimitWaitMs(headers({ 'ratelimit-reset': '12' }), now)).toBe(
      12_000,
    );
    expect(
      rateLimitWaitMs(
        headers({ 'x-ratelimit-reset': String(now / 1000 + 30) }),
        now,
      ),
    ).toBe(30_000);
  });

  it("waits Docker Hub's whole window when its pull limit is used up", () => {
    expect(
      rateLimitWaitMs(
        headers({
          'ratelimit-limit': '100;w=21600',
          'ratelimit-remaining': '0;w=21600',
        }),
        now,
      ),
    ).toBe(21_600_000);
    expect(
      rateLimitWaitMs(headers({ 'ratelimit-remaining': '76;w=21600' }), now),
    ).toBeUndefined();
  });
});
