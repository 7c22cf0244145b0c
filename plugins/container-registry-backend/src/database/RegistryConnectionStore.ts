import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import type { SecretBox } from '../secrets/SecretBox';

const migrationsDir = resolvePackagePath(
  '@container-inventory/plugin-container-registry-backend',
  'migrations',
);

const TABLE = 'registry_connections';
const REVISION_TABLE = 'registry_connection_revision';
const ID_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const FIELD_PATH_PATTERN = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/;
const MAX_FIELD_PATH = 200;
// A row changed by someone else between reading and re-encrypting it is read again.
const REENCRYPT_ATTEMPTS = 3;

/** Credentials of a connection: field path (such as `auth.password`) to value. */
export type ConnectionSecrets = Record<string, string>;

/** Per field path: a new value, `null` to remove it; a field left out keeps its value. */
export type ConnectionSecretChanges = Record<string, string | null | undefined>;

/** A connection as the store gives it out: credentials only as the fields that are set. */
export interface StoredRegistryConnection {
  id: string;
  /** Opaque to the store; never holds a credential. */
  settings: JsonObject;
  /** Field paths with a stored credential, sorted. */
  secretFields: string[];
  /** Changes with every change of settings or credentials; never repeats, even for a new connection of a deleted one's id. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface ReencryptionResult {
  /** Ids of connections whose credentials now use the first key. */
  reencrypted: string[];
  /** Credentials that could not be read, so they stay as they were. */
  failed: Array<{ id: string; field: string; message: string }>;
}

interface ConnectionRow {
  id: string;
  settings: string;
  secrets: string;
  created_at: string;
  updated_at: string;
  revision: number;
}

/**
 * Registry connections made on the Registries page, in the plugin's database. Credentials
 * are kept apart from the settings, each encrypted by the secret box with the connection id
 * and field path as its context; they leave the store only through `decryptedSecrets`.
 */
export class RegistryConnectionStore {
  /** Runs the plugin's migrations, unless the database service says to skip them. */
  static async create(options: {
    database: DatabaseService;
    secretBox: SecretBox;
  }): Promise<RegistryConnectionStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new RegistryConnectionStore(client, options.secretBox);
  }

  private constructor(
    private readonly db: Knex,
    private readonly secretBox: SecretBox,
  ) {}

  async list(): Promise<StoredRegistryConnection[]> {
    const rows: ConnectionRow[] = await this.db(TABLE).orderBy('id');
    return rows.map(toConnection);
  }

  async get(id: string): Promise<StoredRegistryConnection> {
    return toConnection(await this.row(this.db, id));
  }

  /** Stores a new connection; a taken id is a ConflictError. */
  async create(
    id: string,
    settings: JsonObject,
    secrets: ConnectionSecrets = {},
  ): Promise<StoredRegistryConnection> {
    checkId(id);
    checkSettings(settings);
    const sealed = this.sealChanges(id, secrets, false);
    const sealedSecrets = Object.fromEntries(
      Object.entries(sealed).filter(
        (entry): entry is [string, string] => entry[1] !== null,
      ),
    );
    checkNoSecretInSettings(settings, Object.keys(sealedSecrets));
    const row = await this.db.transaction(async trx => {
      const revision = await nextRevision(trx);
      const taken = await trx(TABLE).where({ id }).first('id');
      if (taken) throw conflict(id);
      const now = new Date().toISOString();
      const newRow: ConnectionRow = {
        id,
        settings: JSON.stringify(settings),
        secrets: JSON.stringify(sortKeys(sealedSecrets)),
        created_at: now,
        updated_at: now,
        revision,
      };
      await trx(TABLE).insert(newRow);
      return newRow;
    });
    return toConnection(row);
  }

  /**
   * Replaces the settings and applies the credential changes: a field left out keeps its
   * credential, `null` removes it.
   */
  async update(
    id: string,
    settings: JsonObject,
    secretChanges: ConnectionSecretChanges = {},
  ): Promise<StoredRegistryConnection> {
    checkSettings(settings);
    const sealed = this.sealChanges(id, secretChanges, true);
    const row = await this.db.transaction(async trx => {
      const revision = await nextRevision(trx);
      const current = await this.row(trx, id);
      const secrets = { ...parseSecrets(current) };
      for (const [field, value] of Object.entries(sealed)) {
        if (value === null) delete secrets[field];
        else secrets[field] = value;
      }
      checkNoSecretInSettings(settings, Object.keys(secrets));
      const updated: ConnectionRow = {
        ...current,
        settings: JSON.stringify(settings),
        secrets: JSON.stringify(sortKeys(secrets)),
        updated_at: new Date().toISOString(),
        revision,
      };
      await trx(TABLE).where({ id }).update(updated);
      return updated;
    });
    return toConnection(row);
  }

  async delete(id: string): Promise<void> {
    await this.db.transaction(async trx => {
      await nextRevision(trx);
      const deleted = await trx(TABLE).where({ id }).delete();
      if (deleted === 0) throw notFound(id);
    });
  }

  /** Connection id to revision: one small query a replica repeats to notice any change. */
  async revisions(): Promise<Map<string, number>> {
    const rows: Array<Pick<ConnectionRow, 'id' | 'revision'>> = await this.db(
      TABLE,
    ).select('id', 'revision');
    return new Map(rows.map(row => [row.id, Number(row.revision)]));
  }

  /** The credentials in plain text, for the crawler's requests only: never log or return them. */
  async decryptedSecrets(id: string): Promise<ConnectionSecrets> {
    const row = await this.row(this.db, id);
    return Object.fromEntries(
      Object.entries(parseSecrets(row)).map(([field, value]) => [
        field,
        this.secretBox.decrypt(value, secretContext(id, field)),
      ]),
    );
  }

  /**
   * Re-encrypts under the first key every credential sealed under an older one, so that key
   * can then be removed from the config. Settings, revision and update time stay as they are:
   * the credentials did not change.
   */
  async reencryptAll(): Promise<ReencryptionResult> {
    const result: ReencryptionResult = { reencrypted: [], failed: [] };
    const rows: ConnectionRow[] = await this.db(TABLE).orderBy('id');
    for (const row of rows) {
      await this.reencryptRow(row, result);
    }
    return result;
  }

  private async reencryptRow(
    initial: ConnectionRow,
    result: ReencryptionResult,
  ): Promise<void> {
    let row: ConnectionRow | undefined = initial;
    for (let attempt = 0; row && attempt < REENCRYPT_ATTEMPTS; attempt++) {
      const resealed = this.resealOlderKeys(row, result);
      if (!resealed) return;
      // Written only if nobody changed the row since it was read.
      const written = await this.db(TABLE)
        .where({ id: row.id, revision: row.revision })
        .update({ secrets: JSON.stringify(resealed) });
      if (written === 1) {
        result.reencrypted.push(row.id);
        return;
      }
      row = await this.db(TABLE).where({ id: row.id }).first();
    }
  }

  /** The row's secrets with older keys' values sealed again, or undefined when none changed. */
  private resealOlderKeys(
    row: ConnectionRow,
    result: ReencryptionResult,
  ): Record<string, string> | undefined {
    const secrets = parseSecrets(row);
    let changed = false;
    for (const [field, value] of Object.entries(secrets)) {
      const context = secretContext(row.id, field);
      try {
        if (!this.secretBox.needsReencryption(value)) continue;
        secrets[field] = this.secretBox.encrypt(
          this.secretBox.decrypt(value, context),
          context,
        );
        changed = true;
      } catch (error) {
        result.failed.push({
          id: row.id,
          field,
          message: (error as Error).message,
        });
      }
    }
    return changed ? secrets : undefined;
  }

  /** Validates the changes and encrypts the new values before any database work. */
  private sealChanges(
    id: string,
    changes: ConnectionSecretChanges,
    nullAllowed: boolean,
  ): Record<string, string | null> {
    const sealed: Record<string, string | null> = {};
    for (const [field, value] of Object.entries(changes)) {
      checkFieldPath(field);
      if (value === undefined) continue;
      if (value === null && nullAllowed) {
        sealed[field] = null;
      } else if (typeof value === 'string') {
        sealed[field] = this.secretBox.encrypt(value, secretContext(id, field));
      } else {
        throw new InputError(
          `The credential ${field} must be a string${
            nullAllowed ? ', or null to remove it' : ''
          }`,
        );
      }
    }
    return sealed;
  }

  private async row(db: Knex, id: string): Promise<ConnectionRow> {
    const row: ConnectionRow | undefined = await db(TABLE)
      .where({ id })
      .first();
    if (!row) throw notFound(id);
    return row;
  }
}

