#!/usr/bin/env node
// The one table of `./lab bench`: every figure of the performance targets (issue 15) for the
// release build in dist/ against its target, medians of RUNS runs, printed as Markdown.
//
//   - payload: first-load wasm+js+css, gzip -9 and brotli q11 (scripts/size-report.mjs);
//   - first visit in headless Chromium, a fresh context (empty cache) per run: first
//     contentful paint (Paint Timing), the first DNS answer on screen (the headless Service's
//     answer with "Address", as scripts/bench-browser.mjs), interactive (the first moment a
//     click on a workload's "+" changes its replica count: the page clicks it every frame
//     from the moment it exists until one works);
//   - the same first answer on a slow link: Chromium's network emulation (1.6 Mbit/s down,
//     750 kbit/s up, 150 ms round trip) and 4× CPU throttling, through CDP;
//   - fps and heap at 200 pods with traffic: scripts/bench-fps.mjs run RUNS times (its JSON);
//   - the core at 5,000 pods from criterion's results (target/criterion/, written by
//     `cargo bench -p svclab-core`, which `./lab bench` runs first).
//
// Options: RUNS=7, FPS_RUNS (default RUNS), BENCH_TIMEOUT_MS=20000, SLOW_TIMEOUT_MS=60000,
// CHROMIUM=/usr/bin/chromium, DIST=dist, BENCH_OUT=target/bench-table.md (also written).
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { serveDist } from './serve-dist.mjs';
import { measure } from './size-report.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const FPS_RUNS = Number(process.env.FPS_RUNS ?? RUNS);
const TIMEOUT = Number(process.env.BENCH_TIMEOUT_MS ?? 20000);
const SLOW_TIMEOUT = Number(process.env.SLOW_TIMEOUT_MS ?? 60000);
const DIST = process.env.DIST ?? 'dist';
const OUT = process.env.BENCH_OUT ?? 'target/bench-table.md';
const ANSWER = '[data-testid="answer-headless-service"]';

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// In the page before its scripts: the first paint with content, the answer on screen, and
// the first working click on "+".
const probe = ({ answer }) => {
  const marks = (window.__svclabBench = {});
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') marks.fcp ??= e.startTime;
  }).observe({ type: 'paint', buffered: true });
  const check = () => {
    if (marks.answerSeen === undefined) {
      const el = [...document.querySelectorAll(answer)].find((e) => e.textContent.includes('Address'));
      if (el) {
        marks.answerSeen = performance.now();
        requestAnimationFrame(() => (marks.answer = performance.now()));
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  // Interactive: click "+" each frame from the moment it exists until the count moves.
  const poke = () => {
    const w = document.querySelector('[data-testid^="workload-"]');
    const plus = w?.querySelector('[data-testid="replicas-plus"]');
    const count = w?.querySelector('[data-testid="replicas"]');
    if (plus && count) {
      const before = count.value;
      if (marks.clickedAt !== undefined && before !== marks.before) {
        marks.interactive = marks.clickedAt;
        return;
      }
      marks.before = before;
      marks.clickedAt = performance.now();
      plus.click();
    }
    requestAnimationFrame(poke);
  };
  requestAnimationFrame(poke);
};

const server = await serveDist({ dir: DIST, port: 0, quiet: true });
const url = `http://127.0.0.1:${server.address().port}/?lang=en`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function visit({ slow }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  if (slow) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6e6 / 8) | 0,
      uploadThroughput: (750e3 / 8) | 0,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  await page.addInitScript(probe, { answer: ANSWER });
  await page.goto(url, { waitUntil: 'commit' });
  const want = slow ? 'answer' : 'interactive';
  await page
    .waitForFunction((k) => window.__svclabBench?.[k] !== undefined && window.__svclabBench?.answer !== undefined, want, {
      timeout: slow ? SLOW_TIMEOUT : TIMEOUT,
    })
    .catch(() => {});
  const r = await page.evaluate(() => ({ ...window.__svclabBench }));
  await context.close();
  return r;
}

const fast = [];
const slow = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const r = await visit({ slow: false });
    fast.push(r);
    console.error(`first visit ${i + 1}/${RUNS}: fcp ${r.fcp?.toFixed(0)} ms, answer ${r.answer?.toFixed(0)} ms, interactive ${r.interactive?.toFixed(0)} ms`);
  }
  for (let i = 0; i < RUNS; i++) {
    const r = await visit({ slow: true });
    slow.push(r);
    console.error(`slow link ${i + 1}/${RUNS}: answer ${r.answer?.toFixed(0)} ms`);
  }
} finally {
  await browser.close();
  server.close();
}

