// What a learner does in the lab, and what they see: each journey drives the release build
// the way a person would (buttons, keyboard, the terminal) and asserts on visible text.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addScriptFile, expect, test, type Locator, type Page } from './fixtures';

/** The addresses a busybox nslookup answer lists after `Name:` (the server's own line excluded). */
async function answerAddresses(answer: Locator): Promise<string[]> {
  const text = (await answer.textContent()) ?? '';
  const after = text.split(/Name:/)[1] ?? '';
  return [...after.matchAll(/Address \d+: (\S+)/g)].map((m) => m[1]);
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}

const headless = (page: Page) => page.locator('[data-testid="answer-headless-service"]');
const normal = (page: Page) => page.locator('[data-testid="answer-normal-service"]');

/** Replace the manifest editor's text the way a person does: select all in CodeMirror, type. */
async function setEditor(page: Page, text: string) {
  await page.getByTestId('tab-editor').click();
  const cm = page.getByTestId('editor-cm');
  await expect(cm).toBeVisible();
  await cm.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await expect(page.getByTestId('editor-text')).toHaveValue(text);
}

async function editorText(page: Page): Promise<string> {
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('editor-cm')).toBeVisible();
  return page.getByTestId('editor-text').inputValue();
}

async function open(page: Page, query = '?lang=en') {
  await page.goto(`/${query}`);
  await expect(headless(page)).toContainText('Address 5:');
}

test('first visit: one ClusterIP answer against five pod IPs, and a hint of what to try', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page);
  expect(await answerAddresses(normal(page))).toHaveLength(1);
  expect(await answerAddresses(headless(page))).toHaveLength(5);
  await expect(page.getByTestId('hint')).toContainText('nslookup headless-service');
  expect(errors).toEqual([]);
});

test('scaling to 3 leaves 3 addresses in the headless answer and 1 in the ClusterIP answer', async ({ page }) => {
  await open(page);
  const replicas = page.getByTestId('workload-api-deployment').getByTestId('replicas');
  await replicas.fill('3');
  await replicas.press('Enter');
  await replicas.blur();
  await expect.poll(async () => (await answerAddresses(headless(page))).length).toBe(3);
  expect(await answerAddresses(normal(page))).toHaveLength(1);
  await expect(page.getByTestId('workload-api-deployment')).toContainText('3');
  // And back up with the + button.
  await page.getByTestId('workload-api-deployment').getByTestId('replicas-plus').click();
  await expect.poll(async () => (await answerAddresses(headless(page))).length, { timeout: 20_000 }).toBe(4);
});

test('killing a pod brings a replacement whose new IP replaces the old one', async ({ page }) => {
  await open(page);
  await page.getByTestId('speed').selectOption('5');
  const before = await answerAddresses(headless(page));
  const pod = page.locator('[data-testid^="pod-api-deployment"]').first();
  const oldIp = await pod.getAttribute('data-ip');
  expect(before).toContain(oldIp);
  await pod.click();
  await page.getByTestId('pod-delete').click();
  await expect.poll(async () => await answerAddresses(headless(page))).not.toContain(oldIp);
  // The ReplicaSet's replacement starts, becomes ready, and DNS lists its new address.
  await expect.poll(async () => (await answerAddresses(headless(page))).length, { timeout: 25_000 }).toBe(5);
  const after = await answerAddresses(headless(page));
  expect(after).not.toContain(oldIp);
  const added = after.filter((ip) => !before.includes(ip));
  expect(added).toHaveLength(1);
  await expect(page.locator('.answer-diff .added').first()).toBeVisible();
});

test('failing readiness removes the pod IP from the headless answer; restoring brings it back', async ({ page }) => {
  await open(page);
  const pod = page.locator('[data-testid^="pod-api-deployment"]').first();
  const ip = await pod.getAttribute('data-ip');
  await pod.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('pod-fail-readiness').click();
  // The kubelet needs failureThreshold × periodSeconds (3 × 10 s) of failing checks: run at 5×.
  await page.getByTestId('speed').selectOption('5');
  await expect.poll(async () => await answerAddresses(headless(page)), { timeout: 20_000 }).not.toContain(ip);
  expect(await answerAddresses(headless(page))).toHaveLength(4);
  await expect(page.locator('.answer-diff .removed')).toContainText(ip!);
  await expect(page.getByTestId('switchboard').locator('li.off')).toHaveCount(1);
  await page.getByTestId('pod-restore').click();
  await expect.poll(async () => await answerAddresses(headless(page)), { timeout: 20_000 }).toContain(ip);
});

