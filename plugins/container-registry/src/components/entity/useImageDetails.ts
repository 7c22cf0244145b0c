import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import useAsync from 'react-use/esm/useAsync';
import { containerImagesApiRef, ImageDetails } from '../../api';

/**
 * The inventory's live view of an image (first/last seen, link rule, its repository's images).
 * `missing` when the inventory no longer has it: the catalog entity outlives it until its next
 * refresh.
 */
export function useImageDetails(entityName: string) {
  const api = useApi(containerImagesApiRef);
  const state = useAsync(async (): Promise<ImageDetails | 'missing'> => {
    try {
      return await api.getImage(entityName);
    } catch (error) {
      if (error instanceof ResponseError && error.response.status === 404) {
        return 'missing';
      }
      throw error;
    }
  }, [api, entityName]);
  return state;
}
