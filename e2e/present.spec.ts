// Presenter mode and "Share with the class" (src/present.rs, src/share.rs): what a teacher does
// on a projector, with the keyboard, and what the class's phones open.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addScriptFile, expect, test, watchCsp, type Locator, type Page } from './fixtures';

const outDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const jsqrPath = fileURLToPath(new URL('../node_modules/jsqr/dist/jsQR.js', import.meta.url));

const headless = (page: Page) => page.locator('[data-testid="answer-headless-service"]');
const normal = (page: Page) => page.locator('[data-testid="answer-normal-service"]');

/** The addresses a busybox nslookup answer lists after `Name:` (the server's own line excluded). */
async function answerAddresses(answer: Locator): Promise<string[]> {
  const text = (await answer.textContent()) ?? '';
  const after = text.split(/Name:/)[1] ?? '';
  return [...after.matchAll(/Address \d+: (\S+)/g)].map((m) => m[1]).sort();
}

/** Record Fullscreen API calls instead of entering full screen (headless has no screen). */
async function stubFullscreen(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __fullscreen: number };
    w.__fullscreen = 0;
    Element.prototype.requestFullscreen = function () {
      w.__fullscreen += 1;
      return Promise.resolve();
    };
  });
}

async function openPresenting(page: Page, lang: string) {
  await page.goto(`/?lang=${lang}&present=1`);
  await expect(page.getByTestId('present-bar')).toBeVisible();
  await expect(headless(page)).toContainText('Address 5:');
}

test('presenter mode: large step text, the keyboard flow, notes in a second window', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await stubFullscreen(page);
  await openPresenting(page, 'en');

  const step = page.getByTestId('present-step');
  const px = async (l: Locator) => parseFloat(await l.evaluate((el) => getComputedStyle(el).fontSize));
  expect(await px(step)).toBeGreaterThanOrEqual(24);
  expect(await px(page.getByTestId('present-counter'))).toBeGreaterThanOrEqual(24);
  // The drawing fills the stage: most of the 1280 px width.
  const svg = await page.locator('.cluster-svg').boundingBox();
  expect(svg?.width ?? 0).toBeGreaterThan(650);
  // The answers are covered for the class to guess.
  await expect(page.getByTestId('panel-dns')).toBeVisible();
  await expect(normal(page)).toBeHidden();

  // Speaker notes follow the presenter.
  const [notes] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('present-notes').click()]);
  await expect(notes.getByTestId('notes-counter')).toHaveText('Step 0 of 12');

  // → three times: the seed's first three commands typed into the terminal.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('present-counter')).toHaveText('Step 3 of 12');
  await expect(step).toHaveText('cat > headless-service.yaml << EOF');
  await expect(page.getByTestId('panel-terminal')).toBeVisible();
  await expect(page.getByTestId('terminal-output')).toContainText('cat > normal-service.yaml << EOF');
  await expect(page.getByTestId('terminal-output')).toContainText('clusterIP: None');
  await expect(notes.getByTestId('notes-counter')).toHaveText('Step 3 of 12');
  await expect(notes.getByTestId('notes-text')).toContainText('clusterIP: None');
  await expect(notes.getByTestId('notes-next')).toHaveText('kubectl apply -f api-deployment.yaml');
  // ← shows the previous step (the notes follow); → again does not type it twice.
  await page.keyboard.press('ArrowLeft');
  await expect(notes.getByTestId('notes-counter')).toHaveText('Step 2 of 12');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('terminal-output')).toContainText('clusterIP: None');
  expect((await page.getByTestId('terminal-output').textContent())?.split('cat > headless-service.yaml').length).toBe(2);

  // Keys do not fire while typing in the terminal.
  await page.getByTestId('terminal-input').click();
  await page.keyboard.type('rf');
  await expect(page.getByTestId('terminal-input')).toHaveValue('rf');
  await expect(page.getByTestId('app')).not.toHaveClass(/revealed/);
  await page.getByTestId('terminal-input').fill('');
  await step.click();

  // 3: the DNS panel beside the drawing; R reveals the answers.
  await page.keyboard.press('3');
  await expect(page.getByTestId('panel-dns')).toBeVisible();
  await expect(normal(page)).toBeHidden();
  await page.keyboard.press('r');
  await expect(normal(page)).toBeVisible();
  await expect(headless(page)).toBeVisible();

  // Space pauses simulated time.
  await expect(page.getByTestId('present-play')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('present-play')).toHaveAttribute('aria-pressed', 'false');
  const t0 = await page.getByTestId('present-time').textContent();
  await page.waitForTimeout(1200);
  expect(await page.getByTestId('present-time').textContent()).toBe(t0);
  // `.` steps the paused clock by a second.
  await page.keyboard.press('.');
  await expect(page.getByTestId('present-time')).not.toHaveText(t0 ?? '');

  // F asks for full screen.
  await page.keyboard.press('f');
  expect(await page.evaluate(() => (window as unknown as { __fullscreen: number }).__fullscreen)).toBe(1);

  // + zooms the stage, 0 resets it.
  await page.keyboard.press('+');
  await expect(page.getByTestId('present-zoom-reset')).toHaveText('110 %');
  await page.keyboard.press('0');
  await expect(page.getByTestId('present-zoom-reset')).toHaveText('100 %');

  // ? lists the keys.
  await page.keyboard.press('?');
  const help = page.getByTestId('present-help-overlay');
  await expect(help).toBeVisible();
  await expect(help.locator('dt')).toHaveCount(13);
  await expect(help).toContainText('Reveal or cover the DNS answers');
  await expect(help).toContainText('Play or pause simulated time');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // A click on a panel spotlights it.
  // Any place in the panel spotlights it (its heading can sit under the answers in the new layout).
  await page.getByTestId('panel-dns').click({ position: { x: 4, y: 4 } });
  await expect(page.getByTestId('app')).toHaveAttribute('data-spot', 'dns');

  // Esc leaves presenter mode (and the address bar says so).
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('present-bar')).toBeHidden();
  expect(page.url()).not.toContain('present=1');
  // The whole page is back: the workbench's tabs reach every panel again.
  await expect(page.getByTestId('tab-editor')).toBeVisible();
  await expect(page.getByTestId('panel-cluster')).toBeVisible();
});

