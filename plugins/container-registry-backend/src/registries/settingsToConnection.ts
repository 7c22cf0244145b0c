import { ConfigReader } from '@backstage/config';
import type {
  RegistrySettings,
  RegistrySettingsView,
} from '@container-inventory/plugin-container-registry-common';
import {
  readRegistryConnection,
  RegistryAdapterFactory,
  RegistryConnection,
} from '@container-inventory/plugin-container-registry-node';
import type { JsonObject } from '@backstage/types';
import type { ConnectionSecrets } from '../database/RegistryConnectionStore';

/** Where each credential of the settings is kept in the encrypted store. */
export const SECRET_FIELDS = ['auth.password', 'auth.token'] as const;

/** Transport settings the page gives in seconds; the connection takes milliseconds. */
const SECONDS_SETTINGS = [
  'keepAliveExpiry',
  'connectTimeout',
  'poolTimeout',
  'readTimeout',
  'writeTimeout',
  'requestTimeout',
] as const;

/** The settings without credentials, as the store keeps them. */
export function settingsWithoutSecrets(settings: RegistrySettings): JsonObject {
  const { password: _password, token: _token, ...auth } = settings.auth;
  return JSON.parse(JSON.stringify({ ...settings, auth }));
}

/** The credentials given in the settings, by store field. */
export function secretsOf(settings: RegistrySettings): ConnectionSecrets {
  const secrets: ConnectionSecrets = {};
  if (settings.auth.password !== undefined)
    secrets['auth.password'] = settings.auth.password;
  if (settings.auth.token !== undefined)
    secrets['auth.token'] = settings.auth.token;
  return secrets;
}

/**
 * The crawler's connection for settings made on the page, read through the same reader as
 * app-config entries, so both are checked and defaulted alike.
 */
export function settingsToConnection(
  settings: RegistrySettings,
  secrets: ConnectionSecrets,
  adapterFactories?: RegistryAdapterFactory[],
): RegistryConnection {
  const transport: Record<string, unknown> = { ...settings.transport };
  for (const key of SECONDS_SETTINGS) {
    const seconds = transport[key];
    if (typeof seconds === 'number')
      transport[key] = Math.round(seconds * 1000);
  }
  const auth = {
    type: settings.auth.type,
    ...(settings.auth.username ? { username: settings.auth.username } : {}),
    ...(secrets['auth.password'] !== undefined
      ? { password: secrets['auth.password'] }
      : {}),
    ...(secrets['auth.token'] !== undefined
      ? { token: secrets['auth.token'] }
      : {}),
  };
  return readRegistryConnection(
    new ConfigReader(
      JSON.parse(
        JSON.stringify({
          id: settings.id,
          name: settings.name,
          type: settings.type,
          url: settings.url,
          auth,
          repositories: settings.repositories,
          transport,
          ...(settings.options ? { options: settings.options } : {}),
        }),
      ),
    ),
    settings.id,
    { adapterFactories },
  );
}

/** Settings as answers show them: each credential only as whether it is set. */
export function settingsView(
  settings: RegistrySettings,
  secretFields: readonly string[],
): RegistrySettingsView {
  const { password: _password, token: _token, ...auth } = settings.auth;
  return {
    ...settings,
    auth: {
      ...auth,
      password: { set: secretFields.includes('auth.password') },
      token: { set: secretFields.includes('auth.token') },
    },
  };
}
