import { ConfigReader } from '@backstage/config';
import { readRemovalLimits, readRegistryConfigs } from './readRegistryConfigs';

describe('readRegistryConfigs', () => {
  const registries = (entry: object) =>
    new ConfigReader({ containerRegistry: { registries: { a: entry } } });

  it('fails start-up on a type no adapter registers, naming the known ones', () => {
    expect(() =>
      readRegistryConfigs(
        registries({ url: 'https://r.example.com', type: 'nexsus' }),
      ),
    ).toThrow(
      /containerRegistry\.registries\.a\.type "nexsus" has no adapter \(known types: generic, harbor/,
    );
  });

  it("keeps the adapter's options from its own key, checked by the adapter", () => {
    const [registry] = readRegistryConfigs(
      registries({
        url: 'https://harbor.example.com',
        type: 'harbor',
        harbor: { projects: ['team-a'] },
      }),
    );
    expect(registry.connection.options).toEqual({ projects: ['team-a'] });
    expect(registry.view.options).toEqual({ projects: ['team-a'] });
    expect(() =>
      readRegistryConfigs(
        registries({
          url: 'https://harbor.example.com',
          type: 'harbor',
          harbor: { project: 'team-a' },
        }),
      ),
    ).toThrow(
      /containerRegistry\.registries\.a\.harbor\.project is not an option of Harbor \(options: projects, apiUrl\)/,
    );
  });

  it('reads registries keyed by id, with their schedule and defaults', () => {
    const [registry] = readRegistryConfigs(
      new ConfigReader({
        containerRegistry: {
          registries: {
            a: {
              url: 'https://r.example.com',
              auth: { type: 'basic', username: 'u', password: 'hunter2' },
              schedule: { frequency: { hours: 2 }, timeout: { minutes: 5 } },
            },
          },
        },
      }),
    );
    expect(registry).toMatchObject({
      active: true,
      source: 'config',
      schedule: { frequency: { hours: 2 }, timeout: { minutes: 5 } },
      connection: { id: 'a', type: 'generic' },
      filters: {},
    });
    expect(registry.view).toMatchObject({
      id: 'a',
      schedule: { type: 'interval', minutes: 120 },
      auth: { type: 'basic', username: 'u', password: { set: true } },
    });
    expect(JSON.stringify(registry.view)).not.toContain('hunter2');
  });

  it("takes the page's schedule shape too", () => {
    const [registry] = readRegistryConfigs(
      new ConfigReader({
        containerRegistry: {
          registries: {
            a: {
              url: 'https://r.example.com',
              schedule: { type: 'daily', everyDays: 2, at: '04:30' },
            },
          },
        },
      }),
    );
    expect(registry.schedule.frequency).toEqual({ cron: '30 4 */2 * *' });
    expect(registry.view.schedule).toEqual({
      type: 'daily',
      everyDays: 2,
      at: '04:30',
    });
  });

  it('names the entry of a bad field', () => {
    expect(() =>
      readRegistryConfigs(
        new ConfigReader({
          containerRegistry: {
            registries: {
              ok: { url: 'https://a' },
              b: { url: 'gopher://b' },
            },
          },
        }),
      ),
    ).toThrow('containerRegistry.registries.b.url must use http or https');
  });

  it('checks filters with the same schema as the page', () => {
    expect(() =>
      readRegistryConfigs(
        new ConfigReader({
          containerRegistry: {
            registries: {
              a: { url: 'https://a', filters: { latestTags: 0 } },
            },
          },
        }),
      ),
    ).toThrow(
      /containerRegistry\.registries\.a\.filters\.latestTags must be at least 1/,
    );
  });

  it('reads the removal guards, each share between 0 and 1', () => {
    expect(readRemovalLimits(new ConfigReader({}))).toEqual({
      maxShare: 0.5,
      maxShareOnErrors: 0.2,
      rejectEmptiedRepositories: true,
    });
    expect(
      readRemovalLimits(
        new ConfigReader({
          containerRegistry: {
            maxRemovalShare: 1,
            rejectEmptiedRepositories: false,
          },
        }),
      ),
    ).toMatchObject({ maxShare: 1, rejectEmptiedRepositories: false });
    expect(() =>
      readRemovalLimits(
        new ConfigReader({ containerRegistry: { maxRemovalShareOnErrors: 2 } }),
      ),
    ).toThrow(/maxRemovalShareOnErrors must be between 0 and 1/);
  });
});
