import { applyImageFilters } from './applyImageFilters';
import { matchesImagePattern, parseImagePattern } from './patterns';

const now = new Date('2026-11-30T00:00:00Z');
const daysAgo = (days: number) =>
  new Date(now.getTime() - days * 86_400_000).toISOString();

function pattern(source: string) {
  const parsed = parseImagePattern(source);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.pattern;
}

describe('image patterns', () => {
  it.each([
    ['team/*', 'team/app', 'v1', true],
    ['team/*', 'other/app', 'v1', false],
    ['*', 'a/b/c', undefined, true],
    ['app:v1.*', 'app', 'v1.2', true],
    ['app:v1.*', 'app', 'v10', false],
    [':latest', 'any/repo', 'latest', true],
    [':latest', 'any/repo', undefined, false],
    ['app.x', 'appyx', 'v1', false],
  ])('%s on %s:%s is %s', (source, repository, tag, expected) => {
    expect(matchesImagePattern(pattern(source), repository, tag)).toBe(
      expected,
    );
  });

  it('says what is wrong with a bad pattern', () => {
    expect(parseImagePattern('')).toEqual({
      ok: false,
      reason: 'a pattern may not be empty',
    });
    expect(parseImagePattern('host:5000/app')).toEqual({
      ok: false,
      reason: 'write repository paths without the registry host',
    });
    expect(parseImagePattern('App')).toMatchObject({ ok: false });
    expect(parseImagePattern('app:v 1')).toMatchObject({ ok: false });
  });
});

describe('applyImageFilters', () => {
  const image = (
    repository: string,
    tags: string[],
    created?: string,
    pushed?: string,
  ) => ({
    repository,
    tags,
    created,
    pushed,
  });

  it('keeps everything without filters', () => {
    const images = [image('a', ['1']), image('b', [])];
    expect(applyImageFilters(images, {}, now).kept.map(k => k.image)).toEqual(
      images,
    );
  });

  it('keeps only included images and drops "never" ones, matching any of their tags', () => {
    const images = [
      image('team/app', ['v1', 'dev']),
      image('team/app', ['v2']),
      image('other', ['v1']),
    ];
    const result = applyImageFilters(
      images,
      { include: ['team/*'], never: [':dev'] },
      now,
    );
    expect(result.kept.map(k => k.image)).toEqual([images[1]]);
    expect(result.dropped.map(d => [d.image, d.reason])).toEqual([
      [images[0], 'never'],
      [images[2], 'not-included'],
    ]);
  });

  it('lets "always" beat never, include, dates and latest N', () => {
    const old = image('app', ['release-1'], daysAgo(400));
    const result = applyImageFilters(
      [old, image('app', ['v2'], daysAgo(1)), image('app', ['v3'], daysAgo(0))],
      {
        include: ['other'],
        never: ['app'],
        always: [':release-*'],
        latestTags: 1,
        createdWithinDays: 30,
      },
      now,
    );
    expect(result.kept).toEqual([{ image: old, reason: 'always' }]);
  });

  it('keeps the newest N per repository by their newest date, undated ones last', () => {
    const images = [
      image('a', ['old'], daysAgo(10)),
      image('a', ['undated']),
      image('a', ['new'], daysAgo(20), daysAgo(1)),
      image('a', ['mid'], daysAgo(5)),
      image('b', ['only'], daysAgo(100)),
    ];
    const result = applyImageFilters(images, { latestTags: 2 }, now);
    expect(result.kept.map(k => k.image.tags[0])).toEqual([
      'new',
      'mid',
      'only',
    ]);
    expect(result.dropped.map(d => [d.image.tags[0], d.reason])).toEqual([
      ['old', 'not-latest'],
      ['undated', 'not-latest'],
    ]);
  });

  it('counts for latest N only images the other filters kept', () => {
    const images = [
      image('a', ['dev'], daysAgo(0)),
      image('a', ['v1'], daysAgo(3)),
    ];
    const result = applyImageFilters(
      images,
      { never: [':dev'], latestTags: 1 },
      now,
    );
    expect(result.kept.map(k => k.image.tags[0])).toEqual(['v1']);
  });

  it('drops images built or pushed before the window, and keeps those whose date is unknown', () => {
    const images = [
      image('a', ['old-build'], daysAgo(31)),
      image('a', ['old-push'], undefined, daysAgo(8)),
      image('a', ['fresh'], daysAgo(29), daysAgo(6)),
      image('a', ['unknown']),
    ];
    const result = applyImageFilters(
      images,
      { createdWithinDays: 30, pushedWithinDays: 7 },
      now,
    );
    expect(result.kept.map(k => k.image.tags[0])).toEqual(['fresh', 'unknown']);
    expect(result.dropped.map(d => d.reason)).toEqual([
      'created-too-old',
      'pushed-too-old',
    ]);
  });
});
