import type { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  imageLinkPermission,
  imageReadPermission,
} from '@container-inventory/plugin-container-registry-common';
import type { Router } from 'express';
import { z } from 'zod';
import {
  decodeCursor,
  IMAGE_SORT_KEYS,
  ImagesQuery,
} from '../database/ImagesQuery';
import type { ManualLinkStore } from '../database/ManualLinkStore';
import type { ComponentLinker } from '../linking/ComponentLinker';
import type { RegistryDirectory } from './RegistryDirectory';
import type { createAuditing, createAuthorizer } from './routeHelpers';

const MAX_IMAGES_PAGE = 500;

const booleanParam = z
  .enum(['true', 'false'])
  .transform(value => value === 'true');

/** Query parameters of `GET /images`; an unknown one is an error, not ignored. */
const imagesQuerySchema = z
  .object({
    registry: z.string().min(1).max(63),
    q: z.string().min(1).max(200),
    lifecycle: z.enum(['latest', 'outdated', 'pending']),
    owner: z.string().min(1).max(255),
    component: z.string().min(1).max(255),
    unlinked: booleanParam,
    platform: z
      .string()
      .regex(
        /^[\w.-]+\/[\w.-]+(\/[\w.-]+)?$/,
        'must be os/architecture[/variant]',
      ),
    sort: z.enum(IMAGE_SORT_KEYS),
    order: z.enum(['asc', 'desc']),
    limit: z.coerce.number().int().min(1).max(MAX_IMAGES_PAGE),
    cursor: z.string().max(200),
  })
  .partial()
  .strict();

function readImagesQuery(query: unknown) {
  const parsed = imagesQuerySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name =
      issue.code === 'unrecognized_keys'
        ? issue.keys.join(', ')
        : issue.path.join('.');
    throw new InputError(`Invalid query parameter ${name}: ${issue.message}`);
  }
  const { cursor, ...params } = parsed.data;
  const offset = cursor === undefined ? 0 : decodeCursor(cursor);
  if (offset === undefined) {
    throw new InputError(
      'Invalid query parameter cursor: pass back the nextCursor of the previous page',
    );
  }
  return {
    ...params,
    sort: params.sort ?? ('repository' as const),
    order: params.order ?? ('asc' as const),
    limit: params.limit ?? 50,
    offset,
  };
}

function readComponentRef(body: unknown): string {
  const component = (body as { component?: unknown })?.component;
  if (typeof component !== 'string' || component.length === 0) {
    throw new InputError(
      'component is required: an entity reference such as "component:default/web"',
    );
  }
  try {
    const ref = parseEntityRef(component, {
      defaultKind: 'Component',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'component') throw new Error();
    return stringifyEntityRef(ref);
  } catch {
    throw new InputError(
      `component must be a Component reference such as "component:default/web", got "${component}"`,
    );
  }
}

export interface ImageRoutesOptions {
  images: ImagesQuery;
  manualLinks: ManualLinkStore;
  linker: ComponentLinker;
  catalog: CatalogService;
  auth: AuthService;
  directory: RegistryDirectory;
  authorize: ReturnType<typeof createAuthorizer>;
  audited: ReturnType<typeof createAuditing>;
}

/** The images API: the table's paged search, one image, and manual links to Components. */
export function addImageRoutes(router: Router, options: ImageRoutesOptions) {
  const { images, manualLinks, linker, catalog, auth, directory } = options;
  const { authorize, audited } = options;

  router.get('/images', async (req, res) => {
    await authorize(req, imageReadPermission);
    res.json(await images.page(readImagesQuery(req.query), directory.hostOf));
  });

  router.get('/images/:entityName', async (req, res) => {
    await authorize(req, imageReadPermission);
    const image = await images.byEntityName(
      req.params.entityName,
      directory.hostOf,
    );
    if (!image) {
      throw new NotFoundError(`No image named "${req.params.entityName}"`);
    }
    const repositoryImages = await images.repositoryImages(
      image.registry,
      image.repository,
      directory.hostOf,
      50,
    );
    res.json({ ...image, repositoryImages });
  });

  type LinkParams = { id: string; repository: string };
  const linkMeta = (req: { params: LinkParams }) => ({
    registryId: req.params.id,
    repository: req.params.repository,
  });

  router.put(
    '/registries/:id/repositories/:repository/link',
    audited<LinkParams>('repository-link', linkMeta, async (req, res) => {
      await authorize(req, imageLinkPermission);
      directory.get(req.params.id);
      const component = readComponentRef(req.body);
      const found = await catalog.getEntityByRef(component, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      if (!found) {
        throw new InputError(`component "${component}" is not in the catalog`);
      }
      await manualLinks.set(req.params.id, req.params.repository, component);
      await linker.link({
        registry: req.params.id,
        repository: req.params.repository,
      });
      res.json({
        registry: req.params.id,
        repository: req.params.repository,
        component,
      });
      return { component };
    }),
  );

  router.delete(
    '/registries/:id/repositories/:repository/link',
    audited<LinkParams>('repository-unlink', linkMeta, async (req, res) => {
      await authorize(req, imageLinkPermission);
      directory.get(req.params.id);
      if (!(await manualLinks.remove(req.params.id, req.params.repository))) {
        throw new NotFoundError(
          `${req.params.repository} of "${req.params.id}" has no manual link`,
        );
      }
      await linker.link({
        registry: req.params.id,
        repository: req.params.repository,
      });
      res.status(204).end();
    }),
  );
}
