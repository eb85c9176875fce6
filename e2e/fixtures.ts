// The `test` every journey uses: Playwright's, plus a watch on the site's Content-Security-Policy.
// The server (scripts/serve-dist.mjs) sends the strict policy of docs/EMBEDDING.md and index.html
// carries it too; any violation in any page of the test (a blocked inline script or style, a
// style="…" attribute, a request to another origin) fails the test that caused it.
//
// Specs import { test, expect } from './fixtures'; a spec that opens its own browser context
// (browser.newContext) calls watchCsp on it.
import { test as base, expect, type BrowserContext } from '@playwright/test';
import { readFileSync } from 'node:fs';

export * from '@playwright/test';

const MARK = '[csp-violation]';

/** Runs in every page and frame before its own scripts: reports each violation on the console. */
function listen(mark: string) {
  document.addEventListener(
    'securitypolicyviolation',
    (e) => {
      const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}` : '';
      console.error(`${mark} ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}${where} ${e.sample}`.trim());
    },
    true,
  );
}

/** Collect every CSP violation of the context's pages into `seen`. */
export async function watchCsp(context: BrowserContext, seen: string[] = []): Promise<string[]> {
  await context.addInitScript(listen, MARK);
  context.on('console', (m) => {
    const text = m.text();
    // Ours, and Chromium's own report of a violation (it logs one per blocked resource).
    if (text.includes(MARK) || /Content Security Policy/i.test(text)) seen.push(text);
  });
  return seen;
}

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const seen = await watchCsp(context);
      await use(seen);
      expect(seen, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

/** Paste `text` into the focused CodeMirror editor as a learner's Ctrl+V does: a `paste` event
 *  CodeMirror handles itself. (`keyboard.insertText` of many lines goes through Chromium's own
 *  contenteditable editing, which writes `style="…"` attributes the strict CSP blocks: a test
 *  artefact, not what a paste does.) */
export async function pasteIntoEditor(page: import('@playwright/test').Page, text: string) {
  await page.locator('.cm-content').first().evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Load a test library (axe-core, jsQR) into the page as a same-origin script file, which the
 *  strict CSP allows (an inline `addScriptTag({ content })` is blocked, as it should be). */
export async function addScriptFile(page: import('@playwright/test').Page, file: string) {
  const name = `__test__/${file.split('/').pop()}`;
  await page.route(`**/${name}`, (route) =>
    route.fulfill({ body: readFileSync(file, 'utf8'), contentType: 'text/javascript' }),
  );
  await page.addScriptTag({ url: new URL(name, page.url()).href });
}
