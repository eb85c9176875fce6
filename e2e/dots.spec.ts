// Traffic drawn in the cluster view: requests as travelling dots, hit counters on the pods
// that answered, failures in red where they happen; under reduced motion no dots at all, a
// highlight on the pod that answered and a static red marker where a request failed.
import { expect, test, type Page } from './fixtures';

const cluster = (page: Page) => page.getByTestId('panel-cluster');
const dots = (page: Page) => cluster(page).locator('[data-testid="dot"]');

async function open(page: Page) {
  await page.goto('/?lang=en');
  await expect(cluster(page).getByTestId('coredns')).toContainText('10.96.0.10');
}

/** The sum of every pod's hit badge. */
async function totalHits(page: Page): Promise<number> {
  // A badge reads "↩ 3".
  const texts = await cluster(page).locator('[data-testid="hits"] text').allTextContents();
  return texts.reduce((sum, t) => sum + (Number.parseInt(t.replace(/\D/g, ''), 10) || 0), 0);
}

async function scaleApiTo(page: Page, n: number) {
  const replicas = page.getByTestId('workload-api-deployment').getByTestId('replicas');
  await replicas.fill(String(n));
  await replicas.press('Enter');
}

test.describe('with normal motion', () => {
  test.use({ reducedMotion: 'no-preference' });

  test('requests travel as dots: a dot moves between two frames', async ({ page }) => {
    await open(page);
    // A dot's position two animation frames apart, from the same element.
    await expect
      .poll(
        () =>
          page.evaluate(async () => {
            const c = document.querySelector('[data-testid="panel-cluster"] [data-testid="dot"]');
            if (!c) return 'no dot';
            const at = () => (c as HTMLElement).style.transform;
            const before = at();
            await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            if (!c.isConnected) return 'gone';
            return at() !== before ? 'moved' : `still at ${before}`;
          }),
        { timeout: 10_000 },
      )
      .toBe('moved');
  });

  test('pods that answer show hit counters that grow, and the client pod is marked', async ({ page }) => {
    await open(page);
    await expect(cluster(page).getByTestId('pod-client').getByTestId('client-tag')).toHaveText('client');
    await expect.poll(() => totalHits(page)).toBeGreaterThan(0);
    const first = await totalHits(page);
    await expect.poll(() => totalHits(page), { timeout: 10_000 }).toBeGreaterThan(first + 1);
  });

  test('scaled to 0, the ClusterIP client is refused: a red dot labelled "refused"', async ({ page }) => {
    await open(page);
    await page.getByTestId('speed').selectOption('5');
    await scaleApiTo(page, 0);
    await expect(cluster(page).locator('[data-testid="dot"].failed [data-testid="dot-label"]', { hasText: 'refused' }).first())
      .toBeAttached({ timeout: 20_000 });
  });
});

test.describe('with reduced motion', () => {
  test.use({ reducedMotion: 'reduce' });

  test('no dots; the pod that answered is highlighted instead', async ({ page }) => {
    await open(page);
    await expect(cluster(page).locator('g.pod.served').first()).toBeAttached();
    await expect(cluster(page).getByTestId('dots-legend')).toContainText('Reduced motion');
    // Watch for a second and a half: never a dot.
    const seen = await page.evaluate(async () => {
      let n = 0;
      const end = performance.now() + 1500;
      while (performance.now() < end) {
        n = Math.max(n, document.querySelectorAll('[data-testid="dot"]').length);
        await new Promise((r) => requestAnimationFrame(r));
      }
      return n;
    });
    expect(seen).toBe(0);
    await expect(dots(page)).toHaveCount(0);
  });

  test('scaled to 0, a static red "refused" marker shows where the ClusterIP request failed', async ({ page }) => {
    await open(page);
    await page.getByTestId('speed').selectOption('5');
    await scaleApiTo(page, 0);
    const marker = cluster(page).getByTestId('fail-marker').filter({ hasText: 'refused' });
    await expect(marker.first()).toBeAttached({ timeout: 20_000 });
    // It sits on the Service's box: the marker's centre is inside normal-service's rectangle.
    const inside = await page.evaluate(() => {
      const m = [...document.querySelectorAll('[data-testid="fail-marker"]')]
        .find((g) => g.textContent?.includes('refused'))
        ?.querySelector('circle');
      const r = document.querySelector('[data-testid="svc-normal-service"] rect');
      if (!m || !r) return false;
      const cx = Number(m.getAttribute('cx'));
      const cy = Number(m.getAttribute('cy'));
      const x = Number(r.getAttribute('x'));
      const y = Number(r.getAttribute('y'));
      return cx > x && cx < x + Number(r.getAttribute('width')) && cy > y && cy < y + Number(r.getAttribute('height'));
    });
    expect(inside).toBe(true);
    await expect(dots(page)).toHaveCount(0);
  });
});

test.describe('on a phone (390×844)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the cluster drawing fits the panel, legibly, without sideways scrolling', async ({ page }) => {
    await open(page);
    const fit = await page.evaluate(() => {
      const wrap = document.querySelector('[data-testid="panel-cluster"] .svg-wrap') as HTMLElement;
      const svg = wrap.querySelector('svg.cluster-svg') as SVGSVGElement;
      const viewBoxWidth = svg.viewBox.baseVal.width;
      return {
        scrolls: wrap.scrollWidth > wrap.clientWidth || document.documentElement.scrollWidth > window.innerWidth,
        scale: svg.getBoundingClientRect().width / viewBoxWidth,
      };
    });
    expect(fit.scrolls).toBe(false);
    // 13 px SVG text drawn at 0.8 or more stays above 10 px on screen.
    expect(fit.scale).toBeGreaterThanOrEqual(0.8);
  });

  test('a node is stopped and started from its lane with the keyboard', async ({ page }) => {
    await open(page);
    const stop = cluster(page).getByTestId('node-stop').first();
    await stop.focus();
    await page.keyboard.press('Enter');
    await expect(cluster(page).getByTestId('node-start')).toHaveCount(1);
    await expect(cluster(page).locator('.lane.down .lane-state')).toHaveText('NotReady');
    await cluster(page).getByTestId('node-start').focus();
    await page.keyboard.press(' ');
    await expect(cluster(page).getByTestId('node-start')).toHaveCount(0);
  });
});