test('broken YAML shows an error at its line and keeps the cluster', async ({ page }) => {
  await open(page);
  const text = (await editorText(page)).replace('replicas: 5', 'replicas: [5');
  await setEditor(page, text);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('diagnostics')).toContainText('line');
  await expect(page.getByTestId('apply-result')).toContainText('Nothing was applied');
  // The error is also inline in the editor, at its line.
  await expect(page.locator('.cm-lintRange-error').first()).toBeVisible();
  expect(await answerAddresses(headless(page))).toHaveLength(5);
  // Fixing it and applying changes the cluster.
  await setEditor(page, text.replace('replicas: [5', 'replicas: 2'));
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-result')).toContainText('deployment.apps/api-deployment configured');
  await expect.poll(async () => (await answerAddresses(headless(page))).length).toBe(2);
});

test("the seeds' busybox session works in the terminal", async ({ page }) => {
  await open(page);
  const input = page.getByTestId('terminal-input');
  const out = page.getByTestId('terminal-output');
  await input.fill('kubectl run -it --image busybox:1.28.3 test --restart=Never --rm /bin/sh');
  await input.press('Enter');
  await expect(out).toContainText("If you don't see a command prompt, try pressing enter.");
  await expect(page.locator('.term-input-line .prompt')).toHaveText('/ #');
  await input.fill('nslookup headless-service');
  await input.press('Enter');
  await expect(out).toContainText('Address 5:');
  await input.fill('exit');
  await input.press('Enter');
  await expect(out).toContainText('pod "test" deleted');
  // History: Up brings back the last command.
  await input.press('ArrowUp');
  await expect(input).toHaveValue('exit');
  await input.press('Control+l');
  await expect(out).not.toContainText('pod "test" deleted');
});

test('switching language needs no reload', async ({ page }) => {
  await open(page);
  await expect(page.locator('#dns-h')).toHaveText('DNS');
  await expect(page.locator('#cluster-h')).toHaveText('Cluster');
  await page.getByTestId('more').click(); // the header's "More" menu
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('#cluster-h')).toHaveText('集群');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('panel-analogies')).toContainText('总机');
  await expect(page.getByTestId('panel-analogies')).toContainText('通讯录');
  expect(page.url()).toContain('lang=zh-CN');
  // The sim kept running: same answers.
  expect(await answerAddresses(headless(page))).toHaveLength(5);
});

test('reduced motion: no transitions, the text log carries the facts', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await open(page);
  const duration = await page.locator('.ana li').first().evaluate((el) => getComputedStyle(el).transitionDuration);
  expect(duration).toBe('0s');
  await expect(page.getByTestId('dns-log')).toContainText('headless-service.default.svc.cluster.local.');
  await expect(page.getByTestId('cluster-description')).toContainText('Service headless-service is headless');
});

