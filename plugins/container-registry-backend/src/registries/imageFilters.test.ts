import type { ContainerImageRecord } from '@container-inventory/plugin-container-registry-common';
import { filterImages, tagSelector } from './imageFilters';

const tags = (...names: string[]) => names.map(name => ({ name }));

function image(tag: string, created?: string): ContainerImageRecord {
  return {
    registry: 'r',
    host: 'h',
    repository: 'acme/web',
    digest: `sha256:${tag.padEnd(64, '0')}`,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    tags: [tag],
    platforms: [],
    labels: {},
    ...(created ? { created } : {}),
  };
}

describe('tagSelector', () => {
  it('selects nothing out without filters', () => {
    expect(tagSelector({})).toBeUndefined();
  });

  it('drops tags by name before any manifest is read; always beats never', () => {
    const select = tagSelector({
      never: [':*-rc*', 'acme/web:debug'],
      always: [':1.0-rc1'],
    })!;
    expect(
      select('acme/web', tags('1.0', '1.1-rc2', '1.0-rc1', 'debug')).map(
        t => t.name,
      ),
    ).toEqual(['1.0', '1.0-rc1']);
  });

  it('leaves date filters without a listed date for later', () => {
    const select = tagSelector({ latestTags: 1, createdWithinDays: 1 })!;
    expect(select('acme/web', tags('a', 'b'))).toHaveLength(2);
  });
});

describe('filterImages', () => {
  it('keeps the latest N per repository once dates are known', () => {
    const kept = filterImages(
      [
        image('old', '2026-01-01T00:00:00Z'),
        image('new', '2026-06-01T00:00:00Z'),
        image('mid', '2026-03-01T00:00:00Z'),
      ],
      { latestTags: 2 },
    );
    expect(kept.map(i => i.tags[0]).sort()).toEqual(['mid', 'new']);
  });
});
