// The CodeMirror bundle (dist/editor/) is not part of the first load: it is fetched when the
// editor is opened, or while the page is idle on a fast connection, never ahead of use with
// Save-Data (src/web.js: editorPrefetchAllowed). Save-Data is emulated by overriding
// navigator.connection before the page's scripts run.
import { expect, test, type Page } from '@playwright/test';

/** Every request for the editor bundle the page makes, as it happens. */
function editorRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.includes('/editor/')) seen.push(r.url());
  });
  return seen;
}

async function emulateConnection(page: Page, connection: { saveData: boolean; effectiveType: string }) {
  await page.addInitScript((c) => {
    Object.defineProperty(Navigator.prototype, 'connection', { configurable: true, get: () => c });
  }, connection);
}

test('with Save-Data the editor is fetched only when opened, with a visible getting-ready state', async ({ page }) => {
  await emulateConnection(page, { saveData: true, effectiveType: '4g' });
  const seen = editorRequests(page);
  // Hold the bundle back a moment so the getting-ready state can be seen.
  await page.route('**/editor/**', async (route) => {
    await new Promise((done) => setTimeout(done, 800));
    await route.continue();
  });
  await page.goto('/');
  await expect(page.getByTestId('app')).toBeVisible();
  await expect(page.getByTestId('answer-headless-service')).toContainText('Address');
  // Idle time passes (an idle callback fires well within it on a fast connection: see below).
  await page.waitForTimeout(3000);
  expect(seen, 'no editor request before the editor is opened').toEqual([]);
  await expect(page.getByTestId('editor-getting-ready')).toBeHidden();

  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('editor-getting-ready')).toBeVisible();
  await expect(page.getByTestId('editor-getting-ready')).toContainText('Getting the editor ready');
  await expect(page.getByTestId('editor-cm')).toBeVisible();
  await expect(page.getByTestId('editor-getting-ready')).toBeHidden();
  expect(seen.length).toBeGreaterThan(0);
});

test('on a fast connection the editor is fetched while the page is idle, before it is opened', async ({ page }) => {
  await emulateConnection(page, { saveData: false, effectiveType: '4g' });
  const seen = editorRequests(page);
  await page.goto('/');
  await expect(page.getByTestId('app')).toBeVisible();
  await expect.poll(() => seen.length, { timeout: 8000 }).toBeGreaterThan(0);
  // Opening it then needs no wait for the network.
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('editor-cm')).toBeVisible();
});

test('on a slow link the editor is not fetched ahead of use', async ({ page }) => {
  await emulateConnection(page, { saveData: false, effectiveType: '3g' });
  const seen = editorRequests(page);
  await page.goto('/');
  await expect(page.getByTestId('app')).toBeVisible();
  await page.waitForTimeout(3000);
  expect(seen).toEqual([]);
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('editor-cm')).toBeVisible();
  expect(seen.length).toBeGreaterThan(0);
});
