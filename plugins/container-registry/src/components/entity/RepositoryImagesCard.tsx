import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { InventoryImage } from '@container-inventory/plugin-container-registry-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { imageDate } from '../images/format';
import { Age, ImageLink, LifecycleChip, TagChips } from '../images/ImageBits';
import { imageStrings } from '../images/strings';
import { useImageDetails } from './useImageDetails';

const strings = imageStrings.repositoryCard;

function ImageRow({ image }: { image: InventoryImage }) {
  return (
    <ListItem divider>
      <ListItemText
        primary={
          <>
            <ImageLink {...image} />{' '}
            <LifecycleChip lifecycle={image.lifecycle} />{' '}
            <Typography variant="caption" color="textSecondary">
              <Age date={imageDate(image)} />
            </Typography>
          </>
        }
        secondary={<TagChips tags={image.tags} />}
        secondaryTypographyProps={{ component: 'div' }}
      />
    </ListItem>
  );
}

/** The other images of this image's repository, newest first, each with its tags. */
export function RepositoryImagesCard() {
  const { entity } = useEntity();
  const details = useImageDetails(entity.metadata.name);

  let content;
  if (details.loading) content = <Progress />;
  else if (details.error)
    content = <ResponseErrorPanel error={details.error} />;
  else {
    const others =
      details.value && details.value !== 'missing'
        ? details.value.repositoryImages.filter(
            image => image.entityName !== entity.metadata.name,
          )
        : [];
    content =
      others.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {strings.empty}
        </Typography>
      ) : (
        <List dense disablePadding>
          {others.map(image => (
            <ImageRow key={image.entityName} image={image} />
          ))}
        </List>
      );
  }
  return <InfoCard title={strings.title}>{content}</InfoCard>;
}
