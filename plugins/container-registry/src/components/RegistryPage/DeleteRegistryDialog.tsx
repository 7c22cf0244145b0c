import type { RegistryDetails } from '@container-inventory/plugin-container-registry-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import { usePageTranslation } from '../../translation';

type Props = {
  registry: RegistryDetails;
  open: boolean;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
};

/** Asks before deleting, saying how many images will leave the catalog. */
export function DeleteRegistryDialog({
  registry,
  open,
  busy,
  onCancel,
  onConfirm,
}: Props) {
  const t = usePageTranslation();
  return (
    <Dialog open={open} onClose={onCancel}>
      <DialogTitle>{t('deleteTitle', { name: registry.name })}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          {t('deleteBody', { count: registry.imageCount })}
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>{t('cancel')}</Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={onConfirm}
          disabled={busy}
        >
          {t('delete')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
