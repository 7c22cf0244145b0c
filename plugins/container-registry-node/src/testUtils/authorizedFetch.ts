import type { TestRegistry } from './TestRegistry';

type Credentials = { username: string; password: string };

const basicHeader = ({ username, password }: Credentials) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** Asks the realm of the registry's Bearer challenge for a token covering `scope`. */
async function bearerHeader(
  registry: TestRegistry,
  credentials: Credentials,
  scope?: string,
) {
  const challenge = (await fetch(`${registry.url}/v2/`)).headers.get(
    'www-authenticate',
  )!;
  const param = (name: string) =>
    challenge.match(new RegExp(`${name}="([^"]*)"`))?.[1];
  const url = new URL(param('realm')!);
  url.searchParams.set('service', param('service')!);
  if (scope) url.searchParams.set('scope', scope);
  const answer = await fetch(url, {
    headers: { authorization: basicHeader(credentials) },
  });
  const { token } = (await answer.json()) as { token: string };
  return `Bearer ${token}`;
}

/**
 * GETs a registry path as its first user: plain for an open registry, Basic for htpasswd, and
 * a token for `scope` with token auth. For tests that read back what was pushed.
 */
export async function authorizedFetch(
  registry: TestRegistry,
  path: string,
  options: { accept?: string; scope?: string } = {},
): Promise<Response> {
  const headers = new Headers(options.accept ? { accept: options.accept } : {});
  const { credentials, tokenServer } = registry;
  if (credentials) {
    headers.set(
      'authorization',
      tokenServer
        ? await bearerHeader(registry, credentials, options.scope)
        : basicHeader(credentials),
    );
  }
  return fetch(new URL(path, registry.url), { headers });
}
