import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import type express from 'express';
import type { Request } from 'express';

/** Throws NotAllowedError (403) unless the caller's permissions allow `permission`. */
export function createAuthorizer(
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
) {
  return async (req: Request, permission: BasicPermission) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  };
}

type Handler<P> = (
  req: Request<P>,
  res: express.Response,
) => Promise<object | void>;

/**
 * Runs `action` as an auditor event: a success with what the action returns as meta, or a
 * failure with its error. `meta` names what the request is about.
 */
export function createAuditing(auditor: AuditorService) {
  return <P>(
      eventId: string,
      meta: (req: Request<P>) => JsonObject,
      action: Handler<P>,
    ) =>
    async (req: Request<P>, res: express.Response) => {
      const event = await auditor.createEvent({
        eventId,
        request: req as Request,
        meta: meta(req),
      });
      try {
        const result = await action(req, res);
        await event.success(
          result ? { meta: result as JsonObject } : undefined,
        );
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }
    };
}

/** A `limit` query parameter: a whole number from 1 to `max`, `fallback` when absent. */
export function readLimit(
  value: unknown,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new InputError(`limit must be a whole number from 1 to ${max}`);
  }
  return limit;
}
