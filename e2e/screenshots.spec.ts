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
