import { z } from 'zod';
import {
  registrySettingsSchema,
  RegistrySettings,
  RegistrySettingsSchemaOptions,
} from './schema';

/** One thing wrong with submitted settings: the field's path and the reason in words. */
export interface SettingsFieldError {
  /** Dotted path, e.g. `transport.maxConnections` or `filters.never.2`. */
  field: string;
  message: string;
}

export type SettingsValidationResult =
  | { ok: true; value: RegistrySettings }
  | { ok: false; errors: SettingsFieldError[] };

function messageOf(issue: z.ZodIssue): string {
  if (issue.code === z.ZodIssueCode.invalid_type) {
    if (issue.received === 'undefined') return 'is required';
    if (issue.expected === 'number') return 'must be a number';
    const expected =
      issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
    return `must be ${expected}, not ${issue.received}`;
  }
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return `has unknown fields: ${issue.keys.join(', ')}`;
  }
  return issue.message;
}

/**
 * Checks a registry connection's settings against the shared schema, the same for the form and
 * the API. Every error names its field and says why.
 */
export function validateRegistrySettings(
  input: unknown,
  options: RegistrySettingsSchemaOptions,
): SettingsValidationResult {
  const parsed = registrySettingsSchema(options).safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map(issue => ({
      field: issue.path.join('.') || '(settings)',
      message: messageOf(issue),
    })),
  };
}

/**
 * "transport.maxConnections must be at least 1; name is required", for an API's 400 answer.
 * Reasons never contain "; ", so `parseSettingsErrors` can split them again.
 */
export function describeSettingsErrors(errors: SettingsFieldError[]): string {
  return errors.map(error => `${error.field} ${error.message}`).join('; ');
}

/**
 * Reads errors back from a 400's message in the shape `describeSettingsErrors` writes, so a
 * form can put each one beside its field. Unknown parts come back under `(settings)`.
 */
export function parseSettingsErrors(
  message: string,
  fields: readonly string[],
): SettingsFieldError[] {
  const longestFirst = [...fields].sort((a, b) => b.length - a.length);
  return message
    .split('; ')
    .filter(Boolean)
    .map(whole => {
      // Tolerate a leading sentence such as "Invalid registry settings: name is required".
      const candidates = [whole, whole.slice(whole.indexOf(': ') + 2)];
      let field: string | undefined;
      const part =
        candidates.find(candidate => {
          field = longestFirst.find(
            name =>
              candidate.startsWith(`${name} `) ||
              candidate.startsWith(`${name}.`),
          );
          return field !== undefined;
        }) ?? whole;
      if (!field) return { field: '(settings)', message: part };
      const rest = part.slice(field.length);
      // "filters.never.2 must…" belongs to the filters.never field.
      const detail = rest.startsWith('.')
        ? rest.replace(/^\.\S*\s/, '')
        : rest.trimStart();
      return { field, message: detail };
    });
}
