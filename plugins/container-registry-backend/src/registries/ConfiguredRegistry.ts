import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import type {
  RegistryFilterSettings,
  RegistrySettingsView,
} from '@container-inventory/plugin-container-registry-common';
import type { RegistryConnection } from '@container-inventory/plugin-container-registry-node';

/** A registry connection with when to crawl it, what to keep, and where it was defined. */
export interface ConfiguredRegistry {
  connection: RegistryConnection;
  active: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  source: 'config' | 'database';
  filters: RegistryFilterSettings;
  /** The settings as the page shows them: secrets only as whether they are set. */
  view: RegistrySettingsView;
}
