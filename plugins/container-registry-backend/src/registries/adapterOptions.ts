import {
  RegistryAdapterDescription,
  RegistrySettings,
  SettingsFieldError,
  validateAdapterOptions,
} from '@container-inventory/plugin-container-registry-common';
import type { RegistryAdapterFactory } from '@container-inventory/plugin-container-registry-node';

/**
 * The settings' adapter options checked by what their adapter declares, normalised; errors
 * name `options.<key>` as the page's form does. Settings of an unknown type are left to the
 * settings schema, which names the known types.
 */
export function checkAdapterOptions(
  settings: RegistrySettings,
  factories: RegistryAdapterFactory[],
):
  | { ok: true; value: RegistrySettings }
  | { ok: false; errors: SettingsFieldError[] } {
  const factory = factories.find(f => f.type === settings.type);
  if (!factory) return { ok: true, value: settings };
  const checked = validateAdapterOptions(factory, settings.options);
  if (!checked.ok) {
    return {
      ok: false,
      errors: checked.errors.map(e => ({
        field: e.field ? `options.${e.field}` : 'options',
        message: e.message,
      })),
    };
  }
  const { options: _given, ...rest } = settings;
  return {
    ok: true,
    value: Object.keys(checked.value).length
      ? { ...rest, options: checked.value }
      : rest,
  };
}

/** What the page needs to know of each adapter to render its fields; first one of a type wins. */
export function adapterDescriptions(
  factories: RegistryAdapterFactory[],
): RegistryAdapterDescription[] {
  const seen = new Set<string>();
  return factories.flatMap(({ type, title, options, credentials }) => {
    if (seen.has(type)) return [];
    seen.add(type);
    return [
      {
        type,
        title: title ?? type,
        options: options ?? [],
        ...(credentials ? { credentials } : {}),
      },
    ];
  });
}
