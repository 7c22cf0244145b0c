import Button from '@material-ui/core/Button';
import Box from '@material-ui/core/Box';
import TextField, { TextFieldProps } from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { usePageTranslation } from '../../translation';

type FieldProps = Omit<TextFieldProps, 'error' | 'onChange' | 'value'> & {
  value: string;
  onChange: (value: string) => void;
  /** The reason the value is refused, shown beside the field. */
  error?: string;
};

/** A text field whose error, when there is one, replaces its help text. */
export function Field({
  value,
  onChange,
  error,
  helperText,
  ...props
}: FieldProps) {
  // An id ties the label and the help text to the input, for screen readers (and tests).
  const id = props.id ?? `registry-${String(props.label).replace(/\W+/g, '-')}`;
  return (
    <TextField
      id={id}
      fullWidth
      margin="dense"
      variant="outlined"
      value={value}
      onChange={event => onChange(event.target.value)}
      error={Boolean(error)}
      helperText={error ?? helperText}
      {...props}
    />
  );
}

type SecretFieldProps = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  /** The stored registry has this secret. */
  stored: boolean;
  replacing: boolean;
  onReplacingChange: (replacing: boolean) => void;
};

/**
 * A write-only secret: a stored one shows only as "set" with a Replace button; it is never
 * filled in, and kept unless replaced.
 */
export function SecretField(props: SecretFieldProps) {
  const t = usePageTranslation();
  const { label, stored, replacing, onReplacingChange } = props;
  if (stored && !replacing) {
    return (
      <Box display="flex" alignItems="center" my={1}>
        <Typography variant="body2" style={{ flexGrow: 1 }}>
          {label}: {t('secretSet')}
        </Typography>
        <Button
          size="small"
          aria-label={`${t('replaceSecret')} ${label.toLowerCase()}`}
          onClick={() => onReplacingChange(true)}
        >
          {t('replaceSecret')}
        </Button>
      </Box>
    );
  }
  return (
    <Box display="flex" alignItems="flex-start">
      <Field
        label={label}
        type="password"
        autoComplete="new-password"
        value={props.value}
        onChange={props.onChange}
        error={props.error}
        helperText={stored ? 'A new value replaces the stored one' : undefined}
      />
      {stored && (
        <Box mt={2} ml={1}>
          <Button
            size="small"
            onClick={() => {
              props.onChange('');
              onReplacingChange(false);
            }}
          >
            {t('keepSecret')}
          </Button>
        </Box>
      )}
    </Box>
  );
}
