// The traffic panel, as a learner uses it: client programs in pods, kube-proxy's mode, hit
// counters and the request log, against the release build. Each journey asserts on text a
// person reads (the log's words, the counters), not on internal state.
import { expect, test, type Locator, type Page } from './fixtures';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}

const panel = (page: Page) => page.getByTestId('panel-traffic');
const card = (page: Page, target: string) => panel(page).locator(`.client-card[data-target="${target}"]`);
const requests = (page: Page, target: string) =>
  page.locator(`[data-testid="traffic-log"] [data-testid="req"][data-target="${target}"]`);

/** "Sent 3, succeeded 3, failed 0" → [3, 3, 0]. */
async function counts(c: Locator): Promise<number[]> {
  const text = (await c.getByTestId('client-counts').textContent()) ?? '';
  return [...text.matchAll(/\d+/g)].map((m) => Number(m[0]));
}

/** Hits per pod from the hit table. */
async function hits(page: Page): Promise<Record<string, number>> {
  const rows = panel(page).getByTestId('hit-row');
  const out: Record<string, number> = {};
  for (const row of await rows.all()) {
    out[(await row.getAttribute('data-pod')) ?? ''] = Number(await row.getAttribute('data-hits'));
  }
  return out;
}

const total = (h: Record<string, number>) => Object.values(h).reduce((a, b) => a + b, 0);

/** The card with its settings form open (the card shows a summary until then). */
async function edit(c: Locator): Promise<Locator> {
  const d = c.locator('details.client-edit');
  if (!(await d.evaluate((e) => (e as HTMLDetailsElement).open))) await d.locator('summary').click();
  return c;
}

async function open(page: Page, query = '?lang=en') {
  await page.goto(`/${query}`);
  await page.getByTestId('tab-traffic').click();
  await expect(card(page, 'normal-service')).toBeVisible();
  await page.getByTestId('speed').selectOption('5');
}

test('first visit: both clients succeed, the log tells VIP → kube-proxy → pod and headless → pod', async ({ page }) => {
  const errors = watchErrors(page);
  await open(page);
  for (const target of ['normal-service', 'headless-service']) {
    await expect.poll(async () => (await counts(card(page, target)))[1], { message: target }).toBeGreaterThan(1);
    expect((await counts(card(page, target)))[2]).toBe(0);
  }
  const normal = requests(page, 'normal-service').first();
  await expect(normal).toContainText('kube-proxy (iptables, node');
  await expect(normal).toContainText(/KUBE-SVC-\w+ → KUBE-SEP-\w+ → 10\.244\.\d+\.\d+:3000/);
  await expect(normal).toContainText(/answered by default\/api-deployment-\S+ \(10\.244\./);
  const headless = requests(page, 'headless-service').first();
  await expect(headless).toContainText(/straight to pod IP 10\.244\.\d+\.\d+, no kube-proxy rule/);
  await expect(headless).not.toContainText('kube-proxy (');
  await expect(headless).toContainText('answered by default/api-deployment-');
  const before = total(await hits(page));
  await expect.poll(async () => total(await hits(page))).toBeGreaterThan(before + 2);
  expect(errors).toEqual([]);
});

test('round robin with the DNS cache off spreads the headless client over all five pods', async ({ page }) => {
  await open(page);
  // Only the headless client, so the counters are its own.
  await card(page, 'normal-service').getByTestId('client-stop').click();
  await expect(card(page, 'normal-service')).toHaveCount(0);
  const c = await edit(card(page, 'headless-service'));
  await c.getByTestId('client-strategy').selectOption('rr');
  await c.getByTestId('client-dns').selectOption('off');
  await panel(page).getByTestId('reset-hits').click();
  await expect.poll(async () => Object.values(await hits(page)).filter((n) => n > 0).length, { timeout: 20_000 }).toBe(5);
  // Five pods in the table, every one answered (CoreDNS shuffles each fresh answer, so the
  // turns are not strictly even: round robin runs over whatever order the client was given).
  expect(Object.values(await hits(page))).toHaveLength(5);
  await expect(requests(page, 'headless-service').first()).toContainText('DNS (CoreDNS):');
});

test('scaled to 0: the ClusterIP client is refused, the headless client cannot resolve', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page);
  const replicas = page.getByTestId('workload-api-deployment').getByTestId('replicas');
  await replicas.fill('0');
  await replicas.press('Enter');
  await replicas.blur();
  const normal = requests(page, 'normal-service').first();
  await expect(normal).toContainText(/connection refused: 10\.\d+\.\d+\.\d+:80/, { timeout: 30_000 });
  await expect(normal).toContainText('REJECT');
  await expect(normal).toHaveAttribute('data-outcome', 'failed');
  // The headless client's cached answer expires after its TTL (30 s), then the name has no records.
  const headless = requests(page, 'headless-service').first();
  await expect(headless).toContainText('could not resolve headless-service (NXDOMAIN)', { timeout: 45_000 });
  await expect(card(page, 'normal-service').getByTestId('client-last-error')).toContainText('connection refused');
  await expect(page.getByTestId('announce')).toContainText(/is failing/);
});