test('the help overlay lists the keys in Chinese; the header toggle turns presenter mode on', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?lang=zh');
  await expect(headless(page)).toContainText('Address 5:');
  await page.getByTestId('more').click(); // the header's "More" menu
  await page.getByTestId('present-toggle').click();
  await expect(page.getByTestId('present-bar')).toBeVisible();
  expect(page.url()).toContain('present=1');
  await expect(page.getByTestId('present-counter')).toHaveText('第 0 步，共 12 步');
  await page.getByTestId('present-help').click();
  const help = page.getByTestId('present-help-overlay');
  await expect(help).toContainText('揭晓或遮住 DNS 应答');
  await expect(help).toContainText('退出演示模式');
});

/** A text's size as drawn: its computed font size times the scale of the SVG it is in (1 for HTML). */
async function drawnPx(l: Locator): Promise<number> {
  return l.evaluate((el) => {
    const size = parseFloat(getComputedStyle(el).fontSize);
    const ctm = el instanceof SVGGraphicsElement ? el.getScreenCTM() : null;
    return size * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
  });
}

for (const { width, height } of [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
]) {
  for (const lang of ['en', 'zh']) {
    test(`legible from the back of the room at ${width}x${height} (${lang}): step text, DNS answers, pod IPs`, async ({ page }) => {
      await page.setViewportSize({ width, height });
      await openPresenting(page, lang);
      for (let i = 0; i < 11; i++) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('r');
      await expect(normal(page)).toBeVisible();
      expect(await drawnPx(page.getByTestId('present-step'))).toBeGreaterThanOrEqual(24);
      // Both answers: large, and on the stage (the headless one's five addresses included).
      for (const answer of [normal(page), headless(page)]) {
        expect(await drawnPx(answer)).toBeGreaterThanOrEqual(24);
        const box = (await answer.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        // Every address is whole on screen (a long PTR name after it may be cut with "…").
        const cut = await answer.evaluate((el) => {
          const right = el.getBoundingClientRect().right;
          const cutOff: string[] = [];
          for (const ln of el.querySelectorAll('.ln')) {
            let text = '';
            for (const p of ln.querySelectorAll('.nb')) {
              text += p.textContent ?? '';
              // The piece that ends the line's address ("Address 1: 10.244.2.3").
              if (/^Address \d+: +\d+\.\d+\.\d+\.\d+$/.test(text) && p.getBoundingClientRect().right > right) cutOff.push(text);
            }
          }
          return cutOff;
        });
        expect(cut, 'addresses cut off').toEqual([]);
      }
      const last = await headless(page).locator('.ln').filter({ hasText: 'Address 5:' }).boundingBox();
      expect(last!.y + last!.height, 'the fifth address on screen').toBeLessThanOrEqual(height);
      // Every pod IP as drawn: at least 20 px, inside its pod's box.
      const ips = page.locator('[data-testid="panel-cluster"] .pod-ip');
      expect(await ips.count()).toBeGreaterThanOrEqual(7);
      for (const ip of await ips.all()) {
        expect(await drawnPx(ip)).toBeGreaterThanOrEqual(20);
        const [t, r] = await ip.evaluate((el) => {
          const rect = el.parentElement!.querySelector('rect')!.getBoundingClientRect();
          const tb = el.getBoundingClientRect();
          return [[tb.left, tb.right], [rect.left, rect.right]];
        });
        expect(t[1], 'the IP fits its box').toBeLessThanOrEqual(r[1]);
      }
    });
  }
}

// FIXME(open, see the session note): step 3 of one-door asks a prediction first, and "show me"
// waits for it, so → in presenter mode plays nothing; presenter mode needs a rule for predictions
// (reveal to the class, or skip) before this journey can pass. Kept visible as test.fixme.
test.fixme('in a lesson, → and ← walk the lesson: → on an unfinished step shows it, then moves on', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?lang=en&present=1&lesson=one-door&step=3');
  const counter = page.getByTestId('present-counter');
  const step = page.getByTestId('present-step');
  await expect(counter).toHaveText('Step 3 of 4');
  await expect(step).toHaveText('Everything at once');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  // Not passed yet: → types the step's solution for the class ("show me").
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('lesson-passed')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('terminal-output')).toContainText('kubectl get all');
  await expect(counter).toHaveText('Step 3 of 4');
  // Passed: → is the next lesson step; ← the previous one (the button does the same).
  await page.keyboard.press('ArrowRight');
  await expect(counter).toHaveText('Step 4 of 4');
  await expect(step).toHaveText('Ask DNS from inside the cluster');
  await expect(page.getByTestId('lesson-step')).toContainText(/step 4 of 4/i);
  await page.keyboard.press('ArrowLeft');
  await expect(counter).toHaveText('Step 3 of 4');
  await page.getByTestId('present-next').click();
  await expect(page.getByTestId('lesson-passed')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('present-next').click();
  await expect(counter).toHaveText('Step 4 of 4');
  expect(page.url()).toContain('step=4');
  // The notes window follows the lesson step and shows its notes (else its task).
  const [notes] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('present-notes').click()]);
  await expect(notes.getByTestId('notes-counter')).toHaveText('Step 4 of 4');
});

