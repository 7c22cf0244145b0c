import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  containerImageEntityName,
  ContainerImageRecord,
  CrawlOutcome,
  CrawlRunSummary,
  ImageChangesPage,
  ImageLifecycle,
  InventoryImage,
  RegistryConnectionStatus,
  RegistrySummary,
} from '@container-inventory/plugin-container-registry-common';
import type {
  ImageDetails,
  RepositoryCrawlResult,
} from '@container-inventory/plugin-container-registry-node';
import { Knex } from 'knex';
import { computeLifecycles } from './lifecycle';

const migrationsDir = resolvePackagePath(
  '@container-inventory/plugin-container-registry-backend',
  'migrations',
);

interface ImageRow {
  id: number;
  registry_id: string;
  repository: string;
  digest: string;
  entity_name: string;
  media_type: string;
  tags: string;
  platforms: string;
  labels: string;
  created: string | null;
  pushed: string | null;
  lifecycle: ImageLifecycle;
  deleted: boolean | number;
  seq: number | string;
  last_seen_run: number | null;
}

interface RunRow {
  id: number;
  registry_id: string;
  started_at: string;
  finished_at: string | null;
  outcome: CrawlOutcome;
  repositories: number;
  tags: number;
  images: number;
  errors: number;
  message: string | null;
}

export interface RegistryStatusRecord {
  status: RegistryConnectionStatus;
  message?: string;
  progress?: RegistrySummary['progress'];
}

export interface SweepOptions {
  runId: number;
  /** Repositories whose every tag was read in this run. */
  completeRepositories: Set<string>;
  /** Repositories the registry listed in this run. */
  seenRepositories: Set<string>;
  listingComplete: boolean;
  /** The run had no errors at all. */
  clean: boolean;
  /** Share of the registry's images an unclean run may remove. */
  maxRemovalShare: number;
}

export interface SweepResult {
  removed: number;
  /** Why removals were held back, when they were. */
  refused?: string;
}

const CHUNK = 500;

function contentOf(image: ContainerImageRecord) {
  return {
    media_type: image.mediaType,
    tags: JSON.stringify(image.tags),
    platforms: JSON.stringify(image.platforms),
    labels: JSON.stringify(image.labels),
    created: image.created ?? null,
    pushed: image.pushed ?? null,
  };
}

function sameContent(row: ImageRow, content: ReturnType<typeof contentOf>) {
  return (Object.keys(content) as Array<keyof typeof content>).every(
    key => row[key] === content[key],
  );
}

function toInventoryImage(
  row: ImageRow,
  host: (registry: string) => string,
): InventoryImage {
  return {
    registry: row.registry_id,
    host: host(row.registry_id),
    repository: row.repository,
    digest: row.digest,
    entityName: row.entity_name,
    mediaType: row.media_type,
    tags: JSON.parse(row.tags),
    platforms: JSON.parse(row.platforms),
    labels: JSON.parse(row.labels),
    ...(row.created ? { created: row.created } : {}),
    ...(row.pushed ? { pushed: row.pushed } : {}),
    lifecycle: row.lifecycle,
  };
}

const nowIso = () => new Date().toISOString();

function detailsOf(row: ImageRow): ImageDetails {
  return {
    mediaType: row.media_type,
    platforms: JSON.parse(row.platforms),
    labels: JSON.parse(row.labels),
    ...(row.created ? { created: row.created } : {}),
  };
}

/**
 * The image inventory in the plugin's own database. Every change to an image moves it to the
 * end of the change feed (`seq`); an unchanged image is never rewritten, so an unchanged
 * registry produces no feed entries and no catalog writes.
 */
export class InventoryStore {
  static async create(database: DatabaseService): Promise<InventoryStore> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new InventoryStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /** Writes one crawled repository: new and changed images, last-seen marks and lifecycles. */
  async saveRepository(
    registryId: string,
    runId: number,
    result: RepositoryCrawlResult,
  ): Promise<number> {
    return this.db.transaction(async trx => {
      const rows: ImageRow[] = await trx('images').where({
        registry_id: registryId,
        repository: result.repository,
      });
      const byDigest = new Map(rows.map(row => [row.digest, row]));
      const changed = new Set<number>();
      for (const image of result.images) {
        const content = contentOf(image);
        const row = byDigest.get(image.digest);
        if (!row) {
          const id = await this.insertImage(trx, image, content);
          changed.add(id);
          rows.push({
            ...(content as any),
            id,
            lifecycle: 'pending',
            deleted: false,
          });
        } else if (!sameContent(row, content) || row.deleted) {
          await trx('images')
            .where({ id: row.id })
            .update({ ...content, deleted: false });
          Object.assign(row, content, { deleted: false });
          changed.add(row.id);
        }
      }
      await this.markSeen(
        trx,
        registryId,
        result.repository,
        runId,
        result.images,
      );
      await this.updateLifecycles(trx, rows, changed);
      await this.assignSequence(trx, [...changed]);
      return changed.size;
    });
  }

