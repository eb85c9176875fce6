// The action journal in the page: what a learner does with the buttons travels in a copied
// link (a fresh page shows the same pods, IPs and DNS answers), Undo takes back the last action,
// and the timeline rewinds to an earlier answer and returns to the present.
import { expect, test, watchCsp, type Locator, type Page } from './fixtures';

/** The addresses a busybox nslookup answer lists after `Name:`. */
async function answerAddresses(answer: Locator): Promise<string[]> {
  const text = (await answer.textContent()) ?? '';
  const after = text.split(/Name:/)[1] ?? '';
  return [...after.matchAll(/Address \d+: (\S+)/g)].map((m) => m[1]).sort();
}

const headless = (page: Page) => page.locator('[data-testid="answer-headless-service"]');
const count = async (page: Page) => (await answerAddresses(headless(page))).length;

/** The api pods as the cluster view draws them: name and IP, sorted. */
async function pods(page: Page): Promise<string[]> {
  const els = page.locator('[data-testid^="pod-api-deployment"]');
  const out: string[] = [];
  for (let i = 0; i < (await els.count()); i++) {
    const el = els.nth(i);
    out.push(`${await el.getAttribute('data-testid')} ${await el.getAttribute('data-ip')}`);
  }
  return out.sort();
}

async function pause(page: Page) {
  const button = page.getByTestId('play-pause');
  if ((await button.getAttribute('aria-pressed')) === 'true') await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'false');
}

test('button actions travel in a copied link; Undo and the timeline', async ({ page, context, browser }) => {
  test.setTimeout(180_000);
  await page.goto('/?lang=en');
  await expect(headless(page)).toContainText('Address 5:');
  const start = await answerAddresses(headless(page));
  await page.getByTestId('speed').selectOption('5');

  // Scale to 3 with the buttons.
  const workload = page.getByTestId('workload-api-deployment');
  await workload.getByTestId('replicas-minus').click();
  await workload.getByTestId('replicas-minus').click();
  await expect.poll(() => count(page), { timeout: 30_000 }).toBe(3);
  // The scaled-down pods finish terminating (30 s grace) before we pick one.
  await expect(page.locator('[data-testid^="pod-api-deployment"]')).toHaveCount(3, { timeout: 60_000 });

  // Delete a pod: its replacement takes its place with a new IP.
  const victim = page.locator('[data-testid^="pod-api-deployment"]').first();
  const oldIp = await victim.getAttribute('data-ip');
  await victim.click();
  await page.getByTestId('pod-delete').click();
  await expect.poll(async () => (await answerAddresses(headless(page))).includes(oldIp ?? ''), { timeout: 60_000 }).toBe(false);
  await expect.poll(() => count(page), { timeout: 60_000 }).toBe(3);
  await expect(page.locator('[data-testid^="pod-api-deployment"]')).toHaveCount(3, { timeout: 60_000 });

  // Fail one pod's readiness: it leaves the headless answer.
  await page.locator('[data-testid^="pod-api-deployment"]').nth(1).click();
  await page.getByTestId('pod-fail-readiness').click();
  await expect.poll(() => count(page), { timeout: 60_000 }).toBe(2);

  await pause(page);
  const here = { pods: await pods(page), answer: await answerAddresses(headless(page)) };
  await page.getByTestId('more').click(); // the header's "More" menu
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('j=');

  // A fresh page from the link: the same pods, IPs and DNS answers.
  const ctx = await browser.newContext();
  const violations = await watchCsp(ctx);
  const fresh = await ctx.newPage();
  await fresh.goto(link);
  await expect.poll(() => count(fresh), { timeout: 30_000 }).toBe(2);
  await pause(fresh);
  expect(await pods(fresh)).toEqual(here.pods);
  expect(await answerAddresses(headless(fresh))).toEqual(here.answer);

  // Undo takes back the readiness failure: three ready pods again.
  await fresh.getByTestId('undo').click();
  await expect.poll(() => count(fresh), { timeout: 30_000 }).toBe(3);

  // The timeline's start is before the first scale: the first answer (five pods); then back to now.
  const present = await answerAddresses(headless(fresh));
  // Paused: while time passes the present end of the track moves, and every mark with it.
  await pause(fresh);
  // The marks of actions a second apart touch on the header's short track: the keyboard's Home
  // goes to the start of the journal, before the first scale.
  await fresh.getByTestId('timeline').focus();
  await fresh.keyboard.press('Home');
  await expect(fresh.getByTestId('rewound-banner')).toBeVisible();
  await expect.poll(() => answerAddresses(headless(fresh))).toEqual(start);
  await fresh.getByTestId('to-present').click();
  await expect.poll(() => answerAddresses(headless(fresh))).toEqual(present);
  await expect(fresh.getByTestId('rewound-banner')).toHaveCount(0);
  await ctx.close();
  expect(violations, 'Content-Security-Policy violations in the fresh context').toEqual([]);
  void context;
});

