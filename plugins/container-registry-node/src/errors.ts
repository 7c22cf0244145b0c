/** Why a registry request failed, in categories an admin can act on. */
export type RegistryErrorReason =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'timeout'
  | 'tls'
  | 'network'
  | 'server-error'
  | 'invalid-response'
  | 'digest-mismatch'
  | 'unsupported-media-type'
  | 'pagination-loop'
  | 'cross-host'
  | 'aborted';

const ADVICE: Record<RegistryErrorReason, string> = {
  unauthorized: 'check the username, password or token of this connection',
  forbidden:
    'the credentials are valid but lack permission (for listing all repositories the account needs catalog access)',
  'not-found': 'check the registry URL and repository names',
  'rate-limited':
    'the registry is rate-limiting; lower "max requests per second" or crawl less often',
  timeout:
    'the registry did not answer in time; check the network or raise the timeouts',
  tls: 'the TLS certificate was not accepted; set a custom CA or, for testing only, skip TLS verification',
  network: 'the registry could not be reached; check the URL, DNS and firewall',
  'server-error': 'the registry failed; try again later',
  'invalid-response':
    'the registry answered something that is not a valid registry response',
  'digest-mismatch':
    'the manifest bytes do not match the digest the registry announced',
  'unsupported-media-type': 'the manifest type is not a container image',
  'pagination-loop':
    'the registry repeated a page; the listing was stopped to avoid looping',
  'cross-host':
    'the registry pointed somewhere the crawler does not go (credentials to another origin, https to http, or a private, loopback or link-local address); list hosts you trust in auth.realmHosts or transport.allowedHosts',
  aborted: 'the crawl was cancelled before this could be read',
};

/**
 * URLs in a message without their query (presigned object-store URLs carry signatures
 * there) and without user-info.
 */
export function redactUrls(text: string): string {
  return text.replace(
    /\b(https?:\/\/)([^\s/?#]*@)?([^\s?#]*)(\?[^\s#]*)?/gi,
    '$1$3',
  );
}

/** At most the first `max` characters of text from a registry, without control characters. */
export function snippet(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** A failed registry exchange: the reason, the HTTP status if any, and advice for the admin. */
export class RegistryError extends Error {
  readonly reason: RegistryErrorReason;
  readonly status?: number;

  constructor(
    reason: RegistryErrorReason,
    message: string,
    options?: { status?: number; cause?: unknown },
  ) {
    super(redactUrls(message), { cause: options?.cause });
    this.name = 'RegistryError';
    this.reason = reason;
    this.status = options?.status;
  }

  /** The message followed by what to do about it. */
  get advice(): string {
    return `${this.message}: ${ADVICE[this.reason]}`;
  }
}

export function isRegistryError(error: unknown): error is RegistryError {
  return error instanceof RegistryError;
}

/** Any thrown value as a RegistryError, so reports can count failures by reason. */
export function toRegistryError(error: unknown): RegistryError {
  if (isRegistryError(error)) return error;
  const code = (error as { code?: string })?.code ?? '';
  const message = (error as Error)?.message ?? String(error);
  if (/TIMEOUT/i.test(code) || /timeout/i.test(message)) {
    return new RegistryError('timeout', message, { cause: error });
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code + message)) {
    return new RegistryError('tls', message, { cause: error });
  }
  return new RegistryError('network', message, { cause: error });
}
