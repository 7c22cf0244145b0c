import type {
  HttpAuthService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  builtInAdapterFactories,
  RegistryAdapterFactory,
} from '@container-inventory/plugin-container-registry-node';
import { ConflictError, InputError } from '@backstage/errors';
import {
  applyImageFilters,
  describeSettingsErrors,
  FilterPreview,
  RegistryDetails,
  RegistryListItem,
  registryCreatePermission,
  registryDeletePermission,
  registryReadPermission,
  registryRefreshPermission,
  RegistrySettings,
  registryUpdatePermission,
  validateRegistrySettings,
} from '@container-inventory/plugin-container-registry-common';
import type { Request, Router } from 'express';
import type { ImagesQuery } from '../database/ImagesQuery';
import type { InventoryStore } from '../database/InventoryStore';
import type { RegistryConnectionStore } from '../database/RegistryConnectionStore';
import {
  adapterDescriptions,
  checkAdapterOptions,
} from '../registries/adapterOptions';
import type { ConfiguredRegistry } from '../registries/ConfiguredRegistry';
import {
  secretsOf,
  settingsToConnection,
  settingsWithoutSecrets,
} from '../registries/settingsToConnection';
import type { CrawlService } from './CrawlService';
import { INTERRUPTED_AFTER_MS } from './housekeeping';
import { nextCrawlAt } from './nextCrawl';
import type { RegistryDirectory } from './RegistryDirectory';
import {
  type createAuditing,
  type createAuthorizer,
  readLimit,
} from './routeHelpers';
import { CrawlScheduler, crawlTaskId } from './scheduleCrawls';

export interface RegistryRoutesOptions {
  store: InventoryStore;
  images: ImagesQuery;
  directory: RegistryDirectory;
  connections: RegistryConnectionStore;
  crawlService: CrawlService;
  crawlScheduler: CrawlScheduler;
  scheduler: SchedulerService;
  httpAuth: HttpAuthService;
  knownTypes: () => readonly string[];
  /** The registered adapters, which check their own options; the built-in ones when absent. */
  adapterFactories?: () => RegistryAdapterFactory[];
  authorize: ReturnType<typeof createAuthorizer>;
  audited: ReturnType<typeof createAuditing>;
}

const MAX_RUNS_PAGE = 1000;
const PREVIEW_SAMPLE = 50;

type IdParams = { id: string };
const registryMeta = (req: { params: IdParams }) => ({
  registryId: req.params.id,
});

