// The guided lessons (lessons/*.lesson, src/panels/lesson.rs): a newcomer follows lesson 2 in
// zh-CN by typing what the panel asks, answers a prediction wrongly and sees the live reveal,
// uses a hint, reloads and finds the progress kept; "show me" completes a step; a link to a
// step opens it with its setup applied; an unknown lesson in a link is reported.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from './fixtures';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}

async function type(page: Page, line: string) {
  const input = page.getByTestId('terminal-input');
  await input.fill(line);
  await input.press('Enter');
}

test('the picker offers the tutorial and the sandbox', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en');
  await expect(page.getByTestId('lesson-start')).toHaveText('Start the tutorial');
  await expect(page.getByTestId('lesson-sandbox')).toHaveText('Open the sandbox');
  // The list of lessons is one click away (the first screen keeps the lab in view).
  await expect(page.getByTestId('lesson-open-one-door')).toBeHidden();
  await page.getByTestId('lesson-all').locator('summary').click();
  await expect(page.getByTestId('lesson-open-one-door')).toBeVisible();
  await page.getByTestId('lesson-sandbox').click();
  await expect(page.getByTestId('lesson-picker')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('lesson-reopen')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a newcomer follows lesson 2 in zh-CN, predicts wrongly, uses a hint, and keeps progress', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=zh&lesson=headless-dns&step=3');
  const step = page.getByTestId('lesson-step');
  await expect(step).toContainText('第 3 步，共 3 步');
  await expect(page.getByTestId('lesson-passed')).toHaveCount(0);
  await page.getByTestId('lesson-hint').click();
  await expect(page.getByTestId('lesson-hints')).toContainText('kubectl exec -it client -- sh');
  // The wrong guess: one virtual IP.
  await page.getByTestId('lesson-choice-1').check();
  await type(page, 'kubectl exec -it client -- sh');
  await type(page, 'nslookup headless-service');
  await expect(page.getByTestId('lesson-passed')).toBeVisible();
  const reveal = page.getByTestId('lesson-reveal');
  await expect(reveal).toContainText('正确答案是');
  // The live value from the simulation: five pod IPs.
  await expect(page.getByTestId('lesson-live')).toContainText(/10\.244\.\d+\.\d+ .*10\.244/);
  await page.goto('/?lang=zh');
  await expect(page.getByTestId('lesson-picker')).toContainText('3/3');
  expect(errors).toEqual([]);
});

test('"show me" plays the solution and the check passes', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?lang=en&lesson=statefulset-identity&step=2');
  await expect(page.getByTestId('lesson-step')).toContainText('A DNS name per pod');
  await page.getByTestId('lesson-show').click();
  await expect(page.getByTestId('terminal-output')).toContainText('mongodb-0.mongodb-service', { timeout: 15_000 });
  await expect(page.getByTestId('lesson-passed')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('lesson-step')).toContainText('Same name, new IP');
  expect(errors).toEqual([]);
});

test('a link to an unknown lesson says so', async ({ page }) => {
  await page.goto('/?lang=en&lesson=no-such-lesson');
  await expect(page.getByTestId('link-problem')).toContainText('lesson=no-such-lesson');
});

test('axe finds no serious or critical violations with a lesson step open', async ({ page }) => {
  const axePath = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));
  for (const q of ['?lang=en&lesson=headless-dns&step=3', '?lang=zh&theme=dark&lesson=who-picks&step=1']) {
    await page.goto(`/${q}`);
    await expect(page.getByTestId('lesson-step')).toBeVisible();
    await page.waitForTimeout(500); // transitions settle
    await page.addScriptTag({ content: readFileSync(axePath, 'utf8') });
    const violations = await page.evaluate(async () => {
      // @ts-expect-error injected above
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations
        .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
        .map((v: { id: string; nodes: { target: string[]; failureSummary: string }[] }) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary})`).slice(0, 3).join(', ')}`);
    });
    expect(violations, q).toEqual([]);
  }
});
