import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  imageLinkPermission,
  InventoryImage,
} from '@container-inventory/plugin-container-registry-common';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import TablePagination from '@material-ui/core/TablePagination';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { containerImagesApiRef } from '../../api';
import { ImagesFilterBar } from './ImagesFilterBar';
import { ImagesTable } from './ImagesTable';
import { LinkComponentDialog } from './LinkComponentDialog';
import { imageStrings } from './strings';
import {
  filtersFromSearch,
  filtersToSearch,
  ImageFilters,
  useImagesSearch,
} from './useImagesSearch';

const strings = imageStrings.table;
const PAGE_SIZES = [25, 50, 100];

/** The backend's own reason when there is one, not "Request failed with 400". */
function reasonOf(error: unknown): string {
  const body = (error as { body?: { error?: { message?: string } } })?.body;
  return body?.error?.message ?? (error as Error)?.message ?? String(error);
}

/** Links and unlinks repositories, then reloads the page of images. */
function useLinkActions(reload: () => void) {
  const api = useApi(containerImagesApiRef);
  const alertApi = useApi(alertApiRef);
  const { allowed } = usePermission({ permission: imageLinkPermission });
  const [linking, setLinking] = useState<InventoryImage>();

  const run = async (
    image: InventoryImage,
    action: () => Promise<void>,
    done: string,
  ) => {
    try {
      await action();
      alertApi.post({
        message: done,
        severity: 'success',
        display: 'transient',
      });
    } catch (error) {
      alertApi.post({
        message: strings.linkFailed(image.repository, reasonOf(error)),
        severity: 'error',
      });
    }
    reload();
  };

  return {
    allowed,
    linking,
    startLink: setLinking,
    cancelLink: () => setLinking(undefined),
    link: (image: InventoryImage, component: string) => {
      setLinking(undefined);
      return run(
        image,
        () => api.linkRepository(image.registry, image.repository, component),
        strings.linked(image.repository, component),
      );
    },
    unlink: (image: InventoryImage) =>
      run(
        image,
        () => api.unlinkRepository(image.registry, image.repository),
        strings.unlinked(image.repository),
      ),
  };
}

/** Keeps the address bar in step with the filters, without adding a history entry per key. */
function useFiltersInUrl(filters: ImageFilters) {
  const location = useLocation();
  const navigate = useNavigate();
  const search = filtersToSearch(filters);
  useEffect(() => {
    if (location.search.replace(/^\?/, '') !== search) {
      navigate({ search }, { replace: true });
    }
  }, [search, location.search, navigate]);
}

/** Every image of every registry: server-side search, sort and paging, and manual links. */
export function ContainerImagesPage() {
  const location = useLocation();
  const search = useImagesSearch(filtersFromSearch(location.search));
  const { result } = search;
  useFiltersInUrl(search.appliedFilters);
  const actions = useLinkActions(result.retry);

  return (
    <Page themeId="tool">
      <Header title={strings.pageTitle} subtitle={strings.pageSubtitle} />
      <Content>
        <Box mb={2}>
          <ImagesFilterBar
            filters={search.filters}
            onChange={search.setFilters}
          />
        </Box>
        {result.error && <ResponseErrorPanel error={result.error} />}
        <Paper>
          {result.loading && <Progress />}
          {result.value && (
            <>
              <ImagesTable
                images={result.value.items}
                sort={search.sort}
                order={search.order}
                onSort={search.sortBy}
                onLink={actions.allowed ? actions.startLink : undefined}
                onUnlink={actions.allowed ? actions.unlink : undefined}
              />
              {result.value.items.length === 0 && (
                <Box p={2}>
                  <Typography color="textSecondary">{strings.empty}</Typography>
                </Box>
              )}
              <TablePagination
                component="div"
                count={result.value.totalCount}
                page={search.page}
                rowsPerPage={search.pageSize}
                rowsPerPageOptions={PAGE_SIZES}
                onPageChange={(_event, next) =>
                  next > search.page ? search.nextPage() : search.previousPage()
                }
                onRowsPerPageChange={event =>
                  search.setPageSize(Number(event.target.value))
                }
              />
            </>
          )}
        </Paper>
        {actions.linking && (
          <LinkComponentDialog
            repository={actions.linking.repository}
            onCancel={actions.cancelLink}
            onLink={component => actions.link(actions.linking!, component)}
          />
        )}
      </Content>
    </Page>
  );
}
