import { CopyTextButton, InfoCard, Link } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ContainerImageEntityV1alpha1,
  InventoryImage,
} from '@container-inventory/plugin-container-registry-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReactNode } from 'react';
import { formatDate, pullReference } from '../images/format';
import {
  LifecycleChip,
  PlatformList,
  RefLink,
  TagChips,
} from '../images/ImageBits';
import { imageStrings } from '../images/strings';
import { useImageDetails } from './useImageDetails';

const strings = imageStrings.card;
const SOURCE_LABEL = 'org.opencontainers.image.source';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <TableRow>
      <TableCell component="th" scope="row" style={{ width: '25%' }}>
        <Typography variant="subtitle2">{label}</Typography>
      </TableCell>
      <TableCell>{children}</TableCell>
    </TableRow>
  );
}

function DateValue({ date }: { date?: string }) {
  return <>{date ? formatDate(date) : strings.unknownDate}</>;
}

/** The source repository, from the image's OCI label, else the entity's source-location. */
function sourceUrl(entity: ContainerImageEntityV1alpha1): string | undefined {
  const label = entity.spec.labels?.[SOURCE_LABEL];
  const annotation =
    entity.metadata.annotations?.['backstage.io/source-location'];
  const url = label ?? annotation?.replace(/^url:/, '');
  return url && /^https?:\/\//.test(url) ? url : undefined;
}

function LabelsTable({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {strings.noLabels}
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={strings.labels}>
      <TableBody>
        {entries.map(([key, value]) => (
          <TableRow key={key}>
            <TableCell>
              <code>{key}</code>
            </TableCell>
            <TableCell style={{ wordBreak: 'break-all' }}>{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function LinkRows({
  spec,
  live,
}: {
  spec: ContainerImageEntityV1alpha1['spec'];
  live?: InventoryImage;
}) {
  // The inventory is fresher than the entity, which waits for the next catalog refresh.
  const component = live ? live.component : spec.component;
  const owner = live ? live.owner : spec.owner;
  if (!component && !owner) {
    return (
      <Row label={strings.component}>
        <Typography variant="body2" color="textSecondary">
          {strings.notLinked}
        </Typography>
      </Row>
    );
  }
  return (
    <>
      <Row label={strings.component}>
        <RefLink entityRef={component} />
      </Row>
      <Row label={strings.owner}>
        <RefLink entityRef={owner} />
      </Row>
      {live?.linkedBy && (
        <Row label={strings.linkedBy}>
          {imageStrings.linkedBy[live.linkedBy]}
        </Row>
      )}
    </>
  );
}

/** Overview card of a ContainerImage: how to pull it, what it is, where it comes from. */
export function ContainerImageCard() {
  const { entity } = useEntity<ContainerImageEntityV1alpha1>();
  const { spec } = entity;
  const details = useImageDetails(entity.metadata.name);
  const live =
    details.value && details.value !== 'missing' ? details.value : undefined;
  const reference = pullReference(spec);
  const source = sourceUrl(entity);

  return (
    <InfoCard title={strings.title}>
      {details.value === 'missing' && (
        <Alert severity="warning">{strings.notInInventory}</Alert>
      )}
      <Table size="small">
        <TableBody>
          <Row label={strings.pullReference}>
            <Box display="flex" alignItems="center">
              <code style={{ wordBreak: 'break-all' }}>{reference}</code>
              <CopyTextButton
                text={reference}
                aria-label="Copy pull reference"
              />
            </Box>
          </Row>
          <Row label={strings.registry}>
            {spec.registry} ({spec.host})
          </Row>
          <Row label={strings.repository}>{spec.repository}</Row>
          <Row label={strings.tags}>
            <TagChips tags={live?.tags ?? spec.tags} />
          </Row>
          <Row label={strings.platforms}>
            <PlatformList platforms={spec.platforms} />
          </Row>
          <Row label={strings.created}>
            <DateValue date={spec.created} />
          </Row>
          <Row label={strings.pushed}>
            <DateValue date={spec.pushed} />
          </Row>
          <Row label={strings.lifecycle}>
            <LifecycleChip lifecycle={live?.lifecycle ?? spec.lifecycle} />
          </Row>
          <Row label={strings.firstSeen}>
            <DateValue date={live?.firstSeen} />
          </Row>
          <Row label={strings.lastSeen}>
            <DateValue date={live?.lastSeen} />
          </Row>
          {source && (
            <Row label={strings.source}>
              <Link to={source}>{source}</Link>
            </Row>
          )}
          <LinkRows spec={spec} live={live} />
          {live?.detailsSource && (
            <Row label={strings.detailsFrom}>
              {imageStrings.detailsSource[live.detailsSource]}
            </Row>
          )}
        </TableBody>
      </Table>
      <Box mt={2}>
        <Typography variant="subtitle2" gutterBottom>
          {strings.labels}
        </Typography>
        <LabelsTable labels={spec.labels ?? {}} />
      </Box>
    </InfoCard>
  );
}
