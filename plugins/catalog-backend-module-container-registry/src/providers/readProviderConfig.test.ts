import { ConfigReader } from '@backstage/config';
import { readProviderConfig } from './readProviderConfig';

const withPageSize = (pageSize: number) =>
  new ConfigReader({
    catalog: { providers: { containerRegistry: { pageSize } } },
  });

describe('readProviderConfig', () => {
  it('defaults everything', () => {
    expect(readProviderConfig(new ConfigReader({})).pageSize).toBe(500);
  });

  it.each([0, -1, 2.5, 5000])('refuses pageSize %p naming the key', size => {
    expect(() => readProviderConfig(withPageSize(size))).toThrow(
      /catalog\.providers\.containerRegistry\.pageSize must be a whole number from 1 to 1000/,
    );
  });
});