  private async insertImage(
    trx: Knex.Transaction,
    image: ContainerImageRecord,
    content: ReturnType<typeof contentOf>,
  ): Promise<number> {
    const entityName = await this.freeEntityName(trx, image);
    const [inserted] = await trx('images')
      .insert({
        registry_id: image.registry,
        repository: image.repository,
        digest: image.digest,
        entity_name: entityName,
        ...content,
        lifecycle: 'pending',
        deleted: false,
        seq: 0,
      })
      .returning('id');
    return typeof inserted === 'object' ? inserted.id : inserted;
  }

  private async freeEntityName(
    trx: Knex.Transaction,
    image: ContainerImageRecord,
  ) {
    const naming = {
      registry: image.registry,
      repository: image.repository,
      digest: image.digest,
    };
    const taken = async (name: string) =>
      Boolean(await trx('images').where({ entity_name: name }).first('id'));
    let name = containerImageEntityName(naming);
    for (let attempt = 0; (await taken(name)) && attempt < 10; attempt++) {
      name = containerImageEntityName({
        ...naming,
        disambiguate: true,
        attempt,
      });
    }
    return name;
  }

  private async markSeen(
    trx: Knex.Transaction,
    registryId: string,
    repository: string,
    runId: number,
    images: ContainerImageRecord[],
  ) {
    const digests = images.map(image => image.digest);
    for (let i = 0; i < digests.length; i += CHUNK) {
      await trx('images')
        .where({ registry_id: registryId, repository })
        .whereIn('digest', digests.slice(i, i + CHUNK))
        .update({ last_seen_run: runId });
    }
  }

  private async updateLifecycles(
    trx: Knex.Transaction,
    rows: Array<
      Pick<ImageRow, 'id' | 'created' | 'pushed' | 'lifecycle' | 'deleted'>
    >,
    changed: Set<number>,
  ) {
    const live = new Map(
      rows.filter(row => !row.deleted).map(row => [row.id, row]),
    );
    for (const [id, lifecycle] of computeLifecycles([...live.values()])) {
      const row = live.get(id)!;
      if (row.lifecycle !== lifecycle) {
        await trx('images').where({ id }).update({ lifecycle });
        row.lifecycle = lifecycle;
        changed.add(id);
      }
    }
  }

  /** Gives the rows the next feed positions; the sequence row's lock orders concurrent writers. */
  private async assignSequence(trx: Knex.Transaction, ids: number[]) {
    if (ids.length === 0) return;
    await trx('change_sequence')
      .where({ id: 1 })
      .increment('value', ids.length);
    const { value } = await trx('change_sequence')
      .where({ id: 1 })
      .first('value');
    let seq = Number(value) - ids.length;
    for (const id of ids.sort((a, b) => a - b)) {
      await trx('images').where({ id }).update({ seq: ++seq });
    }
  }

  /**
   * Removes images the run no longer found, but only where the run can know: repositories it
   * read completely, and repositories missing from a complete listing. Holds back removals
   * when the registry listed nothing, or when a run with errors would remove a large share.
   */
  async sweep(registryId: string, options: SweepOptions): Promise<SweepResult> {
    return this.db.transaction(async trx => {
      const stale: ImageRow[] = await trx('images')
        .where({ registry_id: registryId, deleted: false })
        .andWhere(q =>
          q
            .whereNull('last_seen_run')
            .orWhereNot('last_seen_run', options.runId),
        );
      const gone = stale.filter(
        row =>
          options.completeRepositories.has(row.repository) ||
          (options.listingComplete &&
            !options.seenRepositories.has(row.repository)),
      );
      if (gone.length === 0) return { removed: 0 };
      const [{ count }] = await trx('images')
        .where({ registry_id: registryId, deleted: false })
        .count({ count: '*' });
      const total = Number(count);
      if (options.seenRepositories.size === 0) {
        return {
          removed: 0,
          refused: `The registry listed no repositories; its ${total} known images were kept`,
        };
      }
      if (!options.clean && gone.length > options.maxRemovalShare * total) {
        return {
          removed: 0,
          refused: `The crawl had errors and would have removed ${gone.length} of ${total} images; they were kept until a clean crawl confirms it`,
        };
      }
      const ids = gone.map(row => row.id);
      for (let i = 0; i < ids.length; i += CHUNK) {
        await trx('images')
          .whereIn('id', ids.slice(i, i + CHUNK))
          .update({ deleted: true });
      }
      const changed = new Set(ids);
      for (const repository of new Set(gone.map(row => row.repository))) {
        const rows: ImageRow[] = await trx('images').where({
          registry_id: registryId,
          repository,
          deleted: false,
        });
        await this.updateLifecycles(trx, rows, changed);
      }
      await this.assignSequence(trx, [...changed]);
      return { removed: gone.length };
    });
  }

