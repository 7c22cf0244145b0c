import { mockServices } from '@backstage/backend-test-utils';
import type {
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import type { ConfiguredRegistry } from '../registries/ConfiguredRegistry';
import type { CrawlService } from './CrawlService';
import type { RegistryDirectory } from './RegistryDirectory';
import { CrawlScheduler, crawlTaskId } from './scheduleCrawls';

function registry(id: string, overrides: Partial<ConfiguredRegistry> = {}) {
  return {
    connection: { id },
    active: true,
    schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
    source: 'database',
    filters: {},
    ...overrides,
  } as unknown as ConfiguredRegistry;
}

/** A directory whose registries the test changes, as the page would. */
function directoryOf(registries: Map<string, ConfiguredRegistry>) {
  return {
    list: () => [...registries.values()],
    find: (id: string) => registries.get(id),
    refresh: async () => true,
  } as unknown as RegistryDirectory;
}

/** A scheduler that keeps each task's function, so the test can run it as the scheduler would. */
function capturingScheduler() {
  const tasks = new Map<string, SchedulerServiceTaskInvocationDefinition>();
  const scheduleTask = jest.fn(async task => {
    tasks.set(task.id, task);
  });
  const scheduler = {
    scheduleTask,
    triggerTask: jest.fn(),
  } as unknown as SchedulerService;
  const run = (id: string) =>
    tasks.get(id)!.fn(new AbortController().signal as any);
  return { scheduler, scheduleTask, tasks, run };
}

describe('CrawlScheduler', () => {
  const crawl = jest.fn(async () => ({}));
  const crawlService = { crawl } as unknown as CrawlService;
  const logger = mockServices.logger.mock();
  beforeEach(() => crawl.mockClear());

  it('registers one global task per active registry, and none for inactive ones', async () => {
    const registries = new Map([
      ['a', registry('a')],
      ['off', registry('off', { active: false })],
    ]);
    const { scheduler, tasks, run } = capturingScheduler();
    await new CrawlScheduler({
      directory: directoryOf(registries),
      scheduler,
      crawlService,
      logger,
    }).sync();
    expect([...tasks.keys()]).toEqual([crawlTaskId('a')]);
    expect(tasks.get(crawlTaskId('a'))).toMatchObject({ scope: 'global' });
    await run(crawlTaskId('a'));
    expect(crawl).toHaveBeenCalledWith(registries.get('a'), expect.anything());
  });

  it('follows a changed schedule, and a deleted or deactivated registry is no longer crawled', async () => {
    const registries = new Map([['a', registry('a')]]);
    const { scheduler, scheduleTask, run } = capturingScheduler();
    const crawls = new CrawlScheduler({
      directory: directoryOf(registries),
      scheduler,
      crawlService,
      logger,
    });
    await crawls.sync();
    await crawls.sync();
    expect(scheduleTask).toHaveBeenCalledTimes(1);

    registries.set(
      'a',
      registry('a', {
        schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
      }),
    );
    await crawls.changed();
    expect(scheduleTask).toHaveBeenCalledTimes(2);
    expect(scheduleTask.mock.calls[1][0].frequency).toEqual({ minutes: 5 });

    registries.set('a', registry('a', { active: false }));
    await run(crawlTaskId('a'));
    registries.delete('a');
    await run(crawlTaskId('a'));
    expect(crawl).not.toHaveBeenCalled();
  });
});
