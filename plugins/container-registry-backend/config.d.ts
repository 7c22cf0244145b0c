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
        /**
         * Origins besides the registry's own that may receive its credentials as token realm:
         * `https://auth.example.com[:port]`, or a bare host name meaning `https://host`.
         * Credentials never go over http for an https registry, listed or not.
         */
        realmHosts?: string[];
      };
      /** Load only these repositories; `*` matches any characters. All when empty. */
      repositories?: string[];
      /** Durations: a number of milliseconds or a Backstage duration, from 1 ms to 1 hour. */
      transport?: {
        /** Concurrent connections to the registry, 1–256. Default 8. */
        maxConnections?: number;
        /** Idle connections kept open, 1–256. Default: maxConnections. */
        maxKeepAliveConnections?: number;
        keepAliveExpiry?: HumanDuration | string | number;
        connectTimeout?: HumanDuration | string | number;
        /** Longest wait for a free connection. */
        poolTimeout?: HumanDuration | string | number;
        /** Longest silence while waiting for or reading an answer. */
        readTimeout?: HumanDuration | string | number;
        writeTimeout?: HumanDuration | string | number;
        /** Longest time one request may take, body included. Default 2 minutes. */
        requestTimeout?: HumanDuration | string | number;
        /** `n` of paged listings, 1–10000. Default 100. */
        pageSize?: number;
        /** Requests per second for the whole registry (fractions allowed). Unlimited by default. */
        maxRequestsPerSecond?: number;
        /** Skips certificate checks on the registry's own origin only. */
        insecureSkipTlsVerify?: boolean;
        /** PEM bundle trusted in addition to the system CAs, on the registry and on allowedHosts. */
        caCert?: string;
        /** Retries of 502/503/504 and resets, 0–10. Default 3. */
        maxRetries?: number;
        /**
         * Hosts the registry may redirect to (object stores, CDNs) even on private addresses;
         * `*.example.com` matches subdomains. Other hosts are followed only on public addresses,
         * or on loopback/private ones when the registry itself is on such an address;
         * link-local and cloud metadata addresses never.
         */
        allowedHosts?: string[];
      };
      /** When to crawl; defaults to every 30 minutes with a 15 minute timeout. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    }>;
    /**
     * A crawl that had errors may remove at most this share (0–1) of a registry's images;
     * a clean crawl may remove any number. Default 0.2.
     */
    maxRemovalShareOnErrors?: number;
  };
}
