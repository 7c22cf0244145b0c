/** How often a page reads again while a registry is syncing, for live progress. */
export const SYNC_POLL_MS = 3000;
