import type { ImagePlatform } from '@container-inventory/plugin-container-registry-common';
import { RegistryError } from '../errors';
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

function parseSchema1(doc: any): ImageConfigDetails {
  let v1: any = {};
  try {
    v1 = JSON.parse(doc.history?.[0]?.v1Compatibility ?? '{}');
  } catch {
    // a schema1 manifest without readable history still names its architecture
  }
  return {
    platform: {
      os: v1.os ?? 'linux',
      architecture: doc.architecture ?? v1.architecture ?? 'unknown',
    },
    created: typeof v1.created === 'string' ? v1.created : undefined,
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
  if (!doc || typeof doc !== 'object')
    invalid('The manifest is not a JSON object');
  const mediaType = detectMediaType(doc, contentType);
  const annotations = stringRecord(doc.annotations);

  if (INDEX_MEDIA_TYPES.includes(mediaType)) {
    if (!Array.isArray(doc.manifests))
      invalid('The index has no manifests array');
    return {
      kind: 'index',
      mediaType,
      platforms: indexPlatforms(doc.manifests),
      annotations,
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
    if (!config?.digest) invalid('The manifest has no config descriptor');
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
    (typeof doc?.created === 'string' ? doc.created : undefined) ??
    labels['org.opencontainers.image.created'];
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
