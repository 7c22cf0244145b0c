import type {
  ExpectedImage,
  TestRegistry,
} from '@container-inventory/plugin-container-registry-node/testUtils';
import type { Page } from 'playwright-core';
import type { BackstageProcess } from './__testUtils__/BackstageProcess';
import {
  pageText,
  reloadUntilVisible,
  screenshot,
} from './__testUtils__/browser';
import { startWalkthrough, Walkthrough } from './__testUtils__/walkthrough';

jest.setTimeout(300_000);

const WALKTHROUGH = 'images';

/**
 * What a developer does: find a Component's images on its tab, open one and read how to pull
 * it, and link an unlinked repository from the images table.
 */
describe('images walkthrough in Chromium: a Component’s images, an image page, and a link made from the table', () => {
  let registry: TestRegistry;
  let expected: ExpectedImage[];
  let backstage: BackstageProcess;
  let walkthrough: Walkthrough;
  let page: Page;

  beforeAll(async () => {
    walkthrough = await startWalkthrough({
      registry: { auth: 'none' },
      config: served => ({
        // The repository's app-config brings the example Components, whose source locations
        // the demo images' source labels name.
        containerRegistry: {
          registries: {
            demo: {
              name: 'Demo registry',
              url: served.url,
              auth: { type: 'none' },
              schedule: {
                frequency: { minutes: 30 },
                timeout: { minutes: 2 },
                initialDelay: { seconds: 1 },
              },
            },
          },
          linking: {
            schedule: { frequency: { seconds: 2 }, timeout: { minutes: 1 } },
          },
        },
        catalog: { processingInterval: { seconds: 2 } },
      }),
      firstPath: '/container-images',
      signedIn: 'Every image of every registry, with its Component and owner',
    });
    ({ registry, expected, backstage, page } = walkthrough);
  });

  afterAll(async () => {
    await walkthrough?.stop();
  });

  it('shows the images of the web-frontend Component on its Container images tab', async () => {
    const webImage = expected.find(i => i.repository === 'acme/web-frontend')!;
    await page.goto(
      `${backstage.baseUrl}/catalog/default/component/web-frontend/container-images`,
    );
    const row = page.getByText(webImage.tags[0], { exact: true }).first();
    const shown = await reloadUntilVisible(page, row, 90_000);
    await screenshot(page, WALKTHROUGH, '01-component-tab');
    expect(shown ? 'shown' : await pageText(page)).toBe('shown');
  });

  it('opens an image and shows its tags, platforms and pull reference', async () => {
    const nginx = expected.find(i => i.repository === 'platform/nginx-proxy')!;
    await page.goto(`${backstage.baseUrl}/container-images?q=nginx-proxy`);
    await page
      .getByRole('link', { name: /platform\/nginx-proxy/ })
      .first()
      .click();
    const pull = page.getByText(
      `${registry.host}/platform/nginx-proxy@${nginx.digest}`,
    );
    const shown = await reloadUntilVisible(page, pull, 30_000);
    await screenshot(page, WALKTHROUGH, '02-image-page');
    expect(shown ? 'shown' : await pageText(page)).toBe('shown');
    for (const tag of nginx.tags) {
      await page.getByText(tag, { exact: true }).first().waitFor();
    }
    await page
      .getByText(/linux\/arm64\/v8/)
      .first()
      .waitFor();
    await page
      .getByText(/linux\/amd64/)
      .first()
      .waitFor();
    await page
      .getByRole('link', { name: /nginx-proxy/ })
      .first()
      .waitFor();
  });

  it('links an unlinked repository to a Component from the table, and the catalog shows the relation', async () => {
    await page.goto(`${backstage.baseUrl}/container-images?unlinked=true`);
    const link = page.getByRole('button', {
      name: 'Link to component tools/ci-runner',
    });
    const shown = await reloadUntilVisible(page, link, 60_000);
    expect(shown ? 'shown' : await pageText(page)).toBe('shown');
    await screenshot(page, WALKTHROUGH, '03-table-unlinked');
    await link.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Component').fill('payments');
    await page.getByRole('option', { name: /payments-api/ }).click();
    await dialog.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByText(/tools\/ci-runner is now linked/).waitFor();
    await screenshot(page, WALKTHROUGH, '04-table-linked');

    // The relation reaches the catalog: payments-api's tab lists the ci-runner image.
    const ciRunner = expected.find(i => i.repository === 'tools/ci-runner')!;
    await page.goto(
      `${backstage.baseUrl}/catalog/default/component/payments-api/container-images`,
    );
    const tag = page.getByText(ciRunner.tags[0], { exact: true }).first();
    const related = await reloadUntilVisible(page, tag, 90_000);
    await screenshot(page, WALKTHROUGH, '05-component-with-linked-image');
    expect(related ? 'related' : await pageText(page)).toBe('related');
  });
});