/** The registry admin API: list, read, create, replace, delete, test, crawl and cancel. */
export function addRegistryRoutes(
  router: Router,
  options: RegistryRoutesOptions,
) {
  const { store, images, directory, connections, crawlService } = options;
  const { crawlScheduler, scheduler, knownTypes, authorize, audited } = options;
  const factories = () =>
    options.adapterFactories?.() ?? builtInAdapterFactories;
  const toConnection: typeof settingsToConnection = (settings, secrets) =>
    settingsToConnection(settings, secrets, factories());

  const aliveSince = () => new Date(Date.now() - INTERRUPTED_AFTER_MS);

  /**
   * Starts a registry's crawl now. The scheduler refuses while the task runs — a task without a
   * start delay runs as soon as it is registered — which only means a crawl is under way.
   */
  async function triggerCrawl(
    registryId: string,
  ): Promise<'started' | 'already-running'> {
    try {
      await scheduler.triggerTask(crawlTaskId(registryId));
      return 'started';
    } catch (error) {
      if ((error as Error)?.name === 'ConflictError') return 'already-running';
      throw error;
    }
  }

  async function summaries(
    registries: ConfiguredRegistry[],
  ): Promise<RegistryListItem[]> {
    const [counts, statuses, runs] = await Promise.all([
      store.imageCounts(),
      store.statuses(),
      Promise.all(registries.map(r => store.runs(r.connection.id, 1))),
    ]);
    return registries.map((registry, index) => {
      const { connection, active, source } = registry;
      const status = statuses.get(connection.id);
      const lastRun = runs[index][0];
      const next = nextCrawlAt(registry, lastRun?.startedAt);
      return {
        id: connection.id,
        name: connection.name,
        type: connection.type,
        url: connection.url,
        source,
        active,
        status: status?.status ?? 'unknown',
        ...(status?.message ? { statusMessage: status.message } : {}),
        ...(status?.progress ? { progress: status.progress } : {}),
        imageCount: counts.get(connection.id) ?? 0,
        ...(lastRun ? { lastCrawl: withoutId(lastRun) } : {}),
        ...(next ? { nextCrawlAt: next } : {}),
      };
    });
  }

  async function details(id: string): Promise<RegistryDetails> {
    const registry = directory.get(id);
    const [summary] = await summaries([registry]);
    return {
      ...summary,
      settings: registry.view,
      readOnly: registry.source === 'config',
    };
  }

  /** Validates a body as settings; each error names its field. */
  function readSettings(body: unknown, update: boolean): RegistrySettings {
    const checked = validateRegistrySettings(body, {
      knownTypes: knownTypes(),
      secretsMayBeKept: update,
    });
    const withOptions = checked.ok
      ? checkAdapterOptions(checked.value, factories())
      : checked;
    if (!withOptions.ok) {
      throw new InputError(
        `Invalid registry settings: ${describeSettingsErrors(
          withOptions.errors,
        )}`,
      );
    }
    return withOptions.value;
  }

  function writable(id: string): ConfiguredRegistry {
    const registry = directory.get(id);
    if (registry.source === 'config') {
      throw new InputError(
        `Registry "${id}" is defined in app-config and is read-only here; change it in the configuration`,
      );
    }
    return registry;
  }

  /** The registry products this backend has adapters for, with their options, for the form. */
  router.get('/adapters', async (req, res) => {
    await authorize(req, registryReadPermission);
    res.json({ items: adapterDescriptions(factories()) });
  });

  router.get('/registries', async (req, res) => {
    await authorize(req, registryReadPermission);
    res.json({ items: await summaries(directory.list()) });
  });

  router.get('/registries/:id', async (req, res) => {
    await authorize(req, registryReadPermission);
    res.json(await details(req.params.id));
  });

  router.post(
    '/registries',
    audited<{}>(
      'registry-create',
      req => ({ registryId: String((req.body as { id?: unknown })?.id) }),
      async (req, res) => {
        await authorize(req as Request, registryCreatePermission);
        const settings = readSettings(req.body, false);
        if (directory.find(settings.id)) {
          throw new ConflictError(`A registry "${settings.id}" already exists`);
        }
        // Checks the whole connection, as a crawl would read it, before storing anything.
        toConnection(settings, secretsOf(settings));
        await connections.create(
          settings.id,
          settingsWithoutSecrets(settings),
          secretsOf(settings),
        );
        await crawlScheduler.changed();
        // A new registry is crawled at once, not first at its next scheduled time.
        if (settings.active) {
          await triggerCrawl(settings.id);
        }
        res.status(201).json(await details(settings.id));
        return { type: settings.type };
      },
    ),
  );

  router.put(
    '/registries/:id',
    audited<IdParams>('registry-update', registryMeta, async (req, res) => {
      await authorize(req, registryUpdatePermission);
      writable(req.params.id);
      const settings = readSettings(
        { ...(req.body as object), id: req.params.id },
        true,
      );
      const stored = await connections.get(req.params.id);
      const secrets = {
        ...(await connections.decryptedSecrets(req.params.id)),
        ...secretsOf(settings),
      };
      toConnection(settings, secrets);
      await connections.update(
        req.params.id,
        settingsWithoutSecrets(settings),
        {
          ...secretsOf(settings),
          // Credentials the new auth type does not use are dropped, not kept unseen.
          ...Object.fromEntries(
            stored.secretFields
              .filter(field => !usesSecret(settings, field))
              .map(field => [field, null]),
          ),
        },
      );
      await crawlScheduler.changed();
      res.json(await details(req.params.id));
    }),
  );

  router.delete(
    '/registries/:id',
    audited<IdParams>('registry-delete', registryMeta, async (req, res) => {
      await authorize(req, registryDeletePermission);
      writable(req.params.id);
      await connections.delete(req.params.id);
      await crawlScheduler.changed();
      const removed = await store.removeRegistry(req.params.id);
      await store.forgetRegistry(req.params.id);
      res.status(204).end();
      return { removedImages: removed };
    }),
  );

  router.post(
    '/registries/test',
    audited<{}>(
      'registry-test-unsaved',
      () => ({}),
      async (req, res) => {
        await authorize(req as Request, registryCreatePermission);
        const body = req.body as { id?: unknown };
        const existing =
          typeof body?.id === 'string' &&
          directory.find(body.id)?.source === 'database';
        const settings = readSettings(req.body, existing);
        // An edit form leaves stored secrets out: test with them.
        const stored = existing
          ? await connections.decryptedSecrets(settings.id)
          : {};
        const connection = toConnection(settings, {
          ...stored,
          ...secretsOf(settings),
        });
        const result = await crawlService.testConnection({ connection });
        res.json(result);
        return { ok: result.ok };
      },
    ),
  );

  router.post(
    '/registries/:id/test',
    audited<IdParams>('registry-test', registryMeta, async (req, res) => {
      await authorize(req, registryRefreshPermission);
      const result = await crawlService.testConnection(
        directory.get(req.params.id),
      );
      res.json(result);
      return { ok: result.ok };
    }),
  );

  router.post(
    '/registries/:id/refresh-status',
    audited<IdParams>(
      'registry-refresh-status',
      registryMeta,
      async (req, res) => {
        await authorize(req, registryRefreshPermission);
        const result = await crawlService.refreshStatus(
          directory.get(req.params.id),
        );
        res.json(result);
        return { ok: result.ok };
      },
    ),
  );

  router.post(
    '/registries/:id/refresh',
    audited<IdParams>('registry-refresh', registryMeta, async (req, res) => {
      await authorize(req, registryRefreshPermission);
      const registry = directory.get(req.params.id);
      if (!registry.active) {
        throw new InputError(`Registry "${req.params.id}" is not active`);
      }
      const running = await store.runningRun(req.params.id, aliveSince());
      if (running) {
        res.status(409).json({
          error: {
            name: 'ConflictError',
            message: `A crawl of "${req.params.id}" is under way since ${running.startedAt}`,
          },
          run: withoutId(running),
        });
        return { running: true };
      }
      await crawlScheduler.sync();
      if ((await triggerCrawl(registry.connection.id)) === 'already-running') {
        throw new ConflictError(`A crawl of "${req.params.id}" is under way`);
      }
      res.status(202).json({ status: 'scheduled' });
      return undefined;
    }),
  );

  router.post(
    '/registries/:id/cancel',
    audited<IdParams>('registry-cancel', registryMeta, async (req, res) => {
      await authorize(req, registryRefreshPermission);
      directory.get(req.params.id);
      if (!(await store.requestCancel(req.params.id))) {
        throw new ConflictError(`No crawl of "${req.params.id}" is under way`);
      }
      res.status(202).json({ status: 'cancelling' });
    }),
  );

  router.get('/registries/:id/runs', async (req, res) => {
    await authorize(req, registryReadPermission);
    directory.get(req.params.id);
    const runs = await store.runs(
      req.params.id,
      readLimit(req.query.limit, 20, MAX_RUNS_PAGE),
    );
    res.json({
      items: runs.map(run => ({
        ...run,
        id: String(run.id),
        ...(run.finishedAt
          ? {
              durationMs:
                Date.parse(run.finishedAt) - Date.parse(run.startedAt),
            }
          : {}),
      })),
    });
  });

  router.post('/registries/:id/filters/preview', async (req, res) => {
    await authorize(req, registryReadPermission);
    const registry = directory.get(req.params.id);
    const filters =
      (req.body as { filters?: unknown })?.filters ?? registry.filters;
    const checked = validateRegistrySettings(
      { ...registry.view, auth: { type: 'none' }, filters },
      { knownTypes: [registry.connection.type], secretsMayBeKept: true },
    );
    if (!checked.ok) {
      throw new InputError(
        `Invalid filters: ${describeSettingsErrors(
          checked.errors.filter(e => e.field.startsWith('filters')),
        )}`,
      );
    }
    res.json(
      await previewFilters(images, registry, checked.value.filters, () =>
        store.runs(req.params.id, 1),
      ),
    );
  });
}

