import { CopyTextButton } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  CONTAINER_IMAGE_KIND,
  ImageLifecycle,
  ImagePlatform,
} from '@container-inventory/plugin-container-registry-common';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { formatAge, formatDate, formatPlatform, shortDigest } from './format';
import { imageStrings } from './strings';

const LIFECYCLE_COLORS: Record<ImageLifecycle, 'primary' | 'default'> = {
  latest: 'primary',
  outdated: 'default',
  pending: 'default',
};

export function LifecycleChip({ lifecycle }: { lifecycle: ImageLifecycle }) {
  return (
    <Chip
      size="small"
      label={imageStrings.lifecycle[lifecycle]}
      color={LIFECYCLE_COLORS[lifecycle]}
      variant={lifecycle === 'pending' ? 'outlined' : 'default'}
    />
  );
}

/** Tags as chips; with `max`, the rest collapse into "+N" whose tooltip lists them. */
export function TagChips({ tags, max }: { tags: string[]; max?: number }) {
  if (tags.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {imageStrings.card.noTags}
      </Typography>
    );
  }
  const shown = max === undefined ? tags : tags.slice(0, max);
  const hidden = tags.slice(shown.length);
  return (
    <>
      {shown.map(tag => (
        <Chip key={tag} size="small" label={tag} />
      ))}
      {hidden.length > 0 && (
        <Tooltip title={hidden.join(', ')}>
          <Chip size="small" variant="outlined" label={`+${hidden.length}`} />
        </Tooltip>
      )}
    </>
  );
}

export function PlatformList({ platforms }: { platforms: ImagePlatform[] }) {
  if (platforms.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {imageStrings.card.noPlatforms}
      </Typography>
    );
  }
  // One per line: `linux/arm64/v8` never breaks in the middle.
  return (
    <>
      {platforms.map(platform => (
        <div key={formatPlatform(platform)} style={{ whiteSpace: 'nowrap' }}>
          {formatPlatform(platform)}
        </div>
      ))}
    </>
  );
}

/** The first 12 hex digits with a button copying the whole digest. */
export function ShortDigest({ digest }: { digest: string }) {
  return (
    <span
      style={{
        whiteSpace: 'nowrap',
        display: 'inline-flex',
        alignItems: 'center',
      }}
    >
      <Tooltip title={digest}>
        <code>{shortDigest(digest)}</code>
      </Tooltip>
      <CopyTextButton
        text={digest}
        aria-label={imageStrings.table.copyDigest}
        variant="tertiary"
      />
    </span>
  );
}

/** "3 days ago", with the full date on hover; a dash when unknown. */
export function Age({ date }: { date?: string }) {
  if (!date) return <>—</>;
  return (
    <Tooltip title={formatDate(date)}>
      <span>{formatAge(date)}</span>
    </Tooltip>
  );
}

/** A link to an image's entity page, titled with its repository and, unless shown beside it, its short digest. */
export function ImageLink({
  entityName,
  repository,
  digest,
  withDigest = true,
}: {
  entityName: string;
  repository: string;
  digest: string;
  withDigest?: boolean;
}) {
  return (
    <EntityRefLink
      entityRef={{
        kind: CONTAINER_IMAGE_KIND,
        namespace: 'default',
        name: entityName,
      }}
      title={withDigest ? `${repository}@${shortDigest(digest)}` : repository}
    />
  );
}

/** An entity ref as a link, or a dash when there is none. */
export function RefLink({ entityRef }: { entityRef?: string }) {
  return entityRef ? <EntityRefLink entityRef={entityRef} /> : <>—</>;
}
