import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  ImageLifecycle,
  ImagesPage,
  InventoryImage,
} from '@container-inventory/plugin-container-registry-common';
import type { Knex } from 'knex';
import { toInventoryImage } from './InventoryStore';
import type { ImageRow } from './tables';

/** Columns the images table sorts by. */
export const IMAGE_SORT_KEYS = [
  'repository',
  'registry',
  'created',
  'pushed',
  'lifecycle',
  'owner',
  'component',
] as const;
export type ImageSortKey = (typeof IMAGE_SORT_KEYS)[number];

const SORT_COLUMNS: Record<ImageSortKey, keyof ImageRow> = {
  repository: 'repository',
  registry: 'registry_id',
  created: 'created',
  pushed: 'pushed',
  lifecycle: 'lifecycle',
  owner: 'owner',
  component: 'component',
};

export interface ImageQuery {
  registry?: string;
  /** Searched in repository, tags, digest and entity name. */
  q?: string;
  lifecycle?: ImageLifecycle;
  owner?: string;
  component?: string;
  unlinked?: boolean;
  /** `os/architecture[/variant]`. */
  platform?: string;
  sort: ImageSortKey;
  order: 'asc' | 'desc';
  limit: number;
  /** Rows to skip, from the cursor of the previous page. */
  offset: number;
}

/** A search that can only match a digest, from its start: `sha256:` and hex digits. */
const DIGEST_PREFIX = /^sha256:[0-9a-f]*$/i;

/** `%`, `_` and `\` stand for themselves in a search. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, c => `\\${c}`);

/**
 * Case-insensitive LIKE with `\` as the escape character on every database: SQLite has no
 * default escape character, and PostgreSQL's LIKE is case-sensitive.
 */
const LIKE_ANY_CASE = "lower(??) like lower(?) escape '\\'";

const NOT_NULL_COLUMNS = new Set<string>([
  'repository',
  'registry_id',
  'lifecycle',
]);

/**
 * Images without the sorted value last in either direction, the same on every database
 * (PostgreSQL and SQLite put NULLs at opposite ends by default); ties by id.
 */
function orderNullsLast(column: string, order: 'asc' | 'desc') {
  const direction = order === 'desc' ? 'desc' : 'asc';
  // Said only where a NULL can be: PostgreSQL reads `desc nulls last` of a NOT NULL column
  // from none of its indexes.
  const nulls = NOT_NULL_COLUMNS.has(column) ? '' : ' nulls last';
  return `"${column}" ${direction}${nulls}, "id" ${direction}`;
}

/** Searches no index can answer: a substring of the text columns, or a platform. */
function scansEveryImage(query: ImageQuery): boolean {
  return Boolean((query.q && !DIGEST_PREFIX.test(query.q)) || query.platform);
}

