import type { ExpectedImage } from '@container-inventory/plugin-container-registry-node/testUtils';
import type { Page } from 'playwright-core';
import type { BackstageProcess } from './__testUtils__/BackstageProcess';
import { reloadUntilVisible, screenshot } from './__testUtils__/browser';
import { startWalkthrough, Walkthrough } from './__testUtils__/walkthrough';

jest.setTimeout(240_000);

describe('walkthrough in Chromium: a registry on the Registries page and its images in the catalog', () => {
  let expected: ExpectedImage[];
  let backstage: BackstageProcess;
  let walkthrough: Walkthrough;
  let page: Page;

  beforeAll(async () => {
    walkthrough = await startWalkthrough({
      registry: { auth: 'basic' },
      config: registry => ({
        containerRegistry: {
          registries: {
            e2e: {
              name: 'E2E registry',
              url: registry.url,
              auth: { type: 'basic', ...registry.credentials },
              schedule: {
                frequency: { minutes: 30 },
                timeout: { minutes: 2 },
                initialDelay: { seconds: 1 },
              },
            },
          },
        },
      }),
      firstPath: '/container-registries',
      signedIn: "Where the catalog's container images come from",
    });
    ({ expected, backstage, page } = walkthrough);
  });

  afterAll(async () => {
    await walkthrough?.stop();
  });

  it('shows the registry as Connected with its image count', async () => {
    const row = page.getByRole('row', { name: /E2E registry/ });
    await row.waitFor();
    // The first crawl starts a second after start-up; reload until it has finished.
    for (let attempt = 0; attempt < 30; attempt++) {
      if (await row.getByText('Connected').isVisible()) break;
      await page.waitForTimeout(1000);
      await page.reload();
      await row.waitFor();
    }
    await expect(row.getByText('Connected').isVisible()).resolves.toBe(true);
    await expect(
      row
        .getByRole('cell', { name: String(expected.length), exact: true })
        .isVisible(),
    ).resolves.toBe(true);
    await expect(row.getByText(/succeeded/).isVisible()).resolves.toBe(true);
    await screenshot(page, 'catalog', '01-registries');
  });

  it('lists every image in the catalog under the ContainerImage kind', async () => {
    await page.goto(`${backstage.baseUrl}/?filters%5Bkind%5D=containerimage`);
    const heading = page
      .getByText(`All ContainerImages (${expected.length})`)
      .first();
    // The provider reads the inventory every two seconds and the catalog processes entities
    // one by one: reload until all images are in.
    const shown = await reloadUntilVisible(page, heading, 60_000);
    expect(
      shown
        ? 'shown'
        : `not shown; the page says:\n${await page
            .locator('main')
            .innerText()}`,
    ).toBe('shown');
    for (const image of expected) {
      const title = `${image.repository}@${image.digest.slice(
        0,
        'sha256:'.length + 12,
      )}`;
      await page
        .getByRole('link', { name: title })
        .waitFor({ timeout: 10_000 });
    }
    await screenshot(page, 'catalog', '02-catalog-images');
  });

  it('starts a crawl from "Update images list"', async () => {
    await page.goto(`${backstage.baseUrl}/container-registries`);
    await page
      .getByRole('button', { name: 'Update images list of E2E registry' })
      .click();
    await expect(
      page
        .getByText('Updating the images of E2E registry')
        .waitFor()
        .then(() => true),
    ).resolves.toBe(true);
  });
});
