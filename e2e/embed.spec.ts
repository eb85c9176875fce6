// The embed snippet of docs/EMBEDDING.md, as written there: a parent page with the iframe and
// its resize script shows the lab in embed mode and takes the height the lab reports.
import { expect, test } from './fixtures';
import { readFileSync } from 'node:fs';

const DOC = readFileSync(new URL('../docs/EMBEDDING.md', import.meta.url), 'utf8');
const PLACEHOLDER = 'https://docs.example.org/tools/service-lab/';

function snippet(): string {
  const block = DOC.split('<!-- snippet:embed -->')[1]?.split('<!-- /snippet:embed -->')[0] ?? '';
  const html = block.replace(/^\s*```html\n/, '').replace(/```\s*$/, '');
  expect(html, 'docs/EMBEDDING.md has the snippet').toContain('<iframe');
  return html;
}

test('the documented embed snippet shows the chosen panels and resizes the iframe', async ({ page, baseURL }) => {
  const html = snippet().replaceAll(PLACEHOLDER, baseURL ?? '/');
  // Host the snippet on the lab's origin (any URL, a 404 will do) so the test can read the frame.
  await page.goto('/docs-page-host.txt').catch(() => {});
  await page.setContent(`<!doctype html><title>docs</title><h1>Services</h1>${html}<p>after</p>`);
  const frame = page.frameLocator('iframe.service-lab');
  await expect(frame.getByTestId('answer-headless-service')).toContainText('Address 5:');
  await expect(frame.getByTestId('panel-cluster')).toBeVisible();
  await expect(frame.getByTestId('panel-terminal')).toHaveCount(0);
  await expect(frame.locator('html')).toHaveAttribute('lang', 'zh-CN');
  // The lab reported its height and the snippet's script applied it.
  const iframe = page.locator('iframe.service-lab');
  await expect.poll(async () => iframe.evaluate((f: HTMLIFrameElement) => f.style.height)).not.toBe('640px');
  const [styled, content] = await iframe.evaluate((f: HTMLIFrameElement) => [
    parseInt(f.style.height, 10),
    f.contentDocument?.documentElement.scrollHeight ?? 0,
  ]);
  expect(Math.abs(styled - content)).toBeLessThanOrEqual(2);
});
