import {
  ExpectedImage,
  seedDemoImages,
  startTestRegistry,
  TestRegistry,
  TestRegistryOptions,
} from '@container-inventory/plugin-container-registry-node/testUtils';
import type { Browser, Page } from 'playwright-core';
import { BackstageProcess } from './BackstageProcess';
import { checkPrerequisites, launchChromium } from './browser';

/** Everything a walkthrough drives: a seeded registry, Backstage, and a signed-in page. */
export interface Walkthrough {
  registry: TestRegistry;
  expected: ExpectedImage[];
  backstage: BackstageProcess;
  browser: Browser;
  page: Page;
  stop(): Promise<void>;
}

/** The catalog reads the inventory every two seconds, so a walkthrough waits little. */
const QUICK_CATALOG = {
  providers: {
    containerRegistry: {
      schedule: { frequency: { seconds: 2 }, timeout: { minutes: 1 } },
    },
  },
};

/**
 * Starts a registry seeded with the demo images, Backstage with `config(registry)` on top of
 * the repository's app-config, and Chromium signed in as guest on `firstPath`; waits until the
 * page shows `signedIn`, so later visits sign in by themselves.
 */
export async function startWalkthrough(options: {
  registry: TestRegistryOptions;
  config: (registry: TestRegistry) => { catalog?: object } & object;
  firstPath: string;
  signedIn: string;
}): Promise<Walkthrough> {
  checkPrerequisites();
  const registry = await startTestRegistry(options.registry);
  const expected = await seedDemoImages(registry);
  const { catalog, ...rest } = options.config(registry);
  const backstage = await BackstageProcess.start({
    ...rest,
    catalog: { ...QUICK_CATALOG, ...catalog },
  });
  const browser = await launchChromium();
  const page = await browser.newPage({
    viewport: { width: 1400, height: 900 },
  });
  await page.goto(`${backstage.baseUrl}${options.firstPath}`);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByText(options.signedIn).first().waitFor();
  return {
    registry,
    expected,
    backstage,
    browser,
    page,
    stop: async () => {
      await browser.close();
      await backstage.stop();
      await registry.stop();
    },
  };
}
