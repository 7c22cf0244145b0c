import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ConnectionTestResult,
  RegistryDetails,
  registryDeletePermission,
  registryRefreshPermission,
  registryUpdatePermission,
} from '@container-inventory/plugin-container-registry-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { useNavigate } from 'react-router-dom';
import { containerRegistryApiRef } from '../../api';
import { usePageTranslation } from '../../translation';
import { reasonOf, statusOf } from '../reasonOf';
import { ConnectionTestVerdict, RegistryFormDialog } from '../RegistryForm';
import { DeleteRegistryDialog } from './DeleteRegistryDialog';

type Props = {
  registry: RegistryDetails;
  /** Reads the registry and its runs again after an action. */
  reload: () => void;
};

type Busy = 'test' | 'status' | 'update' | 'cancel' | 'delete';

/** What an admin may do with a registry: only the actions their permissions allow. */
export function RegistryActions({ registry, reload }: Props) {
  const t = usePageTranslation();
  const api = useApi(containerRegistryApiRef);
  const alertApi = useApi(alertApiRef);
  const navigate = useNavigate();
  const canRefresh = usePermission({
    permission: registryRefreshPermission,
  }).allowed;
  const canUpdate = usePermission({
    permission: registryUpdatePermission,
  }).allowed;
  const canDelete = usePermission({
    permission: registryDeletePermission,
  }).allowed;
  const [busy, setBusy] = useState<Busy>();
  const [testResult, setTestResult] = useState<ConnectionTestResult>();
  const [editing, setEditing] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const editable = !registry.readOnly;
  const syncing = registry.status === 'syncing';

  const act = async (
    kind: Busy,
    action: () => Promise<void>,
    failure: string,
  ) => {
    setBusy(kind);
    try {
      await action();
    } catch (error) {
      const message =
        kind === 'update' && statusOf(error) === 409
          ? t('crawlUnderWay')
          : `${failure}: ${reasonOf(error)}`;
      alertApi.post({ message, severity: 'error' });
    } finally {
      setBusy(undefined);
      reload();
    }
  };

  const success = (message: string) =>
    alertApi.post({ message, severity: 'success', display: 'transient' });

  return (
    <Box mb={2}>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {canRefresh && (
          <>
            <Button
              variant="outlined"
              disabled={Boolean(busy)}
              onClick={() =>
                act(
                  'test',
                  async () => {
                    setTestResult(undefined);
                    setTestResult(await api.testRegistry(registry.id));
                  },
                  'Could not test the connection',
                )
              }
            >
              {t('testConnection')}
            </Button>
            <Button
              variant="outlined"
              disabled={Boolean(busy)}
              onClick={() =>
                act(
                  'status',
                  () => api.refreshStatus(registry.id),
                  'Could not refresh the status',
                )
              }
            >
              {t('refreshStatus')}
            </Button>
            <Button
              variant="contained"
              color="primary"
              disabled={Boolean(busy) || !registry.active}
              onClick={() =>
                act(
                  'update',
                  async () => {
                    await api.refreshRegistry(registry.id);
                    success(`Updating the images of ${registry.name}`);
                  },
                  'Could not start a crawl',
                )
              }
            >
              {t('updateImages')}
            </Button>
            {syncing && (
              <Button
                variant="outlined"
                color="secondary"
                disabled={Boolean(busy)}
                onClick={() =>
                  act(
                    'cancel',
                    async () => {
                      await api.cancelCrawl(registry.id);
                      success(
                        `Cancelling the crawl of ${registry.name}; nothing is removed`,
                      );
                    },
                    'Could not cancel the crawl',
                  )
                }
              >
                {t('cancelCrawl')}
              </Button>
            )}
          </>
        )}
        {editable && canUpdate && (
          <Button variant="outlined" onClick={() => setEditing(true)}>
            {t('edit')}
          </Button>
        )}
        {editable && canDelete && (
          <Button
            variant="outlined"
            color="secondary"
            onClick={() => setConfirmingDelete(true)}
          >
            {t('delete')}
          </Button>
        )}
      </Box>
      {testResult && <ConnectionTestVerdict result={testResult} />}
      {editing && (
        <RegistryFormDialog
          open
          existing={registry}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            success(`Saved ${registry.name}`);
            reload();
          }}
        />
      )}
      <DeleteRegistryDialog
        registry={registry}
        open={confirmingDelete}
        busy={busy === 'delete'}
        onCancel={() => setConfirmingDelete(false)}
        onConfirm={async () => {
          setBusy('delete');
          try {
            await api.deleteRegistry(registry.id);
            success(`Deleted ${registry.name}`);
            navigate('..');
          } catch (error) {
            alertApi.post({
              message: `Could not delete ${registry.name}: ${reasonOf(error)}`,
              severity: 'error',
            });
            setBusy(undefined);
            setConfirmingDelete(false);
          }
        }}
      />
    </Box>
  );
}
