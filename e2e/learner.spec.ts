// What a learner sees (issue 11): the first screen holds the lab, panels keep their state
// behind tabs, the drawing uses the space it has, each traffic client has its colour, the
// DNS panel follows the live Services, surprises are explained where they happen, and the
// whole lab resets. Each journey asserts on what is on screen, in en and/or zh-CN.
import { expect, pasteIntoEditor, test, type Locator, type Page } from './fixtures';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}

const headless = (page: Page) => page.getByTestId('answer-headless-service');
const normal = (page: Page) => page.getByTestId('answer-normal-service');

async function open(page: Page, query = '?lang=en') {
  await page.goto(`/${query}`);
  await expect(headless(page)).toContainText('Address 5:');
}

async function addresses(answer: Locator): Promise<string[]> {
  const text = (await answer.textContent()) ?? '';
  const after = text.split(/Name:/)[1] ?? '';
  return [...after.matchAll(/Address \d+: (\S+)/g)].map((m) => m[1]);
}

/** Run lines in the terminal, one Enter each (a heredoc collects until its delimiter). */
async function run(page: Page, ...lines: string[]) {
  await page.getByTestId('tab-terminal').click();
  const input = page.getByTestId('terminal-input');
  for (const l of lines) {
    await input.fill(l);
    await input.press('Enter');
  }
}

/** The header is one row: as tall as one button (plus its own padding), every item on one line. */
async function headerIsOneRow(page: Page) {
  const header = await page.locator('.app-header').boundingBox();
  const button = await page.getByTestId('more').boundingBox();
  expect(header!.height, 'header height against one button').toBeLessThanOrEqual(button!.height + 4);
  const tops = await page
    .locator('.app-header > *:not(.visually-hidden), .app-header .clock > *:not(.visually-hidden)')
    .evaluateAll((els) => els.filter((e) => e.getClientRects().length > 0).map((e) => e.getBoundingClientRect().top));
  expect(Math.max(...tops) - Math.min(...tops), 'items on one line').toBeLessThan(12);
}

/** The element's box lies inside the first screen (no scrolling). */
async function onFirstScreen(page: Page, el: Locator) {
  const box = await el.boundingBox();
  const vp = page.viewportSize()!;
  expect(box, 'rendered').not.toBeNull();
  expect(box!.y, 'top on screen').toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, 'bottom on the first screen').toBeLessThanOrEqual(vp.height);
  expect(box!.x + box!.width, 'no sideways overflow').toBeLessThanOrEqual(vp.width);
}

