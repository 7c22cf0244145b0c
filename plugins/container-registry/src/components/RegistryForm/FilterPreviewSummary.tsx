import {
  FilterPreview,
  IMAGE_DROP_REASON_TEXT,
  ImageDropReason,
} from '@container-inventory/plugin-container-registry-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** What the filters keep of the last crawl's images, and why the others are dropped. */
export function FilterPreviewSummary({ preview }: { preview: FilterPreview }) {
  if (!preview.basedOnCrawlAt) {
    return (
      <Typography variant="body2" role="status" aria-label="Filter preview">
        No crawl yet: the preview needs the images of a finished crawl.
      </Typography>
    );
  }
  const reasons = Object.entries(preview.droppedBy) as Array<
    [ImageDropReason, number]
  >;
  return (
    <Box role="status" aria-label="Filter preview" my={1}>
      <Typography variant="body2">
        Keeps {preview.kept} of {preview.total} images of the crawl of{' '}
        {new Date(preview.basedOnCrawlAt).toLocaleString()}; drops{' '}
        {preview.dropped}.
      </Typography>
      {reasons.map(([reason, count]) => (
        <Typography variant="body2" key={reason}>
          {count} {IMAGE_DROP_REASON_TEXT[reason]}
        </Typography>
      ))}
      {preview.sample.length > 0 && (
        <Typography variant="caption" color="textSecondary" component="div">
          For example:{' '}
          {preview.sample
            .slice(0, 10)
            .map(
              image =>
                `${image.repository}:${image.tags.join(',') || '(untagged)'} ${
                  image.kept ? 'kept' : 'dropped'
                }`,
            )
            .join(' · ')}
        </Typography>
      )}
    </Box>
  );
}
