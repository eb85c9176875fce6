// Hosting under a sub-path, as a docs site does (DESIGN.md: "hostable under a sub-path"):
// the release build in dist/ (relative asset URLs) served at /docs/service-lab/ mounts,
// answers, loads the lazily loaded editor from under the same path, and requests nothing
// outside it.
import { expect, test } from './fixtures';
import type { Server } from 'node:http';
import { serveDist } from '../scripts/serve-dist.mjs';

const BASE = '/docs/service-lab/';
let server: Server;
let origin = '';

test.beforeAll(async () => {
  server = await serveDist({ dir: 'dist', port: 0, base: BASE, quiet: true });
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

test.afterAll(async () => {
  await new Promise((done) => server.close(done));
});

test('the lab works under a sub-path, with and without the trailing slash', async ({ page }) => {
  const outside: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.origin !== origin || !url.pathname.startsWith(BASE.slice(0, -1))) outside.push(req.url());
  });
  const editorCode: string[] = [];
  page.on('requestfinished', (req) => {
    if (req.url().startsWith(`${origin}${BASE}editor/`)) editorCode.push(req.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}${BASE.slice(0, -1)}?lang=zh-CN`);
  await expect(page).toHaveURL(`${origin}${BASE}?lang=zh-CN`);
  await expect(page.locator('[data-testid="app"]')).toBeVisible();
  await expect(page.locator('[data-testid="answer-headless-service"]')).toContainText('Address 5:');
  // The editor's code comes after first paint, from BASE/editor/.
  await page.getByTestId('tab-editor').click();
  await expect(page.locator('[data-testid="panel-editor"] .cm-editor')).toBeVisible();
  expect(editorCode.length).toBeGreaterThan(0);
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});
