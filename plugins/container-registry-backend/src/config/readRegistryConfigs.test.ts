import { ConfigReader } from '@backstage/config';
import { readRemovalLimits, readRegistryConfigs } from './readRegistryConfigs';

describe('readRegistryConfigs', () => {
  it('reads registries with their schedule and defaults', () => {
    const [registry] = readRegistryConfigs(
      new ConfigReader({
        containerRegistry: {
          registries: [
            {
              id: 'a',
              url: 'https://r.example.com',
              schedule: { frequency: { hours: 2 }, timeout: { minutes: 5 } },
            },
          ],
        },
      }),
    );
    expect(registry).toMatchObject({
      active: true,
      source: 'config',
      schedule: { frequency: { hours: 2 }, timeout: { minutes: 5 } },
      connection: { id: 'a', type: 'generic' },
    });
  });

  it('names the entry of a bad field', () => {
    expect(() =>
      readRegistryConfigs(
        new ConfigReader({
          containerRegistry: {
            registries: [
              { id: 'ok', url: 'https://a' },
              { id: 'b', url: 'gopher://b' },
            ],
          },
        }),
      ),
    ).toThrow('containerRegistry.registries[1].url must use http or https');
  });

  it('rejects the same id twice', () => {
    expect(() =>
      readRegistryConfigs(
        new ConfigReader({
          containerRegistry: {
            registries: [
              { id: 'a', url: 'https://a' },
              { id: 'a', url: 'https://b' },
            ],
          },
        }),
      ),
    ).toThrow(/"a" is used twice/);
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
