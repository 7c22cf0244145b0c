import type {
  ImagePlatform,
  RegistryAdapterDescription,
} from '@container-inventory/plugin-container-registry-common';
import type { RegistryAuth, RegistryConnection } from '../connection/types';
import type { RegistryHttpClient } from '../http/RegistryHttpClient';
import type { V2Location } from './v2/V2Api';

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
  /**
   * Where a listed repository's V2 API is, for products serving one per repository of theirs
   * under a path (Nexus `/repository/<repo>/v2/`, Artifactory
   * `/artifactory/api/docker/<repo>/v2/`); the registry URL's own `/v2/` when absent.
   */
  v2Location?(repository: string): V2Location;
  /** Releases what the adapter opened besides the registry's client (a product API client). */
  close?(): Promise<void>;
}

export interface RegistryAdapterContext {
  connection: RegistryConnection;
  http: RegistryHttpClient;
  /** The crawl's signal: listings stop between pages once it is aborted. */
  signal?: AbortSignal;
  /**
   * A client for a product API on another origin than the registry's (GitLab's API host),
   * with the connection's credentials, transport settings and the crawl's signal. Only
   * origins the adapter asks for get a client, so credentials go nowhere else. The crawler
   * closes these clients with the adapter. `auth` replaces the connection's for that origin,
   * for a product API that takes the same secret another way (a token as Bearer).
   */
  clientFor(url: string, auth?: RegistryAuth): RegistryHttpClient;
}

/**
 * Builds the adapter of one product for one connection, and declares the product's options
 * and credential fields (see `RegistryAdapterDescription`): `connection.options` holds the
 * options, already checked against that declaration.
 */
export interface RegistryAdapterFactory extends RegistryAdapterDescription {
  create(context: RegistryAdapterContext): RegistryAdapter;
  /**
   * Origins besides the registry's that may receive the connection's credentials as a token
   * service (GitLab's `/jwt/auth` on the instance's host), from the connection's options.
   */
  credentialOrigins?(connection: RegistryConnection): string[];
}