  /**
   * A repository as last crawled, in one query: the digest each tag pointed at, and what each
   * digest is. The crawler skips unchanged tags with it.
   */
  async repositorySnapshot(
    registryId: string,
    repository: string,
  ): Promise<{
    tagDigests: Map<string, string>;
    details: Map<string, ImageDetails>;
  }> {
    const rows: ImageRow[] = await this.db('images').where({
      registry_id: registryId,
      repository,
      deleted: false,
    });
    const tagDigests = new Map<string, string>();
    const details = new Map<string, ImageDetails>();
    for (const row of rows) {
      for (const tag of JSON.parse(row.tags) as string[])
        tagDigests.set(tag, row.digest);
      details.set(row.digest, detailsOf(row));
    }
    return { tagDigests, details };
  }

  /** Tag → digest as last crawled. */
  async tagDigests(
    registryId: string,
    repository: string,
  ): Promise<Map<string, string>> {
    return (await this.repositorySnapshot(registryId, repository)).tagDigests;
  }

  /** What a digest is, from any registry: digests are content addresses. */
  async imageDetails(digest: string): Promise<ImageDetails | undefined> {
    const row: ImageRow | undefined = await this.db('images')
      .where({ digest })
      .first();
    return row ? detailsOf(row) : undefined;
  }

  /** The change feed after `cursor`, oldest first. */
  async changes(
    cursor: number,
    limit: number,
    host: (registry: string) => string,
  ): Promise<ImageChangesPage> {
    const rows: ImageRow[] = await this.db('images')
      .where('seq', '>', cursor)
      .orderBy('seq')
      .limit(limit);
    return {
      changes: rows.map(row => ({
        seq: Number(row.seq),
        registry: row.registry_id,
        entityName: row.entity_name,
        ...(row.deleted ? {} : { image: toInventoryImage(row, host) }),
      })),
      cursor: rows.length ? Number(rows[rows.length - 1].seq) : cursor,
      hasMore: rows.length === limit,
    };
  }

  async imageCounts(): Promise<Map<string, number>> {
    const rows: Array<{ registry_id: string; count: number | string }> =
      await this.db('images')
        .where({ deleted: false })
        .groupBy('registry_id')
        .select('registry_id')
        .count({ count: '*' });
    return new Map(rows.map(row => [row.registry_id, Number(row.count)]));
  }

  async setStatus(
    registryId: string,
    status: RegistryStatusRecord,
  ): Promise<void> {
    await this.db('registry_status')
      .insert({
        registry_id: registryId,
        status: status.status,
        message: status.message ?? null,
        progress: status.progress ? JSON.stringify(status.progress) : null,
        updated_at: nowIso(),
      })
      .onConflict('registry_id')
      .merge();
  }

  async statuses(): Promise<Map<string, RegistryStatusRecord>> {
    const rows = await this.db('registry_status').select();
    return new Map(
      rows.map((row: any) => [
        row.registry_id,
        {
          status: row.status,
          ...(row.message ? { message: row.message } : {}),
          ...(row.progress ? { progress: JSON.parse(row.progress) } : {}),
        },
      ]),
    );
  }

  async startRun(registryId: string): Promise<number> {
    const [inserted] = await this.db('crawl_runs')
      .insert({
        registry_id: registryId,
        started_at: nowIso(),
        outcome: 'running',
      })
      .returning('id');
    return typeof inserted === 'object' ? inserted.id : inserted;
  }

  async finishRun(
    runId: number,
    summary: Omit<CrawlRunSummary, 'startedAt' | 'finishedAt'>,
    report: unknown,
  ) {
    await this.db('crawl_runs')
      .where({ id: runId })
      .update({
        finished_at: nowIso(),
        outcome: summary.outcome,
        repositories: summary.repositories,
        tags: summary.tags,
        images: summary.images,
        errors: summary.errors,
        message: summary.message ?? null,
        report: JSON.stringify(report),
      });
  }

  async runs(registryId: string, limit: number): Promise<CrawlRunSummary[]> {
    const rows: RunRow[] = await this.db('crawl_runs')
      .where({ registry_id: registryId })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(row => ({
      startedAt: row.started_at,
      ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
      outcome: row.outcome,
      repositories: row.repositories,
      tags: row.tags,
      images: row.images,
      errors: row.errors,
      ...(row.message ? { message: row.message } : {}),
    }));
  }
}
