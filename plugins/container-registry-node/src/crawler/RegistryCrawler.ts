import type { ContainerImageRecord } from '@container-inventory/plugin-container-registry-common';
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import { builtInAdapterFactories, findAdapterFactory } from '../adapters';
import type {
  RegistryAdapter,
  RegistryAdapterFactory,
  TagInfo,
} from '../adapters/types';
import { V2Api } from '../adapters/v2';
import type { FetchedManifest } from '../adapters/v2';
import type { RegistryConnection } from '../connection/types';
import { toRegistryError } from '../errors';
import { RegistryHttpClient } from '../http/RegistryHttpClient';
import {
  comparePlatforms,
  ImageConfigDetails,
  parseImageConfig,
  parseManifest,
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
  errors: CrawlItemError[];
}

export interface RegistryCrawlerOptions {
  memory?: CrawlMemory;
  adapterFactories?: RegistryAdapterFactory[];
  signal?: AbortSignal;
  /** Distinct digests whose details the crawl keeps at hand (default 10 000). */
  digestCacheEntries?: number;
}

/**
 * Enough for the images shared between nearby repositories to be described once; past it the
 * least recently used are dropped, so a crawl's memory does not grow with the registry.
 */
const DEFAULT_DIGEST_CACHE_ENTRIES = 10_000;

interface ResolvedTag {
  tag: TagInfo;
  digest: string;
  details: ImageDetails;
}

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

/**
 * Crawls one registry: repositories (streamed, several at a time) → tags → one manifest per
 * tag → one config blob per distinct single-platform image. Yields each repository's images
 * as soon as they are known. A recrawl with the same memory costs one HEAD per unchanged tag.
 */
export class RegistryCrawler {
  readonly report: CrawlReport;
  private readonly http: RegistryHttpClient;
  private readonly adapter: RegistryAdapter;
  private readonly v2: V2Api;
  private readonly memory: CrawlMemory;
  private readonly host: string;
  /**
   * Tag work in flight: twice the connections, so that a connection freed while a task parses
   * its answer is taken at once by the next request, yet no request waits long for one.
   */
  private readonly tagSlots: pLimit.Limit;
  private readonly detailsByDigest: LRUCache<string, Promise<ImageDetails>>;
  private readonly configByDigest: LRUCache<
    string,
    Promise<ImageConfigDetails>
  >;

  constructor(
    private readonly connection: RegistryConnection,
    private readonly options: RegistryCrawlerOptions = {},
  ) {
    this.http = new RegistryHttpClient(connection, {
      signal: options.signal,
    });
    this.adapter = findAdapterFactory(
      connection.type,
      options.adapterFactories ?? builtInAdapterFactories,
    ).create({ connection, http: this.http });
    this.v2 = new V2Api(this.http);
    this.memory = options.memory ?? new InMemoryCrawlMemory();
    this.host = new URL(connection.url).host;
    this.report = new CrawlReport(this.http.stats);
    this.tagSlots = pLimit(connection.transport.maxConnections * 2);
    const max = options.digestCacheEntries ?? DEFAULT_DIGEST_CACHE_ENTRIES;
    this.detailsByDigest = new LRUCache({ max });
    this.configByDigest = new LRUCache({ max });
  }

  testConnection(): Promise<void> {
    return this.adapter.testConnection();
  }

