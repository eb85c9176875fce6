#!/usr/bin/env node
// Browser benchmark of the release build in dist/ (run by `./lab bench`).
// Serves dist/ on a free 127.0.0.1 port and loads it RUNS times in headless Chromium,
// each time in a fresh browser context (empty cache: a first visit). Reports, as the
// median over the runs, milliseconds from navigation start to:
//   - first paint and first contentful paint (Paint Timing),
//   - DOMContentLoaded and load (Navigation Timing),
//   - the first headless-service answer containing "Address" on screen: the pre-rendered copy's
//     (`[data-pre=...]`, scripts/prerender.mjs) or the app's (`[data-testid=...]`), whichever is
//     shown first (recorded in the first animation frame after a MutationObserver sees it, once
//     it is rendered: not inside `display: none`),
//   - `[data-testid="app"]` in the DOM (the app mounted) and the app's own answer on screen.
// Also prints the bundle sizes. Options: RUNS=7, BENCH_TIMEOUT_MS=15000, CHROMIUM=/usr/bin/chromium,
// BENCH_DIR=dist (another build to compare).
import { chromium } from '@playwright/test';
import { serveDist } from './serve-dist.mjs';
import { measure, table } from './size-report.mjs';
import { ARGS, CHROMIUM } from './chromium.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const TIMEOUT = Number(process.env.BENCH_TIMEOUT_MS ?? 15000);
const ANSWER = 'answer-headless-service';
const DIR = process.env.BENCH_DIR ?? 'dist';

// Runs in the page before any of its scripts: timestamps (performance.now(), i.e. ms
// since navigation start) of the first moment each milestone is in the DOM / on screen.
const probe = ({ answer }) => {
  const marks = (window.__svclabBench = {});
  const shown = (el) => el.checkVisibility() && el.textContent.includes('Address');
  const check = () => {
    if (marks.app === undefined && document.querySelector('[data-testid="app"]')) marks.app = performance.now();
    // Seen in the DOM now; on screen (and still rendered) at the next frame.
    const frame = (key, selector) => {
      if (marks[key] !== undefined || marks[`${key}Pending`]) return;
      if (![...document.querySelectorAll(selector)].some((e) => e.textContent.includes('Address'))) return;
      marks[`${key}Pending`] = true;
      requestAnimationFrame(() => {
        marks[`${key}Pending`] = false;
        if ([...document.querySelectorAll(selector)].some(shown)) marks[key] = performance.now();
        else check();
      });
    };
    frame('answer', `[data-testid="${answer}"], [data-pre="${answer}"]`);
    frame('appAnswer', `[data-testid="${answer}"]`);
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
};

const ms = (x) => (typeof x === 'number' ? `${x.toFixed(1)} ms` : 'not seen');
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const server = await serveDist({ dir: DIR, port: 0, quiet: true });
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ARGS,
});

const runs = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.addInitScript(probe, { answer: ANSWER });
    await page.goto(url, { waitUntil: 'load' });
    await page
      .waitForFunction(() => window.__svclabBench.appAnswer !== undefined, null, { timeout: TIMEOUT })
      .catch(() => {}); // reported as "not seen" below
    const r = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
      return {
        fp: paint['first-paint'],
        fcp: paint['first-contentful-paint'],
        dcl: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        ...window.__svclabBench,
      };
    });
    // Nothing is on screen before the first contentful paint: an answer in the first frame
    // counts from when that frame was painted.
    for (const k of ['answer', 'appAnswer']) if (typeof r[k] === 'number' && typeof r.fcp === 'number') r[k] = Math.max(r[k], r.fcp);
    runs.push(r);
    console.log(
      `run ${i + 1}/${RUNS}: first contentful paint ${ms(r.fcp)}, answer ${ms(r.answer)}, app ${ms(r.app)}`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

const rows = [
  ['first paint', 'fp'],
  ['first contentful paint', 'fcp'],
  ['first DNS answer on screen (pre-rendered or live)', 'answer'],
  ['DOMContentLoaded', 'dcl'],
  ['load event', 'load'],
  ['[data-testid="app"] in DOM (mounted)', 'app'],
  ["the app's own answer on screen", 'appAnswer'],
].map(([label, key]) => {
  const xs = runs.map((r) => r[key]);
  const m = median(xs);
  const seen = xs.filter((x) => typeof x === 'number').length;
  return [label, ms(m), `${seen}/${runs.length}`];
});
const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ['milestone', 'median', 'runs'][i].length));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
console.log(`\nFirst visit of ${url} in headless Chromium, median of ${RUNS} runs (ms since navigation start)\n`);
console.log(line(['milestone', 'median', 'runs']));
console.log(w.map((n) => '-'.repeat(n)).join('  '));
rows.forEach((r) => console.log(line(r)));
console.log(`\nBundle sizes of ${DIR}/\n\n${table(measure(DIR)).text}`);
