import type {
  ImagePlatform,
  RegistryType,
} from '@container-inventory/plugin-container-registry-common';
import type { RegistryConnection } from '../connection/types';
import type { RegistryHttpClient } from '../http/RegistryHttpClient';

/** What a product's listing says of a tag's image, enough to skip its manifest and config. */
export interface ListedImage {
  mediaType: string;
  platforms: ImagePlatform[];
  /** Build date; dropped unless RFC 3339. */
  created?: string;
  labels?: Record<string, string>;
}

/** A tag as a product lists it; products that return the digest or push date save requests. */
export interface TagInfo {
  name: string;
  digest?: string;
  pushed?: string;
  /** With `digest`: the image is described by the listing, with no manifest or config request. */
  image?: ListedImage;
}

/**
 * What differs between registry products: how to check a connection and how to list
 * repositories and tags. Manifests and blobs are read through the common V2 API by the crawler.
 */
export interface RegistryAdapter {
  /** Throws a RegistryError saying what is wrong when the registry cannot be crawled. */
  testConnection(): Promise<void>;
  /** Repository names, one page at a time. */
  listRepositories(): AsyncIterable<string[]>;
  /** Tags of one repository, one page at a time. */
  listTags(repository: string): AsyncIterable<TagInfo[]>;
}

export interface RegistryAdapterContext {
  connection: RegistryConnection;
  http: RegistryHttpClient;
  /** The crawl's signal: listings stop between pages once it is aborted. */
  signal?: AbortSignal;
}

/** Builds the adapter of one product for one connection. */
export interface RegistryAdapterFactory {
  type: RegistryType;
  create(context: RegistryAdapterContext): RegistryAdapter;
}
