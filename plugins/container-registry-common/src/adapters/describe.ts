/**
 * What a registry adapter declares of itself, so that the backend's validation, the page's
 * form and the command line all follow the adapter instead of a fixed list of products.
 */

/** One option of an adapter, kept under the connection's `<type>:` key. */
export interface AdapterOptionField {
  key: string;
  label: string;
  /** `list` is a list of strings; `url` an http(s) URL without credentials. */
  kind: 'text' | 'url' | 'list' | 'boolean' | 'number' | 'choice';
  required?: boolean;
  /** For `choice`: the accepted values. */
  choices?: readonly string[];
  /** For `text` and each entry of `list`: a regular expression the value must match. */
  pattern?: string;
  /** What `pattern` asks for, in words: `must be ${patternHint}`. */
  patternHint?: string;
  /** For `number`: bounds, whole numbers only. */
  min?: number;
  max?: number;
  /** One sentence for the form: what the option does and what to put there. */
  help?: string;
}

/**
 * How a product names the shared credential fields (`auth.username`, `auth.password`,
 * `auth.token`); a field the product does not use is left out. Secrets stay in those fields
 * so that they are encrypted and never shown, whatever the product.
 */
export interface AdapterCredentialLabels {
  username?: string;
  password?: string;
  token?: string;
}

/** An adapter as the page and the validation see it. */
export interface RegistryAdapterDescription {
  /** The connection's `type`. */
  type: string;
  /** The product's name, as the form lists it; the type when absent. */
  title?: string;
  options?: readonly AdapterOptionField[];
  credentials?: AdapterCredentialLabels;
}

export interface AdapterOptionError {
  /** The option's key; the caller puts its own prefix before it. */
  field: string;
  message: string;
}

export type AdapterOptionsResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; errors: AdapterOptionError[] };

function checkUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return `must use http or https, not ${url.protocol.replace(':', '')}`;
    if (url.username || url.password)
      return 'must not carry a user name or password (put them under authentication)';
    return undefined;
  } catch {
    return 'must be an http(s) URL';
  }
}

function patternProblem(
  field: AdapterOptionField,
  text: string,
): string | undefined {
  if (!field.pattern || new RegExp(field.pattern).test(text)) return undefined;
  return `must be ${
    field.patternHint ?? `like ${field.pattern}`
  }, got "${text}"`;
}

/** Checks one option's value; the normalised value, or why it is not accepted. */
function checkOption(
  field: AdapterOptionField,
  value: unknown,
): { value: unknown } | { error: string } {
  switch (field.kind) {
    case 'text':
    case 'url':
    case 'choice': {
      if (typeof value !== 'string' || value.trim() === '')
        return { error: 'must be a non-empty text' };
      const text = value.trim();
      if (field.kind === 'url') {
        const problem = checkUrl(text);
        return problem
          ? { error: problem }
          : { value: text.replace(/\/+$/, '') };
      }
      if (field.choices && !field.choices.includes(text))
        return { error: `must be one of ${field.choices.join(', ')}` };
      const problem = patternProblem(field, text);
      return problem ? { error: problem } : { value: text };
    }
    case 'list': {
      if (
        !Array.isArray(value) ||
        value.some(v => typeof v !== 'string' || v.trim() === '')
      )
        return { error: 'must be a list of non-empty texts' };
      const entries = value.map(v => (v as string).trim());
      const problem = entries
        .map(entry => patternProblem(field, entry))
        .find(Boolean);
      return problem ? { error: problem } : { value: entries };
    }
    case 'boolean':
      return typeof value === 'boolean'
        ? { value }
        : { error: 'must be true or false' };
    case 'number': {
      const { min = -Infinity, max = Infinity } = field;
      if (typeof value !== 'number' || !Number.isInteger(value))
        return { error: 'must be a whole number' };
      if (value < min || value > max)
        return { error: `must be from ${min} to ${max}` };
      return { value };
    }
    default:
      return { error: 'has an unknown kind' };
  }
}

/**
 * Validates a connection's adapter options against what the adapter declares: unknown keys,
 * missing required ones and wrong values are errors naming the key. Empty texts and lists
 * count as absent, as the form sends them.
 */
export function validateAdapterOptions(
  adapter: RegistryAdapterDescription,
  raw: unknown,
): AdapterOptionsResult {
  const input = raw ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    return {
      ok: false,
      errors: [{ field: '', message: 'must be an object of options' }],
    };
  }
  const fields = adapter.options ?? [];
  const title = adapter.title ?? adapter.type;
  const errors: AdapterOptionError[] = [];
  const value: Record<string, unknown> = {};
  for (const [key, given] of Object.entries(input)) {
    const field = fields.find(f => f.key === key);
    if (!field) {
      errors.push({
        field: key,
        message: fields.length
          ? `is not an option of ${title} (options: ${fields
              .map(f => f.key)
              .join(', ')})`
          : `is not an option: ${title} takes none`,
      });
      continue;
    }
    const absent =
      given === undefined ||
      given === null ||
      (typeof given === 'string' && given.trim() === '') ||
      (Array.isArray(given) && given.length === 0);
    if (absent) continue;
    const checked = checkOption(field, given);
    if ('error' in checked) errors.push({ field: key, message: checked.error });
    else value[key] = checked.value;
  }
  for (const field of fields) {
    if (
      field.required &&
      value[field.key] === undefined &&
      !errors.some(e => e.field === field.key)
    ) {
      errors.push({ field: field.key, message: `is required for ${title}` });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}
