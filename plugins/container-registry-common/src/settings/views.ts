import type { CrawlRunSummary, RegistrySummary } from '../types';
import type { ImageDropReason } from '../filters/applyImageFilters';
import type { RegistrySettings } from './schema';

/** Whether a secret is stored; answers never carry the secret itself. */
export interface SecretState {
  set: boolean;
}

/** Settings as the API answers them: every secret replaced by whether it is set. */
export type RegistrySettingsView = Omit<RegistrySettings, 'auth'> & {
  auth: Omit<RegistrySettings['auth'], 'password' | 'token'> & {
    password: SecretState;
    token: SecretState;
  };
};

/** `GET /registries/:id`: the summary, its settings and what the page may do with it. */
export interface RegistryDetails extends RegistrySummary {
  settings: RegistrySettingsView;
  /** Config registries are read-only on the page. */
  readOnly: boolean;
  /** ISO 8601 time of the next scheduled crawl; absent when inactive or unknown. */
  nextCrawlAt?: string;
}

/** `GET /registries` items: a summary with the next crawl. */
export interface RegistryListItem extends RegistrySummary {
  nextCrawlAt?: string;
}

/** What a connection test found, check by check. */
export interface ConnectionTestResult {
  ok: boolean;
  /** The verdict in words an admin can act on. */
  message: string;
  checks: {
    reachable: boolean;
    /** Absent when the test did not get that far. */
    credentialsAccepted?: boolean;
    listingAllowed?: boolean;
    /** Repositories visible with these credentials (first pages only for big registries). */
    repositoryCount?: number;
  };
}

/** `GET /registries/:id/runs` items. */
export interface CrawlRun extends CrawlRunSummary {
  id: string;
  /** Milliseconds from start to finish; absent while running. */
  durationMs?: number;
  /** What started it: its schedule, an admin's "Update images list", or start-up. */
  trigger?: 'schedule' | 'manual' | 'startup';
}

/** One image in a filter preview. */
export interface FilterPreviewImage {
  repository: string;
  digest?: string;
  tags: string[];
  kept: boolean;
  /** Why it was dropped, or `always` when an always pattern kept it. */
  reason?: ImageDropReason | 'always';
}

/** `POST /registries/:id/filters/preview`: what the filters keep of the last crawl's images. */
export interface FilterPreview {
  /** When the crawl the preview is based on started; absent when never crawled. */
  basedOnCrawlAt?: string;
  total: number;
  kept: number;
  dropped: number;
  droppedBy: Partial<Record<ImageDropReason, number>>;
  /** The first images, kept and dropped, for a look. */
  sample: FilterPreviewImage[];
}
