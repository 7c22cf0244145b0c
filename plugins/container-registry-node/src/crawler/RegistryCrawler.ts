import {
  normalizeRfc3339,
  type ContainerImageRecord,
} from '@container-inventory/plugin-container-registry-common';
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import { builtInAdapterFactories, findAdapterFactory } from '../adapters';
import type {
  ListedImage,
  RegistryAdapter,
  RegistryAdapterFactory,
  TagInfo,
} from '../adapters/types';
import { invalidRepositoryName, RoutedV2Api, V2Api } from '../adapters/v2';
import type { FetchedManifest } from '../adapters/v2';
import type { RegistryConnection } from '../connection/types';
import { RegistryError, RegistryErrorReason, toRegistryError } from '../errors';
import { RegistryHttpClient } from '../http/RegistryHttpClient';
import {
  comparePlatforms,
  ImageConfigDetails,
  parseImageConfig,
  parseManifest,
  ParsedIndex,
} from '../manifests';
import { CrawlMemory, ImageDetails, InMemoryCrawlMemory } from './CrawlMemory';
import { CrawlItemError, CrawlReport } from './CrawlReport';
import { mapConcurrent } from './mapConcurrent';
import { literalRepositories, repositoryMatcher } from './repositoryPatterns';

/** The images of one repository, and whether every tag of it could be read. */
export interface RepositoryCrawlResult {
  repository: string;
  images: ContainerImageRecord[];
  /** Every tag was read: images of this repository that are not listed are gone. */
  complete: boolean;
  /**
   * Tags the repository listed but whose image could not be read, even on the retry at the end
   * of the crawl. The images that had them keep them.
   */
  unreadTags: string[];
  errors: CrawlItemError[];
}

export interface RegistryCrawlerOptions {
  memory?: CrawlMemory;
  adapterFactories?: RegistryAdapterFactory[];
  signal?: AbortSignal;
  /** Distinct digests whose details the crawl keeps at hand (default 10 000). */
  digestCacheEntries?: number;
  /** Most tags one repository may list (default 1 000 000); past it its listing is an error. */
  maxTagsPerRepository?: number;
  /**
   * Chooses, before any manifest is read, which listed tags of a repository to crawl; the
   * others are left out of the inventory as if the registry did not have them.
   */
  selectTags?: (repository: string, tags: TagInfo[]) => TagInfo[];
}

/**
 * Enough for the images shared between nearby repositories to be described once; past it the
 * least recently used are dropped, so a crawl's memory does not grow with the registry.
 */
const DEFAULT_DIGEST_CACHE_ENTRIES = 10_000;

/**
 * Far more than any real repository holds, yet a bound: a registry listing endless new tags
 * must not fill the crawl's memory before the page-count bound stops it.
 */
const DEFAULT_MAX_TAGS_PER_REPOSITORY = 1_000_000;

interface ResolvedTag {
  tag: TagInfo;
  digest: string;
  details: ImageDetails;
}

/** What has been read of one repository so far; failed items may be tried again. */
interface RepositoryProgress {
  repository: string;
  /** Set when the tag list could not be read: no tag of the repository is known. */
  listingError?: RegistryError;
  resolved: ResolvedTag[];
  failed: { tag: TagInfo; error: RegistryError }[];
  /** Listed items that can never be read (empty tag names): reported, not retried. */
  skipped: CrawlItemError[];
}

/** Failures that may pass: the item is tried once more at the end of the crawl. */
const TRANSIENT_REASONS: ReadonlySet<RegistryErrorReason> = new Set([
  'rate-limited',
  'server-error',
  'network',
  'timeout',
]);

/** An index of indexes is followed this deep for a platform image's details, no further. */
const MAX_INDEX_DEPTH = 2;

/**
 * The promise cached under `key`, or a new one from `make`. A rejected promise leaves the cache,
 * so that another tag of the same digest tries again.
 */
function shared<V extends {}>(
  cache: LRUCache<string, Promise<V>>,
  key: string,
  make: () => Promise<V>,
): Promise<V> {
  const cached = cache.get(key);
  if (cached) return cached;
  const created = make();
  cache.set(key, created);
  created.catch(() => {
    if (cache.peek(key) === created) cache.delete(key);
  });
  return created;
}

/** OCI annotations on an index play the role of labels on a single image. */
function annotationLabels(annotations: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(annotations).filter(([key]) =>
      key.startsWith('org.opencontainers.'),
    ),
  );
}

