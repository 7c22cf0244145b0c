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

const WALKTHROUGH = 'admin';

/**
 * What an admin does on the Registries page: add a registry with basic auth, test it, save it,
 * watch its images arrive, edit it, cancel a crawl and delete it.
 */
describe('admin walkthrough in Chromium: a registry added, crawled, edited, cancelled and deleted on the page', () => {
  let registry: TestRegistry;
  let expected: ExpectedImage[];
  let backstage: BackstageProcess;
  let walkthrough: Walkthrough;
  let page: Page;

  beforeAll(async () => {
    walkthrough = await startWalkthrough({
      registry: { auth: 'basic', users: { robot: 'robot-password' } },
      config: () => ({
        containerRegistry: {
          encryption: {
            keys: [
              { id: 'e2e', secret: Buffer.alloc(32, 3).toString('base64') },
            ],
          },
        },
      }),
      firstPath: '/container-registries',
      signedIn: "Where the catalog's container images come from",
    });
    ({ registry, expected, backstage, page } = walkthrough);
  });

  afterAll(async () => {
    await walkthrough?.stop();
  });

  it('adds a registry with basic auth: test the connection, then save', async () => {
    await page.getByRole('button', { name: 'Add registry' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await screenshot(page, WALKTHROUGH, '00-add-empty');
    await dialog.getByRole('textbox', { name: /^Id/ }).fill('lab');
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('Lab registry');
    await dialog.getByRole('textbox', { name: /^URL/ }).fill(registry.url);
    await dialog.getByLabel('Authentication').click();
    await page.getByRole('option', { name: /basic/i }).click();
    await dialog.getByRole('textbox', { name: /^Username/ }).fill('robot');
    await dialog.getByLabel(/^Password/).fill('wrong-password');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText(/username, password or token/).waitFor();
    await screenshot(page, WALKTHROUGH, '01-add-wrong-password');

    await dialog.getByLabel(/^Password/).fill('robot-password');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText(/Connection works/).waitFor();
    await dialog.getByText(/Repositories visible: 4/).waitFor();
    await screenshot(page, WALKTHROUGH, '02-add-tested');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const saved = page.getByText('Lab registry').first();
    await saved.waitFor();
    await expect(saved.isVisible()).resolves.toBe(true);
  });

  it('crawls it at once: Connected with every image, and the images in the catalog', async () => {
    await page.goto(`${backstage.baseUrl}/container-registries`);
    const row = page.getByRole('row', { name: /Lab registry/ });
    const connected = row.getByText('Connected');
    const shown = await reloadUntilVisible(page, connected, 60_000);
    await screenshot(page, WALKTHROUGH, '03-list-connected');
    expect(shown ? 'connected' : await pageText(page)).toBe('connected');
    await row
      .getByRole('cell', { name: String(expected.length), exact: true })
      .waitFor();

    await page.goto(`${backstage.baseUrl}/?filters%5Bkind%5D=containerimage`);
    const heading = page
      .getByText(`All ContainerImages (${expected.length})`)
      .first();
    const inCatalog = await reloadUntilVisible(page, heading, 60_000);
    expect(inCatalog ? 'in catalog' : await pageText(page)).toBe('in catalog');
    await screenshot(page, WALKTHROUGH, '04-catalog-images');
  });

  it('edits it, keeping the stored password, and slows it down', async () => {
    await page.goto(`${backstage.baseUrl}/container-registries/lab`);
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/Password: set/).waitFor();
    await dialog
      .getByRole('textbox', { name: /^Name/ })
      .fill('Lab registry (slow)');
    await dialog.getByText(/^Transport/).click();
    await dialog.getByLabel('Max requests per second').fill('1');
    await screenshot(page, WALKTHROUGH, '05-edit');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Lab registry (slow)').first().waitFor();
    expect(await pageText(page)).toMatch(
      /Max requests per second\s+1 requests per second/i,
    );
  });

  it('updates its images list, shows the progress, and cancels the crawl', async () => {
    await page.getByRole('button', { name: 'Update images list' }).click();
    const cancel = page.getByRole('button', { name: 'Cancel crawl' });
    const running = await reloadUntilVisible(page, cancel, 30_000);
    expect(running ? 'running' : await pageText(page)).toBe('running');
    await screenshot(page, WALKTHROUGH, '06-crawl-running');
    await cancel.click();
    const cancelled = page.getByRole('cell', { name: /cancelled/i }).first();
    const done = await reloadUntilVisible(page, cancelled, 60_000);
    expect(done ? 'cancelled' : await pageText(page)).toBe('cancelled');
    await screenshot(page, WALKTHROUGH, '07-crawl-cancelled');
    // A cancelled crawl removes nothing.
    await page.goto(`${backstage.baseUrl}/container-registries`);
    await page
      .getByRole('row', { name: /Lab registry/ })
      .getByRole('cell', { name: String(expected.length), exact: true })
      .waitFor();
  });

  it('deletes it after a confirmation that says how many images leave the catalog', async () => {
    await page.goto(`${backstage.baseUrl}/container-registries/lab`);
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByText(`${expected.length} images will leave the catalog`, {
        exact: false,
      })
      .waitFor();
    await screenshot(page, WALKTHROUGH, '08-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/container-registries\/?$/);
    await page.getByText('Lab registry').first().waitFor({ state: 'detached' });
    await screenshot(page, WALKTHROUGH, '09-deleted');

    await page.goto(`${backstage.baseUrl}/?filters%5Bkind%5D=containerimage`);
    const gone = page.getByText('All ContainerImages (0)').first();
    const emptied = await reloadUntilVisible(page, gone, 60_000);
    expect(emptied ? 'gone' : await pageText(page)).toBe('gone');
  });
});