test('dark theme from the URL, and the toggle', async ({ page }) => {
  await open(page, '?lang=en&theme=dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(13, 17, 23)');
  await page.getByTestId('more').click(); // the header's "More" menu
  await page.getByTestId('theme-switch').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('a copied link restores the same manifests, language and theme', async ({ page, context }) => {
  await open(page);
  await setEditor(page, (await editorText(page)).replace('replicas: 5', 'replicas: 2'));
  await page.getByTestId('apply').click();
  await expect.poll(async () => (await answerAddresses(headless(page))).length).toBe(2);
  await page.getByTestId('more').click(); // the header's "More" menu
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('more').click(); // the header's "More" menu
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/[?&]m=[A-Za-z0-9_-]+/);
  const fresh = await context.newPage();
  await fresh.goto(link);
  await expect(fresh.locator('#cluster-h')).toHaveText('集群');
  await expect.poll(async () => (await answerAddresses(headless(fresh))).length).toBe(2);
  await expect(fresh.getByTestId('link-problem')).toHaveCount(0);
  await expect(fresh.getByTestId('editor-cm')).toContainText('replicas: 2');
});

test('a corrupt link shows a clear message and the default scenario', async ({ page }) => {
  const errors = watchErrors(page);
  for (const q of ['?lang=en&m=not-a-valid-state', '?lang=en&m=%%%', '?lang=en&seed=abc&theme=neon']) {
    await page.goto(`/${q}`);
    await expect(page.getByTestId('link-problem')).toBeVisible();
    await expect(headless(page)).toContainText('Address 5:');
  }
  expect(errors).toEqual([]);
});

test('embed mode: chosen panels, no header, no storage', async ({ page }) => {
  await page.goto('/?embed=1&panels=dns,terminal&lang=en');
  await expect(headless(page)).toContainText('Address 5:');
  await expect(page.getByTestId('panel-dns')).toBeVisible();
  await expect(page.getByTestId('panel-terminal')).toBeVisible();
  await expect(page.getByTestId('panel-cluster')).toHaveCount(0);
  await expect(page.getByTestId('copy-link')).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
});

test('the editor draft survives a reload', async ({ page }) => {
  await open(page);
  await setEditor(page, '# my draft\n' + (await editorText(page)));
  await page.reload();
  await expect(page.getByTestId('editor-text')).toHaveValue(/^# my draft/);
  await expect(page.getByTestId('editor-cm')).toContainText('# my draft');
});

test('axe finds no serious or critical accessibility violations', async ({ page }) => {
  const axePath = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));
  for (const q of ['?lang=en', '?lang=zh&theme=dark']) {
    await open(page, q);
    await addScriptFile(page, axePath);
    const violations = await page.evaluate(async () => {
      // @ts-expect-error injected above
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations
        .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
        .map((v: { id: string; nodes: { target: string[] }[] }) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations, q).toEqual([]);
  }
});

test('Tab completes in the terminal, kubectl edit opens the editor, a worker node can be stopped', async ({ page }) => {
  await open(page);
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl get po');
  await input.press('Tab');
  await expect(input).toHaveValue('kubectl get pods');
  await input.fill('kubectl edit svc normal-service');
  await input.press('Enter');
  await expect(page.getByTestId('editor-text')).toHaveValue(/name: normal-service/);
  await expect(page.getByTestId('terminal-output')).toContainText('Apply');
  const stop = page.getByTestId('node-stop').first();
  await stop.click();
  await expect(page.getByTestId('node-start').first()).toBeVisible();
});

test("the DNS log shows one asking pod at a time: the learner's lookups apart from the traffic clients'", async ({ page }) => {
  await open(page);
  const log = page.getByTestId('dns-log');
  // The first visit's traffic clients resolve from default/client.
  await expect(log).toContainText('default/client');
  const input = page.getByTestId('terminal-input');
  await input.fill('nslookup normal-service');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('Name:\tnormal-service.default.svc.cluster.local');
  await page.getByTestId('tab-dnslog').click();
  await page.getByTestId('dns-from').selectOption('lab/toolbox');
  await expect(log).toContainText('lab/toolbox');
  await expect(log).toContainText('normal-service.default.svc.cluster.local.');
  await expect(log).not.toContainText('default/client');
  await page.getByTestId('tab-dnslog').click();
  await page.getByTestId('dns-from').selectOption('');
  await expect(log).toContainText('default/client');
});

test('a pinned name that is not a DNS name gets a message and stays in the field', async ({ page }) => {
  await open(page);
  const input = page.getByTestId('pin-input');
  await input.fill('web-0; rm -rf /');
  await input.press('Enter');
  await expect(page.getByTestId('pin-error')).toContainText('Not a DNS name');
  await expect(input).toHaveValue('web-0; rm -rf /');
  await input.fill('Web-0.Nginx');
  await input.press('Enter');
  await expect(page.getByTestId('pin-error')).toHaveCount(0);
  await expect(page.getByTestId('answer-web-0.nginx')).toContainText("can't resolve");
});
