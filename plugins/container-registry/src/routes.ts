import { createRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'container-registry' });

export const imagesRouteRef = createRouteRef({
  id: 'container-registry:images',
});
