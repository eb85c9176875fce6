// A first visit to the release build: the app mounts without errors, shows the two
// nslookup answers, and loads nothing from outside its own origin.
import { expect, test, type Page } from './fixtures';

/** Fails the test on any uncaught page error or console error (a Rust panic lands here). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}

test('the app mounts from the release build', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.locator('[data-testid="app"]')).toBeVisible();
  await expect(page).toHaveTitle(/Service Lab/);
  expect(errors).toEqual([]);
});

// Needs the answer panels (data-testid="answer-normal-service" / "answer-headless-service")
// that show busybox nslookup output. Fails until the app renders them.
test('shows the nslookup answers for the normal and the headless service', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const normal = page.locator('[data-testid="answer-normal-service"]');
  const headless = page.locator('[data-testid="answer-headless-service"]');
  await expect(normal, 'answer-normal-service is not rendered yet (app work pending?)').toBeVisible();
  await expect(headless, 'answer-headless-service is not rendered yet (app work pending?)').toBeVisible();
  // A headless service answers with every ready pod's address ...
  await expect(headless).toContainText('Address 5:');
  // ... a normal one with its single ClusterIP.
  await expect(normal).toContainText('Address 1:');
  await expect(normal).not.toContainText('Address 2:');
  expect(errors).toEqual([]);
});

test('loads nothing from outside its own origin', async ({ page }) => {
  const foreign: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.hostname !== '127.0.0.1') foreign.push(req.url());
  });
  for (const query of ['', '?theme=dark&lang=zh']) {
    await page.goto(`/${query}`);
    await expect(page.locator('[data-testid="app"]')).toBeVisible();
    await page.waitForLoadState('networkidle');
  }
  expect(foreign, 'requests to other hosts').toEqual([]);
});
