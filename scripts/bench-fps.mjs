#!/usr/bin/env node
// Frame-rate benchmark of the release build in dist/ (run by `./lab bench`): DESIGN.md's
// budget is "60 frames per second with 200 pods and continuous traffic".
//
// Serves dist/ on a free 127.0.0.1 port and opens it in headless Chromium at 1280×720. For
// each case it records requestAnimationFrame intervals for SECONDS seconds at 1× speed while
// the playback clock runs and the scenario's two traffic clients send requests, and prints
// fps (frames / elapsed), median, p95 and max frame time, the number of frames over 50 ms,
// and the main thread's busy time per second of the window (Chrome's Performance domain:
// all tasks, of which script, style recalculation and layout), which is less sensitive to
// other processes on the machine than frame intervals are.
//   - "5 pods":   the first visit (api-deployment with 5 replicas).
//   - "200 pods": `kubectl scale deployment api-deployment --replicas=200` typed into the
//                 terminal panel (the +/− control stops at 20), at 5× speed until the
//                 workload shows 200/200 ready, then back to 1×.
// Headless Chromium without a GPU on a shared machine is a pessimistic measure: a laptop's
// browser composites on the GPU. Compare runs on the same machine, not against 60 in absolute.
// After the 200-pod window it also records the heap: V8's used JS heap (CDP
// Performance.getMetrics, after a garbage collection) plus the wasm instance's linear memory
// (the module Trunk reports in its `TrunkApplicationStarted` event).
// Options: SECONDS=10, DIST=dist, READY_TIMEOUT_MS=180000, CHROMIUM=/usr/bin/chromium,
// BENCH_JSON=FILE (write the results as JSON too: scripts/bench-table.mjs reads it).
import { chromium } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { serveDist } from './serve-dist.mjs';
import { ARGS, CHROMIUM } from './chromium.mjs';

const SECONDS = Number(process.env.SECONDS ?? 10);
const DIST = process.env.DIST ?? 'dist';
const READY_TIMEOUT = Number(process.env.READY_TIMEOUT_MS ?? 180000);

// In the page: collect rAF timestamps for `ms` milliseconds, return the intervals.
const recordFrames = (ms) =>
  new Promise((done) => {
    const stamps = [];
    const start = performance.now();
    const step = (t) => {
      stamps.push(t);
      if (t - start < ms) requestAnimationFrame(step);
      else done(stamps);
    };
    requestAnimationFrame(step);
  });

function stats(stamps) {
  const d = [];
  for (let i = 1; i < stamps.length; i++) d.push(stamps[i] - stamps[i - 1]);
  const s = [...d].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const elapsed = stamps[stamps.length - 1] - stamps[0];
  return {
    frames: d.length,
    fps: (d.length * 1000) / elapsed,
    median: q(0.5),
    p95: q(0.95),
    max: s[s.length - 1],
    over50: d.filter((x) => x > 50).length,
  };
}

/** Main-thread time (ms) spent in tasks, script, style and layout so far. */
async function cpu(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  return { task: m.TaskDuration * 1000, script: m.ScriptDuration * 1000, style: m.RecalcStyleDuration * 1000, layout: m.LayoutDuration * 1000 };
}

async function measure(page, cdp) {
  const a = await cpu(cdp);
  const s = stats(await page.evaluate(recordFrames, SECONDS * 1000));
  const b = await cpu(cdp);
  const per = (k) => (b[k] - a[k]) / SECONDS;
  return { ...s, task: per('task'), script: per('script'), style: per('style'), layout: per('layout') };
}

async function setSpeed(page, v) {
  await page.getByTestId('speed').selectOption(String(v));
}

async function ensurePlaying(page) {
  const pressed = await page.getByTestId('play-pause').getAttribute('aria-pressed');
  if (pressed !== 'true') await page.getByTestId('play-pause').click();
}

/** Used JS heap plus the wasm linear memory, in bytes, after a full garbage collection. */
async function heap(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
  const { metrics } = await cdp.send('Performance.getMetrics');
  const js = metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? 0;
  const wasm = await page.evaluate(() => window.__svclabWasm?.memory?.buffer?.byteLength ?? 0);
  return { js, wasm, total: js + wasm };
}

async function podCount(page) {
  return page.locator('[data-testid="panel-cluster"] g.pod').count();
}

const server = await serveDist({ dir: DIST, port: 0, quiet: true });
const url = `http://127.0.0.1:${server.address().port}/?lang=en`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ARGS,
});

const rows = [];
let heap200;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.addInitScript(() =>
    addEventListener('TrunkApplicationStarted', (e) => (window.__svclabWasm = e.detail?.wasm), { once: true }),
  );
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url, { waitUntil: 'load' });
  await page.getByTestId('workload-api-deployment').waitFor();
  await ensurePlaying(page);
  await setSpeed(page, 1);
  await page.waitForTimeout(2000); // let the first visit settle (editor bundle, first traffic)
  const pods5 = await podCount(page);
  rows.push([`${pods5} pods`, await measure(page, cdp)]);

  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl scale deployment api-deployment --replicas=200');
  await input.press('Enter');
  await setSpeed(page, 5);
  const t0 = Date.now();
  await page
    .locator('[data-testid="workload-api-deployment"] .wl-ready')
    .filter({ hasText: /^200\/200/ })
    .waitFor({ timeout: READY_TIMEOUT });
  console.log(`200 replicas ready after ${((Date.now() - t0) / 1000).toFixed(1)} s of real time at 5×`);
  await setSpeed(page, 1);
  await page.waitForTimeout(1000);
  const pods200 = await podCount(page);
  rows.push([`${pods200} pods`, await measure(page, cdp)]);
  heap200 = await heap(page, cdp);
  await context.close();
} finally {
  await browser.close();
  server.close();
}

const head = ['case', 'frames', 'fps', 'median ms', 'p95 ms', 'max ms', '>50 ms', 'busy ms/s', 'script', 'style', 'layout'];
const body = rows.map(([name, s]) => [
  name,
  String(s.frames),
  s.fps.toFixed(1),
  s.median.toFixed(1),
  s.p95.toFixed(1),
  s.max.toFixed(1),
  String(s.over50),
  s.task.toFixed(0),
  s.script.toFixed(0),
  s.style.toFixed(0),
  s.layout.toFixed(0),
]);
const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
console.log(
  `\nFrames of ${DIST}/ in headless Chromium (no GPU), ${SECONDS} s at 1× with traffic running, 1280×720\n`,
);
console.log(line(head));
console.log(w.map((n) => '-'.repeat(n)).join('  '));
body.forEach((r) => console.log(line(r)));
console.log('\nbusy ms/s: main-thread task time per second of the window (script, style, layout are parts of it).');
console.log('Headless Chromium without a GPU on a shared 2-core machine is a pessimistic measure.');
if (heap200) {
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  console.log(`Heap at ${rows.at(-1)[0]}: ${mb(heap200.total)} (JS ${mb(heap200.js)} + wasm memory ${mb(heap200.wasm)})`);
}
if (process.env.BENCH_JSON) {
  const out = { cases: rows.map(([name, s]) => ({ name, ...s })), heap200 };
  writeFileSync(process.env.BENCH_JSON, JSON.stringify(out, null, 2));
}
