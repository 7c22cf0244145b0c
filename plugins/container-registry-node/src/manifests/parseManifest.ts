import {
  normalizeRfc3339,
  type ImagePlatform,
} from '@container-inventory/plugin-container-registry-common';
import { RegistryError } from '../errors';
import { isValidDigest } from './digest';
import {
  IMAGE_CONFIG_MEDIA_TYPES,
  INDEX_MEDIA_TYPES,
  MediaType,
} from './mediaTypes';

/** A manifest list / image index: its platforms are known without further requests. */
export interface ParsedIndex {
  kind: 'index';
  mediaType: string;
  platforms: ImagePlatform[];
  annotations: Record<string, string>;
  /**
   * The entry whose config describes the whole index when the index itself carries no date:
   * the first linux/amd64 image, else the first entry that is not an attestation.
   */
  representative?: { digest: string; mediaType?: string };
}

/** A single-platform manifest: its platform, date and labels live in the config blob. */
export interface ParsedImage {
  kind: 'image';
  mediaType: string;
  /** Absent for schema1 and for artifacts whose config is not an image config. */
  configDigest?: string;
  annotations: Record<string, string>;
  /** Schema1 carries its platform and config inline. */
  inline?: ImageConfigDetails;
}

export type ParsedManifest = ParsedIndex | ParsedImage;

export interface ImageConfigDetails {
  platform?: ImagePlatform;
  created?: string;
  labels: Record<string, string>;
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

function invalid(message: string): never {
  throw new RegistryError('invalid-response', message);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
}

/** Buildkit stores provenance/SBOM as an index entry; it is not a platform of the image. */
export function isAttestation(entry: Descriptor): boolean {
  return (
    entry.annotations?.['vnd.docker.reference.type'] ===
      'attestation-manifest' ||
    (entry.platform?.os === 'unknown' &&
      entry.platform?.architecture === 'unknown')
  );
}

export function comparePlatforms(a: ImagePlatform, b: ImagePlatform): number {
  const key = (p: ImagePlatform) =>
    `${p.os}/${p.architecture}/${p.variant ?? ''}`;
  return key(a).localeCompare(key(b));
}

/** Index entries as descriptors; anything else (`null`, a string) makes the index invalid. */
function indexEntries(manifests: unknown[]): Descriptor[] {
  manifests.forEach((entry, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
      invalid(`Entry ${i} of the index is not a descriptor`);
    const digest = (entry as Descriptor).digest;
    if (digest !== undefined && !isValidDigest(digest))
      invalid(`Entry ${i} of the index has an invalid digest`);
  });
  return manifests as Descriptor[];
}

function representativeEntry(
  entries: Descriptor[],
): ParsedIndex['representative'] {
  const candidates = entries.filter(e => e.digest && !isAttestation(e));
  const chosen =
    candidates.find(
      e => e.platform?.os === 'linux' && e.platform?.architecture === 'amd64',
    ) ?? candidates[0];
  if (!chosen) return undefined;
  return {
    digest: chosen.digest!,
    ...(typeof chosen.mediaType === 'string'
      ? { mediaType: chosen.mediaType }
      : {}),
  };
}

function indexPlatforms(entries: Descriptor[]): ImagePlatform[] {
  return entries
    .filter(entry => entry.platform && !isAttestation(entry))
    .map(entry => ({
      os: entry.platform!.os ?? 'unknown',
      architecture: entry.platform!.architecture ?? 'unknown',
      ...(entry.platform!.variant ? { variant: entry.platform!.variant } : {}),
      ...(entry.digest ? { digest: entry.digest } : {}),
    }))
    .sort(comparePlatforms);
}

function detectMediaType(doc: any, contentType: string | undefined): string {
  if (typeof doc.mediaType === 'string') return doc.mediaType;
  if (doc.schemaVersion === 1) return MediaType.dockerSchema1Signed;
  const headerType = contentType?.split(';')[0].trim();
  if (headerType && headerType !== 'application/json') return headerType;
  if (Array.isArray(doc.manifests)) return MediaType.ociIndex;
  if (doc.config) return MediaType.ociManifest;
  return headerType ?? 'unknown';
}

const optionalString = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

function parseSchema1(doc: any): ImageConfigDetails {
  if (doc.history !== undefined && !Array.isArray(doc.history))
    invalid('The schema1 manifest has a history that is not a list');
  if (doc.architecture !== undefined && typeof doc.architecture !== 'string')
    invalid('The schema1 manifest has an architecture that is not a name');
  let v1: any = {};
  try {
    v1 = JSON.parse(doc.history?.[0]?.v1Compatibility ?? '{}') ?? {};
  } catch {
    // a schema1 manifest without readable history still names its architecture
  }
  if (typeof v1 !== 'object') v1 = {};
  return {
    platform: {
      os: optionalString(v1.os) ?? 'linux',
      architecture:
        doc.architecture ?? optionalString(v1.architecture) ?? 'unknown',
    },
    created: normalizeRfc3339(v1.created),
    labels: stringRecord(v1.config?.Labels),
  };
}

/** Classifies a manifest by its media type and extracts what the inventory needs. */
export function parseManifest(
  bytes: Buffer,
  contentType: string | undefined,
): ParsedManifest {
  let doc: any;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    return invalid('The manifest is not valid JSON');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    invalid('The manifest is not a JSON object');
  const mediaType = detectMediaType(doc, contentType);
  const annotations = stringRecord(doc.annotations);

  if (INDEX_MEDIA_TYPES.includes(mediaType)) {
    if (!Array.isArray(doc.manifests))
      invalid('The index has no manifests array');
    const entries = indexEntries(doc.manifests);
    const representative = representativeEntry(entries);
    return {
      kind: 'index',
      mediaType,
      platforms: indexPlatforms(entries),
      annotations,
      ...(representative ? { representative } : {}),
    };
  }
  if (
    mediaType === MediaType.dockerSchema1 ||
    mediaType === MediaType.dockerSchema1Signed
  ) {
    return { kind: 'image', mediaType, annotations, inline: parseSchema1(doc) };
  }
  if (
    mediaType === MediaType.dockerManifest ||
    mediaType === MediaType.ociManifest
  ) {
    const config: Descriptor | undefined = doc.config;
    if (!config || typeof config !== 'object' || !config.digest)
      invalid('The manifest has no config descriptor');
    if (!isValidDigest(config.digest))
      invalid('The manifest names a config digest that is not a valid digest');
    const isImage =
      !config.mediaType || IMAGE_CONFIG_MEDIA_TYPES.includes(config.mediaType);
    return {
      kind: 'image',
      mediaType,
      annotations,
      ...(isImage ? { configDigest: config.digest } : {}),
    };
  }
  throw new RegistryError(
    'unsupported-media-type',
    `Unsupported manifest media type "${mediaType}"`,
  );
}

/** Platform, build date and labels from an image config blob. */
export function parseImageConfig(bytes: Buffer): ImageConfigDetails {
  let doc: any;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    return invalid('The image config is not valid JSON');
  }
  const labels = stringRecord(doc?.config?.Labels);
  const created =
    normalizeRfc3339(doc?.created) ??
    normalizeRfc3339(labels['org.opencontainers.image.created']);
  const platform =
    typeof doc?.os === 'string' && typeof doc?.architecture === 'string'
      ? {
          os: doc.os,
          architecture: doc.architecture,
          ...(typeof doc.variant === 'string' ? { variant: doc.variant } : {}),
        }
      : undefined;
  return { platform, created, labels };
}
