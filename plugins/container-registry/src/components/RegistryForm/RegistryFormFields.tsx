import { ReactNode, useState } from 'react';
import {
  AUTH_TYPES,
  FILTER_LATEST_TAGS,
  FILTER_WITHIN_DAYS,
  NumericTransportSetting,
  RegistryAdapterDescription,
  SCHEDULE_EVERY_DAYS,
  SCHEDULE_INTERVAL_MINUTES,
  TRANSPORT_SETTINGS,
} from '@container-inventory/plugin-container-registry-common';
import Accordion from '@material-ui/core/Accordion';
import { TRANSPORT_LABELS } from '../transportLabels';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { Field, SecretField } from './fields';
import {
  FormValues,
  StoredSecrets,
  TRANSPORT_NUMBER_FIELDS,
} from './formModel';

/** Where each product's API usually lives, as a hint in the URL field. */
const URL_HINTS: Record<string, string> = {
  generic: 'https://registry.example.com',
  nexus: 'https://nexus.example.com',
  artifactory: 'https://example.jfrog.io/artifactory',
  gitlab: 'https://gitlab.example.com',
  harbor: 'https://harbor.example.com',
  gitflic: 'https://registry.gitflic.ru',
  dockerhub: 'https://registry-1.docker.io',
  ghcr: 'https://ghcr.io',
  ecr: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  gar: 'https://europe-docker.pkg.dev',
  acr: 'https://example.azurecr.io',
  quay: 'https://quay.io',
};

const AUTH_HELP: Record<string, string> = {
  none: 'Anonymous: no credentials are sent',
  basic: 'A username and password (or an access token used as password)',
  bearer: 'A token sent as "Authorization: Bearer"',
  auto: "Tries anonymous access and follows the registry's challenge; give credentials if it asks for them",
};

function transportHelp(field: NumericTransportSetting): string {
  const spec: { min: number; max: number; unit: string; default?: number } =
    TRANSPORT_SETTINGS[field];
  const range = spec.min < 1 ? `more than 0` : `${spec.min}–${spec.max}`;
  const fallback =
    spec.default === undefined ? 'no limit' : `default ${spec.default}`;
  return `${spec.unit}, ${range}; ${fallback}`;
}

type Props = {
  values: FormValues;
  change: (patch: Partial<FormValues>) => void;
  errors: Record<string, string>;
  knownTypes: readonly string[];
  /** The backend's products, once known: titles, options and credential names. */
  adapters?: RegistryAdapterDescription[];
  stored: StoredSecrets;
  editing: boolean;
};

function adapterOf(props: Props) {
  return props.adapters?.find(a => a.type === props.values.type);
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box mt={2}>
      <Typography variant="h6" component="h3">
        {title}
      </Typography>
      {children}
    </Box>
  );
}

function ConnectionFields({
  values,
  change,
  errors,
  knownTypes,
  adapters,
  editing,
}: Props) {
  return (
    <Grid container spacing={1}>
      <Grid item xs={12} sm={6}>
        <Field
          label="Id"
          required
          value={values.id}
          onChange={id => change({ id })}
          error={errors.id}
          disabled={editing}
          helperText="Lowercase letters, digits and dashes; cannot change later"
        />
      </Grid>
      <Grid item xs={12} sm={6}>
        <Field
          label="Name"
          required
          value={values.name}
          onChange={name => change({ name })}
          error={errors.name}
        />
      </Grid>
      <Grid item xs={12}>
        <Field
          label="Description"
          value={values.description}
          onChange={description => change({ description })}
          error={errors.description}
        />
      </Grid>
      <Grid item xs={12} sm={4}>
        <Field
          select
          label="Type"
          value={values.type}
          // Another product's options mean nothing to this one.
          onChange={type => change({ type, options: {} })}
          error={errors.type}
          helperText="The registry product"
        >
          {knownTypes.map(type => (
            <MenuItem key={type} value={type}>
              {adapters?.find(a => a.type === type)?.title ?? type}
            </MenuItem>
          ))}
        </Field>
      </Grid>
      <Grid item xs={12} sm={8}>
        <Field
          label="URL"
          required
          value={values.url}
          onChange={url => change({ url })}
          error={errors.url}
          placeholder={URL_HINTS[values.type] ?? 'https://registry.example.com'}
          helperText="http(s)://host[:port][/path] of the registry API, without credentials"
        />
      </Grid>
      <Grid item xs={12}>
        <FormControlLabel
          control={
            <Switch
              checked={values.active}
              onChange={event => change({ active: event.target.checked })}
            />
          }
          label="Active (crawled on its schedule)"
        />
      </Grid>
    </Grid>
  );
}