  /** Throws only when the registry cannot be crawled at all (its first listing fails). */
  async *crawl(): AsyncGenerator<RepositoryCrawlResult> {
    // Repositories in flight: enough that a new one's tag list overlaps the others' tags.
    const concurrency = this.connection.transport.maxConnections * 2;
    try {
      for await (const result of mapConcurrent(
        this.repositoryNames(),
        concurrency,
        name => this.crawlRepository(name),
      )) {
        this.report.repositories++;
        this.report.images += result.images.length;
        if (result.complete)
          await this.memory.remember(result.repository, result.images);
        yield result;
      }
    } finally {
      this.report.finishedAt = performance.now();
    }
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private async *repositoryNames(): AsyncGenerator<string> {
    const literal = literalRepositories(this.connection.repositories);
    if (literal) {
      yield* literal;
      return;
    }
    const matches = repositoryMatcher(this.connection.repositories);
    let listed = 0;
    try {
      for await (const page of this.adapter.listRepositories()) {
        this.throwIfAborted();
        listed += page.length;
        yield* page.filter(matches);
      }
    } catch (error) {
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

  private throwIfAborted() {
    this.options.signal?.throwIfAborted();
  }

  private async crawlRepository(
    repository: string,
  ): Promise<RepositoryCrawlResult> {
    const errors: CrawlItemError[] = [];
    const fail = (error: unknown, tag?: string) => {
      const failure = toRegistryError(error);
      const item = {
        repository,
        tag,
        reason: failure.reason,
        message: failure.message,
      };
      errors.push(item);
      this.report.addError(item);
    };

    let tags: TagInfo[];
    try {
      tags = await this.listAllTags(repository);
    } catch (error) {
      fail(error);
      return { repository, images: [], complete: false, errors };
    }
    this.report.tags += tags.length;

    const known = await this.memory.tagDigests(repository);
    const resolved = await Promise.all(
      tags.map(tag =>
        this.tagSlots(async () => {
          if (this.options.signal?.aborted) return undefined;
          try {
            return await this.resolveTag(repository, tag, known.get(tag.name));
          } catch (error) {
            fail(error, tag.name);
            return undefined;
          }
        }),
      ),
    );
    const images = this.groupByDigest(
      repository,
      resolved.filter((r): r is ResolvedTag => r !== undefined),
    );
    const complete = errors.length === 0 && !this.options.signal?.aborted;
    return { repository, images, complete, errors };
  }

  private async listAllTags(repository: string): Promise<TagInfo[]> {
    const tags: TagInfo[] = [];
    for await (const page of this.adapter.listTags(repository))
      tags.push(...page);
    return tags;
  }

  /** The digest a tag points at and what that digest is, with as few requests as possible. */
  private async resolveTag(
    repository: string,
    tag: TagInfo,
    knownDigest: string | undefined,
  ): Promise<ResolvedTag> {
    let digest = tag.digest;
    if (!digest && knownDigest) {
      digest = await this.v2.headManifest(repository, tag.name);
    }
    if (digest) {
      const details = await this.knownDetails(digest);
      if (details) return { tag, digest, details };
    }
    const manifest = await this.v2.getManifest(repository, tag.name);
    const details = await this.describe(repository, manifest);
    return { tag, digest: manifest.digest, details };
  }

  private async knownDetails(
    digest: string,
  ): Promise<ImageDetails | undefined> {
    const inCrawl = this.detailsByDigest.get(digest);
    if (inCrawl) return inCrawl;
    return this.memory.imageDetails(digest);
  }

  private describe(
    repository: string,
    manifest: FetchedManifest,
  ): Promise<ImageDetails> {
    return shared(this.detailsByDigest, manifest.digest, () =>
      this.describeManifest(repository, manifest),
    );
  }

  private async describeManifest(
    repository: string,
    manifest: FetchedManifest,
  ): Promise<ImageDetails> {
    const parsed = parseManifest(manifest.bytes, manifest.contentType);
    if (parsed.kind === 'index') {
      return {
        mediaType: parsed.mediaType,
        platforms: parsed.platforms,
        created: parsed.annotations['org.opencontainers.image.created'],
        labels: annotationLabels(parsed.annotations),
      };
    }
    const config =
      parsed.inline ??
      (parsed.configDigest
        ? await this.imageConfig(repository, parsed.configDigest)
        : { labels: annotationLabels(parsed.annotations) });
    return {
      mediaType: parsed.mediaType,
      platforms: config.platform ? [config.platform] : [],
      created:
        config.created ??
        parsed.annotations['org.opencontainers.image.created'],
      labels: config.labels,
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
    const byDigest = new Map<string, ContainerImageRecord>();
    for (const { tag, digest, details } of resolved) {
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
        };
        byDigest.set(digest, image);
      }
      image.tags.push(tag.name);
      if (tag.pushed && (!image.pushed || tag.pushed > image.pushed))
        image.pushed = tag.pushed;
    }
    for (const image of byDigest.values()) image.tags.sort();
    return [...byDigest.values()];
  }
}
