import type {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  CONTAINER_IMAGE_KIND,
  ImageChange,
} from '@container-inventory/plugin-container-registry-common';
import { InventoryClient } from '../client/InventoryClient';
import { imageToEntity, registryLocationKey } from './imageToEntity';
import { readProviderConfig } from './readProviderConfig';

function deferred(
  change: ImageChange & { image: NonNullable<ImageChange['image']> },
): DeferredEntity {
  return {
    entity: imageToEntity(change.image),
    locationKey: registryLocationKey(change.registry),
  };
}

/**
 * Emits one ContainerImage entity per image of the inventory, for every registry: registries
 * added later need no restart. The first run replaces everything (full mutation); later runs
 * apply only what changed since the last cursor of the inventory's change feed.
 */
export class ContainerImageEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private cursor?: number;
  private readonly logger: LoggerService;

  static fromConfig(
    config: Config,
    options: {
      logger: LoggerService;
      discovery: DiscoveryService;
      auth: AuthService;
      scheduler?: SchedulerService;
      schedule?: SchedulerServiceTaskRunner;
    },
  ): ContainerImageEntityProvider {
    const providerConfig = readProviderConfig(config);
    const taskRunner =
      options.schedule ??
      options.scheduler?.createScheduledTaskRunner(providerConfig.schedule);
    if (!taskRunner) {
      throw new Error(
        'ContainerImageEntityProvider needs either a scheduler or a schedule',
      );
    }
    return new ContainerImageEntityProvider(
      new InventoryClient(options.discovery, options.auth),
      taskRunner,
      options.logger,
      providerConfig.pageSize,
    );
  }

  private constructor(
    private readonly client: InventoryClient,
    private readonly taskRunner: SchedulerServiceTaskRunner,
    logger: LoggerService,
    private readonly pageSize: number,
  ) {
    this.logger = logger.child({ target: this.getProviderName() });
  }

  getProviderName(): string {
    return 'ContainerImageEntityProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          this.logger.error(`Could not read the image inventory: ${error}`);
        }
      },
    });
  }

  /** Brings the catalog up to the inventory's latest change. */
  async refresh(): Promise<void> {
    if (!this.connection)
      throw new Error('ContainerImageEntityProvider is not connected');
    if (this.cursor === undefined) {
      await this.fullSync(this.connection);
    } else {
      await this.deltaSync(this.connection, this.cursor);
    }
  }

  private async fullSync(connection: EntityProviderConnection) {
    const live = new Map<string, DeferredEntity>();
    let cursor = 0;
    for (let hasMore = true; hasMore; ) {
      const page = await this.client.changes(cursor, this.pageSize);
      for (const change of page.changes) {
        if (change.image)
          live.set(
            change.entityName,
            deferred({ ...change, image: change.image }),
          );
        else live.delete(change.entityName);
      }
      ({ cursor, hasMore } = page);
    }
    await connection.applyMutation({
      type: 'full',
      entities: [...live.values()],
    });
    this.cursor = cursor;
    this.logger.info(`Provided ${live.size} container images`);
  }

  private async deltaSync(connection: EntityProviderConnection, from: number) {
    let cursor = from;
    for (let hasMore = true; hasMore; ) {
      const page = await this.client.changes(cursor, this.pageSize);
      if (page.changes.length === 0) break;
      const added: DeferredEntity[] = [];
      const removed: Array<{ entityRef: string; locationKey: string }> = [];
      for (const change of page.changes) {
        if (change.image) {
          added.push(deferred({ ...change, image: change.image }));
        } else {
          removed.push({
            entityRef: stringifyEntityRef({
              kind: CONTAINER_IMAGE_KIND,
              name: change.entityName,
            }),
            locationKey: registryLocationKey(change.registry),
          });
        }
      }
      await connection.applyMutation({ type: 'delta', added, removed });
      ({ cursor, hasMore } = page);
      this.cursor = cursor;
      this.logger.info(
        `Applied ${added.length} changed and ${removed.length} removed container images`,
      );
    }
  }
}
