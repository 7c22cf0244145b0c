import type { ContainerImageRecord } from '@container-inventory/plugin-container-registry-common';
import type {
  CrawlMemory,
  ImageDetails,
} from '@container-inventory/plugin-container-registry-node';
import { LRUCache } from 'lru-cache';
import type { InventoryStore } from '../database/InventoryStore';

/**
 * Digests whose details stay at hand between the lookup of a repository and the crawl of its
 * tags; repositories in flight at once hold far fewer.
 */
const DETAILS_KEPT = 20_000;

/**
 * The crawler's memory of earlier crawls, read from the inventory itself: one query per
 * repository. What it read is kept in one bounded cache by digest, so memory does not grow
 * with the registry, however its repositories end.
 */
export class StoreCrawlMemory implements CrawlMemory {
  private readonly details = new LRUCache<string, ImageDetails>({
    max: DETAILS_KEPT,
  });

  constructor(
    private readonly store: InventoryStore,
    private readonly registryId: string,
  ) {}

  async tagDigests(repository: string) {
    const snapshot = await this.store.repositorySnapshot(
      this.registryId,
      repository,
    );
    for (const [digest, details] of snapshot.details)
      this.details.set(digest, details);
    return snapshot.tagDigests;
  }

  async imageDetails(digest: string) {
    return this.details.get(digest) ?? this.store.imageDetails(digest);
  }

  async remember(_repository: string, _images: ContainerImageRecord[]) {
    // The crawl service saves every repository to the store.
  }
}