for (const lang of ['en', 'zh-CN']) {
  test.describe(`1280x720 (${lang})`, () => {
    test.use({ viewport: { width: 1280, height: 720 } });

    test('the first screen holds the cluster, both DNS answers and the terminal', async ({ page }) => {
      const errors = watchErrors(page);
      await open(page, `?lang=${lang}`);
      await expect(page.getByTestId('editor-cm')).toBeAttached(); // everything has loaded
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      await onFirstScreen(page, page.locator('[data-testid="panel-cluster"] svg.cluster-svg'));
      await onFirstScreen(page, normal(page));
      await onFirstScreen(page, headless(page));
      await onFirstScreen(page, page.getByTestId('terminal-input'));
      // The header is one row: exactly as tall as its buttons, every item on the same line.
      await headerIsOneRow(page);
      expect(errors).toEqual([]);
    });

    test('"More" folds the secondary actions: a visible label, keyboard reachable, Esc closes it', async ({ page }) => {
      await open(page, `?lang=${lang}`);
      const more = page.getByTestId('more');
      await expect(more).toHaveText(lang === 'en' ? /More/ : /更多/);
      const menu = page.getByTestId('more-menu');
      await expect(menu).toBeHidden();
      // From the reset button, Tab reaches "More"; Enter opens it, Tab goes into the menu.
      await page.getByTestId('reset-lab').focus();
      await page.keyboard.press('Tab');
      await expect(more).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(menu).toBeVisible();
      await expect(more).toHaveAttribute('aria-expanded', 'true');
      for (const id of ['lang-switch', 'theme-switch', 'copy-link', 'share-open', 'present-toggle']) {
        await expect(menu.getByTestId(id)).toBeVisible();
      }
      await page.keyboard.press('Tab');
      await expect(menu.getByTestId('lang-switch')).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(menu).toBeHidden();
      await expect(more).toBeFocused();
      // The menu lies over the page (the header stays one row while it is open).
      await more.click();
      await headerIsOneRow(page);
      // A click elsewhere closes it.
      await page.getByTestId('panel-dns').click({ position: { x: 4, y: 4 } });
      await expect(menu).toBeHidden();
      // An action closes it and acts: the theme switch.
      const theme = await page.locator('html').getAttribute('data-theme');
      await more.click();
      await page.getByTestId('theme-switch').click();
      await expect(menu).toBeHidden();
      expect(await page.locator('html').getAttribute('data-theme')).not.toBe(theme);
    });

    test('DNS answers never scroll sideways and wrap at spaces or dots, never at hyphens', async ({ page }) => {
      await open(page, `?lang=${lang}`);
      for (const answer of [normal(page), headless(page)]) {
        const [scroll, client] = await answer.evaluate((el) => [el.scrollWidth, el.clientWidth]);
        expect(scroll).toBeLessThanOrEqual(client);
        // Every piece (a word, or a name up to and including a dot) is on one line.
        const split = await answer.evaluate((el) =>
          [...el.querySelectorAll('.nb')].filter((p) => p.getClientRects().length !== 1).map((p) => p.textContent),
        );
        expect(split).toEqual([]);
      }
      await expect(headless(page)).toContainText(/Address 1: 10\.244\.\d+\.\d+ 10-244-\d+-\d+\./);
    });
  });
}

test('tabs keep their state: the terminal scrollback and the editor draft survive switching', async ({ page }) => {
  await open(page);
  await run(page, 'kubectl get svc');
  await expect(page.getByTestId('terminal-output')).toContainText('normal-service');
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('editor-cm')).toBeVisible();
  await expect(page.getByTestId('terminal-input')).toBeHidden();
  await page.getByTestId('editor-cm').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.insertText('# kept\n');
  await page.getByTestId('tab-traffic').click();
  await expect(page.getByTestId('panel-traffic')).toBeVisible();
  await page.getByTestId('tab-terminal').click();
  await expect(page.getByTestId('terminal-output')).toContainText('normal-service');
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('editor-cm')).toContainText('# kept');
  // The editor says its text is not what the cluster runs, and how to leave it by keyboard.
  await expect(page.getByTestId('editor-state')).toContainText('differs');
  await expect(page.getByTestId('panel-editor')).toContainText('press Esc, then Tab');
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
  await page.getByTestId('tab-editor').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-dnslog')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('dns-log')).toBeVisible();
});

test.describe('1920x1080', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('the cluster drawing scales up, pod names are whole and fit their boxes', async ({ page }) => {
    await open(page);
    const svg = page.locator('[data-testid="panel-cluster"] svg.cluster-svg');
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(1000);
    const name = svg.locator('.pod-name').first();
    const px = await name.evaluate((el) => el.getBoundingClientRect().height);
    expect(px, 'pod names drawn at 14 px or more').toBeGreaterThanOrEqual(14);
    await expect(svg.locator('[data-testid^="pod-api-deployment"] .pod-name').first()).toHaveText(
      /^api-deployment-[a-z0-9]{8,10}-[a-z0-9]{5}$/,
    );
    // No name runs out of its box.
    const overflow = await svg.evaluate((el) =>
      [...el.querySelectorAll('g.pod')].filter((g) => {
        const rect = g.querySelector('rect')!.getBBox();
        const text = g.querySelector('.pod-name') as SVGTextElement;
        return text.getBBox().x + text.getComputedTextLength() > rect.x + rect.width - 2;
      }).length,
    );
    expect(overflow).toBe(0);
  });
});