// fps and heap at 200 pods: bench-fps.mjs, FPS_RUNS times.
const fps = [];
const heap = [];
mkdirSync('target', { recursive: true });
for (let i = 0; i < FPS_RUNS; i++) {
  const json = join('target', `bench-fps-${i}.json`);
  try {
    execFileSync(process.execPath, ['scripts/bench-fps.mjs'], { env: { ...process.env, BENCH_JSON: json, DIST }, stdio: ['ignore', 'ignore', 'inherit'] });
    const r = JSON.parse(readFileSync(json, 'utf8'));
    fps.push(r.cases.at(-1)?.fps);
    heap.push(r.heap200?.total);
    console.error(`fps run ${i + 1}/${FPS_RUNS}: ${r.cases.at(-1)?.fps?.toFixed(1)} fps, heap ${(r.heap200?.total / 1e6).toFixed(1)} MB`);
  } catch (e) {
    console.error(`fps run ${i + 1}/${FPS_RUNS} failed: ${e.message.split('\n')[0]}`);
  }
}

// Criterion's median estimate (ns) of one benchmark, if it ran.
function criterion(id) {
  const p = join('target', 'criterion', id, 'new', 'estimates.json');
  if (!existsSync(p)) return undefined;
  return JSON.parse(readFileSync(p, 'utf8')).median.point_estimate;
}

const sizes = measure(DIST).reduce((t, r) => ({ gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { gzip: 0, brotli: 0 });
const kb = (n) => (n === undefined ? 'n/a' : `${(n / 1000).toFixed(0)} KB`);
const ms = (n) => (n === undefined ? 'n/a' : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`);
const nsms = (n, digits = 2) => (n === undefined ? 'n/a' : `${(n / 1e6).toFixed(digits)} ms`);
const met = (v, ok) => (v === undefined ? '?' : ok(v) ? 'yes' : 'no');
const m = (xs, k) => median(xs.map((r) => r[k]));

const rows = [
  ['first-load transfer, gzip (wasm+js+css)', kb(sizes.gzip), '≤ 330 KB', met(sizes.gzip, (v) => v <= 330e3)],
  ['first-load transfer, brotli', kb(sizes.brotli), '≤ 260 KB', met(sizes.brotli, (v) => v <= 260e3)],
  ['first contentful paint', ms(m(fast, 'fcp')), '≤ 120 ms', met(m(fast, 'fcp'), (v) => v <= 120)],
  ['first DNS answer on screen', ms(m(fast, 'answer')), '≤ 120 ms', met(m(fast, 'answer'), (v) => v <= 120)],
  ['interactive (a click on + works)', ms(m(fast, 'interactive')), '≤ 400 ms', met(m(fast, 'interactive'), (v) => v <= 400)],
  ['slow link (1.6 Mbit/s, 150 ms RTT, CPU 4×): first answer', ms(m(slow, 'answer')), '≤ 1.5 s', met(m(slow, 'answer'), (v) => v <= 1500)],
  ['fps at 200 pods with traffic', median(fps)?.toFixed(1) ?? 'n/a', '≥ 58', met(median(fps), (v) => v >= 58)],
  ['heap at 200 pods (JS + wasm)', median(heap) === undefined ? 'n/a' : `${(median(heap) / 1e6).toFixed(1)} MB`, '≤ 15 MB', met(median(heap), (v) => v <= 15e6)],
  ['core: apply + reconcile to Ready, 5,000 pods', nsms(criterion('5000_pods/apply_and_reconcile_to_ready'), 1), '≤ 50 ms', met(criterion('5000_pods/apply_and_reconcile_to_ready'), (v) => v <= 50e6)],
  ['core: one steady-state tick, 5,000 pods', nsms(criterion('5000_pods/steady_state_tick'), 3), '≤ 0.5 ms', met(criterion('5000_pods/steady_state_tick'), (v) => v <= 0.5e6)],
  ['core: A query, headless Service of 5,000 endpoints, with the log', nsms(criterion('dns_headless_5000_endpoints_A'), 3), '≤ 0.3 ms', met(criterion('dns_headless_5000_endpoints_A'), (v) => v <= 0.3e6)],
  ['core: 10,000 routed requests', nsms(criterion('request_10k_clusterip'), 1), '≤ 20 ms', met(criterion('request_10k_clusterip'), (v) => v <= 20e6)],
];
const seen = (xs, k) => `${xs.filter((r) => r[k] !== undefined).length}/${xs.length}`;
const table = [
  `Service Lab against the targets (median of ${RUNS} runs; fps and heap of ${fps.length}; headless Chromium, no GPU; this machine)`,
  '',
  '| figure | lab | target | met |',
  '|---|---:|---:|:---:|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  `Runs that reached each milestone: answer ${seen(fast, 'answer')}, interactive ${seen(fast, 'interactive')}, slow-link answer ${seen(slow, 'answer')}.`,
].join('\n');
console.log(table);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${table}\n`);
