import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type { ImageLifecycle } from '@container-inventory/plugin-container-registry-common';
import { imageStrings } from './strings';
import { ImageFilters, isCompletePlatform } from './useImagesSearch';

const strings = imageStrings.table;
const LIFECYCLES: ImageLifecycle[] = ['latest', 'outdated', 'pending'];
type TextFilter = 'registry' | 'owner' | 'component' | 'platform';
const TEXT_FILTERS: Array<[TextFilter, string, string]> = [
  ['registry', strings.registry, 'registry id'],
  ['owner', strings.owner, 'group:default/team'],
  ['component', strings.component, 'component:default/web'],
  ['platform', strings.platform, 'linux/arm64'],
];

export function ImagesFilterBar({
  filters,
  onChange,
}: {
  filters: ImageFilters;
  onChange: (filters: ImageFilters) => void;
}) {
  const incompletePlatform =
    filters.platform.trim() !== '' && !isCompletePlatform(filters.platform);
  const set = (patch: Partial<ImageFilters>) =>
    onChange({ ...filters, ...patch });
  return (
    <Grid container spacing={2} alignItems="center">
      <Grid item xs={12}>
        <TextField
          fullWidth
          variant="outlined"
          size="small"
          label={strings.search}
          value={filters.q}
          onChange={event => set({ q: event.target.value })}
          inputProps={{ 'aria-label': strings.search }}
        />
      </Grid>
      {TEXT_FILTERS.map(([name, label, placeholder]) => (
        <Grid item xs={12} sm={6} md={2} key={name}>
          <TextField
            fullWidth
            size="small"
            label={label}
            placeholder={placeholder}
            value={filters[name]}
            onChange={event => set({ [name]: event.target.value })}
            inputProps={{ 'aria-label': label }}
            {...(name === 'platform' && incompletePlatform
              ? { error: true, helperText: strings.platformHelp }
              : {})}
          />
        </Grid>
      ))}
      <Grid item xs={12} sm={6} md={2}>
        <TextField
          select
          fullWidth
          size="small"
          label={strings.lifecycle}
          value={filters.lifecycle}
          onChange={event =>
            set({ lifecycle: event.target.value as ImageLifecycle | '' })
          }
          SelectProps={{
            SelectDisplayProps: { 'aria-label': strings.lifecycle } as object,
          }}
        >
          <MenuItem value="">{strings.anyLifecycle}</MenuItem>
          {LIFECYCLES.map(lifecycle => (
            <MenuItem key={lifecycle} value={lifecycle}>
              {imageStrings.lifecycle[lifecycle]}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <FormControlLabel
          control={
            <Checkbox
              checked={filters.unlinked}
              onChange={event => set({ unlinked: event.target.checked })}
            />
          }
          label={strings.unlinkedOnly}
        />
      </Grid>
    </Grid>
  );
}
