import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import type { InventoryStore } from '../database/InventoryStore';
import { addImageRoutes, ImageRoutesOptions } from './imageRoutes';
import { addRegistryRoutes, RegistryRoutesOptions } from './registryRoutes';
import { createAuditing, createAuthorizer, readLimit } from './routeHelpers';

export interface RouterOptions
  extends Omit<ImageRoutesOptions, 'authorize' | 'audited'>,
    Omit<RegistryRoutesOptions, 'authorize' | 'audited'> {
  store: InventoryStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}

const MAX_FEED_PAGE = 1000;

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

/** The plugin's REST API under `/api/container-registry`. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, directory, httpAuth, permissions, auditor } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  const authorize = createAuthorizer(httpAuth, permissions);
  const audited = createAuditing(auditor);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  addRegistryRoutes(router, { ...options, authorize, audited });

  /**
   * The inventory's change feed: the catalog module's, read with its service credentials. A
   * signed-in user reads images through the catalog, where its permissions apply.
   */
  router.get('/images/changes', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const cursor = readCursor(req.query.cursor);
    const limit = readLimit(req.query.limit, 500, MAX_FEED_PAGE);
    res.json(await store.changes(cursor, limit, directory.hostOf));
  });

  addImageRoutes(router, { ...options, authorize, audited });

  return router;
}
