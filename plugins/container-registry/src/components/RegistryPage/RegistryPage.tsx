import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { containerRegistryApiRef } from '../../api';
import { usePageTranslation } from '../../translation';
import {
  describeNextCrawl,
  formatDuration,
  formatRelative,
  runDuration,
} from '../formatRelative';
import { RegistryStatus } from '../RegistriesPage/RegistryStatus';
import { SYNC_POLL_MS } from '../RegistriesPage/polling';
import { RegistryActions } from './RegistryActions';
import { RunsTable } from './RunsTable';
import { SettingsCard } from './SettingsCard';

function useRegistry(id: string) {
  const api = useApi(containerRegistryApiRef);
  return useAsyncRetry(async () => {
    const [registry, runs] = await Promise.all([
      api.getRegistry(id),
      api.listRuns(id),
    ]);
    return { registry, runs };
  }, [api, id]);
}

/** One registry: its status and progress, actions, settings (secrets hidden) and crawl history. */
export const RegistryPage = () => {
  const t = usePageTranslation();
  const { id = '' } = useParams();
  const { value, loading, error, retry } = useRegistry(id);
  useInterval(
    retry,
    value?.registry.status === 'syncing' ? SYNC_POLL_MS : null,
  );

  let content;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value) {
    content = loading ? <Progress /> : null;
  } else {
    const { registry, runs } = value;
    const last = registry.lastCrawl;
    const duration = last && runDuration(last);
    content = (
      <>
        {registry.readOnly && (
          <Box mb={2}>
            <Alert severity="info">{t('readOnlyNotice')}</Alert>
          </Box>
        )}
        <RegistryActions registry={registry} reload={retry} />
        <Grid container spacing={2}>
          <Grid item xs={12} md={5}>
            <InfoCard title="Status">
              <RegistryStatus registry={registry} />
              <Typography variant="body2">
                Images in the catalog: {registry.imageCount}
              </Typography>
              <Typography variant="body2">
                Last crawl:{' '}
                {last
                  ? `${last.outcome}, ${formatRelative(last.startedAt)}${
                      duration !== undefined
                        ? `, took ${formatDuration(duration)}`
                        : ''
                    }`
                  : t('never')}
              </Typography>
              <Typography variant="body2">
                Next crawl: {describeNextCrawl(registry, t)}
              </Typography>
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={7}>
            <SettingsCard settings={registry.settings} />
          </Grid>
          <Grid item xs={12}>
            <RunsTable runs={runs} />
          </Grid>
        </Grid>
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title={value?.registry.name ?? id}
        subtitle={value?.registry.url}
        type={t('listTitle')}
      />
      <Content>
        <Box mb={1}>
          <Link to="..">← {t('listTitle')}</Link>
        </Box>
        {content}
      </Content>
    </Page>
  );
};
