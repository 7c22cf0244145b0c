import type { RepositoryLinkRule } from '@container-inventory/plugin-container-registry-common';

/** A Component as linking needs it; refs are full (`component:default/web`). */
export interface LinkableComponent {
  ref: string;
  owner?: string;
  /** Patterns from its image-repositories annotation. */
  imagePatterns: RepositoryPattern[];
  /** Its source location, normalized; see normalizeSourceUrl. */
  source?: string;
}

/** A repository pattern with `*` wildcards, for one registry or any. */
export interface RepositoryPattern {
  registry?: string;
  pattern: string;
}

/** A link rule from app-config: repository pattern → Component and/or owner. */
export interface ConfiguredLinkRule extends RepositoryPattern {
  component?: string;
  owner?: string;
}

/** What linking knows of one repository of the inventory. */
export interface LinkableRepository {
  registry: string;
  repository: string;
  /** Normalized source labels of its images. */
  sources: string[];
  /** A Component an admin linked it to by hand. */
  manualComponent?: string;
}

/** The result, stored with every image of the repository. */
export interface RepositoryLink {
  component?: string;
  owner?: string;
  rule?: RepositoryLinkRule;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

/** How specific a pattern is: its literal characters. More specific patterns win. */
const specificity = (pattern: string) => pattern.replace(/\*/g, '').length;

function matches(p: RepositoryPattern, registry: string, repository: string) {
  return (
    (!p.registry || p.registry === registry) &&
    globToRegExp(p.pattern).test(repository)
  );
}

/** Everything linking reads, prepared once per pass over the inventory. */
export interface LinkingContext {
  components: LinkableComponent[];
  rules: ConfiguredLinkRule[];
}

function byAnnotation(
  context: LinkingContext,
  { registry, repository }: LinkableRepository,
): LinkableComponent | undefined {
  let best: { component: LinkableComponent; score: number } | undefined;
  for (const component of context.components) {
    for (const pattern of component.imagePatterns) {
      if (!matches(pattern, registry, repository)) continue;
      const score =
        specificity(pattern.pattern) + (pattern.registry ? 1000 : 0);
      if (
        !best ||
        score > best.score ||
        (score === best.score && component.ref < best.component.ref)
      ) {
        best = { component, score };
      }
    }
  }
  return best?.component;
}

function bySource(
  context: LinkingContext,
  { sources }: LinkableRepository,
): LinkableComponent | undefined {
  if (sources.length === 0) return undefined;
  const wanted = new Set(sources);
  return context.components
    .filter(c => c.source && wanted.has(c.source))
    .sort((a, b) => a.ref.localeCompare(b.ref))[0];
}

function byRule(
  context: LinkingContext,
  { registry, repository }: LinkableRepository,
): ConfiguredLinkRule | undefined {
  return context.rules
    .filter(rule => matches(rule, registry, repository))
    .sort((a, b) => specificity(b.pattern) - specificity(a.pattern))[0];
}

function ownerOf(context: LinkingContext, componentRef: string | undefined) {
  return context.components.find(c => c.ref === componentRef)?.owner;
}

/**
 * The Component and owner of one repository, by the strongest rule that applies: a manual
 * link, then a Component's image-repositories annotation, then a Component whose source
 * location is an image's source label, then a rule from app-config. The owner is the rule's
 * owner, else the Component's.
 */
export function resolveRepositoryLink(
  context: LinkingContext,
  repository: LinkableRepository,
): RepositoryLink {
  if (repository.manualComponent) {
    return {
      component: repository.manualComponent,
      owner: ownerOf(context, repository.manualComponent),
      rule: 'manual',
    };
  }
  const annotated = byAnnotation(context, repository);
  if (annotated) {
    return {
      component: annotated.ref,
      owner: annotated.owner,
      rule: 'annotation',
    };
  }
  const sourced = bySource(context, repository);
  if (sourced) {
    return { component: sourced.ref, owner: sourced.owner, rule: 'source' };
  }
  const rule = byRule(context, repository);
  if (rule && (rule.component || rule.owner)) {
    return {
      ...(rule.component ? { component: rule.component } : {}),
      owner: rule.owner ?? ownerOf(context, rule.component),
      rule: 'config',
    };
  }
  return {};
}