test('each traffic client has its own colour: its legend entry, its card and its hit badges', async ({ page }) => {
  await open(page);
  const legend = page.getByTestId('legend-client');
  await expect(legend).toHaveCount(2);
  const colourOf = (l: Locator) => l.evaluate((el) => getComputedStyle(el.querySelector('.badge-swatch')!).backgroundColor);
  const [a, b] = [await colourOf(legend.nth(0)), await colourOf(legend.nth(1))];
  expect(a).not.toBe(b);
  await page.getByTestId('tab-traffic').click();
  const card = page.locator('.client-card[data-target="normal-service"]');
  expect(await card.evaluate((el) => getComputedStyle(el).borderLeftColor)).toBe(a);
  // Badges in the cluster are drawn in the clients' colours, one per client a pod answered.
  await expect.poll(() => page.locator('.hit-badge').count()).toBeGreaterThan(1);
  const fills = await page.locator('.hit-badge rect').evaluateAll((els) => els.map((e) => getComputedStyle(e).fill));
  for (const f of fills) expect([a, b]).toContain(f);
  // Per-client hits in words: the headless client stays on the one pod it picked.
  await expect(page.locator('.client-card[data-target="headless-service"] [data-testid="client-hits"]')).toContainText(
    /responses per pod: api-deployment-…-\w+ \d+ \(100%\)$/,
  );
  // The collapsed card says its settings in one line.
  await expect(card.getByTestId('client-summary')).toContainText('New connection per request · Pick first');
});

// A plain link shows the pre-rendered first screen instead (e2e/prerender.spec.ts).
test('a link with state shows a loading frame in both languages before the wasm arrives', async ({ page }) => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  await page.route(/\.wasm$/, async (route) => {
    await gate;
    await route.continue();
  });
  await page.goto('/?lang=en&seed=1');
  await expect(page.getByTestId('loading')).toBeVisible();
  await expect(page.getByTestId('loading')).toContainText('Loading the simulated cluster');
  await expect(page.getByTestId('loading')).toContainText('正在加载模拟集群');
  release();
  await expect(headless(page)).toContainText('Address 5:');
  await expect(page.getByTestId('loading')).toHaveCount(0);
});

test('the DNS heading follows the live Service: normal-service made headless says so', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page);
  await expect(page.getByTestId('answer-heading-normal-service')).toContainText('ClusterIP Service');
  await run(
    page,
    'kubectl delete svc normal-service',
    'kubectl apply -f - <<EOF',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: normal-service',
    'spec:',
    '  clusterIP: None',
    '  selector:',
    '    app: api',
    '  ports:',
    '  - port: 80',
    '    targetPort: 3000',
    'EOF',
  );
  await expect(page.getByTestId('terminal-output')).toContainText('service/normal-service created');
  await expect(page.getByTestId('answer-heading-normal-service')).toContainText('headless Service');
  await expect.poll(async () => (await addresses(normal(page))).length).toBe(5);
});

test('a StatefulSet behind a headless Service: its own answer with per-pod names, seats in the directory', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page, '?lang=zh-CN');
  await run(
    page,
    'kubectl apply -f - <<EOF',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: web',
    'spec:',
    '  clusterIP: None',
    '  selector:',
    '    app: web',
    '  ports:',
    '  - port: 80',
    '---',
    'apiVersion: apps/v1',
    'kind: StatefulSet',
    'metadata:',
    '  name: web',
    'spec:',
    '  serviceName: web',
    '  replicas: 2',
    '  selector:',
    '    matchLabels:',
    '      app: web',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    '    spec:',
    '      containers:',
    '      - name: nginx',
    '        image: nginx',
    'EOF',
  );
  await page.getByTestId('speed').selectOption('5');
  const box = page.getByTestId('answer-box-web');
  await expect(page.getByTestId('answer-heading-web')).toContainText('无头服务');
  await expect(box.getByTestId('per-pod-names')).toContainText('web-0.web.default.svc.cluster.local', { timeout: 20_000 });
  await expect(box.getByTestId('per-pod-names')).toContainText('web-1.web.default.svc.cluster.local', { timeout: 20_000 });
  await page.getByTestId('tab-analogies').click();
  await expect(page.getByTestId('panel-analogies').locator('[data-service="web"]')).toContainText('web-0.web');
});

