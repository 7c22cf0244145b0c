import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ImageLifecycle,
  ImagesPage,
  InventoryImage,
} from '@container-inventory/plugin-container-registry-common';

/** Columns the images API sorts by. */
export type ImageSortKey =
  | 'repository'
  | 'registry'
  | 'created'
  | 'pushed'
  | 'lifecycle'
  | 'owner'
  | 'component';

/** A search of the images inventory; every field is optional. */
export interface ImagesQuery {
  registry?: string;
  /** Free text: repository, tag, digest or platform. */
  q?: string;
  lifecycle?: ImageLifecycle;
  /** Full owner ref, `group:default/team`. */
  owner?: string;
  /** Full Component ref, `component:default/web`. */
  component?: string;
  /** Only images whose repository nothing links to a Component or owner. */
  unlinked?: boolean;
  /** `os/architecture[/variant]`. */
  platform?: string;
  sort?: ImageSortKey;
  order?: 'asc' | 'desc';
  /** 1 to 500. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** One image with the other images of its repository, newest first (itself included). */
export type ImageDetails = InventoryImage & {
  repositoryImages: InventoryImage[];
};

/** The images inventory as the frontend sees it: search, one image, manual links. */
export interface ContainerImagesApi {
  listImages(query?: ImagesQuery): Promise<ImagesPage>;
  getImage(entityName: string): Promise<ImageDetails>;
  /** Links every image of the repository to the Component (a full ref), overriding other rules. */
  linkRepository(
    registry: string,
    repository: string,
    componentRef: string,
  ): Promise<void>;
  /** Removes the manual link; the other linking rules apply again. */
  unlinkRepository(registry: string, repository: string): Promise<void>;
}

export const containerImagesApiRef = createApiRef<ContainerImagesApi>({
  id: 'plugin.container-registry.images',
});
