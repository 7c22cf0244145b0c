import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  containerImageEntityName,
  ContainerImageRecord,
  CrawlRunSummary,
  ImageChangesPage,
  InventoryImage,
  RegistrySummary,
  RegistryConnectionStatus,
} from '@container-inventory/plugin-container-registry-common';
import type {
  ImageDetails,
  RepositoryCrawlResult,
} from '@container-inventory/plugin-container-registry-node';
import { Knex } from 'knex';
import { normalizeSourceUrl } from '../linking/normalizeSourceUrl';
import type { RepositoryLink } from '../linking/resolveRepositoryLink';
import { computeLifecycles } from './lifecycle';
import { storableImage } from './storableImage';
import type { ImageContent, ImageRow, RunRow, StatusRow } from './tables';

const migrationsDir = resolvePackagePath(
  '@container-inventory/plugin-container-registry-backend',
  'migrations',
);

export interface RegistryStatusRecord {
  status: RegistryConnectionStatus;
  message?: string;
  progress?: RegistrySummary['progress'];
}

/** A crawled repository as the store takes it. */
export type CrawledRepository = RepositoryCrawlResult;

/** Images an earlier run saw that the given run did not. */
export interface RemovalCandidates {
  /** Candidates by repository. */
  byRepository: Map<string, number[]>;
  /** Live images of each repository that has candidates. */
  liveByRepository: Map<string, number>;
  /** Live images of the registry. */
  total: number;
}

const CHUNK = 500;
const SOURCE_LABEL = 'org.opencontainers.image.source';
/** Attempts at saving a repository whose new entity name another writer took meanwhile. */
const SAVE_ATTEMPTS = 3;

function contentOf(image: ContainerImageRecord): ImageContent {
  return {
    media_type: image.mediaType,
    tags: JSON.stringify(image.tags),
    platforms: JSON.stringify(image.platforms),
    labels: JSON.stringify(image.labels),
    created: image.created ?? null,
    pushed: image.pushed ?? null,
    details_source: image.detailsSource ?? null,
    source: normalizeSourceUrl(image.labels[SOURCE_LABEL]) ?? null,
  };
}

function sameContent(row: ImageRow, content: ImageContent) {
  return (Object.keys(content) as Array<keyof ImageContent>).every(
    key => row[key] === content[key],
  );
}

export function toInventoryImage(
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
    ...(row.details_source ? { detailsSource: row.details_source } : {}),
    lifecycle: row.lifecycle,
    ...(row.component ? { component: row.component } : {}),
    ...(row.owner ? { owner: row.owner } : {}),
    ...(row.linked_by ? { linkedBy: row.linked_by } : {}),
    ...(row.first_seen ? { firstSeen: row.first_seen } : {}),
    ...(row.last_seen ? { lastSeen: row.last_seen } : {}),
  };
}

const nowIso = () => new Date().toISOString();

function toRunSummary(row: RunRow): CrawlRunSummary {
  return {
    startedAt: row.started_at,
    ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
    outcome: row.outcome,
    repositories: row.repositories,
    tags: row.tags,
    images: row.images,
    errors: row.errors,
    ...(row.message ? { message: row.message } : {}),
  };
}

function detailsOf(row: ImageRow): ImageDetails {
  const details: ImageDetails & Pick<ContainerImageRecord, 'detailsSource'> = {
    mediaType: row.media_type,
    platforms: JSON.parse(row.platforms),
    labels: JSON.parse(row.labels),
    ...(row.created ? { created: row.created } : {}),
    ...(row.details_source ? { detailsSource: row.details_source } : {}),
  };
  return details;
}

/** A unique constraint failed: another writer took the entity name this one chose. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Tags of a partly read repository: the image keeps, besides the tags that resolved to it,
 * those it had that could not be read this time. Without that, one tag lost to a timeout
 * would leave its image's entity without it until the next crawl.
 */
