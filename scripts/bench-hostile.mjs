#!/usr/bin/env node
// The longest page block during hostile input (issue 13), run by `./lab bench`: each input of
// scripts/hostile.mjs (the same ones e2e/hostile.spec.ts drives) on a freshly loaded release
// build in headless Chromium; the browser's Long Tasks API records every main-thread task over
// 50 ms. Reports, per input, the longest task from the moment the input is given until the page
// has dealt with it, and how many long tasks there were. The target: no block over 100 ms
// (the load itself, wasm compile included, is reported apart).
// Options: CHROMIUM=/usr/bin/chromium, HOSTILE_RUNS=1 (the worst over the runs is reported).
import { chromium } from '@playwright/test';
import { HOSTILE, longTaskProbe, pageNow, worstLongTask } from './hostile.mjs';
import { serveDist } from './serve-dist.mjs';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 1);
const server = await serveDist({ dir: 'dist', port: 0, quiet: true });
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

const rows = [];
try {
  for (const input of HOSTILE) {
    let worst = 0;
    let count = 0;
    let load = 0;
    let took = 0;
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      await page.addInitScript(longTaskProbe);
      await page.goto(`${url}${input.query ? input.query() : '?lang=en'}`);
      await page.getByTestId('app').waitFor();
      if (!input.query) await page.getByTestId('answer-headless-service').getByText('Address 5:').waitFor();
      const loaded = await worstLongTask(page, 0);
      const t0 = await pageNow(page);
      const start = Date.now();
      await input.run(page);
      took = Math.max(took, Date.now() - start);
      const r = await worstLongTask(page, t0);
      worst = Math.max(worst, r.worst);
      count = Math.max(count, r.count);
      load = Math.max(load, loaded.worst);
      await context.close();
    }
    rows.push([input.name, `${worst.toFixed(0)} ms`, String(count), `${(took / 1000).toFixed(1)} s`, `${load.toFixed(0)} ms`]);
    console.log(`${input.name}: longest block ${worst.toFixed(0)} ms (${count} long tasks), done in ${(took / 1000).toFixed(1)} s`);
  }
} finally {
  await browser.close();
  server.close();
}

const head = ['hostile input', 'longest block', 'long tasks', 'done in', 'longest at load'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
console.log(`\nLongest main-thread block (Long Tasks API) while the page deals with hostile input, headless Chromium\n`);
console.log(line(head));
console.log(w.map((n) => '-'.repeat(n)).join('  '));
rows.forEach((r) => console.log(line(r)));
const overall = Math.max(...rows.map((r) => Number.parseFloat(r[1])));
console.log(`\nWorst over all hostile inputs: ${overall} ms (target: 100 ms)`);