test('switching kube-proxy to ipvs shows ipvs in the log', async ({ page }) => {
  await open(page);
  await panel(page).getByTestId('proxy-mode').selectOption('ipvs');
  await expect(panel(page)).toContainText('IPVS: each virtual server');
  await expect(requests(page, 'normal-service').first()).toContainText(/kube-proxy \(ipvs, node \S+\): TCP\s+10\.\d+\.\d+\.\d+:80 → 10\.244\./);
  // The terminal agrees.
  await page.getByTestId('tab-terminal').click();
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl get cm kube-proxy -n kube-system -o yaml');
  await input.press('Enter');
  await expect(page.getByTestId('terminal-output')).toContainText('mode: ipvs');
});

test('the language switch translates the panel', async ({ page }) => {
  await open(page);
  await expect(panel(page).getByRole('heading', { level: 2 })).toHaveText('Traffic');
  await expect(requests(page, 'normal-service').first()).toContainText('answered by');
  await page.getByTestId('more').click(); // the header's "More" menu
  await page.getByTestId('lang-switch').click();
  await expect(panel(page).getByRole('heading', { level: 2 })).toHaveText('流量');
  await expect(card(page, 'normal-service')).toContainText('已发送');
  await expect(requests(page, 'normal-service').first()).toContainText('应答');
  await expect(panel(page).getByTestId('reset-hits')).toHaveText('重置计数');
});

test('a copied link restores a changed client and the kube-proxy mode', async ({ page, context }) => {
  await open(page);
  const c = await edit(card(page, 'headless-service'));
  await c.getByTestId('client-strategy').selectOption('rr');
  await c.getByTestId('client-conn').selectOption('keep');
  await c.getByTestId('client-interval').selectOption('500');
  await panel(page).getByTestId('proxy-mode').selectOption('nftables');
  await page.getByTestId('more').click(); // the header's "More" menu
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('clients=');
  expect(link).toContain('proxy=nftables');
  const fresh = await context.newPage();
  await fresh.goto(link);
  const restored = card(fresh, 'headless-service');
  await expect(restored.getByTestId('client-strategy')).toHaveValue('rr');
  await expect(restored.getByTestId('client-conn')).toHaveValue('keep');
  await expect(restored.getByTestId('client-interval')).toHaveValue('500');
  await expect(card(fresh, 'normal-service').getByTestId('client-strategy')).toHaveValue('first');
  await expect(panel(fresh).getByTestId('proxy-mode')).toHaveValue('nftables');
  await expect(requests(fresh, 'normal-service').first()).toContainText('kube-proxy (nftables');
  await expect(fresh.getByTestId('link-problem')).toHaveCount(0);
  // A hand-edited bad value: the message, and the default clients.
  await fresh.goto('/?lang=en&clients=headless-service~99999~keep~rr~off~500');
  await expect(fresh.getByTestId('link-problem')).toContainText('clients');
  await expect(card(fresh, 'headless-service').getByTestId('client-strategy')).toHaveValue('first');
});

test('adding a client for a name no Service has shows NXDOMAIN in the log; bad input changes nothing', async ({ page }) => {
  await open(page);
  await panel(page).locator('[data-testid="add-client-details"] > summary').click();
  const add = panel(page).getByTestId('add-client');
  await add.getByTestId('add-target').fill('no-such-service');
  await add.getByTestId('add-port').fill('0');
  await add.getByTestId('add-client-button').click();
  await expect(add.getByTestId('add-problem')).toContainText('1 to 65535');
  await expect(panel(page).locator('.client-card')).toHaveCount(2);
  await add.getByTestId('add-port').fill('80');
  await add.getByTestId('add-client-button').click();
  await expect(card(page, 'no-such-service')).toBeVisible();
  await expect(requests(page, 'no-such-service').first()).toContainText('DNS: no-such-service not found (NXDOMAIN)');
  await expect(requests(page, 'no-such-service').first()).toContainText('could not resolve no-such-service');
  await expect(card(page, 'no-such-service').getByTestId('client-last-error')).toContainText('could not resolve');
  await card(page, 'no-such-service').getByTestId('client-stop').click();
  await expect(panel(page).locator('.client-card')).toHaveCount(2);
});