function AuthFields(props: Props) {
  const { values, change, errors, stored } = props;
  const { authType } = values;
  const names = adapterOf(props)?.credentials;
  const token = (
    <SecretField
      label={names?.token ?? 'Token'}
      value={values.token}
      onChange={value => change({ token: value })}
      error={errors['auth.token']}
      stored={stored.token}
      replacing={values.replaceToken}
      onReplacingChange={replaceToken => change({ replaceToken })}
    />
  );
  const username = (
    <Field
      label={names?.username ?? 'Username'}
      required={authType === 'basic'}
      value={values.username}
      onChange={value => change({ username: value })}
      error={errors['auth.username']}
      autoComplete="off"
    />
  );
  const password = (
    <SecretField
      label={names?.password ?? 'Password'}
      value={values.password}
      onChange={value => change({ password: value })}
      error={errors['auth.password']}
      stored={stored.password}
      replacing={values.replacePassword}
      onReplacingChange={replacePassword => change({ replacePassword })}
    />
  );
  return (
    <>
      <Field
        select
        label="Authentication"
        value={authType}
        onChange={value =>
          change({ authType: value as FormValues['authType'] })
        }
        error={errors['auth.type']}
        helperText={AUTH_HELP[authType]}
      >
        {AUTH_TYPES.map(type => (
          <MenuItem key={type} value={type}>
            {type}
          </MenuItem>
        ))}
      </Field>
      {(authType === 'basic' || authType === 'auto') && (
        <>
          {username}
          {password}
          {names?.token && token}
        </>
      )}
      {authType === 'bearer' && token}
    </>
  );
}

/** The product's own options, as its adapter declares them. */
function AdapterOptionFields(props: Props) {
  const { values, change, errors } = props;
  const adapter = adapterOf(props);
  if (!adapter?.options?.length) return null;
  const set = (key: string, typed: string) =>
    change({ options: { ...values.options, [key]: typed } });
  return (
    <Section title={`${adapter.title ?? adapter.type} settings`}>
      {adapter.options.map(field => {
        const typed = values.options[field.key] ?? '';
        if (field.kind === 'boolean') {
          return (
            <FormControlLabel
              key={field.key}
              control={
                <Checkbox
                  checked={typed === 'true'}
                  onChange={event =>
                    set(field.key, event.target.checked ? 'true' : '')
                  }
                />
              }
              label={field.label}
            />
          );
        }
        const isList = field.kind === 'list';
        return (
          <Field
            key={field.key}
            label={field.label}
            required={field.required}
            select={field.kind === 'choice'}
            multiline={isList}
            minRows={isList ? 2 : undefined}
            value={typed}
            onChange={value => set(field.key, value)}
            error={errors[`options.${field.key}`]}
            helperText={isList ? `${field.help ?? ''} One a line.` : field.help}
          >
            {(field.choices ?? []).map(choice => (
              <MenuItem key={choice} value={choice}>
                {choice}
              </MenuItem>
            ))}
          </Field>
        );
      })}
    </Section>
  );
}

function ScheduleFields({ values, change, errors }: Props) {
  return (
    <Grid container spacing={1}>
      <Grid item xs={12} sm={4}>
        <Field
          select
          label="Schedule"
          value={values.scheduleType}
          onChange={value =>
            change({ scheduleType: value as FormValues['scheduleType'] })
          }
          error={errors['schedule.type']}
          helperText="Default: daily at 03:00, in the backend's time zone"
        >
          <MenuItem value="daily">Every N days at a time</MenuItem>
          <MenuItem value="interval">Every N minutes</MenuItem>
          <MenuItem value="cron">Cron expression</MenuItem>
        </Field>
      </Grid>
      {values.scheduleType === 'interval' && (
        <Grid item xs={12} sm={4}>
          <Field
            label="Every (minutes)"
            value={values.intervalMinutes}
            onChange={intervalMinutes => change({ intervalMinutes })}
            error={errors['schedule.minutes']}
            helperText={`minutes, ${SCHEDULE_INTERVAL_MINUTES.min}–${SCHEDULE_INTERVAL_MINUTES.max}`}
          />
        </Grid>
      )}
      {values.scheduleType === 'cron' && (
        <Grid item xs={12} sm={8}>
          <Field
            label="Cron expression"
            value={values.cronExpression}
            onChange={cronExpression => change({ cronExpression })}
            error={errors['schedule.expression']}
            helperText="minute hour day-of-month month day-of-week, in the backend's time zone"
          />
        </Grid>
      )}
      {values.scheduleType === 'daily' && (
        <>
          <Grid item xs={6} sm={4}>
            <Field
              label="Every (days)"
              value={values.everyDays}
              onChange={everyDays => change({ everyDays })}
              error={errors['schedule.everyDays']}
              helperText={`days, ${SCHEDULE_EVERY_DAYS.min}–${SCHEDULE_EVERY_DAYS.max}`}
            />
          </Grid>
          <Grid item xs={6} sm={4}>
            <Field
              label="At (HH:MM)"
              value={values.at}
              onChange={at => change({ at })}
              error={errors['schedule.at']}
              helperText="The backend's time zone (UTC in most deployments)"
            />
          </Grid>
        </>
      )}
    </Grid>
  );
}

const PATTERN_HELP =
  'One a line: name, name:tag or :tag, with * for any characters';

