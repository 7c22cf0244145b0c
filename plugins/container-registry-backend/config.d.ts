import { HumanDuration } from '@backstage/types';
import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  containerRegistry?: {
    /** Registries crawled into the inventory. Registries added on the page live in the database. */
    registries?: Array<{
      /** Stable id: lowercase letters, digits and dashes. Used in entity annotations. */
      id: string;
      /** Name shown on the Registries page. */
      name?: string;
      /** Registry product; `generic` is any Docker Registry V2 / OCI distribution API. */
      type?:
        | 'generic'
        | 'nexus'
        | 'artifactory'
        | 'gitlab'
        | 'harbor'
        | 'gitflic'
        | 'dockerhub'
        | 'ghcr'
        | 'ecr'
        | 'gar'
        | 'acr'
        | 'quay';
      /** `http(s)://host[:port][/path]` of the registry API. */
      url: string;
      /** False keeps the connection but stops crawling it. */
      active?: boolean;
      auth?: {
        /** `auto` tries anonymous access and follows the registry's challenge. */
        type?: 'none' | 'basic' | 'bearer' | 'auto';
        username?: string;
        /** @visibility secret */
        password?: string;
        /** @visibility secret */
        token?: string;
        /** Hosts besides the registry's own that may receive credentials as its token realm. */
        realmHosts?: string[];
      };
      /** Load only these repositories; `*` matches any characters. All when empty. */
      repositories?: string[];
      transport?: {
        maxConnections?: number;
        maxKeepAliveConnections?: number;
        keepAliveExpiry?: HumanDuration | string | number;
        connectTimeout?: HumanDuration | string | number;
        poolTimeout?: HumanDuration | string | number;
        readTimeout?: HumanDuration | string | number;
        writeTimeout?: HumanDuration | string | number;
        pageSize?: number;
        maxRequestsPerSecond?: number;
        insecureSkipTlsVerify?: boolean;
        /** PEM bundle trusted in addition to the system CAs. */
        caCert?: string;
        maxRetries?: number;
      };
      /** When to crawl; defaults to every 30 minutes with a 15 minute timeout. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    }>;
    /**
     * A crawl without errors may remove at most this share (0–1) of a registry's images at
     * once; above it, the removals are held back and the crawl history says so. Default 0.5.
     */
    maxRemovalShare?: number;
    /**
     * A crawl that had errors may remove at most this share (0–1) of a registry's images.
     * Default 0.2.
     */
    maxRemovalShareOnErrors?: number;
    /**
     * Hold back the removal of every image of a repository that the registry still lists but
     * that answered no tags: more often a registry fault than a real deletion. Default true.
     */
    rejectEmptiedRepositories?: boolean;
  };
}
