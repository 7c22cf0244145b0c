import type {
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import type { ImageChange } from '@container-inventory/plugin-container-registry-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  changeFeedHandler,
  INVENTORY_URL,
  inventoryImage,
} from '../__testUtils__/inventoryHandlers';
import { ContainerImageEntityProvider } from './ContainerImageEntityProvider';

class CapturingTaskRunner implements SchedulerServiceTaskRunner {
  task?: SchedulerServiceTaskInvocationDefinition;
  async run(task: SchedulerServiceTaskInvocationDefinition) {
    this.task = task;
  }
  runCaptured() {
    return this.task!.fn(new AbortController().signal);
  }
}

describe('ContainerImageEntityProvider', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function setup(feed: ImageChange[], pageSize = 500) {
    const schedule = new CapturingTaskRunner();
    const tokens: string[] = [];
    server.use(changeFeedHandler(feed, tokens));
    const provider = ContainerImageEntityProvider.fromConfig(
      new ConfigReader({
        catalog: { providers: { containerRegistry: { pageSize } } },
      }),
      {
        logger: mockServices.logger.mock(),
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => INVENTORY_URL,
        }),
        auth: mockServices.auth(),
        schedule,
      },
    );
    const connection = {
      applyMutation: jest.fn(),
      refresh: jest.fn(),
    } as jest.Mocked<EntityProviderConnection>;
    return { provider, schedule, connection, tokens };
  }

  it('replaces everything on its first run, reading the feed page by page with a service token', async () => {
    const feed: ImageChange[] = [1, 2, 3].map(n => ({
      seq: n,
      registry: 'demo',
      entityName: inventoryImage(n).entityName,
      image: inventoryImage(n, {
        labels: {
          'org.opencontainers.image.source': 'https://github.com/acme/app',
        },
      }),
    }));
    // Image 2 was removed again later: the full mutation must not contain it.
    feed.push({
      seq: 4,
      registry: 'demo',
      entityName: inventoryImage(2).entityName,
    });
    const { provider, schedule, connection, tokens } = setup(feed, 2);
    await provider.connect(connection);
    await schedule.runCaptured();

    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    const entities = mutation.type === 'full' ? mutation.entities : [];
    expect(entities.map(e => e.entity.metadata.name)).toEqual([
      inventoryImage(1).entityName,
      inventoryImage(3).entityName,
    ]);
    expect(entities[0]).toEqual({
      locationKey: 'container-registry:demo',
      entity: expect.objectContaining({
        kind: 'ContainerImage',
        metadata: expect.objectContaining({
          title: 'acme/app@sha256:000000000001',
          annotations: expect.objectContaining({
            'backstage.io/managed-by-location':
              'container-registry:demo/acme/app',
            'backstage.io/managed-by-origin-location':
              'container-registry:demo/acme/app',
            'backstage.io/source-location': 'url:https://github.com/acme/app',
            'container-inventory.dev/digest': inventoryImage(1).digest,
          }),
        }),
        spec: expect.objectContaining({
          tags: ['v1'],
          lifecycle: 'latest',
          host: 'registry.test:5000',
        }),
      }),
    });
    expect(tokens.length).toBe(3);
    expect(tokens.every(t => t.startsWith('Bearer '))).toBe(true);
  });

  it('applies only what changed after the first run, and nothing when nothing changed', async () => {
    const feed: ImageChange[] = [
      {
        seq: 1,
        registry: 'demo',
        entityName: inventoryImage(1).entityName,
        image: inventoryImage(1),
      },
      {
        seq: 2,
        registry: 'demo',
        entityName: inventoryImage(2).entityName,
        image: inventoryImage(2),
      },
    ];
    const { provider, schedule, connection } = setup(feed);
    await provider.connect(connection);
    await schedule.runCaptured();
    connection.applyMutation.mockClear();

    await schedule.runCaptured();
    expect(connection.applyMutation).not.toHaveBeenCalled();

    feed.push(
      { seq: 3, registry: 'demo', entityName: inventoryImage(1).entityName },
      {
        seq: 4,
        registry: 'demo',
        entityName: inventoryImage(5).entityName,
        image: inventoryImage(5),
      },
    );
    await schedule.runCaptured();
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'delta',
      added: [
        expect.objectContaining({
          entity: expect.objectContaining({
            metadata: expect.objectContaining({
              name: inventoryImage(5).entityName,
            }),
          }),
        }),
      ],
      removed: [
        {
          entityRef: `containerimage:default/${inventoryImage(1).entityName}`,
          locationKey: 'container-registry:demo',
        },
      ],
    });
  });

  it('keeps the catalog as it is when the inventory cannot be read', async () => {
    const { provider, schedule, connection } = setup([]);
    server.use(
      http.get(`${INVENTORY_URL}/images/changes`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'database is down' } },
          { status: 503 },
        ),
      ),
    );
    await provider.connect(connection);
    await schedule.runCaptured();
    expect(connection.applyMutation).not.toHaveBeenCalled();
  });
});
