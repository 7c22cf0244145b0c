import type { InventoryImage } from '@container-inventory/plugin-container-registry-common';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import EditIcon from '@material-ui/icons/Edit';
import LinkIcon from '@material-ui/icons/Link';
import LinkOffIcon from '@material-ui/icons/LinkOff';
import { makeStyles } from '@material-ui/core/styles';
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

const useStyles = makeStyles({
  // Eleven columns: the default cell padding would push the last ones off screen.
  table: { '& td, & th': { padding: '6px 8px' } },
});

const NO_WRAP: React.CSSProperties = { whiteSpace: 'nowrap' };

const COLUMNS: Column[] = [
  {
    title: columns.repository,
    sortKey: 'repository',
    style: { minWidth: 160 },
    render: image => <ImageLink {...image} withDigest={false} />,
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

function ActionButton(props: {
  label: string;
  repository: string;
  icon: React.ReactElement;
  onClick: () => void;
}) {
  return (
    <Tooltip title={props.label}>
      <IconButton
        size="small"
        color="primary"
        onClick={props.onClick}
        aria-label={`${props.label} ${props.repository}`}
      >
        {props.icon}
      </IconButton>
    </Tooltip>
  );
}

function LinkAction({
  image,
  onLink,
  onUnlink,
}: Pick<ImagesTableProps, 'onLink' | 'onUnlink'> & { image: InventoryImage }) {
  // Only a manual link can be removed; any other link can be overridden by a manual one.
  if (image.linkedBy === 'manual') {
    return (
      <ActionButton
        label={strings.unlink}
        repository={image.repository}
        icon={<LinkOffIcon fontSize="small" />}
        onClick={() => onUnlink?.(image)}
      />
    );
  }
  // A link by another rule can be replaced by a manual one, e.g. when a source label misleads.
  return (
    <ActionButton
      label={image.component ? strings.relink : strings.link}
      repository={image.repository}
      icon={
        image.component ? (
          <EditIcon fontSize="small" />
        ) : (
          <LinkIcon fontSize="small" />
        )
      }
      onClick={() => onLink?.(image)}
    />
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
  const classes = useStyles();
  const withActions = Boolean(onLink);
  return (
    <TableContainer>
      <Table
        size="small"
        className={classes.table}
        aria-label={imageStrings.table.pageTitle}
      >
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
            {withActions && (
              <TableCell style={NO_WRAP}>{columns.actions}</TableCell>
            )}
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
