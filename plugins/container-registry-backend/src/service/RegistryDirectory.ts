import { NotFoundError } from '@backstage/errors';
import type { ConfiguredRegistry } from '../config/readRegistryConfigs';

/** Every registry connection the plugin knows, by id. */
export class RegistryDirectory {
  private readonly byId: Map<string, ConfiguredRegistry>;

  constructor(registries: ConfiguredRegistry[]) {
    this.byId = new Map(registries.map(r => [r.connection.id, r]));
  }

  list(): ConfiguredRegistry[] {
    return [...this.byId.values()];
  }

  get(id: string): ConfiguredRegistry {
    const registry = this.byId.get(id);
    if (!registry) throw new NotFoundError(`No registry with id "${id}"`);
    return registry;
  }

  /** host[:port] images of a registry are pulled from. */
  hostOf = (id: string): string => {
    const registry = this.byId.get(id);
    return registry ? new URL(registry.connection.url).host : id;
  };
}