test('reset puts the whole lab back after a confirmation', async ({ page }) => {
  await open(page);
  const replicas = page.getByTestId('workload-api-deployment').getByTestId('replicas');
  await replicas.fill('2');
  await replicas.press('Enter');
  await expect.poll(async () => (await addresses(headless(page))).length).toBe(2);
  await run(page, 'kubectl get deploy');
  const time = async () => Number(((await page.getByTestId('sim-time').textContent()) ?? '').replace(/[^\d.]/g, ''));
  const before = await time();
  await page.getByTestId('reset-lab').click();
  await expect(page.getByTestId('reset-question')).toContainText('Reset the whole lab');
  await page.getByTestId('reset-cancel').click();
  expect((await addresses(headless(page))).length).toBe(2);
  await page.getByTestId('reset-lab').click();
  await page.getByTestId('reset-confirm').click();
  // The clock is back at the scenario's start (the cluster's boot plus its settling time).
  expect(await time()).toBeLessThan(before);
  await expect.poll(async () => (await addresses(headless(page))).length).toBe(5);
  await expect(page.getByTestId('workload-api-deployment').getByTestId('replicas')).toHaveValue('5');
  await expect(page.getByTestId('terminal-output')).not.toContainText('kubectl get deploy');
});

test.describe('explanations where the surprise happens', () => {
  test('the PTR names of a headless answer are explained, in zh-CN', async ({ page }) => {
    await open(page, '?lang=zh-CN');
    const why = page.getByTestId('answer-box-headless-service').locator('[data-why="why.ptr"]');
    await expect(why).toHaveCount(1);
    await why.locator('summary').click();
    await expect(why).toContainText('反向（PTR）名称');
    await expect(why).toContainText('.normal-service.default.svc.cluster.local');
  });

  test('at 0 ready pods: headless has nothing to answer, the VIP still resolves but refuses', async ({ page }) => {
    await open(page);
    const replicas = page.getByTestId('workload-api-deployment').getByTestId('replicas');
    await replicas.fill('0');
    await replicas.press('Enter');
    await expect(headless(page)).toContainText("can't resolve", { timeout: 20_000 });
    const h = page.getByTestId('answer-box-headless-service').locator('[data-why="why.headless_empty"]');
    await h.locator('summary').click();
    await expect(h).toContainText('nothing to answer');
    const n = page.getByTestId('answer-box-normal-service').locator('[data-why="why.vip_empty"]');
    await n.locator('summary').click();
    await expect(n).toContainText(/still answers its virtual IP 10\.\d+\.\d+\.\d+/);
    await expect(n).toContainText('refused');
  });

  test("kube-proxy's random pick is explained with iptables-save's probabilities", async ({ page }) => {
    await open(page);
    await page.getByTestId('tab-traffic').click();
    const why = page.locator('.client-card[data-target="normal-service"] [data-why="why.random"]');
    await why.locator('summary').click();
    await expect(why).toContainText('probabilities 1/5, 1/4, 1/3, 1/2');
  });
});

test('a terminating pod never shows ✓', async ({ page }) => {
  await open(page);
  const pod = page.locator('[data-testid^="pod-api-deployment"]').first();
  const name = (await pod.getAttribute('data-testid'))!;
  await pod.click();
  await page.getByTestId('pod-delete').click();
  const status = page.locator(`[data-testid="${name}"] .pod-status`);
  await expect(status).toContainText('Terminating');
  await expect(status).not.toContainText('✓');
});

test('times and units are localised: 秒 in zh-CN', async ({ page }) => {
  await open(page, '?lang=zh-CN');
  await expect(page.getByTestId('sim-time')).toContainText('秒');
  await page.getByTestId('tab-dnslog').click();
  await expect(page.getByTestId('dns-log').locator('tbody tr').first()).toContainText('秒');
  await expect(page.getByTestId('dns-log').locator('tbody tr').first()).not.toContainText(/\ds\b/);
});

