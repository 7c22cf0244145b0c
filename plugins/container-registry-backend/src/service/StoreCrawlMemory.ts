import type { ContainerImageRecord } from '@container-inventory/plugin-container-registry-common';
import type {
  CrawlMemory,
  ImageDetails,
} from '@container-inventory/plugin-container-registry-node';
import type { InventoryStore } from '../database/InventoryStore';

/**
 * The crawler's memory of earlier crawls, read from the inventory itself: one query per
 * repository, kept while the crawler works on that repository.
 */
export class StoreCrawlMemory implements CrawlMemory {
  private readonly details = new Map<string, Map<string, ImageDetails>>();

  constructor(
    private readonly store: InventoryStore,
    private readonly registryId: string,
  ) {}

  async tagDigests(repository: string) {
    const snapshot = await this.store.repositorySnapshot(
      this.registryId,
      repository,
    );
    this.details.set(repository, snapshot.details);
    return snapshot.tagDigests;
  }

  async imageDetails(digest: string) {
    for (const known of this.details.values()) {
      const details = known.get(digest);
      if (details) return details;
    }
    return this.store.imageDetails(digest);
  }

  async remember(repository: string, _images: ContainerImageRecord[]) {
    // The crawl service saves every repository to the store; this one is done.
    this.details.delete(repository);
  }
}
