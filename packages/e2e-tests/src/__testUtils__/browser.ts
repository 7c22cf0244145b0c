import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const APP_DIST = join(
  dirname(require.resolve('app/package.json')),
  'dist/index.html',
);

/** Where each walkthrough saves what its pages looked like (git-ignored). */
export const SCREENSHOTS_DIR = join(__dirname, '../../screenshots');

/** Fails with what to do when Chromium or the built app is missing. */
export function checkPrerequisites() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it with "apt-get install chromium" or run "./run setup"`,
    );
  }
  if (!existsSync(APP_DIST)) {
    throw new Error(
      'packages/app/dist is missing: build the app first ("yarn workspace app build"; ./run test does)',
    );
  }
}

/** Headless Chromium as this machine allows it: no sandbox, no background networking. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Reloads the page until `locator` shows, for at most `ms` of wall time. */
export async function reloadUntilVisible(
  page: Page,
  locator: Locator,
  ms: number,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      await locator.waitFor({ timeout: 5000 });
      return true;
    } catch {
      await page.reload();
    }
  }
  return locator.isVisible();
}

/** Saves the whole page as `<walkthrough>/<step>.png` under the screenshots folder. */
export async function screenshot(
  page: Page,
  walkthrough: string,
  step: string,
) {
  const dir = join(SCREENSHOTS_DIR, walkthrough);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${step}.png`), fullPage: true });
}

/** What the main area says, for a failure message that shows the page. */
export async function pageText(page: Page): Promise<string> {
  return page.locator('main').innerText();
}
