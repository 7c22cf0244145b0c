import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type { RegistrySummary } from '@container-inventory/plugin-container-registry-common';

type Props = { registry: RegistrySummary };

/** Connection status, the crawl's progress while syncing, and the cause of an error. */
export const RegistryStatus = ({ registry }: Props) => {
  const { status, statusMessage, progress } = registry;
  return (
    <>
      {status === 'connected' && <StatusOK>Connected</StatusOK>}
      {status === 'syncing' && (
        <StatusRunning>
          Syncing
          {progress &&
            ` (${progress.repositories} repositories, ${progress.tags} tags${
              progress.errors ? `, ${progress.errors} errors` : ''
            })`}
        </StatusRunning>
      )}
      {status === 'syncing' && (
        // Indeterminate: the registry's size is not known until the crawl ends.
        <LinearProgress aria-label={`Crawl of ${registry.name} under way`} />
      )}
      {status === 'error' && <StatusError>Error</StatusError>}
      {status === 'unknown' && <StatusPending>Unknown</StatusPending>}
      {statusMessage && (
        <Typography
          variant="body2"
          color={status === 'error' ? 'error' : 'textSecondary'}
        >
          {statusMessage}
        </Typography>
      )}
    </>
  );
};
