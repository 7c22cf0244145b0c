import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  registryReadPermission,
  registryRefreshPermission,
  RegistrySummary,
} from '@container-inventory/plugin-container-registry-common';
import express from 'express';
import Router from 'express-promise-router';
import type { InventoryStore } from '../database/InventoryStore';
import type { CrawlService } from './CrawlService';
import { addImageRoutes, ImageRoutesOptions } from './imageRoutes';
import { createAuditing, createAuthorizer } from './routeHelpers';
import type { RegistryDirectory } from './RegistryDirectory';
import { crawlTaskId } from './scheduleCrawls';

export interface RouterOptions
  extends Omit<ImageRoutesOptions, 'authorize' | 'audited'> {
  store: InventoryStore;
  directory: RegistryDirectory;
  crawlService: CrawlService;
  scheduler: SchedulerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}

const MAX_PAGE = 1000;

function readLimit(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new InputError(`limit must be a whole number from 1 to ${MAX_PAGE}`);
  }
  return limit;
}

function readCursor(value: unknown): number {
  if (value === undefined) return 0;
  const cursor = typeof value === 'string' && /^\d{1,16}$/.test(value);
  if (!cursor || !Number.isSafeInteger(Number(value))) {
    throw new InputError(
      `cursor must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`,
    );
  }
  return Number(value);
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    store,
    directory,
    crawlService,
    scheduler,
    httpAuth,
    permissions,
    auditor,
  } = options;
  const router = Router();
  router.use(express.json());

  const authorize = createAuthorizer(httpAuth, permissions);
  const audited = createAuditing(auditor);

  async function summaries(): Promise<RegistrySummary[]> {
    const [counts, statuses, runs] = await Promise.all([
      store.imageCounts(),
      store.statuses(),
      Promise.all(directory.list().map(r => store.runs(r.connection.id, 1))),
    ]);
    return directory.list().map(({ connection, active, source }, index) => {
      const status = statuses.get(connection.id);
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
        ...(runs[index][0] ? { lastCrawl: runs[index][0] } : {}),
      };
    });
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/registries', async (req, res) => {
    await authorize(req, registryReadPermission);
    res.json({ items: await summaries() });
  });

  router.get('/registries/:id', async (req, res) => {
    await authorize(req, registryReadPermission);
    directory.get(req.params.id);
    const summary = (await summaries()).find(s => s.id === req.params.id);
    res.json(summary);
  });

  router.get('/registries/:id/runs', async (req, res) => {
    await authorize(req, registryReadPermission);
    directory.get(req.params.id);
    res.json({
      items: await store.runs(req.params.id, readLimit(req.query.limit, 20)),
    });
  });

  const registryMeta = (req: { params: { id: string } }) => ({
    registryId: req.params.id,
  });

  router.post(
    '/registries/:id/refresh',
    audited<{ id: string }>(
      'registry-refresh',
      registryMeta,
      async (req, res) => {
        await authorize(req, registryRefreshPermission);
        const registry = directory.get(req.params.id);
        if (!registry.active)
          throw new InputError(`Registry "${req.params.id}" is not active`);
        await scheduler.triggerTask(crawlTaskId(registry.connection.id));
        res.status(202).json({ status: 'scheduled' });
      },
    ),
  );

  router.post(
    '/registries/:id/test',
    audited<{ id: string }>('registry-test', registryMeta, async (req, res) => {
      await authorize(req, registryRefreshPermission);
      const result = await crawlService.testConnection(
        directory.get(req.params.id),
      );
      res.json(result);
      return { ok: result.ok };
    }),
  );

  /**
   * The inventory's change feed: the catalog module's, read with its service credentials. A
   * signed-in user reads images through the catalog, where its permissions apply.
   */
  router.get('/images/changes', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const cursor = readCursor(req.query.cursor);
    const limit = readLimit(req.query.limit, 500);
    res.json(await store.changes(cursor, limit, directory.hostOf));
  });

  addImageRoutes(router, { ...options, authorize, audited });

  return router;
}