test('the timeline shows the lab at any earlier time, read-only, and plays forward to the present', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/?lang=en');
  await expect(headless(page)).toContainText('Address 5:');
  const start = { pods: await pods(page), answer: await answerAddresses(headless(page)) };
  await page.getByTestId('speed').selectOption('5');

  // Scale to 3 with the buttons and let time pass until the old pods are gone.
  const workload = page.getByTestId('workload-api-deployment');
  await workload.getByTestId('replicas-minus').click();
  await workload.getByTestId('replicas-minus').click();
  await expect.poll(() => count(page), { timeout: 30_000 }).toBe(3);
  await expect(page.locator('[data-testid^="pod-api-deployment"]')).toHaveCount(3, { timeout: 60_000 });
  await pause(page);
  const present = { pods: await pods(page), answer: await answerAddresses(headless(page)) };

  // A mark per action, labelled with its time and text form on hover.
  const marks = page.getByTestId('timeline-mark');
  await expect(marks).toHaveCount(2);
  await marks.first().hover();
  await expect(page.getByTestId('timeline-label')).toContainText('lab scale deployment/api-deployment --replicas=4');
  await page.mouse.move(0, 0);

  // Set the timeline to a time before the scale: the earlier pods and DNS answer.
  const timeline = page.getByTestId('timeline');
  const scaledAt = Number(await marks.first().getAttribute('data-at'));
  const min = Number(await timeline.getAttribute('min'));
  await timeline.fill(String(Math.max(min, scaledAt - 500)));
  await expect(page.getByTestId('rewound-banner')).toBeVisible();
  await expect(page.getByTestId('rewound-note')).toContainText('read-only');
  await expect.poll(() => answerAddresses(headless(page))).toEqual(start.answer);
  expect(await pods(page)).toEqual(start.pods);

  // Read-only: a button changes nothing and the banner says why.
  await workload.getByTestId('replicas-plus').click();
  await expect(page.getByTestId('rewound-refused')).toBeVisible();
  expect(await pods(page)).toEqual(start.pods);

  // Back to now: the present again.
  await page.getByTestId('to-present').click();
  await expect(page.getByTestId('rewound-banner')).toHaveCount(0);
  await expect.poll(() => answerAddresses(headless(page))).toEqual(present.answer);
  expect(await pods(page)).toEqual(present.pods);

  // The keyboard: PageUp goes to the last action, its text in the slider's value; End is now.
  await timeline.focus();
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('rewound-banner')).toBeVisible();
  const [first, second] = [Number(await marks.nth(0).getAttribute('data-at')), Number(await marks.nth(1).getAttribute('data-at'))];
  if (first < second) {
    await expect(timeline).toHaveAttribute('aria-valuetext', /after: lab scale deployment\/api-deployment --replicas=4$/);
  } else {
    await expect(timeline).not.toHaveAttribute('aria-valuetext', /after:/);
  }
  await page.keyboard.press('End');
  await expect(page.getByTestId('rewound-banner')).toHaveCount(0);
  await expect.poll(() => answerAddresses(headless(page))).toEqual(present.answer);
});
