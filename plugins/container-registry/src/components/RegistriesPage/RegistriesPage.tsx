import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  registryRefreshPermission,
  RegistrySummary,
} from '@container-inventory/plugin-container-registry-common';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { containerRegistryApiRef } from '../../api';
import { formatRelative } from './formatRelative';
import { RegistryStatus } from './RegistryStatus';

/** The backend's own reason when there is one, not "Request failed with 403". */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string } })?.cause;
  return cause?.message ?? (error as Error)?.message ?? String(error);
}

/** How often the list is read again while a registry is syncing. */
const SYNC_POLL_MS = 3000;

function LastCrawl({ registry }: { registry: RegistrySummary }) {
  const run = registry.lastCrawl;
  if (!run) return <Typography variant="body2">Never</Typography>;
  return (
    <>
      <Typography variant="body2">
        {run.outcome} {run.finishedAt ? formatRelative(run.finishedAt) : 'now'}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {run.repositories} repositories, {run.tags} tags, {run.images} images,{' '}
        {run.errors} errors
      </Typography>
    </>
  );
}

function RefreshButton({
  registry,
  onDone,
}: {
  registry: RegistrySummary;
  onDone: () => void;
}) {
  const api = useApi(containerRegistryApiRef);
  const alertApi = useApi(alertApiRef);
  const refresh = async () => {
    try {
      await api.refreshRegistry(registry.id);
      alertApi.post({
        message: `Updating the images of ${registry.name}`,
        severity: 'success',
        display: 'transient',
      });
    } catch (error) {
      alertApi.post({
        message: `Could not update ${registry.name}: ${reasonOf(error)}`,
        severity: 'error',
      });
    }
    onDone();
  };
  return (
    <Tooltip title="Update images list">
      <span>
        <IconButton
          aria-label={`Update images list of ${registry.name}`}
          onClick={refresh}
          disabled={!registry.active}
        >
          <RefreshIcon />
        </IconButton>
      </span>
    </Tooltip>
  );
}

function columns(
  canRefresh: boolean,
  reload: () => void,
): TableColumn<RegistrySummary>[] {
  const all: TableColumn<RegistrySummary>[] = [
    {
      title: 'Registry',
      field: 'name',
      render: registry => (
        <>
          <Typography variant="body2">{registry.name}</Typography>
          <Typography variant="caption" color="textSecondary">
            {registry.id}
          </Typography>
        </>
      ),
    },
    { title: 'Type', field: 'type' },
    { title: 'URL', field: 'url' },
    {
      title: 'Source',
      field: 'source',
      render: registry =>
        registry.source === 'config'
          ? 'app-config (read-only)'
          : 'settings page',
    },
    {
      title: 'Status',
      field: 'status',
      render: registry => <RegistryStatus registry={registry} />,
    },
    { title: 'Images', field: 'imageCount', type: 'numeric' },
    {
      title: 'Last crawl',
      render: registry => <LastCrawl registry={registry} />,
    },
  ];
  if (canRefresh) {
    all.push({
      title: 'Actions',
      render: registry => <RefreshButton registry={registry} onDone={reload} />,
    });
  }
  return all;
}

/** The Container registries page: every registry with its status, images and last crawl. */
export const RegistriesPage = () => {
  const api = useApi(containerRegistryApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listRegistries(),
    [api],
  );
  const { allowed: canRefresh } = usePermission({
    permission: registryRefreshPermission,
  });
  const syncing =
    value?.some(registry => registry.status === 'syncing') ?? false;
  useInterval(retry, syncing ? SYNC_POLL_MS : null);

  let content;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value) {
    content = loading ? <Progress /> : null;
  } else if (value.length === 0) {
    content = (
      <EmptyState
        missing="content"
        title="No container registries yet"
        description="Add registries under containerRegistry.registries in app-config.yaml."
      />
    );
  } else {
    content = (
      <Table<RegistrySummary>
        title="Registries"
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns(canRefresh, retry)}
        data={value}
      />
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Container registries"
        subtitle="Where the catalog's container images come from"
      />
      <Content>{content}</Content>
    </Page>
  );
};
