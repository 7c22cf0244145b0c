const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

export const BASE_DELAY_MS = 250;
export const MAX_DELAY_MS = 30_000;

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

export function isRetryableError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/** Seconds or an HTTP date, as `Retry-After` allows; undefined when absent or unreadable. */
export function parseRetryAfter(
  value: string | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter, unless the server said how long to wait. */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random = Math.random,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * How long a rate-limited registry wants us to wait: `Retry-After`, else the reset of the
 * `ratelimit-*` (IETF draft, seconds) or `x-ratelimit-reset` (GitHub, epoch seconds) headers.
 * Docker Hub sends only `ratelimit-remaining: 0;w=<window>`: the wait is then the window.
 */
export function rateLimitWaitMs(
  header: (name: string) => string | undefined,
  now = Date.now(),
): number | undefined {
  const retryAfter = parseRetryAfter(header('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(header('ratelimit-reset')?.split(';')[0]);
  if (Number.isFinite(reset) && reset >= 0) return reset * 1000;
  const epochReset = Number(header('x-ratelimit-reset'));
  if (Number.isFinite(epochReset) && epochReset > 0)
    return Math.max(0, epochReset * 1000 - now);
  const remaining = /^\s*0\s*;\s*w=(\d+)/.exec(
    header('ratelimit-remaining') ?? '',
  );
  return remaining ? Number(remaining[1]) * 1000 : undefined;
}
