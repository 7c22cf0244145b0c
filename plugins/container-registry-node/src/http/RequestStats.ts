/** What a request is for; the crawl report counts requests by kind. */
export type RequestKind =
  | 'ping'
  | 'catalog'
  | 'tags'
  | 'manifest'
  | 'manifest-head'
  | 'blob'
  | 'token'
  | 'api';

/** Counts requests by kind, retries, and the peak of requests in flight at once. */
export class RequestStats {
  readonly byKind: Partial<Record<RequestKind, number>> = {};
  retries = 0;
  inFlight = 0;
  peakInFlight = 0;
  /** Integral of requests in flight over time, for the average: how full the pipe was. */
  private inFlightMs = 0;
  private firstAt?: number;
  private lastAt = 0;

  private advance() {
    const now = performance.now();
    this.firstAt ??= now;
    this.inFlightMs += this.inFlight * (now - this.lastAt);
    this.lastAt = now;
  }

  started(kind: RequestKind) {
    this.advance();
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
  }

  finished() {
    this.advance();
    this.inFlight--;
  }

  /** Requests in flight on average, from the first request to the last answer. */
  get averageInFlight(): number {
    const span = this.lastAt - (this.firstAt ?? this.lastAt);
    return span > 0 ? this.inFlightMs / span : 0;
  }

  get total(): number {
    return Object.values(this.byKind).reduce((sum, n) => sum + (n ?? 0), 0);
  }

  toJSON() {
    return {
      byKind: this.byKind,
      total: this.total,
      retries: this.retries,
      peakInFlight: this.peakInFlight,
      averageInFlight: Math.round(this.averageInFlight * 100) / 100,
    };
  }
}
