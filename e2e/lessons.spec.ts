// The guided lessons (lessons/*.lesson, src/panels/lesson.rs), as a learner sees them: a
// newcomer completes lessons 1 and 2 in zh-CN by typing only what the lesson panel shows,
// answers a prediction wrongly and sees the live reveal, uses a hint, reloads and finds the
// progress kept; "show me" completes the whole of lesson 6 in en; one lesson embedded with the
// snippet of docs/EMBEDDING.md; a teacher's lesson from a link (`lessontext=`), and a broken
// one listed with located errors; a link to an unknown lesson is reported.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { addScriptFile, expect, test, type Page } from './fixtures';

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

/** Type what the open step's text shows, as a newcomer would: in its code blocks, the lines
 * after a `$ ` or `/ # ` prompt; a command that opens a heredoc (`<< EOF`) takes the next code
 * block (the manifest, shown without a prompt) as its body, then the delimiter alone. */
async function followThePanel(page: Page): Promise<string[]> {
  const blocks = await page.getByTestId('lesson-step').locator('.lesson-text pre.lesson-code').allTextContents();
  const typed: string[] = [];
  let heredoc: string | null = null;
  for (const block of blocks) {
    const lines = block.replace(/\n$/, '').split('\n');
    if (heredoc !== null) {
      for (const l of lines) await type(page, l);
      await type(page, heredoc);
      typed.push(`<heredoc ${lines.length} lines> ${heredoc}`);
      heredoc = null;
      continue;
    }
    for (const l of lines) {
      const m = /^(?:\$|\/ #) (.*)$/.exec(l);
      if (!m) continue;
      await type(page, m[1]);
      typed.push(m[1]);
      const h = /<<\s*'?(\w+)'?\s*$/.exec(m[1]);
      if (h) heredoc = h[1];
    }
  }
  expect(typed.length, 'the step shows at least one command').toBeGreaterThan(0);
  return typed;
}

/** A lesson file as `svclab lesson link` packs it: raw deflate, base64url without padding. */
function pack(text: string): string {
  return deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url');
}

/** A teacher's own lesson: one step, both languages. */
const TEACHER_LESSON = `id: my-first
title: Count the pods
title@zh-CN: 数一数 Pod
summary: A teacher's lesson.
summary@zh-CN: 老师自己的课程。
start: scenario headless-vs-clusterip

step scale
title: Two are enough
title@zh-CN: 两个就够了
panels: terminal, dns
text:
  Scale the Deployment down:

  \`\`\`
  $ kubectl scale deployment api-deployment --replicas=2
  \`\`\`
text@zh-CN:
  把 Deployment 缩容：

  \`\`\`
  $ kubectl scale deployment api-deployment --replicas=2
  \`\`\`
task: Scale api-deployment to 2 replicas.
task@zh-CN: 把 api-deployment 缩容到 2 个副本。
check:
  nslookup headless-service from default/client returns 2 addresses
hint: kubectl scale
hint@zh-CN: kubectl scale
solution:
  kubectl scale deployment api-deployment --replicas=2
  sleep 35
`;

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

test('a newcomer completes lessons 1 and 2 in zh-CN by following the panel', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/?lang=zh');
  await page.getByTestId('lesson-start').click();
  const step = page.getByTestId('lesson-step');
  const passed = page.getByTestId('lesson-passed');
  const next = page.getByTestId('lesson-next');

  // Lesson 1, step 1: the Deployment, written with the heredoc the panel shows.
  await expect(step).toContainText('一扇门');
  await expect(step).toContainText('第 1 步，共 4 步');
  await expect(passed).toHaveCount(0);
  await expect(next).toBeDisabled();
  const typed = await followThePanel(page);
  expect(typed[0]).toBe('cat > api-deployment.yaml << EOF');
  await expect(passed).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('lesson-check')).toContainText('✓');
  await next.click();

  // Step 2: the ordinary Service.
  await expect(step).toContainText('第 2 步，共 4 步');
  await followThePanel(page);
  await expect(passed).toBeVisible({ timeout: 15_000 });
  await next.click();

  // Step 3: a prediction answered wrongly, then the command; the reveal is the lab's own.
  await expect(step).toContainText('第 3 步，共 4 步');
  await expect(page.getByTestId('lesson-reveal')).toHaveCount(0);
  await page.getByTestId('lesson-choice-1').check(); // "没有：Deployment 自己创建 Pod"
  await followThePanel(page);
  await expect(passed).toBeVisible();
  await expect(page.getByTestId('lesson-reveal')).toContainText('正确答案是：一个，它拥有这 5 个 Pod');
  await expect(page.getByTestId('lesson-live')).toContainText(/api-deployment-[a-z0-9]+ +5 +5 +5/);
  await next.click();

  // Step 4: a busybox pod and nslookup, as the seed does.
  await expect(step).toContainText('第 4 步，共 4 步');
  await followThePanel(page);
  await expect(passed).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('terminal-output')).toContainText('normal-service.default.svc.cluster.local');
  await expect(next).toHaveCount(0);

  // On to lesson 2 from the last step.
  await page.getByTestId('lesson-next-lesson').click();
  await expect(step).toContainText('没有门，只有菜单');
  await expect(step).toContainText('第 1 步，共 3 步');
  // A hint, the gentlest first.
  await expect(page.getByTestId('lesson-hints').locator('li')).toHaveCount(0);
  await page.getByTestId('lesson-hint').click();
  await expect(page.getByTestId('lesson-hints').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('lesson-hints')).toContainText('cat > headless-service.yaml << EOF');
  await followThePanel(page);
  await expect(passed).toBeVisible({ timeout: 15_000 });
  await next.click();
  await expect(step).toContainText('第 2 步，共 3 步');
  await page.getByTestId('lesson-choice-2').check(); // ClusterIP: right
  await followThePanel(page);
  await expect(page.getByTestId('lesson-reveal')).toContainText('你猜对了');
  await expect(page.getByTestId('lesson-live')).toHaveText('ClusterIP');
  await next.click();
  await expect(step).toContainText('第 3 步，共 3 步');
  await page.getByTestId('lesson-choice-1').check(); // one virtual IP: wrong
  await followThePanel(page);
  await expect(passed).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('lesson-reveal')).toContainText('正确答案是');
  // The live value from the simulation: the five ready pods' IPs.
  const live = await page.getByTestId('lesson-live').textContent();
  expect(live?.match(/10\.244\.\d+\.\d+/g)?.length, live ?? '').toBe(5);

  // Reload: the step is in the URL, the progress in local storage.
  await page.reload();
  await expect(step).toContainText('第 3 步，共 3 步');
  await page.getByTestId('lesson-all').click();
  await page.getByTestId('lesson-picker').locator('summary').click();
  const rows = page.getByTestId('lesson-picker').locator('li');
  await expect(rows.nth(0)).toContainText('4/4');
  await expect(rows.nth(1)).toContainText('3/3');
  await expect(rows.nth(2)).toContainText('0/4');
  expect(errors).toEqual([]);
});

