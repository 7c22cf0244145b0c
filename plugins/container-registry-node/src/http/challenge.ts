/** A parsed `WWW-Authenticate` header. */
export interface AuthChallenge {
  scheme: 'basic' | 'bearer';
  realm?: string;
  service?: string;
  scope?: string;
  /** e.g. `insufficient_scope` when the token lacked a permission. */
  error?: string;
}

/** Parses `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`; undefined for other schemes. */
export function parseAuthChallenge(
  header: string | undefined,
): AuthChallenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const scheme = match[1].toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  const paramPattern = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const param of match[2].matchAll(paramPattern)) {
    params[param[1].toLowerCase()] = (param[2] ?? param[3] ?? '').replace(
      /\\(.)/g,
      '$1',
    );
  }
  return {
    scheme,
    realm: params.realm,
    service: params.service,
    scope: params.scope,
    error: params.error,
  };
}
