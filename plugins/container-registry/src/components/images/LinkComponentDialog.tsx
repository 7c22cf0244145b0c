import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { imageStrings } from './strings';

const strings = imageStrings.table;
const PICKER_SIZE = 20;

interface ComponentOption {
  ref: string;
  title: string;
}

/** Components whose name or title contains the term, read only while the dialog is open. */
function useComponentOptions(term: string) {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async (): Promise<ComponentOption[]> => {
    const response = await catalogApi.queryEntities({
      filter: { kind: 'component' },
      ...(term
        ? {
            fullTextFilter: {
              term,
              fields: ['metadata.name', 'metadata.title'],
            },
          }
        : {}),
      orderFields: { field: 'metadata.name', order: 'asc' },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
      limit: PICKER_SIZE,
    });
    return response.items.map(entity => ({
      ref: stringifyEntityRef(entity),
      title: entity.metadata.title ?? entity.metadata.name,
    }));
  }, [catalogApi, term]);
}

export interface LinkComponentDialogProps {
  repository: string;
  onCancel: () => void;
  onLink: (componentRef: string) => void;
}

/** Picks the Component a repository's images belong to. */
export function LinkComponentDialog({
  repository,
  onCancel,
  onLink,
}: LinkComponentDialogProps) {
  const [input, setInput] = useState('');
  const [term, setTerm] = useState('');
  const [selected, setSelected] = useState<ComponentOption | null>(null);
  useDebounce(() => setTerm(input), 250, [input]);
  const options = useComponentOptions(term);

  return (
    <Dialog open onClose={onCancel} fullWidth maxWidth="sm">
      <DialogTitle>{strings.linkDialogTitle(repository)}</DialogTitle>
      <DialogContent>
        <DialogContentText>{strings.linkDialogHelp}</DialogContentText>
        <Autocomplete
          options={options.value ?? []}
          loading={options.loading}
          value={selected}
          onChange={(_event, value) => setSelected(value)}
          inputValue={input}
          onInputChange={(_event, value) => setInput(value)}
          getOptionLabel={option => `${option.title} (${option.ref})`}
          getOptionSelected={(option, value) => option.ref === value.ref}
          filterOptions={all => all}
          renderInput={params => (
            <TextField
              {...params}
              label={strings.componentPicker}
              variant="outlined"
              error={Boolean(options.error)}
              helperText={options.error?.message}
            />
          )}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>{strings.cancel}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!selected}
          onClick={() => selected && onLink(selected.ref)}
        >
          {strings.confirmLink}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
