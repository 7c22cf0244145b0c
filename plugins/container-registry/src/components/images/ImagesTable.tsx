import type { InventoryImage } from '@container-inventory/plugin-container-registry-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import type { ImageSortKey } from '../../api';
import {
  Age,
  ImageLink,
  LifecycleChip,
  PlatformList,
  RefLink,
  ShortDigest,
  TagChips,
} from './ImageBits';
import { imageStrings } from './strings';

const columns = imageStrings.table.columns;
const strings = imageStrings.table;
const TAGS_SHOWN = 3;

type Column = {
  title: string;
  sortKey?: ImageSortKey;
  render: (image: InventoryImage) => React.ReactNode;
  style?: React.CSSProperties;
};

const NO_WRAP: React.CSSProperties = { whiteSpace: 'nowrap' };

const COLUMNS: Column[] = [
  {
    title: columns.repository,
    sortKey: 'repository',
    style: { minWidth: 200 },
    render: image => <ImageLink {...image} />,
  },
  {
    title: columns.tags,
    render: image => <TagChips tags={image.tags} max={TAGS_SHOWN} />,
  },
  {
    title: columns.digest,
    render: image => <ShortDigest digest={image.digest} />,
  },
  {
    title: columns.platforms,
    render: image => <PlatformList platforms={image.platforms} />,
  },
  {
    title: columns.lifecycle,
    sortKey: 'lifecycle',
    style: NO_WRAP,
    render: image => <LifecycleChip lifecycle={image.lifecycle} />,
  },
  {
    title: columns.created,
    sortKey: 'created',
    style: NO_WRAP,
    render: image => <Age date={image.created} />,
  },
  {
    title: columns.pushed,
    sortKey: 'pushed',
    style: NO_WRAP,
    render: image => <Age date={image.pushed} />,
  },
  {
    title: columns.owner,
    sortKey: 'owner',
    style: NO_WRAP,
    render: image => <RefLink entityRef={image.owner} />,
  },
  {
    title: columns.component,
    sortKey: 'component',
    style: NO_WRAP,
    render: image => <RefLink entityRef={image.component} />,
  },
  {
    title: columns.registry,
    sortKey: 'registry',
    style: NO_WRAP,
    render: image => image.registry,
  },
];

export interface ImagesTableProps {
  images: InventoryImage[];
  sort: ImageSortKey;
  order: 'asc' | 'desc';
  onSort: (key: ImageSortKey) => void;
  /** Present when the user may link repositories: then rows get link actions. */
  onLink?: (image: InventoryImage) => void;
  onUnlink?: (image: InventoryImage) => void;
}

function LinkAction({
  image,
  onLink,
  onUnlink,
}: Pick<ImagesTableProps, 'onLink' | 'onUnlink'> & { image: InventoryImage }) {
  // Only a manual link can be removed; any other link can be overridden by a manual one.
  if (image.linkedBy === 'manual') {
    return (
      <Button
        size="small"
        onClick={() => onUnlink?.(image)}
        aria-label={`${strings.unlink} ${image.repository}`}
      >
        {strings.unlink}
      </Button>
    );
  }
  // A link by another rule can be replaced by a manual one, e.g. when a source label misleads.
  const label = image.component ? strings.relink : strings.link;
  return (
    <Button
      size="small"
      color="primary"
      onClick={() => onLink?.(image)}
      aria-label={`${label} ${image.repository}`}
      style={{ whiteSpace: 'nowrap' }}
    >
      {label}
    </Button>
  );
}

/** One page of images; sorting is the server's, so headers only report clicks. */
export function ImagesTable({
  images,
  sort,
  order,
  onSort,
  onLink,
  onUnlink,
}: ImagesTableProps) {
  const withActions = Boolean(onLink);
  return (
    <TableContainer>
      <Table size="small" aria-label={imageStrings.table.pageTitle}>
        <TableHead>
          <TableRow>
            {COLUMNS.map(column => (
              <TableCell
                key={column.title}
                style={{ whiteSpace: 'nowrap' }}
                sortDirection={column.sortKey === sort ? order : false}
              >
                {column.sortKey ? (
                  <TableSortLabel
                    active={column.sortKey === sort}
                    direction={column.sortKey === sort ? order : 'asc'}
                    onClick={() => onSort(column.sortKey!)}
                  >
                    {column.title}
                  </TableSortLabel>
                ) : (
                  column.title
                )}
              </TableCell>
            ))}
            {withActions && <TableCell>{columns.actions}</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {images.map(image => (
            <TableRow key={image.entityName} hover>
              {COLUMNS.map(column => (
                <TableCell key={column.title} style={column.style}>
                  {column.render(image)}
                </TableCell>
              ))}
              {withActions && (
                <TableCell>
                  <LinkAction
                    image={image}
                    onLink={onLink}
                    onUnlink={onUnlink}
                  />
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