/** Takes the next revision; its row lock makes concurrent changes wait for each other. */
async function nextRevision(trx: Knex.Transaction): Promise<number> {
  await trx(REVISION_TABLE).where({ id: 1 }).increment('value', 1);
  const { value } = await trx(REVISION_TABLE).where({ id: 1 }).first('value');
  return Number(value);
}

/** What a credential is bound to: decrypting it for another connection or field fails. */
export function secretContext(id: string, field: string): string {
  return `registry-connection/${id}/${field}`;
}

function toConnection(row: ConnectionRow): StoredRegistryConnection {
  return {
    id: row.id,
    settings: JSON.parse(row.settings),
    secretFields: Object.keys(parseSecrets(row)).sort(),
    revision: Number(row.revision),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseSecrets(row: ConnectionRow): Record<string, string> {
  return JSON.parse(row.secrets);
}

function sortKeys(secrets: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(secrets).sort(([a], [b]) => a.localeCompare(b)),
  );
}

function checkId(id: string) {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new InputError(
      'A registry id must be lowercase letters, digits and dashes, at most 63, starting and ending with a letter or digit',
    );
  }
}

function checkSettings(settings: unknown) {
  if (
    typeof settings !== 'object' ||
    settings === null ||
    Array.isArray(settings)
  ) {
    throw new InputError('Registry connection settings must be a JSON object');
  }
}

function checkFieldPath(field: string) {
  if (field.length > MAX_FIELD_PATH || !FIELD_PATH_PATTERN.test(field)) {
    throw new InputError(
      `A credential's field path must be dot-separated names such as auth.password, at most ${MAX_FIELD_PATH} characters`,
    );
  }
}

/** A credential also written into the settings would be stored in plain text. */
function checkNoSecretInSettings(settings: JsonObject, fields: string[]) {
  for (const field of fields) {
    if (valueAt(settings, field) !== undefined) {
      throw new InputError(
        `${field} is a credential: leave it out of the settings and send it with the credentials, which are stored encrypted`,
      );
    }
  }
}

function valueAt(object: JsonObject, path: string): unknown {
  let value: unknown = object;
  for (const name of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return undefined;
    }
    value = Object.prototype.hasOwnProperty.call(value, name)
      ? (value as JsonObject)[name]
      : undefined;
  }
  return value;
}

function notFound(id: string) {
  return new NotFoundError(`No registry connection with the id "${id}"`);
}

function conflict(id: string) {
  return new ConflictError(
    `A registry connection with the id "${id}" exists already; choose another id`,
  );
}