test('"show me" completes the whole of lesson 6 (StatefulSet) in en', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  await page.goto('/?lang=en&lesson=statefulset-identity');
  const step = page.getByTestId('lesson-step');
  const titles = ['Three members with names', 'A DNS name per pod', 'Same name, new IP', 'SRV records list the members', 'serviceName must be headless'];
  for (const [i, title] of titles.entries()) {
    await expect(step).toContainText(`step ${i + 1} of ${titles.length}`);
    await expect(step.locator('h3')).toHaveText(title);
    await expect(page.getByTestId('lesson-passed')).toHaveCount(0);
    await page.getByTestId('lesson-show').click();
    await expect(page.getByTestId('lesson-passed')).toBeVisible({ timeout: 45_000 });
    await expect(page.getByTestId('lesson-check').locator('li:not(.ok)')).toHaveCount(0);
    if (i === 1) await expect(page.getByTestId('terminal-output')).toContainText('mongodb-0.mongodb-service');
    if (i + 1 < titles.length) await page.getByTestId('lesson-next').click();
  }
  // The end of lesson 6 leads on to lesson 7.
  await expect(page.getByTestId('lesson-next-lesson')).toContainText('Next lesson: Headless without a selector');
  expect(errors).toEqual([]);
});

test('one lesson embedded with the snippet of docs/EMBEDDING.md', async ({ page, baseURL }) => {
  const doc = readFileSync(new URL('../docs/EMBEDDING.md', import.meta.url), 'utf8');
  const block = doc.split('<!-- snippet:lesson -->')[1]?.split('<!-- /snippet:lesson -->')[0] ?? '';
  const html = block.replace(/^\s*```html\n/, '').replace(/```\s*$/, '');
  expect(html).toContain('embed=1&lesson=headless-dns');
  await page.goto('/docs-page-host.txt').catch(() => {});
  await page.setContent(`<!doctype html><title>docs</title><h1>Headless</h1>${html.replaceAll('https://docs.example.org/tools/service-lab/', baseURL ?? '/')}`);
  const frame = page.frameLocator('iframe.service-lab');
  await expect(frame.getByTestId('lesson-step')).toContainText('No door, a menu');
  // The lesson's panels only (terminal, cluster, dns), no picker and no way to other lessons.
  await expect(frame.getByTestId('panel-terminal')).toBeVisible();
  await expect(frame.getByTestId('panel-cluster')).toBeVisible();
  await expect(frame.getByTestId('panel-dns')).toBeVisible();
  await expect(frame.getByTestId('panel-traffic')).toHaveCount(0);
  await expect(frame.getByTestId('panel-analogies')).toHaveCount(0);
  await expect(frame.getByTestId('lesson-picker')).toHaveCount(0);
  await expect(frame.getByTestId('lesson-all')).toHaveCount(0);
  await expect(frame.locator('header.app-header')).toHaveCount(0);
  // The lesson works inside the frame.
  await frame.getByTestId('lesson-show').click();
  await expect(frame.getByTestId('lesson-passed')).toBeVisible({ timeout: 20_000 });
  await frame.getByTestId('lesson-next').click();
  await expect(frame.getByTestId('lesson-step')).toContainText('step 2 of 3');
  // Nothing stored in the reader's browser.
  const stored = await frame.locator('html').evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('svclab.')));
  expect(stored).toEqual([]);
  // The frame took the height the lab reported.
  const iframe = page.locator('iframe.service-lab');
  await expect.poll(async () => iframe.evaluate((f: HTMLIFrameElement) => f.style.height)).not.toBe('900px');
});

