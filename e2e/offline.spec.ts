// Offline after the first visit (a classroom whose network drops): the service worker written by
// scripts/offline-build.mjs caches the whole build; with the network off, a reload shows the
// working lab, at the site root and under a sub-path. A new build is taken on the next load,
// with the "updated" note, and never mixed with the old one. Embeds register nothing unless the
// host allows it.
import { expect, test, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist } from '../scripts/serve-dist.mjs';

test.use({ serviceWorkers: 'allow' });

let dir = '';
test.beforeAll(() => {
  // A private copy of dist/: the update test rewrites its sw.js.
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

test('a new build is picked up on the next load, with a visible note', async ({ page }) => {
  const { server, url } = await serve('/');
  try {
    await page.goto(`${url}?lang=en`);
    await controlled(page);
    const version = () =>
      page.evaluate(
        () =>
          new Promise<string>((done) => {
            navigator.serviceWorker.addEventListener('message', (e) => done(e.data.version), { once: true });
            navigator.serviceWorker.controller?.postMessage('svclab:version');
          }),
      );
    const v1 = await version();
    // Deploy a "new build": the worker's version changes.
    const sw = join(dir, 'sw.js');
    writeFileSync(sw, readFileSync(sw, 'utf8').replace(v1, 'feedfacecafebeef'));
    // This load finds the new worker, which installs and waits; the page stays on the old build.
    await page.reload();
    await expect(page.locator('[data-testid="app"]')).toBeVisible();
    await page.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting);
    expect(await version()).toBe(v1);
    await expect(page.locator('[data-testid="updated-note"]')).toHaveCount(0);
    // The next load switches to it (one reload) and says so.
    await page.reload();
    await expect(page.locator('[data-testid="updated-note"]')).toContainText('updated');
    expect(await version()).toBe('feedfacecafebeef');
    await expect(page.locator('[data-testid="answer-headless-service"]')).toContainText('Address 5:');
  } finally {
    await new Promise((done) => server.close(done));
  }
});

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
