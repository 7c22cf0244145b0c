/** `scheme://` or `scheme:` prefixes Backstage and CI tools put before a repository URL. */
const PREFIXES = /^(?:url:|git\+)+/i;
/** scp-like git address: `git@github.com:acme/web.git`. */
const SCP_LIKE = /^[\w.-]+@([\w.-]+):(?!\/\/)(.+)$/;
/** Where a repository's browsable tree starts on GitHub, GitLab, Gitea and Bitbucket. */
const TREE_MARKERS = ['/-/tree/', '/-/blob/', '/tree/', '/blob/', '/src/'];

/**
 * A source location reduced to `host/path` of its repository, so that an image's
 * `org.opencontainers.image.source` and a Component's `backstage.io/source-location` compare
 * equal however each was written: with or without `url:`/`git+` prefixes, scheme, `.git`,
 * trailing slash, host case, or a `tree/<branch>/<path>` inside the repository.
 */
export function normalizeSourceUrl(
  value: string | undefined,
): string | undefined {
  if (!value) return undefined;
  let text = value.trim().replace(PREFIXES, '');
  const scp = SCP_LIKE.exec(text);
  if (scp) text = `ssh://${scp[1]}/${scp[2]}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!url.hostname) return undefined;
  let path = decodeURIComponent(url.pathname);
  for (const marker of TREE_MARKERS) {
    const at = path.indexOf(marker);
    if (at > 0) {
      path = path.slice(0, at);
      break;
    }
  }
  path = path
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  if (!path || path === '/') return undefined;
  const port =
    url.port && !['22', '80', '443'].includes(url.port) ? `:${url.port}` : '';
  return `${url.hostname.toLowerCase()}${port}${path}`;
}