test("a teacher's lesson from a link opens, is marked, and works", async ({ page }) => {
  test.setTimeout(60_000);
  const errors = watchErrors(page);
  await page.goto(`/?lang=zh-CN&lessontext=${pack(TEACHER_LESSON)}`);
  const step = page.getByTestId('lesson-step');
  await expect(step).toContainText('两个就够了');
  await expect(page.getByTestId('lesson-from-link')).toHaveText('来自链接的课程');
  await expect(page.getByTestId('lesson-link-errors')).toHaveCount(0);
  await expect(page.getByTestId('link-problem')).toHaveCount(0);
  // The URL names the lesson and step; the text stays in it.
  await expect.poll(() => page.url()).toContain('lesson=my-first&step=1');
  expect(page.url()).toContain('lessontext=');
  await followThePanel(page);
  await expect(page.getByTestId('lesson-passed')).toBeVisible({ timeout: 45_000 });
  // Its progress is not mixed with the curriculum's.
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('svclab.lesson.')));
  expect(stored).toEqual([]);
  // A reload opens it again.
  await page.reload();
  await expect(page.getByTestId('lesson-from-link')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a broken lesson link shows its errors located, in zh-CN and en', async ({ page }) => {
  const broken = TEACHER_LESSON.replace('title@zh-CN: 数一数 Pod\n', '').replace('panels: terminal, dns', 'panels: terminal, dsn');
  const code = pack(broken);
  await page.goto(`/?lang=zh-CN&lessontext=${code}`);
  const box = page.getByTestId('lesson-link-errors');
  await expect(box).toContainText('这个链接里的课程有错误');
  // Line 2: `title` without its translation; line 10, column 19: the unknown panel.
  await expect(box.locator('li').nth(0)).toContainText('2:1');
  await expect(box.locator('li').nth(0)).toContainText('`title` 缺少 zh-CN 翻译');
  await expect(box.locator('li').nth(1)).toContainText('10:19');
  await expect(box.locator('li').nth(1)).toContainText('未知的面板「dsn」');
  await expect(page.getByTestId('lesson-step')).toHaveCount(0);
  // The same link in English.
  await page.goto(`/?lang=en&lessontext=${code}`);
  await expect(box.locator('li').nth(0)).toContainText("2:1 `title` has no zh-CN translation");
  await expect(box.locator('li').nth(1)).toContainText("10:19 unknown panel 'dsn'");
  // The picker stays, so the learner can go on.
  await expect(page.getByTestId('lesson-picker')).toBeVisible();
  // A damaged link (cut short) says so.
  await page.goto(`/?lang=en&lessontext=${code.slice(0, 40)}`);
  await expect(box).toContainText('could not be read');
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
    await addScriptFile(page, axePath);
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
