import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { InventoryImage } from '@container-inventory/plugin-container-registry-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useCallback, useEffect, useState } from 'react';
import { containerImagesApiRef } from '../../api';
import { imageDate } from '../images/format';
import {
  Age,
  ImageLink,
  LifecycleChip,
  PlatformList,
  TagChips,
} from '../images/ImageBits';
import { imageStrings } from '../images/strings';

const strings = imageStrings.componentImages;
const columns = imageStrings.table.columns;

interface ComponentImagesState {
  items: InventoryImage[];
  totalCount: number;
  nextCursor?: string;
  loading: boolean;
  error?: Error;
}

/** The Component's images, newest first, read page by page. */
function useComponentImages(pageSize: number) {
  const { entity } = useEntity();
  const api = useApi(containerImagesApiRef);
  const component = stringifyEntityRef(entity);
  const [state, setState] = useState<ComponentImagesState>({
    items: [],
    totalCount: 0,
    loading: true,
  });

  const load = useCallback(
    async (cursor?: string) => {
      setState(previous => ({ ...previous, loading: true }));
      try {
        const page = await api.listImages({
          component,
          sort: 'created',
          order: 'desc',
          limit: pageSize,
          cursor,
        });
        setState(previous => ({
          items: cursor ? [...previous.items, ...page.items] : page.items,
          totalCount: page.totalCount,
          nextCursor: page.nextCursor,
          loading: false,
        }));
      } catch (error) {
        setState(previous => ({
          ...previous,
          loading: false,
          error: error as Error,
        }));
      }
    },
    [api, component, pageSize],
  );

  useEffect(() => {
    load();
  }, [load]);

  return { ...state, loadMore: () => load(state.nextCursor) };
}

function ImagesTable({
  images,
  compact,
}: {
  images: InventoryImage[];
  compact?: boolean;
}) {
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>{columns.repository}</TableCell>
          <TableCell>{columns.tags}</TableCell>
          {!compact && <TableCell>{columns.platforms}</TableCell>}
          <TableCell>{columns.lifecycle}</TableCell>
          <TableCell>{columns.created}</TableCell>
          {!compact && <TableCell>{columns.registry}</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {images.map(image => (
          <TableRow key={image.entityName}>
            <TableCell>
              <ImageLink {...image} />
            </TableCell>
            <TableCell>
              <TagChips tags={image.tags} max={compact ? 3 : undefined} />
            </TableCell>
            {!compact && (
              <TableCell>
                <PlatformList platforms={image.platforms} />
              </TableCell>
            )}
            <TableCell>
              <LifecycleChip lifecycle={image.lifecycle} />
            </TableCell>
            <TableCell>
              <Age date={imageDate(image)} />
            </TableCell>
            {!compact && <TableCell>{image.registry}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const CONTENT_PAGE_SIZE = 50;
const CARD_SIZE = 5;

/** The "Container images" tab of a Component: every image linked to it, newest first. */
export function ComponentImagesContent() {
  const state = useComponentImages(CONTENT_PAGE_SIZE);
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  if (state.loading && state.items.length === 0) return <Progress />;
  if (state.items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={strings.empty}
        description={strings.emptyHint}
      />
    );
  }
  return (
    <InfoCard title={`${strings.tabTitle} (${state.totalCount})`}>
      <ImagesTable images={state.items} />
      {state.nextCursor && (
        <Button onClick={state.loadMore} disabled={state.loading}>
          {strings.more(state.totalCount)}
        </Button>
      )}
    </InfoCard>
  );
}

/** The overview card of a Component: its newest images; renders nothing when it has none. */
export function ComponentImagesCard() {
  const state = useComponentImages(CARD_SIZE);
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  if (state.loading) return <Progress />;
  if (state.items.length === 0) return null;
  return (
    <InfoCard title={strings.cardTitle}>
      <ImagesTable images={state.items} compact />
      {state.totalCount > state.items.length && (
        <Typography variant="caption" color="textSecondary">
          {strings.andMore(state.totalCount - state.items.length)}
        </Typography>
      )}
    </InfoCard>
  );
}