/** Decode the share dialog's QR code in the page: the SVG drawn on a canvas, read by jsQR. */
async function decodeQr(page: Page): Promise<string | null> {
  await addScriptFile(page, jsqrPath);
  return page.getByTestId('share-qr').evaluate(async (svg) => {
    const xml = new XMLSerializer().serializeToString(svg);
    const img = new Image();
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);
    await img.decode();
    const size = 800;
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0, size, size);
    const data = ctx.getImageData(0, 0, size, size);
    // @ts-expect-error injected above
    const code = window.jsQR(data.data, size, size);
    return code ? (code.data as string) : null;
  });
}

test('share with the class: the QR code opens the same DNS answers on a fresh page', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openPresenting(page, 'en');
  await page.keyboard.press('r');
  const expected = await answerAddresses(headless(page));
  expect(expected).toHaveLength(5);
  const cluster = await normal(page).textContent();

  await page.getByTestId('present-share').click();
  await expect(page.getByTestId('share-dialog')).toBeVisible();
  const box = await page.getByTestId('share-qr').boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(300);
  const url = await decodeQr(page);
  expect(url).not.toBeNull();
  expect(url).toContain('seed=');
  await expect(page.getByTestId('share-text')).toHaveText(url!);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('share-dialog')).toBeHidden();

  // A student's phone: a fresh browser context (nothing shared with the teacher's page).
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const violations = await watchCsp(phone);
  const student = await phone.newPage();
  await student.goto(url!);
  await expect(headless(student)).toContainText('Address 5:');
  expect(await answerAddresses(headless(student))).toEqual(expected);
  expect(await normal(student).textContent()).toBe(cluster);
  await phone.close();
  expect(violations, 'Content-Security-Policy violations on the phone').toEqual([]);
});

test.describe('presenter screenshots', () => {
  test.skip(process.env.SCREENSHOTS !== '1', 'set SCREENSHOTS=1 to write docs/screenshots/present-*.png');
  for (const { width, height } of [
    { width: 1920, height: 1080 },
    { width: 1280, height: 720 },
  ]) {
    for (const lang of ['en', 'zh']) {
      test(`present-${width}x${height}-${lang}`, async ({ page }) => {
        await page.setViewportSize({ width, height });
        await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
        await openPresenting(page, lang);
        // Through the seed to `nslookup headless-service`, answers revealed, time paused.
        for (let i = 0; i < 11; i++) await page.keyboard.press('ArrowRight');
        await expect(page.getByTestId('present-counter')).toContainText('11');
        await page.keyboard.press('r');
        await page.waitForTimeout(800);
        await page.keyboard.press(' ');
        await page.screenshot({ path: `${outDir}present-${width}x${height}-${lang}.png` });
      });
    }
  }
});
