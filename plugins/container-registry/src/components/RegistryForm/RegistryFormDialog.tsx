import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  ConnectionTestResult,
  FilterPreview,
  KNOWN_REGISTRY_TYPES,
  parseSettingsErrors,
  REGISTRY_SETTINGS_FIELDS,
  RegistryAdapterDescription,
  RegistryDetails,
  SettingsFieldError,
  validateAdapterOptions,
  validateRegistrySettings,
} from '@container-inventory/plugin-container-registry-common';
import useAsync from 'react-use/esm/useAsync';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { containerRegistryApiRef } from '../../api';
import { usePageTranslation } from '../../translation';
import { reasonOf } from '../reasonOf';
import { ConnectionTestVerdict } from './ConnectionTestVerdict';
import { FilterPreviewSummary } from './FilterPreviewSummary';
import {
  emptyFormValues,
  fieldErrorsByKey,
  FormValues,
  formValuesOf,
  settingsInputOf,
  StoredSecrets,
} from './formModel';
import { RegistryFormFields } from './RegistryFormFields';

type Props = {
  open: boolean;
  onClose: () => void;
  onSaved: (registry: RegistryDetails) => void;
  /** The registry being edited; absent to add one. */
  existing?: RegistryDetails;
};

function storedSecretsOf(existing?: RegistryDetails): StoredSecrets {
  return {
    password: existing?.settings.auth.password.set ?? false,
    token: existing?.settings.auth.token.set ?? false,
  };
}

/** A 400's reasons, beside their fields (the product's options too); anything else as one message. */
function serverErrors(
  error: unknown,
  adapter: RegistryAdapterDescription | undefined,
): SettingsFieldError[] {
  const status = (error as { statusCode?: number })?.statusCode;
  const reason = reasonOf(error);
  if (status !== 400) return [{ field: '(settings)', message: reason }];
  return parseSettingsErrors(reason, [
    ...REGISTRY_SETTINGS_FIELDS,
    ...(adapter?.options ?? []).map(field => `options.${field.key}`),
  ]);
}

/** The settings' product options checked as the backend will, named `options.<key>`. */
function optionErrors(
  options: unknown,
  adapter: RegistryAdapterDescription | undefined,
): SettingsFieldError[] {
  if (!adapter) return [];
  const checked = validateAdapterOptions(adapter, options);
  return checked.ok
    ? []
    : checked.errors.map(e => ({
        field: e.field ? `options.${e.field}` : 'options',
        message: e.message,
      }));
}

/**
 * Add or edit a registry connection: fields follow the registry and auth types, the shared
 * schema checks them before anything is sent, and the connection can be tested before saving.
 */
export function RegistryFormDialog({
  open,
  onClose,
  onSaved,
  existing,
}: Props) {
  const t = usePageTranslation();
  const api = useApi(containerRegistryApiRef);
  const stored = storedSecretsOf(existing);
  // The backend's products with their options; the built-in list until they are known.
  const { value: adapters } = useAsync(() => api.listAdapters(), [api]);
  const types = adapters?.map(a => a.type) ?? KNOWN_REGISTRY_TYPES;
  const knownTypes =
    existing && !types.includes(existing.settings.type)
      ? [...types, existing.settings.type]
      : types;
  const [initial] = useState<FormValues>(() =>
    existing
      ? formValuesOf(existing)
      : emptyFormValues(KNOWN_REGISTRY_TYPES[0]),
  );
  const [values, setValues] = useState<FormValues>(initial);
  const adapter = adapters?.find(a => a.type === values.type);
  const keepsSecret =
    values.authType === 'bearer'
      ? stored.token && !values.replaceToken
      : values.authType !== 'none' &&
        stored.password &&
        !values.replacePassword;
  // Unsaved settings travel without the stored secret, which the page never holds.
  const testWithoutStoredSecret =
    keepsSecret && JSON.stringify(values) !== JSON.stringify(initial);
  const [errors, setErrors] = useState<SettingsFieldError[]>([]);
  const [testResult, setTestResult] = useState<ConnectionTestResult>();
  const [busy, setBusy] = useState<'test' | 'save' | 'preview'>();
  const [preview, setPreview] = useState<FilterPreview>();

  const change = (patch: Partial<FormValues>) => {
    setValues(current => ({ ...current, ...patch }));
    setTestResult(undefined);
    setPreview(undefined);
  };

  /** The settings to send, or undefined with the errors shown beside the fields. */
  const checkedInput = () => {
    const input = settingsInputOf(values, stored, adapter);
    const result = validateRegistrySettings(input, {
      knownTypes,
      secretsMayBeKept: Boolean(existing),
    });
    const found = [
      ...(result.ok ? [] : result.errors),
      ...optionErrors(input.options, adapter),
    ];
    setErrors(found);
    return found.length === 0 ? input : undefined;
  };

  const run = async (
    kind: 'test' | 'save' | 'preview',
    action: () => Promise<void>,
  ) => {
    setBusy(kind);
    try {
      await action();
    } catch (error) {
      setErrors(serverErrors(error, adapter));
    } finally {
      setBusy(undefined);
    }
  };

  const test = () => {
    const input = checkedInput();
    if (!input) return;
    setTestResult(undefined);
    run('test', async () => {
      // Unchanged settings with a stored secret: the backend tests them with that secret.
      const result =
        existing && keepsSecret && !testWithoutStoredSecret
          ? await api.testRegistry(existing.id)
          : await api.testConnection(input);
      setTestResult(result);
    });
  };

  /** What the filters as typed would keep of the registry's last crawl. */
  const previewFilters = (registryId: string) => {
    const input = checkedInput();
    if (!input) return;
    run('preview', async () => {
      setPreview(await api.previewFilters(registryId, input.filters ?? {}));
    });
  };

  const save = () => {
    const input = checkedInput();
    if (!input) return;
    run('save', async () => {
      const saved = existing
        ? await api.updateRegistry(existing.id, input)
        : await api.createRegistry(input);
      onSaved(saved);
    });
  };

  const byKey = fieldErrorsByKey(errors);
  const general = byKey['(settings)'];
  return (
    <Dialog
      open={open}
      onClose={onClose}
      maxWidth="md"
      fullWidth
      scroll="paper"
    >
      <DialogTitle>
        {existing
          ? t('editRegistry', { name: existing.name })
          : t('addRegistry')}
      </DialogTitle>
      <DialogContent dividers>
        <RegistryFormFields
          values={values}
          change={change}
          errors={byKey}
          knownTypes={knownTypes}
          adapters={adapters}
          stored={stored}
          editing={Boolean(existing)}
        />
        {existing && (
          <Box mt={1}>
            <Button
              size="small"
              disabled={Boolean(busy)}
              onClick={() => previewFilters(existing.id)}
            >
              {t('previewFilters')}
            </Button>
            {preview && <FilterPreviewSummary preview={preview} />}
          </Box>
        )}
        {testWithoutStoredSecret && (
          <Typography variant="caption" color="textSecondary">
            {t('testWithoutStoredSecret')}
          </Typography>
        )}
        {testResult && <ConnectionTestVerdict result={testResult} />}
        {errors.length > 0 && (
          <Typography role="alert" color="error" variant="body2">
            {general ?? t('fixErrors')}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        {busy && <CircularProgress size={20} aria-label="Working" />}
        <Button onClick={test} disabled={Boolean(busy)}>
          {t('testConnection')}
        </Button>
        <Button onClick={onClose}>{t('cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={save}
          disabled={Boolean(busy)}
        >
          {t('save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