function usesSecret(settings: RegistrySettings, field: string): boolean {
  const { type } = settings.auth;
  if (field === 'auth.password') return type === 'basic' || type === 'auto';
  if (field === 'auth.token') return type === 'bearer' || type === 'auto';
  return true;
}

function withoutId<T extends { id?: number }>(run: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = run;
  return rest;
}

/** What the filters keep of the registry's images as last crawled. */
async function previewFilters(
  images: ImagesQuery,
  registry: ConfiguredRegistry,
  filters: RegistrySettings['filters'],
  lastRun: () => Promise<Array<{ startedAt: string }>>,
): Promise<FilterPreview> {
  const all = await images.allOfRegistry(registry.connection.id);
  const { kept, dropped } = applyImageFilters(all, filters, new Date());
  const droppedBy: FilterPreview['droppedBy'] = {};
  for (const { reason } of dropped) {
    droppedBy[reason] = (droppedBy[reason] ?? 0) + 1;
  }
  const sample = [
    ...kept.map(({ image, reason }) => ({
      image,
      kept: true,
      ...(reason === 'always' ? { reason } : {}),
    })),
    ...dropped.map(({ image, reason }) => ({ image, kept: false, reason })),
  ].slice(0, PREVIEW_SAMPLE);
  const [run] = await lastRun();
  return {
    ...(run ? { basedOnCrawlAt: run.startedAt } : {}),
    total: all.length,
    kept: kept.length,
    dropped: dropped.length,
    droppedBy,
    sample: sample.map(({ image, ...verdict }) => ({
      repository: image.repository,
      digest: image.digest,
      tags: image.tags,
      ...verdict,
    })),
  };
}
