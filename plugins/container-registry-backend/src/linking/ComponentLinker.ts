import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_IMAGE_REPOSITORIES } from '@container-inventory/plugin-container-registry-common';
import type { InventoryStore } from '../database/InventoryStore';
import { ManualLinkStore, manualLinkKey } from '../database/ManualLinkStore';
import { normalizeSourceUrl } from './normalizeSourceUrl';
import {
  ConfiguredLinkRule,
  LinkableComponent,
  LinkingContext,
  RepositoryLink,
  RepositoryPattern,
  resolveRepositoryLink,
} from './resolveRepositoryLink';

const COMPONENT_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'spec.owner',
];

/** Reads `containerRegistry.linking.rules`; a bad rule fails start-up with its field. */
export function readLinkRules(config: Config): ConfiguredLinkRule[] {
  const rules =
    config.getOptionalConfigArray('containerRegistry.linking.rules') ?? [];
  return rules.map((rule, index) => {
    const field = `containerRegistry.linking.rules[${index}]`;
    const component = rule.getOptionalString('component');
    const owner = rule.getOptionalString('owner');
    if (!component && !owner) {
      throw new InputError(`${field} needs a component, an owner or both`);
    }
    const fullRef = (ref: string, defaultKind: string, key: string) => {
      try {
        return stringifyEntityRef(
          parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
        );
      } catch {
        throw new InputError(
          `${field}.${key} is not an entity reference: "${ref}"`,
        );
      }
    };
    return {
      registry: rule.getOptionalString('registry'),
      pattern: rule.getString('repository'),
      ...(component
        ? { component: fullRef(component, 'Component', 'component') }
        : {}),
      ...(owner ? { owner: fullRef(owner, 'Group', 'owner') } : {}),
    };
  });
}

/** Patterns of an image-repositories annotation; a first segment naming a registry scopes it. */
export function parseImagePatterns(
  annotation: string | undefined,
  registryIds: Set<string>,
): RepositoryPattern[] {
  if (!annotation) return [];
  return annotation
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(text => {
      const slash = text.indexOf('/');
      const first = slash > 0 ? text.slice(0, slash) : undefined;
      return first && registryIds.has(first)
        ? { registry: first, pattern: text.slice(slash + 1) }
        : { pattern: text };
    });
}

function toLinkable(
  entity: Entity,
  registryIds: Set<string>,
): LinkableComponent {
  const namespace = entity.metadata.namespace ?? 'default';
  const owner = entity.spec?.owner;
  const annotations = entity.metadata.annotations ?? {};
  const source = normalizeSourceUrl(annotations[ANNOTATION_SOURCE_LOCATION]);
  return {
    ref: stringifyEntityRef({
      kind: 'Component',
      namespace,
      name: entity.metadata.name,
    }),
    ...(typeof owner === 'string'
      ? {
          owner: stringifyEntityRef(
            parseEntityRef(owner, {
              defaultKind: 'Group',
              defaultNamespace: namespace,
            }),
          ),
        }
      : {}),
    imagePatterns: parseImagePatterns(
      annotations[ANNOTATION_IMAGE_REPOSITORIES],
      registryIds,
    ),
    ...(source ? { source } : {}),
  };
}

const sameLink = (a: RepositoryLink, b: RepositoryLink) =>
  a.component === b.component && a.owner === b.owner && a.rule === b.rule;

/**
 * Links every repository of the inventory to its Component and owner, reading Components from
 * the catalog with the plugin's own credentials. Only repositories whose link changed are
 * written, so a pass over an unchanged catalog writes nothing.
 */
export class ComponentLinker {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      store: InventoryStore;
      manualLinks: ManualLinkStore;
      rules: ConfiguredLinkRule[];
      registryIds: () => string[];
      logger: LoggerService;
    },
  ) {}

  private async context(): Promise<LinkingContext> {
    const { catalog, auth, rules, registryIds } = this.options;
    const { items } = await catalog.getEntities(
      { filter: { kind: 'Component' }, fields: COMPONENT_FIELDS },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const ids = new Set(registryIds());
    return {
      components: items.map(entity => toLinkable(entity, ids)),
      rules,
    };
  }

  /**
   * One pass over every repository, or over one; returns how many images changed link.
   */
  async link(only?: { registry: string; repository: string }): Promise<number> {
    const { store, manualLinks, logger } = this.options;
    const [context, manual, repositories] = await Promise.all([
      this.context(),
      manualLinks.all(),
      store.repositoriesForLinking(only),
    ]);
    let changed = 0;
    for (const repository of repositories) {
      const link = resolveRepositoryLink(context, {
        ...repository,
        manualComponent: manual.get(
          manualLinkKey(repository.registry, repository.repository),
        ),
      });
      if (sameLink(link, repository.link)) continue;
      changed += await store.linkRepository(
        repository.registry,
        repository.repository,
        link,
      );
    }
    if (changed > 0)
      logger.info(`Linked ${changed} images to their Components`);
    return changed;
  }
}
