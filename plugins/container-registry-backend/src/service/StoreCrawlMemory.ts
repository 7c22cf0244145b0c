import type { ContainerImageRecord } from '@container-inventory/plugin-container-registry-common';
import type { CrawlMemory } from '@container-inventory/plugin-container-registry-node';
import type { InventoryStore } from '../database/InventoryStore';

/** The crawler's memory of earlier crawls, read from the inventory itself. */
export class StoreCrawlMemory implements CrawlMemory {
  constructor(
    private readonly store: InventoryStore,
    private readonly registryId: string,
  ) {}

  tagDigests(repository: string) {
    return this.store.tagDigests(this.registryId, repository);
  }

  imageDetails(digest: string) {
    return this.store.imageDetails(digest);
  }

  async remember(_repository: string, _images: ContainerImageRecord[]) {
    // The crawl service saves every repository to the store, which is this memory.
  }
}