function FilterFields({ values, change, errors }: Props) {
  const list = (
    key: 'include' | 'never' | 'always',
    label: string,
    help: string,
  ) => (
    <Grid item xs={12} sm={4}>
      <Field
        label={label}
        multiline
        minRows={2}
        value={values[key]}
        onChange={value => change({ [key]: value })}
        error={errors[`filters.${key}`]}
        helperText={help}
      />
    </Grid>
  );
  const days = `days, ${FILTER_WITHIN_DAYS.min}–${FILTER_WITHIN_DAYS.max}; empty: no limit`;
  return (
    <Grid container spacing={1}>
      {list('include', 'Include', `${PATTERN_HELP}; empty: everything`)}
      {list('never', 'Never', 'Images matching these are left out')}
      {list('always', 'Always', 'Kept whatever the other filters say')}
      <Grid item xs={12} sm={4}>
        <Field
          label="Latest tags per repository"
          value={values.latestTags}
          onChange={latestTags => change({ latestTags })}
          error={errors['filters.latestTags']}
          helperText={`${FILTER_LATEST_TAGS.min}–${FILTER_LATEST_TAGS.max}; empty: all`}
        />
      </Grid>
      <Grid item xs={12} sm={4}>
        <Field
          label="Created within"
          value={values.createdWithinDays}
          onChange={createdWithinDays => change({ createdWithinDays })}
          error={errors['filters.createdWithinDays']}
          helperText={days}
        />
      </Grid>
      <Grid item xs={12} sm={4}>
        <Field
          label="Pushed within"
          value={values.pushedWithinDays}
          onChange={pushedWithinDays => change({ pushedWithinDays })}
          error={errors['filters.pushedWithinDays']}
          helperText={days}
        />
      </Grid>
    </Grid>
  );
}

function TransportFields({ values, change, errors }: Props) {
  const hasError = Object.keys(errors).some(key => key.startsWith('transport'));
  const [expanded, setExpanded] = useState(false);
  return (
    <Accordion
      expanded={expanded || hasError}
      onChange={(_, open) => setExpanded(open)}
    >
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography>
          Transport: connections, timeouts, rate limit, TLS
        </Typography>
      </AccordionSummary>
      <AccordionDetails>
        <Grid container spacing={1}>
          {TRANSPORT_NUMBER_FIELDS.map(field => (
            <Grid item xs={12} sm={6} md={4} key={field}>
              <Field
                label={TRANSPORT_LABELS[field]}
                value={values.transport[field]}
                onChange={value =>
                  change({ transport: { ...values.transport, [field]: value } })
                }
                error={errors[`transport.${field}`]}
                helperText={transportHelp(field)}
              />
            </Grid>
          ))}
          <Grid item xs={12}>
            <FormControlLabel
              control={
                <Checkbox
                  checked={values.insecureSkipTlsVerify}
                  onChange={event =>
                    change({ insecureSkipTlsVerify: event.target.checked })
                  }
                />
              }
              label="Skip TLS verification (insecure; prefer a CA bundle)"
            />
          </Grid>
          <Grid item xs={12} sm={6}>
            <Field
              label="CA bundle (PEM)"
              multiline
              minRows={3}
              value={values.caCert}
              onChange={caCert => change({ caCert })}
              error={errors['transport.caCert']}
              helperText="Trusted besides the system CAs"
            />
          </Grid>
          <Grid item xs={12} sm={6}>
            <Field
              label="Other hosts the registry may send the crawler to"
              multiline
              minRows={3}
              value={values.allowedHosts}
              onChange={allowedHosts => change({ allowedHosts })}
              error={errors['transport.allowedHosts']}
              helperText="Object stores or CDNs it redirects to: one host[:port] a line, *.example.com for any subdomain; never sent credentials"
            />
          </Grid>
        </Grid>
      </AccordionDetails>
    </Accordion>
  );
}

/** The fields of a registry connection, grouped as an admin thinks of them. */
export function RegistryFormFields(props: Props) {
  const { values, change, errors } = props;
  return (
    <>
      <ConnectionFields {...props} />
      <Section title="Authentication">
        <AuthFields {...props} />
      </Section>
      <AdapterOptionFields {...props} />
      <Section title="What to load">
        <Field
          label="Repositories to load"
          multiline
          minRows={2}
          value={values.repositories}
          onChange={repositories => change({ repositories })}
          error={errors.repositories}
          helperText="One a line, * for any characters (team/*); empty: every repository the registry lists"
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={values.loadFullImagesList}
              onChange={event =>
                change({ loadFullImagesList: event.target.checked })
              }
            />
          }
          label="Load full images list (every tag, not only those the filters keep)"
        />
      </Section>
      <Section title="Schedule">
        <ScheduleFields {...props} />
      </Section>
      <Section title="Filters">
        <FilterFields {...props} />
      </Section>
      <Box mt={2}>
        <TransportFields {...props} />
      </Box>
    </>
  );
}