/** The details a product's listing gave for a tag's image. */
/** The connection with the token-service origins its adapter names for its credentials. */
function withCredentialOrigins(
  connection: RegistryConnection,
  factory: RegistryAdapterFactory,
): RegistryConnection {
  const origins = factory.credentialOrigins?.(connection) ?? [];
  if (origins.length === 0) return connection;
  const realmHosts = [
    ...new Set([...(connection.auth.realmHosts ?? []), ...origins]),
  ];
  return { ...connection, auth: { ...connection.auth, realmHosts } };
}

function listedDetails(image: ListedImage): ImageDetails {
  const created = normalizeRfc3339(image.created);
  return {
    mediaType: image.mediaType,
    platforms: image.platforms,
    ...(created ? { created } : {}),
    labels: image.labels ?? {},
    detailsSource: 'product-api',
  };
}

function hasTransientFailures(progress: RepositoryProgress): boolean {
  return (
    (progress.listingError !== undefined &&
      TRANSIENT_REASONS.has(progress.listingError.reason)) ||
    progress.failed.some(f => TRANSIENT_REASONS.has(f.error.reason))
  );
}

/**
 * Crawls one registry: repositories (streamed, several at a time) → tags → one manifest per
 * tag → one config blob per distinct single-platform image (and, for an index without dates of
 * its own, one platform image's manifest and config). Yields each repository's images as soon
 * as they are known; a repository with a transient failure is held back and its failed items
 * are tried once more at the end. A recrawl with the same memory costs one HEAD per unchanged
 * tag. Once the signal aborts or the client halts, the crawl yields nothing more and
 * `report.stopped` says why.
 */
export class RegistryCrawler {
  readonly report: CrawlReport;
  private readonly http: RegistryHttpClient;
  private readonly adapter: RegistryAdapter;
  /** Clients the adapter opened for its product API, closed with the crawler. */
  private readonly productClients: RegistryHttpClient[] = [];
  private readonly v2: V2Api;
  private readonly memory: CrawlMemory;
  private readonly host: string;
  /**
   * Tag work in flight: twice the connections, so that a connection freed while a task parses
   * its answer is taken at once by the next request, yet no request waits long for one.
   */
  private readonly tagSlots: pLimit.Limit;
  private readonly tagConcurrency: number;
  private readonly maxTagsPerRepository: number;
  private readonly detailsByDigest: LRUCache<string, Promise<ImageDetails>>;
  private readonly configByDigest: LRUCache<
    string,
    Promise<ImageConfigDetails>
  >;

  constructor(
    private readonly connection: RegistryConnection,
    private readonly options: RegistryCrawlerOptions = {},
  ) {
    const factory = findAdapterFactory(
      connection.type,
      options.adapterFactories ?? builtInAdapterFactories,
    );
    const withOrigins = withCredentialOrigins(connection, factory);
    this.http = new RegistryHttpClient(withOrigins, {
      signal: options.signal,
    });
    this.adapter = factory.create({
      connection: withOrigins,
      http: this.http,
      signal: options.signal,
      clientFor: (url, auth) => {
        const client = new RegistryHttpClient(
          { ...withOrigins, url, auth: auth ?? withOrigins.auth },
          // One report counts the requests of every client the adapter opens.
          { signal: options.signal, stats: this.http.stats },
        );
        this.productClients.push(client);
        return client;
      },
    });
    const adapter = this.adapter;
    this.v2 = adapter.v2Location
      ? new RoutedV2Api(this.http, repository =>
          adapter.v2Location!(repository),
        )
      : new V2Api(this.http);
    this.memory = options.memory ?? new InMemoryCrawlMemory();
    this.host = new URL(connection.url).host;
    this.report = new CrawlReport(this.http.stats);
    this.tagConcurrency = connection.transport.maxConnections * 2;
    this.tagSlots = pLimit(this.tagConcurrency);
    this.maxTagsPerRepository =
      options.maxTagsPerRepository ?? DEFAULT_MAX_TAGS_PER_REPOSITORY;
    const max = options.digestCacheEntries ?? DEFAULT_DIGEST_CACHE_ENTRIES;
    this.detailsByDigest = new LRUCache({ max });
    this.configByDigest = new LRUCache({ max });
  }

  testConnection(): Promise<void> {
    return this.adapter.testConnection();
  }