test('a failed apply says nothing was applied, without "unchanged" lines', async ({ page }) => {
  await open(page);
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('editor-cm')).toBeVisible();
  const text = await page.getByTestId('editor-text').inputValue();
  await page.getByTestId('editor-cm').click();
  await page.keyboard.press('Control+a');
  await pasteIntoEditor(page, text.replace('replicas: 5', 'replicas: [5'));
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-result')).toContainText('Nothing was applied');
  await expect(page.getByTestId('apply-result').locator('.result-lines')).not.toContainText(/unchanged|configured|created/);
});

for (const lang of ['en', 'zh-CN']) {
  test(`a phone's header is compact: the cluster drawing starts on the first screen (${lang})`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open(page, `?lang=${lang}`);
    const header = await page.locator('.app-header').boundingBox();
    const button = await page.getByTestId('more').boundingBox();
    // Two rows of buttons at most (brand, scenario and More; then the clock): not a third of the screen.
    expect(header!.height).toBeLessThanOrEqual(2 * button!.height + 12);
    expect(header!.height).toBeLessThan(844 / 8);
    // The drawing's top (its Service boxes) is on the first screen, not only its frame.
    const svc = await page.getByTestId('svc-headless-service').boundingBox();
    expect(svc!.y).toBeGreaterThan(0);
    expect(svc!.y + svc!.height).toBeLessThanOrEqual(844);
    const svg = await page.locator('[data-testid="panel-cluster"] svg.cluster-svg').boundingBox();
    expect(svg!.y).toBeLessThan(844 / 2);
    expect(svg!.x + svg!.width).toBeLessThanOrEqual(390);
  });
}

/** Every endpoint link's path, sampled along its length, against every Service box (and
 *  CoreDNS's) that is not the link's own: the points strictly inside such a box. */
async function linksThroughBoxes(svg: Locator): Promise<string[]> {
  return svg.evaluate((root) => {
    const boxes = [...root.querySelectorAll('g.svc')].map((g) => {
      const r = g.querySelector('rect')!;
      const n = (a: string) => parseFloat(r.getAttribute(a) ?? '0');
      return { id: g.getAttribute('data-testid') ?? '', x: n('x'), y: n('y'), w: n('width'), h: n('height') };
    });
    const bad: string[] = [];
    const links = [...root.querySelectorAll('path.link')] as SVGPathElement[];
    if (links.length < 10) bad.push(`only ${links.length} links`);
    for (const link of links) {
      const own = `svc-${link.getAttribute('data-svc')}`;
      const len = link.getTotalLength();
      for (let d = 0; d <= len; d += 1) {
        const p = link.getPointAtLength(d);
        for (const b of boxes) {
          if (b.id === own) continue;
          if (p.x > b.x + 1 && p.x < b.x + b.w - 1 && p.y > b.y + 1 && p.y < b.y + b.h - 1) {
            bad.push(`${own} link through ${b.id} at (${p.x.toFixed(0)}, ${p.y.toFixed(0)})`);
            break;
          }
        }
      }
    }
    return [...new Set(bad)];
  });
}

test.describe('endpoint links never run behind another Service box', () => {
  for (const width of [360, 480, 700, 900]) {
    test(`in a ${width} px embed`, async ({ page, baseURL }) => {
      await page.goto('/docs-page-host.txt').catch(() => {});
      await page.setContent(
        `<!doctype html><title>docs</title><iframe style="width:${width}px;height:1200px;border:0" src="${baseURL}?embed=1&panels=cluster&lang=en"></iframe>`,
      );
      const frame = page.frameLocator('iframe');
      await expect(frame.getByTestId('svc-headless-service')).toBeVisible();
      const svg = frame.locator('svg.cluster-svg');
      await expect.poll(() => svg.evaluate((s) => s.querySelectorAll('path.link').length)).toBeGreaterThanOrEqual(10);
      expect(await linksThroughBoxes(svg)).toEqual([]);
      // The narrowest embeds do stack the boxes in rows (what the routes are for).
      if (width === 360) {
        const [a, b] = [await frame.getByTestId('svc-headless-service').boundingBox(), await frame.getByTestId('svc-normal-service').boundingBox()];
        expect(Math.abs(a!.y - b!.y)).toBeGreaterThan(10);
      }
    });
  }
  test('at 1280x720', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await open(page);
    expect(await linksThroughBoxes(page.locator('[data-testid="panel-cluster"] svg.cluster-svg'))).toEqual([]);
  });
});

