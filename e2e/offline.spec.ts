// Offline after the first visit (a classroom whose network drops): the service worker written by
// scripts/offline-build.mjs caches the whole build; with the network off, a reload shows the
// working lab, at the site root and under a sub-path. Embeds register nothing unless the host
// allows it. A new build deployed under the same address is what the next load shows, whole,
// with the "updated" note.
import { expect, test, type Page } from './fixtures';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

function walk(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? [...walk(p), p] : [p];
  });
}

/** The content hashes in a build's file names (Trunk's `-<hex>` suffixes). */
function hashesOf(root: string): string[] {
  const found = new Set<string>();
  // Files only: the snippets directory's hash is the wasm's import name, the same in any build of this source.
  for (const p of walk(root)) {
    if (statSync(p).isFile()) for (const m of p.slice(p.lastIndexOf('/')).matchAll(/-([0-9a-f]{12,})/g)) found.add(m[1]);
  }
  return [...found];
}

/** Build "B": dist/ with every hashed file renamed (as a rebuild with changed sources names
 *  them), a marker in its page, and its own sw.js and version from scripts/offline-build.mjs. */
function makeBuildB(from: string): { dir: string; hashes: string[] } {
  const out = mkdtempSync(join(tmpdir(), 'svclab-build-b-'));
  cpSync(from, out, { recursive: true });
  for (const p of walk(out)) if (/\.(gz|br)$/.test(p) || p.endsWith('/sw.js')) rmSync(p);
  const swap = new Map(hashesOf(out).map((h) => [h, [...h].reverse().join('')]));
  const rename = (s: string) => [...swap].reduce((acc, [a, b]) => acc.replaceAll(a, b), s);
  // Contents first, then names (deepest paths first, so directories move after their files).
  for (const p of walk(out)) {
    if (statSync(p).isFile() && /\.(html|js|css|json|webmanifest)$/.test(p)) writeFileSync(p, rename(readFileSync(p, 'utf8')));
  }
  for (const p of walk(out).sort((a, b) => b.length - a.length)) {
    const base = p.slice(p.lastIndexOf('/') + 1);
    if (rename(base) !== base) renameSync(p, join(p.slice(0, p.lastIndexOf('/')), rename(base)));
  }
  const index = join(out, 'index.html');
  // The page of dist/ already carries its version: back to the placeholder, plus a marker.
  const version = /const VERSION = '([0-9a-f]+)'/.exec(readFileSync(join(from, 'sw.js'), 'utf8'))![1];
  const html = readFileSync(index, 'utf8')
    .replaceAll(version, '__SVCLAB_BUILD__')
    .replace('<title>', '<meta name="svclab-test-build" content="B" /><title>');
  expect(html).toContain('__SVCLAB_BUILD__');
  // Subresource integrity of the changed files, as Trunk writes it.
  const withIntegrity = html.replace(/<link[^>]*>/g, (tag) => {
    const href = /href=("([^"]*)"|[^\s>]+)/.exec(tag);
    if (!href || !/integrity=/.test(tag)) return tag;
    const file = join(out, (href[2] ?? href[1]).replace(/^\.\//, ''));
    const sri = `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
    return tag.replace(/integrity=("[^"]*"|[^\s>]+)/, `integrity=${sri}`);
  });
  writeFileSync(index, withIntegrity);
  execFileSync('node', ['scripts/offline-build.mjs', out]);
  return { dir: out, hashes: [...swap.values()] };
}

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

test('a new build is picked up on the next load, whole, with an "updated" note', async ({ page }) => {
  test.setTimeout(120_000);
  const a = { dir, hashes: hashesOf(dir) };
  const b = makeBuildB(dir);
  expect(a.hashes.length).toBeGreaterThanOrEqual(2);
  let current = a.dir;
  const server = await serveDist({ dir: () => current, port: 0, base: '/', quiet: true });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  /** Every file the page loaded (resource timing, the page's own links and scripts). */
  const loaded = () =>
    page.evaluate(() => [
      ...performance.getEntriesByType('resource').map((e) => e.name),
      ...[...document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>('script[src], link[href]')].map((e) =>
        'src' in e ? e.src : e.href,
      ),
    ]);
  const of = (names: string[], hashes: string[]) => names.filter((n) => hashes.some((h) => n.includes(h)));
  try {
    await page.goto(`${url}?lang=en`);
    await expect(page.getByTestId('answer-headless-service')).toContainText('Address 5:');
    await controlled(page);
    await expect(page.getByTestId('updated-note')).toHaveCount(0);
    // A reload of the same build: still no note.
    await page.reload();
    await expect(page.getByTestId('answer-headless-service')).toContainText('Address 5:');
    await page.waitForTimeout(500);
    await expect(page.getByTestId('updated-note')).toHaveCount(0);

    // Build B is deployed at the same address; the next load is B, whole, and says so.
    current = b.dir;
    await page.reload();
    await expect(page.locator('meta[name="svclab-test-build"]')).toHaveCount(1);
    await expect(page.getByTestId('answer-headless-service')).toContainText('Address 5:');
    await expect(page.getByTestId('updated-note')).toBeVisible();
    await expect(page.getByTestId('updated-note')).toContainText(/updated|newest/i);
    // The lazily loaded editor too.
    await page.getByTestId('tab-editor').click();
    await expect(page.getByTestId('editor-cm')).toBeVisible();
    const names = await loaded();
    expect(of(names, a.hashes), 'no file of build A').toEqual([]);
    expect(of(names, b.hashes).length, 'files of build B').toBeGreaterThanOrEqual(2);

    // B's worker takes over; the load after that is B from its cache, without the note.
    await page.waitForFunction(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      const v = document.querySelector<HTMLMetaElement>('meta[name="svclab-build"]')?.content;
      const sw = reg?.active;
      if (!sw || !v) return false;
      const answer = await new Promise<string>((done) => {
        const ch = new MessageChannel();
        ch.port1.onmessage = (e) => done(e.data?.version ?? '');
        sw.postMessage({ type: 'svclab:version' }, [ch.port2]);
      });
      return answer === v;
    }, undefined, { timeout: 30_000 });
    await page.reload();
    await expect(page.locator('meta[name="svclab-test-build"]')).toHaveCount(1);
    await expect(page.getByTestId('answer-headless-service')).toContainText('Address 5:');
    await page.waitForTimeout(500);
    await expect(page.getByTestId('updated-note')).toHaveCount(0);
    expect(of(await loaded(), a.hashes)).toEqual([]);
  } finally {
    await new Promise((done) => server.close(done));
    rmSync(b.dir, { recursive: true, force: true });
  }
});
