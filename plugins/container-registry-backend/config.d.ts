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
      /**
       * Registry product: the type of a registered adapter. Built in: `generic` (any Docker
       * Registry V2 / OCI distribution API), `harbor`, `gitlab`, `nexus`, `artifactory`,
       * `quay`, `gitflic`, `dockerhub`, `ghcr`, `ecr`, `acr`, `gar`, `gcr`; backend modules may add more. An unknown type fails start-up naming
       * the known ones. Each product's options go under the key named by its type.
       */
      type?: string;
      /** Harbor: projects to load (all visible when empty), and the API's URL if not the registry's. */
      harbor?: { projects?: string[]; apiUrl?: string };
      /**
       * GitLab: the instance's URL (its API lists repositories, its /jwt/auth issues registry
       * tokens) and the groups (with subgroups) and projects whose repositories to load, by
       * full path or id. Without groups or projects, only an administrator can list.
       */
      gitlab?: { apiUrl: string; groups?: string[]; projects?: string[] };
      /**
       * Nexus: docker repositories to load (all hosted ones the user can browse when empty),
       * and `"<repository>=<port>"` for those read through an HTTP connector port.
       */
      nexus?: { repositories?: string[]; connectorPorts?: string[] };
      /**
       * Artifactory (URL with its context path, `https://host/artifactory`): how docker
       * repositories are served (`repositoryPath` by default, `subdomain`, or `port` with
       * `"<key>=<port>"` entries), and which to load (local and federated ones when empty).
       */
      artifactory?: {
        accessMethod?: 'repositoryPath' | 'subdomain' | 'port';
        repositories?: string[];
        ports?: string[];
      };
      /** Quay: namespaces (organisations or users) to load; the API's URL if not the registry's. */
      quay?: { namespaces: string[]; apiUrl?: string };
      /** GitFlic: projects (`owner/project`) and companies to load; everything listed when empty. */
      gitflic?: { projects?: string[]; companies?: string[] };
      /**
       * Docker Hub (URL `https://registry-1.docker.io`; user name and a personal access token
       * with the Read-only permission): users or organisations to load, and the Hub API's and
       * registry token service's URLs when not Docker's own.
       */
      dockerhub?: {
        namespaces: string[];
        hubApiUrl?: string;
        tokenServiceUrl?: string;
      };
      /**
       * GitHub Container Registry (URL `https://ghcr.io`; GitHub user name and a personal
       * access token with read:packages): organisations and users whose container packages to
       * load, and the REST API's URL for GitHub Enterprise (`https://HOST/api/v3`).
       */
      ghcr?: { organizations?: string[]; users?: string[]; apiUrl?: string };
      /**
       * Amazon ECR (URL `https://<account>.dkr.ecr.<region>.amazonaws.com`; access key id as
       * user name, secret access key as password, session token as token, or none for the
       * default AWS credential chain): region and account id (read from the URL when absent),
       * a role to assume (and its external id), and the ECR and STS endpoints when not AWS's.
       */
      ecr?: {
        region?: string;
        registryId?: string;
        roleArn?: string;
        externalId?: string;
        endpoint?: string;
        stsEndpoint?: string;
      };
      /**
       * Azure Container Registry (URL `https://<name>.azurecr.io`, `.azurecr.us` in US
       * Government): with a tenant id, the user name and password are a service principal's
       * client id and secret; without, an admin user or a token. The cloud (`public` or
       * `usgovernment`) picks the Azure AD authority, which `authorityHost` overrides.
       */
      acr?: {
        tenantId?: string;
        cloud?: 'public' | 'usgovernment';
        authorityHost?: string;
      };
      /**
       * Google Artifact Registry (URL `https://<location>-docker.pkg.dev`; a service account's
       * JSON key as password, or an OAuth access token as token): the project, the location
       * (read from the URL when absent), and the API's and token URI's addresses when not
       * Google's (the key's `token_uri` by default).
       */
      gar?: {
        project: string;
        location?: string;
        apiUrl?: string;
        tokenUri?: string;
      };
      /**
       * gcr.io hosts (URL `https://gcr.io`, `https://eu.gcr.io`, …; credentials as for `gar`):
       * the project whose repositories to load, and the token URI when not the key's.
       */
      gcr?: { project: string; tokenUri?: string };
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
     * Encryption of the credentials of registries made on the Registries page, stored in the
     * plugin's database with AES-256-GCM. Without a key, such registries can be made only
     * without credentials.
     */
    encryption?: {
      /**
       * The first key encrypts; every key decrypts. To rotate, put a new key first and restart:
       * start-up re-encrypts every stored credential with it, after which older keys can go.
       */
      keys?: Array<{
        /** Names the key in each stored value: letters, digits, `-` and `_`, at most 64. Never reuse an id for another secret. */
        id: string;
        /**
         * 32 random bytes as base64 (`openssl rand -base64 32`) or as 64 hex characters
         * (`openssl rand -hex 32`).
         * @visibility secret
         */
        secret: string;
      }>;
    };
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
    /** Linking of images to their Component and owner. */
    linking?: {
      /** How often links are resolved again; default every 30 seconds. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Repository pattern → Component and/or owner, the weakest rule: a manual link, a
       * Component's `container-inventory.dev/image-repositories` annotation and the image's
       * source label come first.
       */
      rules?: Array<{
        /** Limit the rule to one registry. */
        registry?: string;
        /** Repository name; `*` matches any characters. */
        repository: string;
        /** Entity ref; the kind defaults to Component. */
        component?: string;
        /** Entity ref; the kind defaults to Group. Default: the Component's owner. */
        owner?: string;
      }>;
    };
  };
}