function keepUnreadTags(
  result: CrawledRepository,
  rows: ImageRow[],
): ContainerImageRecord[] {
  const unread = new Set(result.unreadTags);
  if (result.complete || unread.size === 0) return result.images;
  const resolved = new Set(result.images.flatMap(image => image.tags));
  const keptByDigest = new Map(
    rows
      .filter(row => !row.deleted)
      .map(row => [
        row.digest,
        (JSON.parse(row.tags) as string[]).filter(
          tag => unread.has(tag) && !resolved.has(tag),
        ),
      ]),
  );
  return result.images.map(image => {
    const kept = keptByDigest.get(image.digest) ?? [];
    if (kept.length === 0) return image;
    return { ...image, tags: [...new Set([...image.tags, ...kept])].sort() };
  });
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

  private sourcesBackfilled = false;

  private constructor(private readonly db: Knex) {}

  /**
   * Writes one crawled repository: new and changed images, last-seen marks and lifecycles.
   * Throws `UnstorableImageError` for an image no database could hold.
   */
  async saveRepository(
    registryId: string,
    runId: number,
    result: CrawledRepository,
  ): Promise<number> {
    const images = result.images.map(storableImage);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(trx =>
          this.writeRepository(trx, registryId, runId, { ...result, images }),
        );
      } catch (error) {
        // Two registries crawled at once may pick the same free entity name; the loser's
        // transaction is rolled back and tried again, finding the name taken.
        if (!isUniqueViolation(error) || attempt >= SAVE_ATTEMPTS) throw error;
      }
    }
  }

  private async writeRepository(
    trx: Knex.Transaction,
    registryId: string,
    runId: number,
    result: CrawledRepository,
  ): Promise<number> {
    const rows: ImageRow[] = await trx('images').where({
      registry_id: registryId,
      repository: result.repository,
    });
    const images = keepUnreadTags(result, rows);
    const byDigest = new Map(rows.map(row => [row.digest, row]));
    // A new image of a linked repository is linked like its siblings until linking runs again.
    const sibling = rows.find(row => !row.deleted) ?? rows[0];
    const link = {
      component: sibling?.component ?? null,
      owner: sibling?.owner ?? null,
      linked_by: sibling?.linked_by ?? null,
    };
    const changed = new Set<number>();
    for (const image of images) {
      const content = contentOf(image);
      const row = byDigest.get(image.digest);
      if (!row) {
        const inserted = await this.insertImage(
          trx,
          image,
          content,
          runId,
          link,
        );
        changed.add(inserted.id);
        rows.push(inserted);
      } else if (!sameContent(row, content) || row.deleted) {
        await trx('images')
          .where({ id: row.id })
          .update({ ...content, deleted: false });
        Object.assign(row, content, { deleted: false });
        changed.add(row.id);
      }
    }
    if (!result.complete) {
      await this.dropMovedTags(trx, rows, images, changed);
    }
    await this.markSeen(trx, registryId, result.repository, runId, images);
    await this.updateLifecycles(trx, rows, changed);
    await this.assignSequence(trx, [...changed]);
    return changed.size;
  }

  /**
   * In a partly read repository, images the crawl did not reach stay; a tag that now points at
   * another image is taken off them, so that no tag is on two images.
   */
  private async dropMovedTags(
    trx: Knex.Transaction,
    rows: ImageRow[],
    images: ContainerImageRecord[],
    changed: Set<number>,
  ) {
    const crawled = new Set(images.map(image => image.digest));
    const resolved = new Set(images.flatMap(image => image.tags));
    for (const row of rows) {
      if (row.deleted || crawled.has(row.digest)) continue;
      const tags = JSON.parse(row.tags) as string[];
      const kept = tags.filter(tag => !resolved.has(tag));
      if (kept.length === tags.length) continue;
      row.tags = JSON.stringify(kept);
      await trx('images').where({ id: row.id }).update({ tags: row.tags });
      changed.add(row.id);
    }
  }

  private async insertImage(
    trx: Knex.Transaction,
    image: ContainerImageRecord,
    content: ImageContent,
    runId: number,
    link: Pick<ImageRow, 'component' | 'owner' | 'linked_by'>,
  ): Promise<ImageRow> {
    const now = nowIso();
    const values = {
      registry_id: image.registry,
      repository: image.repository,
      digest: image.digest,
      entity_name: await this.freeEntityName(trx, image),
      ...content,
      ...link,
      lifecycle: 'pending' as const,
      deleted: false,
      seq: 0,
      last_seen_run: runId,
      first_seen: now,
      last_seen: now,
    };
    const [inserted] = await trx('images').insert(values).returning('id');
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    return { ...values, id };
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

  /**
   * Records that `runId` saw these images. Run ids only grow, and a mark only moves forward:
   * a late write of an older, overlapping run cannot make an image look unseen by a newer one.
   */
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
        .andWhere(q =>
          q.whereNull('last_seen_run').orWhere('last_seen_run', '<', runId),
        )
        .update({ last_seen_run: runId, last_seen: nowIso() });
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

  /**
   * Gives the rows the next feed positions in one statement per chunk; the sequence row's lock,
   * held until the transaction ends, orders concurrent writers.
   */
  private async assignSequence(trx: Knex.Transaction, ids: number[]) {
    if (ids.length === 0) return;
    await trx('change_sequence')
      .where({ id: 1 })
      .increment('value', ids.length);
    const { value } = await trx('change_sequence')
      .where({ id: 1 })
      .first('value');
    const first = Number(value) - ids.length + 1;
    const sorted = [...ids].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i += CHUNK) {
      const chunk = sorted.slice(i, i + CHUNK);
      const cases = chunk.map(() => 'when ? then cast(? as bigint)').join(' ');
      const bindings = chunk.flatMap((id, j) => [id, first + i + j]);
      await trx('images')
        .whereIn('id', chunk)
        .update({ seq: trx.raw(`case id ${cases} end`, bindings) });
    }
  }

  /**
   * Live images that older runs saw and run `runId` did not, where the run can know: in
   * repositories it read completely, and in repositories missing from a complete listing.
   * Deciding whether to remove them is the crawl service's.
   */
  async removalCandidates(
    registryId: string,
    runId: number,
    scope: {
      completeRepositories: Set<string>;
      seenRepositories: Set<string>;
      listingComplete: boolean;
    },
  ): Promise<RemovalCandidates> {
    const stale: Array<Pick<ImageRow, 'id' | 'repository'>> = await this.db(
      'images',
    )
      .where({ registry_id: registryId, deleted: false })
      .andWhere(q =>
        q.whereNull('last_seen_run').orWhere('last_seen_run', '<', runId),
      )
      .select('id', 'repository');
    const byRepository = new Map<string, number[]>();
    for (const row of stale) {
      const known =
        scope.completeRepositories.has(row.repository) ||
        (scope.listingComplete && !scope.seenRepositories.has(row.repository));
      if (!known) continue;
      const ids = byRepository.get(row.repository) ?? [];
      ids.push(row.id);
      byRepository.set(row.repository, ids);
    }
    const counts: Array<{ repository: string; count: number | string }> =
      await this.db('images')
        .where({ registry_id: registryId, deleted: false })
        .groupBy('repository')
        .select('repository')
        .count({ count: '*' });
    const liveByRepository = new Map<string, number>();
    let total = 0;
    for (const { repository, count } of counts) {
      total += Number(count);
      if (byRepository.has(repository))
        liveByRepository.set(repository, Number(count));
    }
    return { byRepository, liveByRepository, total };
  }

  /**
   * Removes images of a registry. With `runId`, only those no newer run has seen since they
   * were chosen, so an overlapping newer crawl never loses what it just confirmed.
   */
  async removeImages(
    registryId: string,
    ids: number[],
    runId?: number,
  ): Promise<number> {
    if (ids.length === 0) return 0;
    return this.db.transaction(async trx => {
      const removed: Array<Pick<ImageRow, 'id' | 'repository'>> = [];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const query = trx('images')
          .where({ registry_id: registryId, deleted: false })
          .whereIn('id', ids.slice(i, i + CHUNK));
        if (runId !== undefined) {
          query.andWhere(q =>
            q.whereNull('last_seen_run').orWhere('last_seen_run', '<', runId),
          );
        }
        removed.push(...(await query.clone().select('id', 'repository')));
        await query.update({ deleted: true });
      }
      const changed = new Set(removed.map(row => row.id));
      for (const repository of new Set(removed.map(row => row.repository))) {
        const rows: ImageRow[] = await trx('images').where({
          registry_id: registryId,
          repository,
          deleted: false,
        });
        await this.updateLifecycles(trx, rows, changed);
      }
      await this.assignSequence(trx, [...changed]);
      return removed.length;
    });
  }

  /** Every live image of a registry, for a registry that no longer exists. */
  async removeRegistry(registryId: string): Promise<number> {
    const rows: Array<Pick<ImageRow, 'id'>> = await this.db('images')
      .where({ registry_id: registryId, deleted: false })
      .select('id');
    return this.removeImages(
      registryId,
      rows.map(row => row.id),
    );
  }

  /** Registries that have live images in the inventory. */
  async registriesWithImages(): Promise<string[]> {
    const rows: Array<Pick<ImageRow, 'registry_id'>> = await this.db('images')
      .where({ deleted: false })
      .distinct('registry_id');
    return rows.map(row => row.registry_id);
  }

  /**
   * Every repository with live images, with the normalized source labels of its images and its
   * current link, for linking to pass over. Rows from before sources were kept get theirs now.
   */
  async repositoriesForLinking(only?: {
    registry: string;
    repository: string;
  }): Promise<
    Array<{
      registry: string;
      repository: string;
      sources: string[];
      link: RepositoryLink;
    }>
  > {
    await this.backfillSources();
    const rows: Array<
      Pick<
        ImageRow,
        | 'registry_id'
        | 'repository'
        | 'source'
        | 'component'
        | 'owner'
        | 'linked_by'
      >
    > = await this.db('images')
      .where({
        deleted: false,
        ...(only
          ? { registry_id: only.registry, repository: only.repository }
          : {}),
      })
      .distinct(
        'registry_id',
        'repository',
        'source',
        'component',
        'owner',
        'linked_by',
      );
    const byKey = new Map<
      string,
      {
        registry: string;
        repository: string;
        sources: string[];
        link: RepositoryLink;
      }
    >();
    for (const row of rows) {
      const key = `${row.registry_id}\u0000${row.repository}`;
      let entry = byKey.get(key);
      if (!entry) {
        entry = {
          registry: row.registry_id,
          repository: row.repository,
          sources: [],
          link: {
            ...(row.component ? { component: row.component } : {}),
            ...(row.owner ? { owner: row.owner } : {}),
            ...(row.linked_by ? { rule: row.linked_by } : {}),
          },
        };
        byKey.set(key, entry);
      }
      if (row.source && !entry.sources.includes(row.source))
        entry.sources.push(row.source);
    }
    return [...byKey.values()];
  }

  /**
   * Gives rows saved before sources were kept theirs, once per process: every row written
   * since carries its source, and a label that does not read as a URL would otherwise be
   * scanned again on every linking pass.
   */
  private async backfillSources() {
    if (this.sourcesBackfilled) return;
    this.sourcesBackfilled = true;
    const rows: Array<Pick<ImageRow, 'id' | 'labels'>> = await this.db('images')
      .whereNull('source')
      .andWhere('labels', 'like', `%${SOURCE_LABEL}%`)
      .select('id', 'labels');
    for (const row of rows) {
      const source = normalizeSourceUrl(JSON.parse(row.labels)[SOURCE_LABEL]);
      if (source)
        await this.db('images').where({ id: row.id }).update({ source });
    }
  }

  /**
   * Links every live image of a repository to a Component and owner. Images whose link
   * changes move to the end of the change feed, so their entities follow.
   */
  async linkRepository(
    registryId: string,
    repository: string,
    link: RepositoryLink,
  ): Promise<number> {
    const values = {
      component: link.component ?? null,
      owner: link.owner ?? null,
      linked_by: link.rule ?? null,
    };
    return this.db.transaction(async trx => {
      const rows: Array<Pick<ImageRow, 'id'>> = await trx('images')
        .where({ registry_id: registryId, repository, deleted: false })
        .andWhere(q =>
          (Object.keys(values) as Array<keyof typeof values>).reduce(
            (query, column) =>
              values[column] === null
                ? query.orWhereNotNull(column)
                : query
                    .orWhereNull(column)
                    .orWhereNot(column, values[column] as string),
            q,
          ),
        )
        .select('id');
      const ids = rows.map(row => row.id);
      for (let i = 0; i < ids.length; i += CHUNK) {
        await trx('images')
          .whereIn('id', ids.slice(i, i + CHUNK))
          .update(values);
      }
      await this.assignSequence(trx, ids);
      return ids.length;
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
    const rows: StatusRow[] = await this.db('registry_status').select();
    return new Map(
      rows.map(row => [
        row.registry_id,
        {
          status: row.status,
          ...(row.message ? { message: row.message } : {}),
          ...(row.progress ? { progress: JSON.parse(row.progress) } : {}),
        },
      ]),
    );
  }

  /** A new run; its id is greater than every earlier run's, on every replica. */
  async startRun(
    registryId: string,
    trigger: RunRow['trigger'] = null,
  ): Promise<number> {
    const now = nowIso();
    const [inserted] = await this.db('crawl_runs')
      .insert({
        registry_id: registryId,
        started_at: now,
        heartbeat_at: now,
        outcome: 'running',
        trigger,
      })
      .returning('id');
    return typeof inserted === 'object' ? inserted.id : inserted;
  }

  /**
   * Says the run is still going, so no replica takes it for interrupted; answers whether an
   * admin asked, on any replica, to cancel it.
   */
  async heartbeat(runId: number): Promise<{ cancelRequested: boolean }> {
    await this.db('crawl_runs')
      .where({ id: runId, outcome: 'running' })
      .update({ heartbeat_at: nowIso() });
    const row: Pick<RunRow, 'cancel_requested'> | undefined = await this.db(
      'crawl_runs',
    )
      .where({ id: runId })
      .first('cancel_requested');
    return { cancelRequested: Boolean(row?.cancel_requested) };
  }

  /** The registry's run under way, if one has shown a sign of life since `aliveSince`. */
  async runningRun(
    registryId: string,
    aliveSince: Date,
  ): Promise<(CrawlRunSummary & { id: number }) | undefined> {
    const row: RunRow | undefined = await this.db('crawl_runs')
      .where({ registry_id: registryId, outcome: 'running' })
      .andWhere('heartbeat_at', '>=', aliveSince.toISOString())
      .orderBy('id', 'desc')
      .first();
    return row ? { id: row.id, ...toRunSummary(row) } : undefined;
  }

  /** Asks the registry's running crawl to stop; false when none runs. */
  async requestCancel(registryId: string): Promise<boolean> {
    const updated = await this.db('crawl_runs')
      .where({ registry_id: registryId, outcome: 'running' })
      .update({ cancel_requested: true });
    return updated > 0;
  }

  /** Keeps the newest `keep` runs of a registry. */
  async pruneRuns(registryId: string, keep: number): Promise<void> {
    const kept = this.db('crawl_runs')
      .where({ registry_id: registryId })
      .orderBy('id', 'desc')
      .limit(keep)
      .select('id');
    const keptIds: Array<{ id: number }> = await kept;
    await this.db('crawl_runs')
      .where({ registry_id: registryId })
      .whereNotIn(
        'id',
        keptIds.map(row => row.id),
      )
      .andWhereNot({ outcome: 'running' })
      .delete();
  }

  /** Forgets a deleted registry's status and history. */
  async forgetRegistry(registryId: string): Promise<void> {
    await this.db('crawl_runs').where({ registry_id: registryId }).delete();
    await this.db('registry_status')
      .where({ registry_id: registryId })
      .delete();
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

  /**
   * Ends runs whose backend stopped while they ran (no heartbeat since `staleBefore`): they are
   * recorded as interrupted, and a registry left `syncing` by them shows an error saying so.
   */
  async markInterruptedRuns(staleBefore: Date): Promise<string[]> {
    const stale: Array<Pick<RunRow, 'id' | 'registry_id'>> = await this.db(
      'crawl_runs',
    )
      .where({ outcome: 'running' })
      .andWhere(q =>
        q
          .whereNull('heartbeat_at')
          .orWhere('heartbeat_at', '<', staleBefore.toISOString()),
      )
      .select('id', 'registry_id');
    if (stale.length === 0) return [];
    const message =
      'The backend stopped while this crawl ran; nothing was removed, and the next crawl starts over';
    await this.db('crawl_runs')
      .whereIn(
        'id',
        stale.map(run => run.id),
      )
      .update({ outcome: 'interrupted', finished_at: nowIso(), message });
    const registries = [...new Set(stale.map(run => run.registry_id))];
    await this.db('registry_status')
      .whereIn('registry_id', registries)
      .andWhere({ status: 'syncing' })
      .update({
        status: 'error',
        message,
        progress: null,
        updated_at: nowIso(),
      });
    return registries;
  }

  async runs(
    registryId: string,
    limit: number,
  ): Promise<
    Array<CrawlRunSummary & { id: number; trigger?: 'schedule' | 'manual' }>
  > {
    const rows: RunRow[] = await this.db('crawl_runs')
      .where({ registry_id: registryId })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(row => ({
      id: row.id,
      ...toRunSummary(row),
      ...(row.trigger ? { trigger: row.trigger } : {}),
    }));
  }
}
