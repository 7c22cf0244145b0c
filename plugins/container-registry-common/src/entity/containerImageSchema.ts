import { entityKindSchemaValidator } from '@backstage/catalog-model';
import type { ContainerImageEntityV1alpha1 } from './ContainerImageEntity';
import {
  CONTAINER_IMAGE_API_VERSION,
  CONTAINER_IMAGE_KIND,
} from './ContainerImageEntity';

const isoDate = { type: 'string', minLength: 10 };

/** JSON schema of the ContainerImage kind, on top of the catalog's common Entity schema. */
export const containerImageEntitySchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  $id: 'ContainerImageV1alpha1',
  description: 'A container image found in a registry.',
  allOf: [
    { $ref: 'Entity' },
    {
      type: 'object',
      required: ['spec'],
      properties: {
        apiVersion: { enum: [CONTAINER_IMAGE_API_VERSION] },
        kind: { enum: [CONTAINER_IMAGE_KIND] },
        spec: {
          type: 'object',
          required: [
            'registry',
            'host',
            'repository',
            'digest',
            'mediaType',
            'tags',
            'platforms',
            'lifecycle',
          ],
          properties: {
            registry: { type: 'string', minLength: 1 },
            host: { type: 'string', minLength: 1 },
            repository: { type: 'string', minLength: 1 },
            digest: { type: 'string', pattern: '^sha256:[a-f0-9]{64}$' },
            mediaType: { type: 'string', minLength: 1 },
            tags: { type: 'array', items: { type: 'string', minLength: 1 } },
            platforms: {
              type: 'array',
              items: {
                type: 'object',
                required: ['os', 'architecture'],
                properties: {
                  os: { type: 'string' },
                  architecture: { type: 'string' },
                  variant: { type: 'string' },
                  digest: { type: 'string' },
                },
              },
            },
            created: isoDate,
            pushed: isoDate,
            lifecycle: { enum: ['latest', 'outdated', 'pending'] },
            labels: {
              type: 'object',
              additionalProperties: { type: 'string' },
            },
            owner: { type: 'string', minLength: 1 },
            component: { type: 'string', minLength: 1 },
          },
        },
      },
    },
  ],
};

/**
 * Validates an entity against the ContainerImage schema: returns the typed entity,
 * `false` when it is not a ContainerImage, and throws with the failing field otherwise.
 */
export const validateContainerImageEntity = entityKindSchemaValidator(
  containerImageEntitySchema,
) as (data: unknown) => ContainerImageEntityV1alpha1 | false;
