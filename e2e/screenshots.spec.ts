// Documentation screenshots: docs/screenshots/{viewport}-{theme}-{lang}.png.
// Skipped unless SCREENSHOTS=1 (`./lab screenshots`), so `./lab test` never rewrites them.
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';

const outDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const viewports = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844 },
];

test.describe('screenshots', () => {
  test.skip(process.env.SCREENSHOTS !== '1', 'set SCREENSHOTS=1 (or run ./lab screenshots) to write docs/screenshots/');

  for (const { width, height } of viewports) {
    for (const theme of ['light', 'dark'] as const) {
      for (const lang of ['en', 'zh']) {
        const name = `${width}x${height}-${theme}-${lang}`;
        test(name, async ({ page }) => {
          await page.setViewportSize({ width, height });
          await page.emulateMedia({ colorScheme: theme, reducedMotion: 'no-preference' });
          await page.goto(`/?theme=${theme}&lang=${lang}`);
          await expect(page.locator('[data-testid="app"]')).toBeVisible();
          await expect(page.locator('[data-testid="answer-headless-service"]')).toContainText('Address 5:');
          await page.waitForLoadState('networkidle');
          // Traffic in flight (dots), then paused: the dots stand still where they were.
          await page.waitForTimeout(1500);
          await page.getByTestId('play-pause').click();
          await page.screenshot({ path: `${outDir}${name}.png` });
          // The whole page too, below the fold.
          await page.screenshot({ path: `${outDir}${name}-full.png`, fullPage: true });
        });
      }
    }
  }
});

// A lesson step (lesson 2, step 3) after a wrong prediction, with the live reveal:
// docs/screenshots/lesson-{viewport}-{lang}.png (README shows one; docs/LESSONS.md).
test.describe('lesson screenshots', () => {
  test.skip(process.env.SCREENSHOTS !== '1', 'set SCREENSHOTS=1 (or run ./lab screenshots) to write docs/screenshots/');

  for (const { width, height } of [
    { width: 1280, height: 720 },
    { width: 390, height: 844 },
  ]) {
    for (const lang of ['en', 'zh']) {
      const name = `lesson-${width}x${height}-${lang}`;
      test(name, async ({ page }) => {
        await page.setViewportSize({ width, height });
        await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
        await page.goto(`/?theme=light&lang=${lang}&lesson=headless-dns&step=3`);
        await expect(page.getByTestId('lesson-step')).toBeVisible();
        await page.getByTestId('lesson-hint').click();
        await page.getByTestId('lesson-choice-1').check();
        for (const line of ['kubectl exec -it client -- sh', 'nslookup headless-service']) {
          await page.getByTestId('terminal-input').fill(line);
          await page.getByTestId('terminal-input').press('Enter');
        }
        await expect(page.getByTestId('lesson-reveal')).toBeVisible();
        await page.getByTestId('play-pause').click();
        await page.waitForLoadState('networkidle');
        // Playwright scrolled the choices into view; a learner sees the step from its title.
        await page.getByTestId('lesson-step').locator('h3').evaluate((e) => e.scrollIntoView({ block: 'start' }));
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `${outDir}${name}.png` });
        await page.screenshot({ path: `${outDir}${name}-full.png`, fullPage: true });
      });
    }
  }
});
