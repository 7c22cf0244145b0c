import { Table, TableColumn } from '@backstage/core-components';
import type { CrawlRun } from '@container-inventory/plugin-container-registry-common';
import Typography from '@material-ui/core/Typography';
import { formatDuration, runDuration } from '../formatRelative';

const columns: TableColumn<CrawlRun>[] = [
  {
    title: 'Started',
    render: run => new Date(run.startedAt).toLocaleString(),
  },
  {
    title: 'Duration',
    render: run => {
      const duration = runDuration(run);
      return duration === undefined ? 'running' : formatDuration(duration);
    },
  },
  { title: 'Outcome', field: 'outcome' },
  { title: 'Trigger', render: run => run.trigger ?? '—' },
  { title: 'Repositories', field: 'repositories', type: 'numeric' },
  { title: 'Tags', field: 'tags', type: 'numeric' },
  { title: 'Images', field: 'images', type: 'numeric' },
  { title: 'Errors', field: 'errors', type: 'numeric' },
  {
    title: 'Message',
    render: run =>
      run.message ? (
        <Typography
          variant="body2"
          color={run.outcome === 'failed' ? 'error' : 'textPrimary'}
        >
          {run.message}
        </Typography>
      ) : (
        '—'
      ),
  },
];

/** A registry's crawl history, newest first. */
export function RunsTable({ runs }: { runs: CrawlRun[] }) {
  return (
    <Table<CrawlRun>
      title="Crawl history"
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={runs}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          Not crawled yet.
        </Typography>
      }
    />
  );
}
