#!/usr/bin/env node
// Browser benchmark of the release build in dist/ (run by `./lab bench`).
// Serves dist/ on a free 127.0.0.1 port and loads it RUNS times in headless Chromium,
// each time in a fresh browser context (empty cache: a first visit). Reports, as the
// median over the runs, milliseconds from navigation start to:
//   - DOMContentLoaded and load (Navigation Timing),
//   - `[data-testid="app"]` in the DOM (the app mounted),
//   - the first `[data-testid="answer-headless-service"]` containing "Address" on screen
//     (recorded in the first animation frame after a MutationObserver sees it).
// Also prints the bundle sizes. Options: RUNS=7, BENCH_TIMEOUT_MS=15000, CHROMIUM=/usr/bin/chromium.
import { chromium } from '@playwright/test';
import { serveDist } from './serve-dist.mjs';
import { measure, table } from './size-report.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const TIMEOUT = Number(process.env.BENCH_TIMEOUT_MS ?? 15000);
const ANSWER = '[data-testid="answer-headless-service"]';

// Runs in the page before any of its scripts: timestamps (performance.now(), i.e. ms
// since navigation start) of the first moment each milestone is in the DOM / on screen.
const probe = ({ answer }) => {
  const marks = (window.__svclabBench = {});
  const check = () => {
    if (marks.app === undefined && document.querySelector('[data-testid="app"]')) marks.app = performance.now();
    if (marks.answerSeen === undefined) {
      const el = [...document.querySelectorAll(answer)].find((e) => e.textContent.includes('Address'));
      if (el) {
        marks.answerSeen = performance.now();
        requestAnimationFrame(() => (marks.answer = performance.now()));
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
};

const ms = (x) => (typeof x === 'number' ? `${x.toFixed(1)} ms` : 'not seen');
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const server = await serveDist({ dir: 'dist', port: 0, quiet: true });
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

const runs = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.addInitScript(probe, { answer: ANSWER });
    await page.goto(url, { waitUntil: 'load' });
    await page
      .waitForFunction(() => window.__svclabBench.answer !== undefined, null, { timeout: TIMEOUT })
      .catch(() => {}); // reported as "not seen" below
    const r = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, ...window.__svclabBench };
    });
    runs.push(r);
    console.log(
      `run ${i + 1}/${RUNS}: app ${ms(r.app)}, answer ${ms(r.answer)}`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

const rows = [
  ['DOMContentLoaded', 'dcl'],
  ['load event', 'load'],
  ['[data-testid="app"] in DOM', 'app'],
  ['headless-service answer with "Address" on screen', 'answer'],
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
console.log(`\nBundle sizes of dist/\n\n${table(measure('dist')).text}`);
