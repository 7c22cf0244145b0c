import type {
  ContainerImageRecord,
  ImageDetailsSource,
  ImagePlatform,
} from '@container-inventory/plugin-container-registry-common';

/** What a manifest digest stands for. Digests are content addresses: this never changes. */
export interface ImageDetails {
  mediaType: string;
  platforms: ImagePlatform[];
  created?: string;
  labels: Record<string, string>;
  /** Where `created` and `labels` were read. */
  detailsSource?: ImageDetailsSource;
}

/**
 * What the crawler knows from earlier crawls, so that a recrawl reuses it: the digest each tag
 * pointed at (one HEAD tells whether it moved) and the details of each manifest digest.
 */
export interface CrawlMemory {
  tagDigests(repository: string): Promise<Map<string, string>>;
  imageDetails(digest: string): Promise<ImageDetails | undefined>;
  /** Called with every repository's images once it has been crawled. */
  remember(repository: string, images: ContainerImageRecord[]): Promise<void>;
}

/** Memory kept in this process only: for the command line and for tests. */
export class InMemoryCrawlMemory implements CrawlMemory {
  private readonly tags = new Map<string, Map<string, string>>();
  private readonly details = new Map<string, ImageDetails>();

  async tagDigests(repository: string) {
    return this.tags.get(repository) ?? new Map<string, string>();
  }

  async imageDetails(digest: string) {
    return this.details.get(digest);
  }

  async remember(repository: string, images: ContainerImageRecord[]) {
    const tags = new Map<string, string>();
    for (const image of images) {
      for (const tag of image.tags) tags.set(tag, image.digest);
      this.details.set(image.digest, {
        mediaType: image.mediaType,
        platforms: image.platforms,
        created: image.created,
        labels: image.labels,
        ...(image.detailsSource ? { detailsSource: image.detailsSource } : {}),
      });
    }
    this.tags.set(repository, tags);
  }
}
