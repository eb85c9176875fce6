// The first screen from HTML (scripts/prerender.mjs, public/boot.js): before the wasm arrives the
// page already shows the default scenario's cluster drawing, both DNS answers, the hint and the
// lesson picker in the learner's language; the app takes it over without a layout shift and
// shows the same text. Links with state show the loading frame instead, never a wrong cluster.
import { expect, test, type Page } from '@playwright/test';

/** What the comparison covers: the first screen's regions (their `data-testid`, `data-pre` in the copy). */
const REGIONS = ['panel-cluster', 'answer-normal-service', 'answer-headless-service', 'hint', 'lesson-picker'];

/** Hold every .wasm request until the returned function is called. */
async function holdWasm(page: Page): Promise<() => void> {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  await page.route(/\.wasm$/, async (route) => {
    await gate;
    await route.continue();
  });
  return release;
}

/**
 * Installed before the page's scripts: the rendered text of each region (elements with
 * `display: none` left out, so only the drawing for this width counts), the layout shifts, and
 * the live regions' text in the first animation frame after the app mounted.
 */
async function instrument(page: Page) {
  await page.addInitScript((regions: string[]) => {
    const text = (root: Element): string => {
      const out: string[] = [];
      const walk = (n: Node) => {
        if (n.nodeType === Node.TEXT_NODE) out.push(n.textContent ?? '');
        if (n.nodeType !== Node.ELEMENT_NODE) return;
        if (getComputedStyle(n as Element).display === 'none') return;
        n.childNodes.forEach(walk);
      };
      walk(root);
      return out.join(' ').replace(/\s+/g, ' ').trim();
    };
    const shown = (el: Element) => {
      for (let e: Element | null = el; e; e = e.parentElement) if (getComputedStyle(e).display === 'none') return false;
      return true;
    };
    const snap = (attr: string) =>
      Object.fromEntries(
        regions.map((r) => {
          const el = [...document.querySelectorAll(`[${attr}="${r}"]`)].find(shown);
          return [r, el ? text(el) : null];
        }),
      );
    const w = window as unknown as Record<string, unknown>;
    const state = { cls: 0, shifts: [] as string[], live: null as unknown, mountedAt: 0 };
    w.__pre = state;
    w.__preSnap = snap;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; startTime: number; sources?: { node?: Node }[] }[]) {
        if (e.hadRecentInput) continue;
        state.cls += e.value;
        const nodes = (e.sources ?? []).map((s) => (s.node instanceof Element ? s.node.className || s.node.tagName : String(s.node)));
        state.shifts.push(`${e.startTime.toFixed(0)} ms ${e.value.toFixed(4)} ${nodes.join(',')}`);
      }
    }).observe({ type: 'layout-shift', buffered: true });
    const mo = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="app"]')) return;
      mo.disconnect();
      state.mountedAt = performance.now();
      requestAnimationFrame(() => (state.live = snap('data-testid')));
    });
    mo.observe(document, { childList: true, subtree: true });
  }, REGIONS);
}

const preSnap = (page: Page) => page.evaluate(() => (window as unknown as { __preSnap: (a: string) => Record<string, string | null> }).__preSnap('data-pre'));
const preState = (page: Page) =>
  page.evaluate(() => (window as unknown as { __pre: { cls: number; shifts: string[]; live: Record<string, string | null> | null } }).__pre);

