import {
  decideRemovals,
  DEFAULT_REMOVAL_LIMITS,
  RemovalLimits,
} from './removalPolicy';

/** Candidates per repository as [candidate count, live count]. */
function candidates(repositories: Record<string, [number, number]>) {
  let next = 1;
  const byRepository = new Map<string, number[]>();
  const liveByRepository = new Map<string, number>();
  let total = 0;
  for (const [name, [gone, live]] of Object.entries(repositories)) {
    const first = next;
    next += gone;
    byRepository.set(
      name,
      Array.from({ length: gone }, (_, i) => first + i),
    );
    liveByRepository.set(name, live);
    total += live;
  }
  return { byRepository, liveByRepository, total: total + 100 };
}

const ending = (
  overrides: Partial<Parameters<typeof decideRemovals>[1]> = {},
) => ({
  stopped: false,
  clean: true,
  seenRepositories: new Set(['a', 'b']),
  ...overrides,
});

const limits = (overrides: Partial<RemovalLimits> = {}) => ({
  ...DEFAULT_REMOVAL_LIMITS,
  ...overrides,
});

describe('decideRemovals', () => {
  it('removes what a clean crawl no longer found, within the share', () => {
    const decision = decideRemovals(
      candidates({ a: [2, 10], gone: [3, 3] }),
      ending(),
      limits(),
    );
    expect(decision.ids).toHaveLength(5);
    expect(decision.heldBack).toEqual([]);
  });

  it('removes nothing after a crawl that stopped early', () => {
    const decision = decideRemovals(
      candidates({ a: [2, 10] }),
      ending({ stopped: true }),
      limits(),
    );
    expect(decision.ids).toEqual([]);
    expect(decision.heldBack[0]).toMatch(/stopped early/);
  });

  it('removes nothing when the registry listed no repositories', () => {
    const decision = decideRemovals(
      candidates({ a: [2, 2] }),
      ending({ seenRepositories: new Set() }),
      limits(),
    );
    expect(decision.ids).toEqual([]);
    expect(decision.heldBack[0]).toMatch(/listed no repositories/);
  });

  it('holds back a listed repository that went from some images to none, and says so', () => {
    const decision = decideRemovals(
      candidates({ a: [4, 4], b: [1, 5] }),
      ending(),
      limits(),
    );
    expect(decision.ids).toHaveLength(1);
    expect(decision.heldBack).toEqual([
      expect.stringMatching(/^a listed no images where it had 4/),
    ]);
    expect(
      decideRemovals(
        candidates({ a: [4, 4] }),
        ending(),
        limits({ rejectEmptiedRepositories: false }),
      ).ids,
    ).toHaveLength(4);
  });

  it('holds back removals above the share, with a lower share after errors', () => {
    // 30 of 130 images: within 50 % when clean, above 20 % after errors.
    const many = candidates({ gone: [30, 30] });
    expect(decideRemovals(many, ending(), limits()).ids).toHaveLength(30);
    const unclean = decideRemovals(many, ending({ clean: false }), limits());
    expect(unclean.ids).toEqual([]);
    expect(unclean.heldBack[0]).toMatch(
      /had errors,? would have removed 30 of 130 images, more than 20 %.*maxRemovalShareOnErrors/,
    );
    const tight = decideRemovals(many, ending(), limits({ maxShare: 0.1 }));
    expect(tight.ids).toEqual([]);
    expect(tight.heldBack[0]).toMatch(/maxRemovalShare sets the limit/);
  });
});
