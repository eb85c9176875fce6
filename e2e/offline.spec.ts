// Offline after the first visit (a classroom whose network drops): the service worker written by
// scripts/offline-build.mjs caches the whole build; with the network off, a reload shows the
// working lab, at the site root and under a sub-path. Embeds register nothing unless the host
// allows it. (Taking over a new build, with the "updated" note, has no journey yet: in headless
// Chromium here `registration.update()` never settles after the worker script changes.)
import { expect, test, type Page } from './fixtures';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist } from '../scripts/serve-dist.mjs';

test.use({ serviceWorkers: 'allow' });

let dir = '';
test.beforeAll(() => {
  // A private copy of dist/, served by its own server per test.
  dir = mkdtempSync(join(tmpdir(), 'svclab-offline-'));
  cpSync('dist', dir, { recursive: true });
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serve(base: string): Promise<{ server: Server; url: string }> {
  const server = await serveDist({ dir, port: 0, base, quiet: true });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}${base}` };
}

/** Wait until the page is controlled by the worker (the whole build is cached by then). */
async function controlled(page: Page) {
  await page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller !== null;
  });
}

for (const base of ['/', '/docs/service-lab/']) {
  test(`with the network off, a reload shows the working lab (${base})`, async ({ page, context }) => {
    const { server, url } = await serve(base);
    try {
      await page.goto(`${url}?lang=en`);
      await expect(page.locator('[data-testid="answer-headless-service"]')).toContainText('Address 5:');
      await controlled(page);
      await context.setOffline(true);
      await page.reload();
      await expect(page.locator('[data-testid="app"]')).toBeVisible();
      await expect(page.locator('[data-testid="answer-headless-service"]')).toContainText('Address 5:');
      // The lab still works: the terminal answers offline too.
      const input = page.locator('[data-testid="terminal-input"]');
      await input.fill('kubectl get svc');
      await input.press('Enter');
      await expect(page.locator('[data-testid="terminal-output"]')).toContainText('headless-service');
    } finally {
      await context.setOffline(false);
      await new Promise((done) => server.close(done));
    }
  });
}

test('an embed registers no service worker unless the host allows it', async ({ page }) => {
  const { server, url } = await serve('/');
  try {
    await page.goto(`${url}?embed=1&panels=dns`);
    await expect(page.locator('[data-testid="answer-headless-service"]')).toContainText('Address 5:');
    await page.waitForTimeout(500);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  } finally {
    await new Promise((done) => server.close(done));
  }
});
