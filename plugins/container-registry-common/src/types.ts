/**
 * Registry products the project has or plans adapters for, for display only: the types a
 * backend accepts are those its adapters register (see `RegistryAdapterDescription`).
 */
export const REGISTRY_TYPES = [
  'generic',
  'nexus',
  'artifactory',
  'gitlab',
  'harbor',
  'gitflic',
  'dockerhub',
  'ghcr',
  'ecr',
  'gar',
  'acr',
  'quay',
] as const;

/** A registry product: any type an adapter registers. @public */
export type RegistryType = string;

/** One platform an image runs on; `digest` is the platform manifest's digest for multi-arch images. */
export type ImagePlatform = {
  os: string;
  architecture: string;
  variant?: string;
  digest?: string;
};

/** One image as the crawler sees it: a (registry, repository, digest) with every tag pointing at it. */
export interface ContainerImageRecord {
  /** Id of the registry connection the image was found in. */
  registry: string;
  /** host[:port] of the registry, as pulled from. */
  host: string;
  repository: string;
  /** `sha256:<64 hex>` of the top-level manifest (or index). */
  digest: string;
  mediaType: string;
  tags: string[];
  platforms: ImagePlatform[];
  /** ISO 8601 build date, from the image config or its OCI label. */
  created?: string;
  /** ISO 8601 push date, where the product reports one. */
  pushed?: string;
  labels: Record<string, string>;
  /** Where `created` and `labels` were read; absent when nothing described them. */
  detailsSource?: ImageDetailsSource;
}

/**
 * Where an image's date and labels come from: its own config blob, the annotations of its
 * index, the config of one of its platform images (for an index without annotations), or the
 * listing API of the registry product.
 */
export type ImageDetailsSource =
  | 'image-config'
  | 'index-annotations'
  | 'platform-image'
  | 'product-api';

/** Newest image of its repository, an older one, or one whose dates are unknown. */
export type ImageLifecycle = 'latest' | 'outdated' | 'pending';

/**
 * Which rule linked an image's repository to its Component or owner, strongest first: a
 * manual link, a Component's image-repositories annotation, the image's source label matched to
 * a Component's source location, a rule in app-config.
 */
export type RepositoryLinkRule = 'manual' | 'annotation' | 'source' | 'config';

/** An image as kept in the inventory, with what the catalog needs to name it. */
export interface InventoryImage extends ContainerImageRecord {
  entityName: string;
  lifecycle: ImageLifecycle;
  /** The Component the image was built from, as a full ref (`component:default/web`). */
  component?: string;
  /** The owner, as a full ref (`group:default/team`). */
  owner?: string;
  /** Which rule linked it; absent when nothing did. */
  linkedBy?: RepositoryLinkRule;
  /** When the inventory first and last saw the image. */
  firstSeen?: string;
  lastSeen?: string;
}

/** A page of images from the images API. */
export interface ImagesPage {
  items: InventoryImage[];
  totalCount: number;
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** One entry of the inventory's change feed, in the order changes were made. */
export interface ImageChange {
  /** Position in the feed; strictly increasing. */
  seq: number;
  registry: string;
  entityName: string;
  /** The image as it is now, or absent when it was removed. */
  image?: InventoryImage;
}

/** A page of the change feed. Pass `cursor` back to read on. */
export interface ImageChangesPage {
  changes: ImageChange[];
  cursor: number;
  hasMore: boolean;
}

export type RegistryConnectionStatus =
  | 'unknown'
  | 'connected'
  | 'syncing'
  | 'error';

/**
 * How a crawl ended. `cancelled`: stopped by an admin or its schedule's timeout;
 * `interrupted`: the backend stopped while it ran. Neither removes any image.
 */
export type CrawlOutcome =
  | 'running'
  | 'succeeded'
  | 'partial'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

/** Counts of one crawl, as it runs and when it ends. */
export interface CrawlCounts {
  repositories: number;
  tags: number;
  images: number;
  errors: number;
}

export interface CrawlRunSummary extends CrawlCounts {
  startedAt: string;
  finishedAt?: string;
  outcome: CrawlOutcome;
  /** What went wrong, in words an admin can act on. */
  message?: string;
}

/** A registry connection as the API shows it: never with credentials. */
export interface RegistrySummary {
  id: string;
  name: string;
  type: RegistryType;
  url: string;
  /** Where the connection is defined; config ones are read-only. */
  source: 'config' | 'database';
  active: boolean;
  status: RegistryConnectionStatus;
  statusMessage?: string;
  /** Counts of the crawl under way, while `syncing`. */
  progress?: Pick<CrawlCounts, 'repositories' | 'tags' | 'errors'>;
  imageCount: number;
  lastCrawl?: CrawlRunSummary;
}
