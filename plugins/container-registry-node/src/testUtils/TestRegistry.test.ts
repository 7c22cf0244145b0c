import { seedDemoImages } from './seed';
import { startTestRegistry } from './TestRegistry';

jest.setTimeout(60_000);

describe('startTestRegistry', () => {
  it.each(['basic', 'token'] as const)(
    'refuses anonymous requests with %s auth and stops for good',
    async auth => {
      const registry = await startTestRegistry({ auth });
      try {
        const anonymous = await fetch(`${registry.url}/v2/_catalog`);
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('www-authenticate')).toMatch(
          auth === 'basic' ? /^Basic/ : /^Bearer realm=/,
        );
      } finally {
        await registry.stop();
        await registry.stop();
      }
      await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
    },
  );

  it('pages the catalog with a Link header when catalogMaxEntries is small', async () => {
    const registry = await startTestRegistry({ catalogMaxEntries: 1 });
    try {
      await seedDemoImages(registry);
      const response = await fetch(`${registry.url}/v2/_catalog?n=1`);
      expect((await response.json()).repositories).toHaveLength(1);
      expect(response.headers.get('link')).toMatch(/rel="next"/);
    } finally {
      await registry.stop();
    }
  });
});