  /**
   * Repositories these credentials can see, counted up to `limit` so a test of a huge registry
   * stays quick; `more` says the count stopped there.
   */
  async countRepositories(
    limit: number,
  ): Promise<{ count: number; more: boolean }> {
    let count = 0;
    for await (const page of this.adapter.listRepositories()) {
      count += page.length;
      if (count >= limit) return { count: limit, more: true };
    }
    return { count, more: false };
  }

  /**
   * Throws only when the registry cannot be crawled at all (its first listing fails). A crawl
   * that was stopped does not throw: it ends, with `report.stopped` set.
   */
  async *crawl(): AsyncGenerator<RepositoryCrawlResult> {
    // Repositories in flight: enough that a new one's tag list overlaps the others' tags.
    const concurrency = this.connection.transport.maxConnections * 2;
    const heldBack: RepositoryProgress[] = [];
    try {
      for await (const progress of mapConcurrent(
        this.repositoryNames(),
        concurrency,
        name => this.readRepository(name),
      )) {
        if (this.stopped()) return;
        if (hasTransientFailures(progress)) {
          heldBack.push(progress);
          continue;
        }
        const result = await this.finish(progress);
        if (this.stopped()) return;
        yield result;
      }
      for (const progress of heldBack) {
        await this.retryFailures(progress);
        const result = await this.finish(progress);
        if (this.stopped()) return;
        yield result;
      }
    } finally {
      this.stopped();
      this.report.finishedAt = performance.now();
    }
  }

  async close(): Promise<void> {
    await this.adapter.close?.();
    await Promise.all(this.productClients.map(client => client.close()));
    await this.http.close();
  }

  /** Whether the crawl must end now; records why in the report the first time. */
  private stopped(): boolean {
    if (this.report.stopped) return true;
    if (this.options.signal?.aborted) {
      this.report.stopped = {
        reason: 'aborted',
        message: 'The crawl was cancelled before it had read every repository',
      };
    } else {
      const halted = [this.http, ...this.productClients].find(
        c => c.halted,
      )?.halted;
      if (halted) {
        this.report.stopped = {
          reason: 'rate-limited',
          message: halted.message,
        };
      }
    }
    // Repositories not reached may still exist: nothing may be removed for their absence.
    if (this.report.stopped) this.report.listingComplete = false;
    return this.report.stopped !== undefined;
  }

  private async *repositoryNames(): AsyncGenerator<string> {
    const literal = literalRepositories(this.connection.repositories);
    if (literal) {
      yield* this.usableNames(literal);
      return;
    }
    const matches = repositoryMatcher(this.connection.repositories);
    let listed = 0;
    try {
      for await (const page of this.adapter.listRepositories()) {
        listed += page.length;
        yield* this.usableNames(page.filter(matches));
      }
    } catch (error) {
      // The crawl records why it stopped; the listing broke off because of it.
      if (this.stopped()) return;
      if (listed === 0) throw toRegistryError(error);
      // Keep what was listed; the report says the listing is incomplete, so nothing is removed.
      const failure = toRegistryError(error);
      this.report.listingComplete = false;
      this.report.addError({
        reason: failure.reason,
        message: failure.message,
      });
    }
  }

  /** Names a URL can be built from; the others are reported and skipped. */
  private *usableNames(names: Iterable<string>): Generator<string> {
    for (const name of names) {
      const problem = invalidRepositoryName(name);
      if (!problem) {
        yield name;
        continue;
      }
      this.report.addError({
        repository: name,
        reason: 'invalid-response',
        message: `The registry listed the repository ${JSON.stringify(
          name,
        )}, which was skipped: ${problem}`,
      });
    }
  }

  private async readRepository(
    repository: string,
  ): Promise<RepositoryProgress> {
    const progress: RepositoryProgress = {
      repository,
      resolved: [],
      failed: [],
      skipped: [],
    };
    await this.listAndResolve(progress);
    return progress;
  }

  private async listAndResolve(progress: RepositoryProgress): Promise<void> {
    const { repository } = progress;
    let tags: TagInfo[];
    try {
      tags = await this.listAllTags(repository);
    } catch (error) {
      progress.listingError = toRegistryError(error);
      return;
    }
    const named = tags.filter(tag => tag.name !== '');
    if (named.length < tags.length) {
      progress.skipped.push({
        repository,
        tag: '',
        reason: 'invalid-response',
        message: `The registry listed ${
          tags.length - named.length
        } tag(s) of ${repository} with an empty name; they were skipped`,
      });
    }
    const selected = this.options.selectTags
      ? this.options.selectTags(repository, named)
      : named;
    this.report.tags += selected.length;
    await this.resolveTags(progress, selected);
  }

