import type { RemovalCandidates } from '../database/InventoryStore';

/** Limits on what one crawl may remove from the inventory. */
export interface RemovalLimits {
  /** Share (0–1) of a registry's images a clean crawl may remove at once. */
  maxShare: number;
  /** Share (0–1) a crawl with errors may remove at once. */
  maxShareOnErrors: number;
  /** Hold back a listed repository going from some images to none. */
  rejectEmptiedRepositories: boolean;
}

export const DEFAULT_REMOVAL_LIMITS: RemovalLimits = {
  maxShare: 0.5,
  maxShareOnErrors: 0.2,
  rejectEmptiedRepositories: true,
};

/** How the crawl ended, as far as removals are concerned. */
export interface CrawlEnding {
  /** Stopped early (cancelled, timed out, rate-limited): nothing it did not see is known gone. */
  stopped: boolean;
  /** No errors and a complete repository listing. */
  clean: boolean;
  /** Repositories the registry listed in this crawl. */
  seenRepositories: Set<string>;
}

export interface RemovalDecision {
  ids: number[];
  /** Why removals were held back, in words for the admin; empty when none were. */
  heldBack: string[];
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

/**
 * Decides which of a crawl's removal candidates really go, the way Backstage's incremental
 * ingestion guards its removals: never after a crawl that stopped early or listed nothing,
 * never a listed repository emptied at once, and never more than a share of the registry.
 */
export function decideRemovals(
  candidates: RemovalCandidates,
  ending: CrawlEnding,
  limits: RemovalLimits,
): RemovalDecision {
  const count = [...candidates.byRepository.values()].reduce(
    (sum, ids) => sum + ids.length,
    0,
  );
  if (count === 0) return { ids: [], heldBack: [] };
  if (ending.stopped) {
    return {
      ids: [],
      heldBack: [
        `The crawl stopped early; none of the ${count} images it did not see were removed`,
      ],
    };
  }
  if (ending.seenRepositories.size === 0) {
    return {
      ids: [],
      heldBack: [
        `The registry listed no repositories; its ${candidates.total} known images were kept`,
      ],
    };
  }

  const heldBack: string[] = [];
  const ids: number[] = [];
  for (const [repository, repositoryIds] of candidates.byRepository) {
    const live = candidates.liveByRepository.get(repository) ?? 0;
    const emptied =
      ending.seenRepositories.has(repository) && repositoryIds.length >= live;
    if (emptied && limits.rejectEmptiedRepositories) {
      heldBack.push(
        `${repository} listed no images where it had ${live}; they were kept (set containerRegistry.rejectEmptiedRepositories to false to accept such removals)`,
      );
      continue;
    }
    ids.push(...repositoryIds);
  }

  const maxShare = ending.clean ? limits.maxShare : limits.maxShareOnErrors;
  if (ids.length > maxShare * candidates.total) {
    const setting = ending.clean
      ? 'containerRegistry.maxRemovalShare'
      : 'containerRegistry.maxRemovalShareOnErrors';
    return {
      ids: [],
      heldBack: [
        ...heldBack,
        `The crawl${
          ending.clean ? '' : ', which had errors,'
        } would have removed ${ids.length} of ${
          candidates.total
        } images, more than ${percent(
          maxShare,
        )}; they were kept (${setting} sets the limit)`,
      ],
    };
  }
  return { ids, heldBack };
}
