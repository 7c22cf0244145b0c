import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import type { ImageLifecycle } from '@container-inventory/plugin-container-registry-common';
import { useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { containerImagesApiRef, ImageSortKey, ImagesQuery } from '../../api';

/** What the filter bar edits. Text is sent as typed, once the user pauses. */
export interface ImageFilters {
  q: string;
  registry: string;
  lifecycle: ImageLifecycle | '';
  owner: string;
  component: string;
  platform: string;
  unlinked: boolean;
}

export const NO_FILTERS: ImageFilters = {
  q: '',
  registry: '',
  lifecycle: '',
  owner: '',
  component: '',
  platform: '',
  unlinked: false,
};

const TYPING_PAUSE_MS = 300;

const PLATFORM_PATTERN = /^[\w.-]+\/[\w.-]+(\/[\w.-]+)?$/;

/** A platform filter the backend accepts; a half-typed one (`linux`) is not sent yet. */
export function isCompletePlatform(text: string): boolean {
  return PLATFORM_PATTERN.test(text.trim());
}

/** Filters read from the page's URL, so a link can open the table already filtered. */
export function filtersFromSearch(search: string): ImageFilters {
  const params = new URLSearchParams(search);
  const lifecycle = params.get('lifecycle');
  return {
    q: params.get('q') ?? '',
    registry: params.get('registry') ?? '',
    lifecycle:
      lifecycle === 'latest' ||
      lifecycle === 'outdated' ||
      lifecycle === 'pending'
        ? lifecycle
        : '',
    owner: params.get('owner') ?? '',
    component: params.get('component') ?? '',
    platform: params.get('platform') ?? '',
    unlinked: params.get('unlinked') === 'true',
  };
}

/**
 * The inventory keeps full refs (`group:default/payments`); people type `payments`. A name
 * without kind or namespace gets the usual defaults, as the catalog's own pickers do.
 */
function toEntityRef(text: string, defaultKind: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(trimmed, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    return trimmed;
  }
}

/** The filters in use as URL parameters, so the address bar can be shared. */
export function filtersToSearch(filters: ImageFilters): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value === true) params.set(name, 'true');
    else if (typeof value === 'string' && value.trim()) {
      params.set(name, value.trim());
    }
  }
  return params.toString();
}

function toQuery(filters: ImageFilters): ImagesQuery {
  return {
    q: filters.q.trim() || undefined,
    registry: filters.registry.trim() || undefined,
    lifecycle: filters.lifecycle || undefined,
    owner: toEntityRef(filters.owner, 'group'),
    component: toEntityRef(filters.component, 'component'),
    platform: isCompletePlatform(filters.platform)
      ? filters.platform.trim()
      : undefined,
    unlinked: filters.unlinked || undefined,
  };
}

/**
 * The table's server-side search: filters, sort and cursor paging. Any change of filter, sort or
 * page size starts again at the first page; the cursors of the pages seen are kept for "back".
 */
export function useImagesSearch(initialFilters: ImageFilters) {
  const api = useApi(containerImagesApiRef);
  const [filters, setFilters] = useState(initialFilters);
  const [debounced, setDebounced] = useState(initialFilters);
  const [sort, setSort] = useState<ImageSortKey>('repository');
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  const [pageSize, setPageSize] = useState(25);
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);

  const restart = () => setCursors([undefined]);
  useDebounce(
    () => {
      if (filters === debounced) return;
      setDebounced(filters);
      restart();
    },
    TYPING_PAUSE_MS,
    [filters],
  );

  const page = cursors.length - 1;
  const query = useMemo<ImagesQuery>(
    () => ({
      ...toQuery(debounced),
      sort,
      order,
      limit: pageSize,
      cursor: cursors[page],
    }),
    [debounced, sort, order, pageSize, cursors, page],
  );
  const result = useAsyncRetry(() => api.listImages(query), [api, query]);

  return {
    filters,
    /** The filters of the request in flight, once typing paused. */
    appliedFilters: debounced,
    setFilters,
    sort,
    order,
    pageSize,
    page,
    result,
    /** Sorting by the current column flips its order; a new column starts ascending. */
    sortBy(key: ImageSortKey) {
      setOrder(key === sort && order === 'asc' ? 'desc' : 'asc');
      setSort(key);
      restart();
    },
    setPageSize(size: number) {
      setPageSize(size);
      restart();
    },
    nextPage() {
      const next = result.value?.nextCursor;
      if (next) setCursors([...cursors, next]);
    },
    previousPage() {
      if (cursors.length > 1) setCursors(cursors.slice(0, -1));
    },
  };
}