  /**
   * Resolves tags with a fixed number of workers pulling from the list, so that the work queued
   * for a repository stays small however many tags it has.
   */
  private async resolveTags(
    progress: RepositoryProgress,
    tags: TagInfo[],
  ): Promise<void> {
    const { repository } = progress;
    // Without what the last crawl knew, a tag costs a GET instead of a HEAD: nothing is lost.
    const known = await this.memory
      .tagDigests(repository)
      .catch(() => new Map<string, string>());
    let next = 0;
    const worker = async () => {
      while (next < tags.length && !this.stopped()) {
        const tag = tags[next++];
        await this.tagSlots(async () => {
          try {
            progress.resolved.push(
              await this.resolveTag(repository, tag, known.get(tag.name)),
            );
          } catch (error) {
            progress.failed.push({ tag, error: toRegistryError(error) });
          }
        });
      }
    };
    const workers = Math.min(this.tagConcurrency, tags.length);
    await Promise.all(Array.from({ length: workers }, worker));
  }

  /** Tries once more what failed for a reason that may have passed. */
  private async retryFailures(progress: RepositoryProgress): Promise<void> {
    if (this.stopped()) return;
    if (progress.listingError) {
      if (!TRANSIENT_REASONS.has(progress.listingError.reason)) return;
      progress.listingError = undefined;
      progress.skipped = [];
      await this.listAndResolve(progress);
      return;
    }
    const retry = progress.failed.filter(f =>
      TRANSIENT_REASONS.has(f.error.reason),
    );
    progress.failed = progress.failed.filter(
      f => !TRANSIENT_REASONS.has(f.error.reason),
    );
    await this.resolveTags(
      progress,
      retry.map(f => f.tag),
    );
  }

  /** The repository's result; its errors go into the report and complete images into memory. */
  private async finish(
    progress: RepositoryProgress,
  ): Promise<RepositoryCrawlResult> {
    const { repository } = progress;
    const errors: CrawlItemError[] = [];
    const add = (error: RegistryError, tag?: string) =>
      errors.push({
        repository,
        ...(tag !== undefined ? { tag } : {}),
        reason: error.reason,
        message: error.message,
      });
    if (progress.listingError) add(progress.listingError);
    for (const { tag, error } of progress.failed) add(error, tag.name);
    const complete = errors.length === 0 && !this.stopped();
    errors.push(...progress.skipped);
    for (const error of errors) this.report.addError(error);

    const images = this.groupByDigest(repository, progress.resolved);
    this.report.repositories++;
    this.report.images += images.length;
    if (complete) await this.memory.remember(repository, images);
    return {
      repository,
      images,
      complete,
      unreadTags: progress.failed.map(f => f.tag.name).sort(),
      errors,
    };
  }

  /** Every tag of a repository; stops between pages once the crawl is stopped. */
  private async listAllTags(repository: string): Promise<TagInfo[]> {
    const tags: TagInfo[] = [];
    for await (const page of this.adapter.listTags(repository)) {
      if (this.stopped())
        throw new RegistryError('aborted', 'The crawl was stopped');
      for (const tag of page) tags.push(tag);
      if (tags.length > this.maxTagsPerRepository) {
        throw new RegistryError(
          'pagination-loop',
          `The tag list of ${repository} went on past ${this.maxTagsPerRepository} tags; it was stopped so that the crawl's memory stays bounded`,
        );
      }
    }
    return tags;
  }

  /** The digest a tag points at and what that digest is, with as few requests as possible. */
  private async resolveTag(
    repository: string,
    tag: TagInfo,
    knownDigest: string | undefined,
  ): Promise<ResolvedTag> {
    if (tag.digest && tag.image)
      return { tag, digest: tag.digest, details: listedDetails(tag.image) };
    let digest = tag.digest;
    if (!digest && knownDigest) {
      digest = await this.v2.headManifest(repository, tag.name);
    }
    if (digest) {
      const details = await this.knownDetails(digest);
      if (details) return { tag, digest, details };
    }
    const manifest = await this.v2.getManifest(repository, tag.name);
    const details = await this.describe(repository, manifest, 0);
    return { tag, digest: manifest.digest, details };
  }

  private async knownDetails(
    digest: string,
  ): Promise<ImageDetails | undefined> {
    const inCrawl = this.detailsByDigest.get(digest);
    if (inCrawl) return inCrawl;
    return this.memory.imageDetails(digest);
  }