test.describe('embedded in a narrow iframe', () => {
  test('panels stack in one column and the embed has a reset control', async ({ page, baseURL }) => {
    await page.goto('/docs-page-host.txt').catch(() => {});
    await page.setContent(
      `<!doctype html><title>docs</title><iframe style="width:700px;height:1400px;border:0" src="${baseURL}?embed=1&panels=cluster,dns&lang=en"></iframe>`,
    );
    const frame = page.frameLocator('iframe');
    await expect(frame.getByTestId('answer-headless-service')).toContainText('Address 5:');
    const [c, d] = [await frame.getByTestId('panel-cluster').boundingBox(), await frame.getByTestId('panel-dns').boundingBox()];
    expect(d!.y).toBeGreaterThanOrEqual(c!.y + c!.height - 1);
    expect(Math.abs(d!.x - c!.x)).toBeLessThan(2);
    await expect(frame.getByTestId('reset-lab')).toBeVisible();
  });
});

test('errors that teach: changing clusterIP gets the API error, the fix, and a one-click delete and apply', async ({ page }) => {
  await open(page);
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('editor-cm')).toBeVisible();
  const text = await page.getByTestId('editor-text').inputValue();
  // Make normal-service headless in place: clusterIP is immutable.
  const changed = text.replace('  name: normal-service\nspec:\n', '  name: normal-service\nspec:\n  clusterIP: None\n');
  expect(changed).not.toBe(text);
  await page.getByTestId('editor-cm').click();
  await page.keyboard.press('Control+a');
  await pasteIntoEditor(page, changed);
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-result')).toContainText('may not change once set');
  const fix = page.locator('[data-fix="fix.immutable_clusterip"]');
  await expect(fix).toContainText('delete the Service and apply again');
  await fix.getByTestId('fix-recreate').click();
  await expect(page.getByTestId('apply-result')).toContainText('service/normal-service created');
  await expect(page.getByTestId('answer-heading-normal-service')).toContainText('headless Service');
});

test('errors that teach, in zh-CN: one position per message, Chinese around the quoted parser text', async ({ page }) => {
  await open(page, '?lang=zh-CN');
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('editor-cm')).toBeVisible();
  const text = await page.getByTestId('editor-text').inputValue();
  await page.getByTestId('editor-cm').click();
  await page.keyboard.press('Control+a');
  await pasteIntoEditor(page, text.replace('  replicas: 5\n', '  replicas: 5\n bad: indent\n'));
  await page.getByTestId('apply').click();
  const item = page.getByTestId('diagnostics').locator('li').first();
  await expect(item).toContainText(/^第 \d+ 行第 \d+ 列： YAML 语法错误：“.+”$/);
  // One position: the parser's own "line N:" is not repeated.
  await expect(item).not.toContainText('line');
  await expect(page.getByTestId('apply-result')).toContainText('没有应用任何内容');
});

test('a selector that matches nothing gets a suggested fix', async ({ page }) => {
  await open(page);
  await page.getByTestId('tab-editor').click();
  await expect(page.getByTestId('editor-cm')).toBeVisible();
  const text = await page.getByTestId('editor-text').inputValue();
  await page.getByTestId('editor-cm').click();
  await page.keyboard.press('Control+a');
  await pasteIntoEditor(page, text.replace('spec:\n  selector:\n    app: api\n', 'spec:\n  selector:\n    app: apl\n'));
  await page.getByTestId('apply').click();
  await expect(page.locator('[data-fix="fix.selector"]').first()).toContainText('kubectl get pods --show-labels');
});

test('readiness feedback: the probe counts its failures, then the pod is Not Ready', async ({ page }) => {
  await open(page);
  const pod = page.locator('[data-testid^="pod-api-deployment"]').first();
  await pod.click();
  await page.getByTestId('pod-fail-readiness').click();
  const progress = page.getByTestId('probe-progress');
  await expect(progress).toContainText(/of 3 failures/, { timeout: 15_000 });
  await expect(progress).toContainText(/at 1×/);
  await expect(pod.getByTestId('probe-count')).toContainText(/✗[12]\/3/);
  await page.getByTestId('speed').selectOption('5');
  await expect(progress).toContainText('the pod is Not Ready', { timeout: 20_000 });
});

