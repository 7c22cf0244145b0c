import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  NumericTransportSetting,
  RegistrySchedule,
  RegistrySettingsView,
  TRANSPORT_SETTINGS,
} from '@container-inventory/plugin-container-registry-common';
import { TRANSPORT_LABELS } from '../transportLabels';
import { PageTranslation, usePageTranslation } from '../../translation';

function describeSchedule(schedule: RegistrySchedule): string {
  switch (schedule.type) {
    case 'interval':
      return `every ${schedule.minutes} minutes`;
    case 'cron':
      return `cron "${schedule.expression}"`;
    default:
      return schedule.everyDays === 1
        ? `daily at ${schedule.at}`
        : `every ${schedule.everyDays} days at ${schedule.at}`;
  }
}

const listOrDash = (items?: string[]) =>
  items && items.length > 0 ? items.join(', ') : '—';

const secret = (state: { set: boolean }, t: PageTranslation) =>
  state.set ? t('secretSet') : t('secretNotSet');

/** Each transport setting that is set, with its unit; "defaults" when none is. */
function transportRows(
  transport: RegistrySettingsView['transport'],
): Record<string, string> {
  const rows: Record<string, string> = {};
  for (const key of Object.keys(
    TRANSPORT_LABELS,
  ) as NumericTransportSetting[]) {
    const value = transport[key];
    if (value !== undefined) {
      rows[TRANSPORT_LABELS[key]] = `${value} ${TRANSPORT_SETTINGS[key].unit}`;
    }
  }
  if (transport.insecureSkipTlsVerify) {
    rows['Skip TLS verification'] = 'yes (insecure)';
  }
  if (transport.caCert) rows['CA bundle'] = 'set';
  if (transport.allowedHosts?.length) {
    rows['Other hosts it may send the crawler to'] =
      transport.allowedHosts.join(', ');
  }
  return Object.keys(rows).length > 0 ? rows : { Transport: 'defaults' };
}

/** A registry's settings, with secrets only as "set" or "not set". */
export function SettingsCard({ settings }: { settings: RegistrySettingsView }) {
  const t = usePageTranslation();
  const { auth, transport, filters } = settings;
  const metadata: Record<string, string> = {
    Id: settings.id,
    Type: settings.type,
    URL: settings.url,
    Description: settings.description ?? '—',
    Active: settings.active ? 'yes' : 'no',
    Authentication: auth.type,
    ...(auth.username && { Username: auth.username }),
    ...(auth.type !== 'none' &&
      auth.type !== 'bearer' && {
        Password: secret(auth.password, t),
      }),
    ...(auth.type === 'bearer' && { Token: secret(auth.token, t) }),
    Repositories: settings.repositories.length
      ? settings.repositories.join(', ')
      : 'all',
    'Load full images list': settings.loadFullImagesList ? 'yes' : 'no',
    Schedule: describeSchedule(settings.schedule),
    'Filters: include': listOrDash(filters.include),
    'Filters: never': listOrDash(filters.never),
    'Filters: always': listOrDash(filters.always),
    ...(filters.latestTags !== undefined && {
      'Latest tags per repository': String(filters.latestTags),
    }),
    ...(filters.createdWithinDays !== undefined && {
      'Created within': `${filters.createdWithinDays} days`,
    }),
    ...(filters.pushedWithinDays !== undefined && {
      'Pushed within': `${filters.pushedWithinDays} days`,
    }),
    ...transportRows(transport),
  };
  return (
    <InfoCard title="Settings">
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}