/** Reads images for the images API and table: filtered, sorted and paged in the database. */
export class ImagesQuery {
  static async create(database: DatabaseService): Promise<ImagesQuery> {
    return new ImagesQuery(await database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  private filtered(
    query: Omit<ImageQuery, 'sort' | 'order' | 'limit' | 'offset'>,
  ) {
    const rows = this.db<ImageRow>('images').where({ deleted: false });
    if (query.registry) rows.andWhere({ registry_id: query.registry });
    if (query.lifecycle) rows.andWhere({ lifecycle: query.lifecycle });
    if (query.owner) rows.andWhere({ owner: query.owner });
    if (query.component) rows.andWhere({ component: query.component });
    if (query.unlinked) rows.whereNull('component');
    if (query.platform) {
      const [os, architecture, variant] = query.platform.split('/');
      const pattern = `"os":"${os}","architecture":"${architecture}"${
        variant ? `,"variant":"${variant}"` : ''
      }`;
      rows.andWhereRaw(LIKE_ANY_CASE, [
        'platforms',
        `%${likeEscaped(pattern)}%`,
      ]);
    }
    if (query.q && DIGEST_PREFIX.test(query.q)) {
      // Only a digest holds a colon, and only after its algorithm: the search is a prefix
      // of the digest, a range of its index rather than a scan of every image.
      const prefix = query.q.toLowerCase();
      rows
        .andWhere('digest', '>=', prefix)
        .andWhere('digest', '<', `${prefix}~`);
    } else if (query.q) {
      const text = `%${likeEscaped(query.q)}%`;
      rows.andWhere(q =>
        q
          .whereRaw(LIKE_ANY_CASE, ['repository', text])
          .orWhereRaw(LIKE_ANY_CASE, ['tags', text])
          .orWhereRaw(LIKE_ANY_CASE, ['digest', text])
          .orWhereRaw(LIKE_ANY_CASE, ['entity_name', text]),
      );
    }
    return rows;
  }

  async page(
    query: ImageQuery,
    host: (registry: string) => string,
  ): Promise<ImagesPage> {
    const { pageIds, totalCount } = await this.pageIds(query);
    const byId = new Map<number, ImageRow>(
      (await this.db<ImageRow>('images').whereIn('id', pageIds)).map(row => [
        row.id,
        row,
      ]),
    );
    const rows = pageIds.flatMap(id => byId.get(id) ?? []);
    const next = query.offset + rows.length;
    return {
      items: rows.map((row: ImageRow) => toInventoryImage(row, host)),
      totalCount,
      ...(next < totalCount ? { nextCursor: encodeCursor(next) } : {}),
    };
  }

  /**
   * The page's ids and the count of every match. Ids first, whole rows after: sorting and
   * skipping narrow rows (from an index where there is one) instead of whole images keeps deep
   * pages fast.
   */
  private async pageIds(
    query: ImageQuery,
  ): Promise<{ pageIds: number[]; totalCount: number }> {
    const ordered = this.filtered(query)
      .orderByRaw(orderNullsLast(SORT_COLUMNS[query.sort], query.order))
      .offset(query.offset)
      .limit(query.limit);
    const count = async () =>
      Number((await this.filtered(query).count({ count: '*' }))[0].count);
    if (!scansEveryImage(query)) {
      const [ids, totalCount] = await Promise.all([
        ordered.pluck('id'),
        count(),
      ]);
      return { pageIds: ids, totalCount };
    }
    // A text search reads every image whatever the indexes: one read gives the page and the
    // count together, instead of one read for each.
    const rows: Array<{ id: number; total: number | string }> =
      await ordered.select('id', this.db.raw('count(*) over () as total'));
    if (rows.length === 0 && query.offset > 0) {
      return { pageIds: [], totalCount: await count() };
    }
    return {
      pageIds: rows.map(row => row.id),
      totalCount: Number(rows[0]?.total ?? 0),
    };
  }

  async byEntityName(
    entityName: string,
    host: (registry: string) => string,
  ): Promise<InventoryImage | undefined> {
    const row: ImageRow | undefined = await this.db<ImageRow>('images')
      .where({ entity_name: entityName, deleted: false })
      .first();
    return row ? toInventoryImage(row, host) : undefined;
  }

  /** Every live image of a registry, for a filter preview. */
  async allOfRegistry(
    registryId: string,
  ): Promise<
    Array<
      Pick<
        InventoryImage,
        'repository' | 'digest' | 'tags' | 'created' | 'pushed'
      >
    >
  > {
    const rows: Array<
      Pick<ImageRow, 'repository' | 'digest' | 'tags' | 'created' | 'pushed'>
    > = await this.db<ImageRow>('images')
      .where({ registry_id: registryId, deleted: false })
      .orderBy(['repository', 'id'])
      .select('repository', 'digest', 'tags', 'created', 'pushed');
    return rows.map(row => ({
      repository: row.repository,
      digest: row.digest,
      tags: JSON.parse(row.tags),
      ...(row.created ? { created: row.created } : {}),
      ...(row.pushed ? { pushed: row.pushed } : {}),
    }));
  }

  /** The other live images of a repository, newest first. */
  async repositoryImages(
    registryId: string,
    repository: string,
    host: (registry: string) => string,
    limit: number,
  ): Promise<InventoryImage[]> {
    const rows: ImageRow[] = await this.db<ImageRow>('images')
      .where({ registry_id: registryId, repository, deleted: false })
      .orderByRaw(orderNullsLast('created', 'desc'))
      .limit(limit);
    return rows.map(row => toInventoryImage(row, host));
  }
}

/** Cursors are opaque to clients: a position in the ordered result. */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodeCursor(cursor: string): number | undefined {
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Number.isSafeInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}