test('a stopped node says what a real cluster does and what the lab shortens (zh-CN)', async ({ page }) => {
  await open(page, '?lang=zh-CN');
  await page.getByTestId('node-stop').first().click();
  const note = page.getByTestId('node-note');
  await expect(note).toContainText('约 40 秒');
  await expect(note).toContainText('约 5 分钟');
  await expect(note).toContainText('40 秒后驱逐');
  await expect(note).toContainText('秒');
});

test('the pod menu opens with the focus on it and closes with Esc, giving the focus back', async ({ page }) => {
  await open(page);
  const pod = page.locator('[data-testid^="pod-api-deployment"]').first();
  await pod.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pod-delete')).toBeFocused();
  await expect(page.getByTestId('pod-actions')).toContainText('Esc closes this menu');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('pod-actions')).toHaveCount(0);
  await expect(pod).toBeFocused();
});

test('glossary: a term shows its definition on keyboard focus, with the zh-cn term, and is its description', async ({ page }) => {
  await open(page, '?lang=zh-CN');
  const term = page.getByTestId('panel-cluster').getByTestId('term-headless');
  await term.focus();
  const tip = page.getByTestId('panel-cluster').getByTestId('tip-headless');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('无头服务');
  const described = await term.getAttribute('aria-describedby');
  expect(await tip.getAttribute('id')).toBe(described);
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
  await page.getByTestId('more').click(); // the header's "More" menu
  await page.getByTestId('lang-switch').click();
  await term.focus();
  await expect(page.getByTestId('panel-cluster').getByTestId('tip-endpointslice')).toBeHidden();
  await expect(tip).toContainText('clusterIP: None');
});

test('replicas above the lab limit say so instead of silently clamping', async ({ page }) => {
  await open(page);
  const replicas = page.getByTestId('workload-api-deployment').getByTestId('replicas');
  await replicas.fill('50');
  await replicas.press('Enter');
  await expect(page.getByTestId('replicas-limit')).toContainText('at most 20');
  await expect(replicas).toHaveValue('20');
});

test('the scenario picker: the MongoDB StatefulSet of seed 002, carried by the URL', async ({ page }) => {
  await open(page);
  await page.getByTestId('scenario-picker').selectOption('mongodb-statefulset');
  await expect(page).toHaveURL(/scenario=mongodb-statefulset/);
  await expect(page.getByTestId('answer-mongodb-service')).toContainText('Address 3:');
  await expect(page.getByTestId('answer-box-mongodb-service').getByTestId('per-pod-names')).toContainText(
    'mongodb-0.mongodb-service.default.svc.cluster.local',
  );
  await expect(page.getByTestId('answer-heading-mongodb-0.mongodb-service')).toContainText('own name of pod mongodb-0');
  await page.getByTestId('tab-analogies').click();
  await expect(page.locator('[data-testid="directory"][data-service="mongodb-service"]')).toContainText('mongodb-0.mongodb-service');
  await expect(page.locator('[data-testid="directory"][data-service="mongodb-service"]')).toContainText('fixed seat');
  await page.reload();
  await expect(page.getByTestId('scenario-picker')).toHaveValue('mongodb-statefulset');
});

test('dig NXDOMAIN for a short name while nslookup resolves it: the search list is explained', async ({ page }) => {
  await open(page);
  await run(page, 'nslookup headless-service', 'dig headless-service');
  await expect(page.getByTestId('terminal-output')).toContainText('status: NXDOMAIN');
  const why = page.getByTestId('terminal-output').locator('[data-why="why.dig_search"]');
  await why.locator('summary').click();
  await expect(why).toContainText('dig +search headless-service');
  await run(page, 'dig +search headless-service');
  await expect(page.getByTestId('terminal-output').locator('[data-why="why.dig_search"]')).toHaveCount(1);
});