async function firstScreenThenApp(page: Page, expectText: RegExp[]) {
  await instrument(page);
  const release = await holdWasm(page);
  await page.goto('/');
  // Before the wasm: the copy, in this language; no loading frame, no app.
  const before = await preSnap(page);
  for (const r of REGIONS) expect(before[r], `pre-rendered ${r}`).toBeTruthy();
  for (const re of expectText) expect(before['panel-cluster'] + before['answer-headless-service']).toMatch(re);
  expect(before['answer-headless-service']).toContain('Address 5:');
  expect(before['answer-normal-service']).toContain('Address 1:');
  await expect(page.getByTestId('loading')).toBeHidden();
  await expect(page.getByTestId('app')).toHaveCount(0);
  // Nothing inline for the CSP, and ids stay unique with both languages in the page.
  expect(await page.locator('#prerender [style]').count()).toBe(0);
  const dupes = await page.evaluate(() => {
    const seen = new Map<string, number>();
    for (const e of document.querySelectorAll('[id]')) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  expect(dupes).toEqual([]);
  release();
  await expect(page.getByTestId('app')).toBeVisible();
  await expect.poll(async () => (await preState(page)).live !== null).toBe(true);
  await expect(page.locator('#prerender')).toHaveCount(0);
  const after = await preState(page);
  // The app's first frame shows exactly the text the copy showed.
  expect(after.live).toEqual(before);
  // And nothing moved when it took over.
  await page.waitForTimeout(500);
  const settled = await preState(page);
  expect(settled.cls, `layout shifts: ${settled.shifts.join(' | ')}`).toBeLessThan(0.001);
}

test.describe('en', () => {
  test.use({ locale: 'en-US' });
  test('the first screen is in the HTML, and the app takes it over with the same text and no shift', async ({ page }) => {
    await firstScreenThenApp(page, [/api-deployment/, /Name:\s+headless-service/]);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });
});

test.describe('zh-CN', () => {
  test.use({ locale: 'zh-CN' });
  test('a Chinese browser gets the Chinese copy before first paint', async ({ page }) => {
    await firstScreenThenApp(page, [/节点|集群/]);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  });
});

test('?lang= picks the copy, whatever the browser says', async ({ page }) => {
  await instrument(page);
  const release = await holdWasm(page);
  await page.goto('/?lang=zh');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  const before = await preSnap(page);
  expect(before['lesson-picker']).toMatch(/[\u4e00-\u9fff]/);
  release();
  await expect(page.getByTestId('app')).toBeVisible();
  await expect.poll(async () => (await preState(page)).live).toEqual(before);
});

for (const { width, height } of [
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
]) {
  test(`the first screen looks the same before and after the app mounts at ${width}x${height}`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    // Timers frozen, as the build captured it: the app's first frame, before the clock ticks.
    await page.clock.install({ time: new Date('2026-01-01T00:00:00Z') });
    await page.clock.pauseAt(new Date('2026-01-01T00:00:01Z'));
    const release = await holdWasm(page);
    await page.goto('/');
    await expect(page.locator('#prerender [data-pre="answer-headless-service"]').filter({ visible: true })).toBeVisible();
    const before = await page.screenshot();
    release();
    await expect(page.getByTestId('app')).toBeVisible();
    await expect(page.getByTestId('answer-headless-service')).toContainText('Address 5:');
    await page.waitForTimeout(300);
    const after = await page.screenshot();
    const diff = await page.evaluate(
      async ([a, b, width]) => {
        const load = async (b64: string) => {
          const img = new Image();
          img.src = `data:image/png;base64,${b64}`;
          await img.decode();
          const c = document.createElement('canvas');
          c.width = img.width;
          c.height = img.height;
          const ctx = c.getContext('2d')!;
          ctx.drawImage(img, 0, 0);
          return ctx.getImageData(0, 0, c.width, c.height).data;
        };
        const [x, y] = [await load(a), await load(b)];
        // A pixel differs when a channel moves by more than 8 of 255: the rasteriser's
        // anti-aliasing of rounded corners varies by a few units between frames of the same page.
        let n = 0;
        let faint = 0;
        const box = { x0: Infinity, y0: Infinity, x1: -1, y1: -1 };
        for (let i = 0; i < x.length; i += 4) {
          const d = Math.max(Math.abs(x[i] - y[i]), Math.abs(x[i + 1] - y[i + 1]), Math.abs(x[i + 2] - y[i + 2]));
          if (d === 0) continue;
          if (d <= 8) {
            faint++;
            continue;
          }
          n++;
          const p = i / 4;
          const px = p % width;
          const py = Math.floor(p / width);
          box.x0 = Math.min(box.x0, px);
          box.y0 = Math.min(box.y0, py);
          box.x1 = Math.max(box.x1, px);
          box.y1 = Math.max(box.y1, py);
        }
        return { pixels: n, faint, total: x.length / 4, box };
      },
      [before.toString('base64'), after.toString('base64'), width] as [string, string, number],
    );
    await test.info().attach(`before-${width}.png`, { body: before, contentType: 'image/png' });
    await test.info().attach(`after-${width}.png`, { body: after, contentType: 'image/png' });
    expect(diff.pixels, `${diff.pixels} of ${diff.total} pixels differ, in ${JSON.stringify(diff.box)}`).toBe(0);
    // Anti-aliasing noise only: a few hundred pixels at most.
    expect(diff.faint).toBeLessThan(diff.total / 1000);
  });
}

for (const query of ['?m=abc', '?lesson=one-door&step=1', '?j=abc', '?scenario=002', '?seed=7', '?embed=1', '?present=1', '?theme=purple']) {
  test(`a link with state (${query}) shows the loading frame, never the default cluster`, async ({ page }) => {
    const release = await holdWasm(page);
    await page.goto(`/${query}`);
    await expect(page.getByTestId('loading')).toBeVisible();
    await expect(page.getByTestId('loading')).toContainText('Loading the simulated cluster');
    await expect(page.getByTestId('loading')).toContainText('正在加载模拟集群');
    await expect(page.locator('#prerender [data-pre="panel-cluster"]').filter({ visible: true })).toHaveCount(0);
    release();
    await expect(page.getByTestId('app')).toBeVisible();
    await expect(page.getByTestId('loading')).toHaveCount(0);
    await expect(page.locator('#prerender')).toHaveCount(0);
  });
}

test('the theme is set before first paint and stays when the app mounts', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const release = await holdWasm(page);
  await page.goto('/');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  release();
  await expect(page.getByTestId('app')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
});
