import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { RepositoryLinkRow } from './tables';

/** Key of a repository in the map of manual links. */
export const manualLinkKey = (registryId: string, repository: string) =>
  `${registryId}\u0000${repository}`;

/** Repositories an admin linked to a Component by hand: the strongest linking rule. */
export class ManualLinkStore {
  /** The inventory's migrations must have run (InventoryStore.create runs them). */
  static async create(database: DatabaseService): Promise<ManualLinkStore> {
    return new ManualLinkStore(await database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  async set(
    registryId: string,
    repository: string,
    component: string,
    createdBy?: string,
  ): Promise<void> {
    await this.db<RepositoryLinkRow>('repository_links')
      .insert({
        registry_id: registryId,
        repository,
        component,
        created_by: createdBy ?? null,
        created_at: new Date().toISOString(),
      })
      .onConflict(['registry_id', 'repository'])
      .merge();
  }

  /** True when there was a link to remove. */
  async remove(registryId: string, repository: string): Promise<boolean> {
    const removed = await this.db('repository_links')
      .where({ registry_id: registryId, repository })
      .delete();
    return removed > 0;
  }

  /** Every manual link, keyed `registry\u0000repository`. */
  async all(): Promise<Map<string, string>> {
    const rows: RepositoryLinkRow[] = await this.db(
      'repository_links',
    ).select();
    return new Map(
      rows.map(row => [
        manualLinkKey(row.registry_id, row.repository),
        row.component,
      ]),
    );
  }
}
