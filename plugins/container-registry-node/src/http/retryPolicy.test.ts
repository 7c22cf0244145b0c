import { parseRetryAfter, retryDelayMs } from './retryPolicy';

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
