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

function toQuery(filters: ImageFilters): ImagesQuery {
  return {
    q: filters.q.trim() || undefined,
    registry: filters.registry.trim() || undefined,
    lifecycle: filters.lifecycle || undefined,
    owner: filters.owner.trim() || undefined,
    component: filters.component.trim() || undefined,
    platform: filters.platform.trim() || undefined,
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
