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

  started(kind: RequestKind) {
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
  }

  finished() {
    this.inFlight--;
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
    };
  }
}