  /** The details of a digest named by an index: known ones cost nothing, others one GET. */
  private async detailsOfDigest(
    repository: string,
    digest: string,
    depth: number,
  ): Promise<ImageDetails> {
    const known = await this.knownDetails(digest);
    if (known) return known;
    const manifest = await this.v2.getManifest(repository, digest);
    return this.describe(repository, manifest, depth);
  }

  private describe(
    repository: string,
    manifest: FetchedManifest,
    depth: number,
  ): Promise<ImageDetails> {
    return shared(this.detailsByDigest, manifest.digest, () =>
      this.describeManifest(repository, manifest, depth),
    );
  }

  private async describeManifest(
    repository: string,
    manifest: FetchedManifest,
    depth: number,
  ): Promise<ImageDetails> {
    const parsed = parseManifest(manifest.bytes, manifest.contentType);
    if (parsed.kind === 'index')
      return this.describeIndex(repository, parsed, depth);
    if (parsed.inline || parsed.configDigest) {
      const config =
        parsed.inline ??
        (await this.imageConfig(repository, parsed.configDigest!));
      const created =
        config.created ??
        normalizeRfc3339(
          parsed.annotations['org.opencontainers.image.created'],
        );
      return {
        mediaType: parsed.mediaType,
        platforms: config.platform ? [config.platform] : [],
        ...(created ? { created } : {}),
        labels: config.labels,
        detailsSource: 'image-config',
      };
    }
    // An artifact whose config is not an image config: only its annotations describe it.
    const created = normalizeRfc3339(
      parsed.annotations['org.opencontainers.image.created'],
    );
    return {
      mediaType: parsed.mediaType,
      platforms: [],
      ...(created ? { created } : {}),
      labels: annotationLabels(parsed.annotations),
    };
  }

  /**
   * An index dated by its own annotations is described by them. Docker lists have none, and
   * most build tools put none on OCI indexes: those take the date and labels of one platform
   * image (the index's own OCI annotations, if any, win over that image's labels).
   */
  private async describeIndex(
    repository: string,
    index: ParsedIndex,
    depth: number,
  ): Promise<ImageDetails> {
    const own = annotationLabels(index.annotations);
    const base = { mediaType: index.mediaType, platforms: index.platforms };
    const created = normalizeRfc3339(
      index.annotations['org.opencontainers.image.created'],
    );
    if (created) {
      return {
        ...base,
        created,
        labels: own,
        detailsSource: 'index-annotations',
      };
    }
    if (!index.representative || depth >= MAX_INDEX_DEPTH)
      return { ...base, labels: own };
    const image = await this.detailsOfDigest(
      repository,
      index.representative.digest,
      depth + 1,
    );
    return {
      ...base,
      ...(image.created ? { created: image.created } : {}),
      labels: { ...image.labels, ...own },
      detailsSource: 'platform-image',
    };
  }

  /** Config blobs are content-addressed: each is fetched once while it is in the cache. */
  private imageConfig(
    repository: string,
    digest: string,
  ): Promise<ImageConfigDetails> {
    return shared(this.configByDigest, digest, () =>
      this.v2.getBlob(repository, digest).then(parseImageConfig),
    );
  }

  private groupByDigest(
    repository: string,
    resolved: ResolvedTag[],
  ): ContainerImageRecord[] {
    // Tags resolve in any order: sorted, the images come out in the same order every crawl.
    // A repository lists each tag name once.
    const byName = [...resolved].sort((a, b) =>
      a.tag.name < b.tag.name ? -1 : 1,
    );
    const byDigest = new Map<string, ContainerImageRecord>();
    for (const { tag, digest, details } of byName) {
      let image = byDigest.get(digest);
      if (!image) {
        image = {
          registry: this.connection.id,
          host: this.host,
          repository,
          digest,
          mediaType: details.mediaType,
          tags: [],
          platforms: [...details.platforms].sort(comparePlatforms),
          ...(details.created ? { created: details.created } : {}),
          labels: details.labels,
          ...(details.detailsSource
            ? { detailsSource: details.detailsSource }
            : {}),
        };
        byDigest.set(digest, image);
      }
      image.tags.push(tag.name);
      const pushed = normalizeRfc3339(tag.pushed);
      if (pushed && (!image.pushed || pushed > image.pushed))
        image.pushed = pushed;
    }
    return [...byDigest.values()];
  }
}
