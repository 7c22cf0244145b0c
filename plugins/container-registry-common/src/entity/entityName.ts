const MAX_NAME_LENGTH = 63;
const DIGEST_PART_LENGTH = 12;
const SUFFIX_LENGTH = 6;

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** FNV-1a: stable, tiny, and the same in the browser and in Node. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0').slice(0, SUFFIX_LENGTH);
}

/**
 * The catalog name of an image: `<slug of repository>-<first 12 hex of digest>`, at most 63
 * characters. A long repository is cut, and `disambiguate` (used when the plain name is taken)
 * adds a hash of registry, repository and digest; `attempt` salts that hash should it collide.
 * The inventory stores the name it chose, so a name never changes once given.
 */
export function containerImageEntityName(options: {
  registry: string;
  repository: string;
  digest: string;
  disambiguate?: boolean;
  attempt?: number;
}): string {
  const hex = options.digest
    .replace(/^sha256:/, '')
    .slice(0, DIGEST_PART_LENGTH);
  const slug = slugify(options.repository) || 'image';
  const plainRoom = MAX_NAME_LENGTH - hex.length - 1;
  if (!options.disambiguate && slug.length <= plainRoom) {
    return `${slug}-${hex}`;
  }
  const suffix = shortHash(
    `${options.registry}/${options.repository}@${options.digest}#${
      options.attempt ?? 0
    }`,
  );
  const room = MAX_NAME_LENGTH - hex.length - suffix.length - 2;
  const head = slug.slice(0, room).replace(/-+$/, '');
  return `${head}-${hex}-${suffix}`;
}

/** Catalog title of an image: `<repository>@sha256:<12 hex>`. */
export function containerImageEntityTitle(repository: string, digest: string) {
  return `${repository}@${digest.slice(
    0,
    'sha256:'.length + DIGEST_PART_LENGTH,
  )}`;
}
