// Hostile and oversized inputs, driven through the page as a visitor would give them; used by
// the journeys (e2e/hostile.spec.ts, which assert what the page says and keeps) and by the
// benchmark (scripts/bench-hostile.mjs, run by `./lab bench`, which reports how long the page
// was blocked). Each input is a function of a Playwright page already showing the lab.
//
// How long the page was blocked: the browser's own Long Tasks API (PerformanceObserver
// 'longtask': every task of the main thread over 50 ms), installed before the page's scripts.
import { deflateRawSync } from 'node:zlib';

/** Init script: every long task of the page, from its start, in `window.__longTasks`. */
export function longTaskProbe() {
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No Long Tasks API: nothing recorded (reported as "not measured").
  }
}

/** performance.now() in the page: where an input starts, for `worstLongTask`. */
export const pageNow = (page) => page.evaluate(() => performance.now());

/** The longest task since `since` (ms since navigation start), and how many there were. */
export async function worstLongTask(page, since = 0) {
  // A long task is reported after it ends: give the observer a frame to deliver.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
  return page.evaluate((t0) => {
    const tasks = (window.__longTasks ?? []).filter((t) => t.start >= t0);
    return { worst: tasks.reduce((m, t) => Math.max(m, t.duration), 0), count: tasks.length, measured: '__longTasks' in window };
  }, since);
}

/** `m=` as the page writes it (src/web.js packState): deflate-raw, then base64url. */
export function packState(text) {
  return deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url');
}

/** A paste event with `text` on the element `selector` matches (the clipboard as a browser gives it). */
export async function paste(page, selector, text) {
  await page.locator(selector).first().evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** A valid-looking manifest of about `bytes` characters: one ConfigMap with many keys. */
export function bigManifest(bytes) {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: pasted', 'data:'];
  let size = lines.join('\n').length;
  for (let i = 0; size < bytes; i++) {
    const line = `  key-${i}: "${'v'.repeat(40)}"`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/** `n` terminal lines: a script a learner might paste by mistake (or on purpose). */
export function manyLines(n) {
  return Array.from({ length: n }, (_, i) => `echo pasted line ${i + 1}`).join('\n') + '\n';
}

/** YAML whose aliases copy a large scalar many times (issue 13: 30 KB of link, GBs of memory). */
export function aliasBomb() {
  const big = 'x'.repeat(200_000);
  const refs = Array.from({ length: 9000 }, (_, i) => `  k${i}: *big`).join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  annotations:\n    a: &big ${big}\ndata:\n${refs}\n`;
}

/** Wait until the terminal's last entry holds `text`. */
export async function lastEntry(page, text, timeout = 30_000) {
  await page.waitForFunction(
    (t) => [...document.querySelectorAll('[data-testid="terminal-output"] .term-entry')].pop()?.textContent.includes(t),
    text,
    { timeout },
  );
}

/** Open the editor tab and wait for CodeMirror. */
export async function openEditor(page) {
  await page.getByTestId('tab-editor').click();
  await page.getByTestId('editor-cm').waitFor();
}

/**
 * The hostile inputs the benchmark runs, each on a freshly loaded lab. `run(page)` gives the
 * input and resolves when the page has dealt with it (said what it refused, or finished).
 */
export const HOSTILE = [
  {
    name: '9 MB paste into the editor (refused with a message)',
    async run(page) {
      await openEditor(page);
      await paste(page, '[data-testid="editor-cm"]', bigManifest(9 * 1024 * 1024));
      await page.getByTestId('editor-refused').waitFor();
    },
  },
  {
    name: '900 KB paste into the editor (accepted), then Apply',
    async run(page) {
      await openEditor(page);
      await page.getByTestId('editor-cm').click();
      await page.keyboard.press('Control+a');
      await paste(page, '[data-testid="editor-cm"]', bigManifest(900 * 1024));
      await page.getByTestId('apply').click();
      await page.getByTestId('apply-result').getByText('pasted').first().waitFor({ timeout: 60_000 });
    },
  },
  {
    name: '20,000-line paste into the terminal',
    async run(page) {
      await page.getByTestId('terminal-input').click();
      await paste(page, '[data-testid="terminal-input"]', manyLines(20_000));
      await lastEntry(page, 'echo pasted line 20000', 120_000);
      await page.getByTestId('term-pasting').waitFor({ state: 'detached' });
    },
  },
  {
    name: 'kubectl scale to 1000 replicas, then sleep 600 in the terminal',
    async run(page) {
      const input = page.getByTestId('terminal-input');
      await input.fill('kubectl scale deploy api-deployment --replicas=1000');
      await input.press('Enter');
      await input.fill('sleep 600');
      await input.press('Enter');
      await input.fill('echo slept');
      await input.press('Enter');
      await lastEntry(page, 'echo slept', 120_000);
    },
  },
  {
    name: 'a shared link whose YAML aliases copy 1.8 GB',
    query: () => `?m=${packState(aliasBomb())}`,
    async run(page) {
      await page.getByTestId('link-problem').waitFor({ timeout: 60_000 });
    },
  },
];
