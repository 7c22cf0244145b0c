import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  registryCreatePermission,
  registryRefreshPermission,
  RegistryListItem,
  RegistrySummary,
} from '@container-inventory/plugin-container-registry-common';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { containerRegistryApiRef } from '../../api';
import { PageTranslation, usePageTranslation } from '../../translation';
import {
  describeNextCrawl,
  formatDuration,
  formatRelative,
  runDuration,
} from '../formatRelative';
import { reasonOf, statusOf } from '../reasonOf';
import { RegistryFormDialog } from '../RegistryForm';
import { SYNC_POLL_MS } from './polling';
import { RegistryStatus } from './RegistryStatus';

function LastCrawl({ registry }: { registry: RegistrySummary }) {
  const t = usePageTranslation();
  const run = registry.lastCrawl;
  if (!run) return <Typography variant="body2">{t('never')}</Typography>;
  const duration = runDuration(run);
  return (
    <>
      <Typography variant="body2">
        {run.outcome} {run.finishedAt ? formatRelative(run.finishedAt) : 'now'}
        {duration !== undefined && `, took ${formatDuration(duration)}`}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {run.repositories} repositories, {run.tags} tags, {run.images} images,{' '}
        {run.errors} errors
      </Typography>
    </>
  );
}

function NextCrawl({ registry }: { registry: RegistryListItem }) {
  const t = usePageTranslation();
  return (
    <Typography variant="body2">{describeNextCrawl(registry, t)}</Typography>
  );
}

function RefreshButton({
  registry,
  onDone,
}: {
  registry: RegistrySummary;
  onDone: () => void;
}) {
  const t = usePageTranslation();
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
      const reason =
        statusOf(error) === 409 ? t('crawlUnderWay') : reasonOf(error);
      alertApi.post({
        message: `Could not update ${registry.name}: ${reason}`,
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
  t: PageTranslation,
): TableColumn<RegistryListItem>[] {
  const all: TableColumn<RegistryListItem>[] = [
    {
      title: 'Registry',
      field: 'name',
      render: registry => (
        <>
          <Typography variant="body2">
            <Link to={encodeURIComponent(registry.id)}>{registry.name}</Link>
          </Typography>
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
        registry.source === 'config' ? t('sourceConfig') : t('sourceDatabase'),
    },
    {
      title: 'Active',
      field: 'active',
      render: registry => (registry.active ? 'yes' : 'no'),
    },
    {
      title: 'Status',
      field: 'status',
      // Room for "Connected" on one line; causes of errors wrap below it.
      cellStyle: { minWidth: 180 },
      render: registry => <RegistryStatus registry={registry} />,
    },
    { title: 'Images', field: 'imageCount', type: 'numeric' },
    {
      title: 'Last crawl',
      render: registry => <LastCrawl registry={registry} />,
    },
    {
      title: 'Next crawl',
      render: registry => <NextCrawl registry={registry} />,
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
  const t = usePageTranslation();
  const api = useApi(containerRegistryApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listRegistries(),
    [api],
  );
  const { allowed: canRefresh } = usePermission({
    permission: registryRefreshPermission,
  });
  const { allowed: canCreate } = usePermission({
    permission: registryCreatePermission,
  });
  const [adding, setAdding] = useState(false);
  const navigate = useNavigate();
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
        title={t('emptyTitle')}
        description={t('emptyDescription')}
      />
    );
  } else {
    content = (
      <Table<RegistryListItem>
        title="Registries"
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns(canRefresh, retry, t)}
        data={value}
      />
    );
  }

  return (
    <Page themeId="tool">
      <Header title={t('listTitle')} subtitle={t('listSubtitle')} />
      <Content>
        <ContentHeader title="">
          {canCreate && (
            <Button
              variant="contained"
              color="primary"
              onClick={() => setAdding(true)}
            >
              {t('addRegistry')}
            </Button>
          )}
        </ContentHeader>
        {content}
      </Content>
      {adding && (
        <RegistryFormDialog
          open
          onClose={() => setAdding(false)}
          onSaved={saved => navigate(encodeURIComponent(saved.id))}
        />
      )}
    </Page>
  );
};
