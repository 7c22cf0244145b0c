import type { RegistryAdapterFactory } from '@container-inventory/plugin-container-registry-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  registrySettingsSchema,
  RegistrySettings,
} from '@container-inventory/plugin-container-registry-common';
import type { RegistryConnectionStore } from '../database/RegistryConnectionStore';
import type { ConfiguredRegistry } from '../registries/ConfiguredRegistry';
import {
  settingsToConnection,
  settingsView,
} from '../registries/settingsToConnection';
import { toTaskSchedule } from './taskSchedule';

interface StoredRegistry extends ConfiguredRegistry {
  revision: number;
}

/**
 * Every registry connection the plugin knows, by id: those from app-config, fixed at start-up,
 * and those made on the page, read again from the database whenever their revision changes,
 * so every replica follows the page without a restart.
 */
export class RegistryDirectory {
  private readonly fromConfig: Map<string, ConfiguredRegistry>;
  private fromDatabase = new Map<string, StoredRegistry>();

  constructor(
    configRegistries: ConfiguredRegistry[],
    private readonly options: {
      connections?: RegistryConnectionStore;
      knownTypes?: () => readonly string[];
      adapterFactories?: () => RegistryAdapterFactory[];
      logger?: LoggerService;
    } = {},
  ) {
    this.fromConfig = new Map(configRegistries.map(r => [r.connection.id, r]));
  }

  list(): ConfiguredRegistry[] {
    return [...this.fromConfig.values(), ...this.fromDatabase.values()];
  }

  find(id: string): ConfiguredRegistry | undefined {
    return this.fromConfig.get(id) ?? this.fromDatabase.get(id);
  }

  get(id: string): ConfiguredRegistry {
    const registry = this.find(id);
    if (!registry) throw new NotFoundError(`No registry with id "${id}"`);
    return registry;
  }

  isConfigRegistry(id: string): boolean {
    return this.fromConfig.has(id);
  }

  /** host[:port] images of a registry are pulled from. */
  hostOf = (id: string): string => {
    const registry = this.find(id);
    return registry ? new URL(registry.connection.url).host : id;
  };

  /** Reads the page's registries whose revision changed; true when any did. */
  async refresh(): Promise<boolean> {
    const { connections } = this.options;
    if (!connections) return false;
    const revisions = await connections.revisions();
    let changed = false;
    const next = new Map<string, StoredRegistry>();
    for (const [id, revision] of revisions) {
      const known = this.fromDatabase.get(id);
      if (known?.revision === revision) {
        next.set(id, known);
        continue;
      }
      changed = true;
      const loaded = await this.load(id);
      if (loaded) next.set(id, loaded);
    }
    if (next.size !== this.fromDatabase.size) changed = true;
    this.fromDatabase = next;
    return changed;
  }

  private async load(id: string): Promise<StoredRegistry | undefined> {
    const { connections, knownTypes, adapterFactories, logger } = this.options;
    try {
      const stored = await connections!.get(id);
      const settings = registrySettingsSchema({
        knownTypes: knownTypes?.() ?? [String(stored.settings.type)],
        secretsMayBeKept: true,
      }).parse(stored.settings) as RegistrySettings;
      const secrets = await connections!.decryptedSecrets(id);
      return {
        connection: settingsToConnection(
          settings,
          secrets,
          adapterFactories?.(),
        ),
        active: settings.active,
        schedule: toTaskSchedule(settings.schedule),
        source: 'database',
        filters: settings.filters,
        view: settingsView(settings, stored.secretFields),
        revision: stored.revision,
      };
    } catch (error) {
      // A connection deleted meanwhile, or one that no longer reads (an adapter removed):
      // it is left out, and said so, rather than stopping the others.
      logger?.warn(
        `Registry "${id}" from the database cannot be used: ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
  }
}
