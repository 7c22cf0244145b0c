import type {
  CrawlOutcome,
  ImageDetailsSource,
  ImageLifecycle,
  RegistryConnectionStatus,
  RepositoryLinkRule,
} from '@container-inventory/plugin-container-registry-common';

/** A row of `images`: one (registry, repository, digest), live or removed. */
export interface ImageRow {
  id: number;
  registry_id: string;
  repository: string;
  digest: string;
  entity_name: string;
  media_type: string;
  /** JSON array of tag names. */
  tags: string;
  /** JSON array of platforms. */
  platforms: string;
  /** JSON object. */
  labels: string;
  created: string | null;
  pushed: string | null;
  details_source: ImageDetailsSource | null;
  lifecycle: ImageLifecycle;
  deleted: boolean | number;
  /** Position in the change feed; a bigint, so PostgreSQL hands it back as a string. */
  seq: number | string;
  /** The newest crawl run that saw the image. */
  last_seen_run: number | null;
  /** The source label, normalized to `host/path` of its repository. */
  source: string | null;
  /** Full entity refs the repository is linked to, and by which rule. */
  component: string | null;
  owner: string | null;
  linked_by: RepositoryLinkRule | null;
  first_seen: string | null;
  last_seen: string | null;
}

/** The image columns a crawl writes. */
export type ImageContent = Pick<
  ImageRow,
  | 'media_type'
  | 'tags'
  | 'platforms'
  | 'labels'
  | 'created'
  | 'pushed'
  | 'details_source'
  | 'source'
>;

/** A row of `crawl_runs`. */
export interface RunRow {
  id: number;
  registry_id: string;
  started_at: string;
  finished_at: string | null;
  heartbeat_at: string | null;
  outcome: CrawlOutcome;
  repositories: number;
  tags: number;
  images: number;
  errors: number;
  message: string | null;
  report: string | null;
  cancel_requested: boolean | number;
  trigger: 'schedule' | 'manual' | null;
}

/** A row of `registry_status`. */
export interface StatusRow {
  registry_id: string;
  status: RegistryConnectionStatus;
  message: string | null;
  /** JSON counts of the running crawl. */
  progress: string | null;
  updated_at: string;
}

/** A row of `repository_links`: a repository an admin linked to a Component by hand. */
export interface RepositoryLinkRow {
  registry_id: string;
  repository: string;
  component: string;
  created_by: string | null;
  created_at: string;
}
