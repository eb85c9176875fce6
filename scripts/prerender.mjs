#!/usr/bin/env node
// Trunk post-build hook (Trunk.toml [[hooks]], before scripts/offline-build.mjs): the default
// scenario's first screen, rendered by the app itself and written into index.html, so the
// cluster drawing, both DNS answers, the hint and the lesson picker are on screen before the
// wasm arrives (docs/PIPELINE.md "The first screen from HTML").
//
// 1. Serves the staged build on a free 127.0.0.1 port and opens it in headless Chromium with
//    the page's timers frozen (Playwright's clock: requestAnimationFrame, setTimeout and
//    performance.now never move), so what is captured is exactly the app's first frame: the
//    scenario at simulated time 0, before the playback clock runs a tick.
// 2. Captures the skip link and `<main>` for en and zh-CN at each width in WIDTHS. The cluster
//    drawing is laid out for the panel's width (src/panels/cluster.rs `layout`), so it is kept
//    once per width (style/main.css shows the one for the viewport); everything else must be
//    the same at every width, and is checked.
// 3. Makes the markup inert for the page before the app runs: no `style` attributes (the CSP
//    allows none), hidden workbench panes dropped (they take no room), `data-testid` renamed
//    `data-pre` (tests and the app find only live elements), ids prefixed per copy (no
//    duplicates; references rewritten).
// 4. Writes `<div id="prerender">` as the first child of <body> and marks <html
//    data-prerendered>; public/boot.js picks the language (or the loading frame, for a link
//    with state), and the app removes the copy when it mounts (src/lib.rs).
//
// Without Chromium or Playwright it prints why and leaves index.html as it is (the page then
// shows its loading frame until the app mounts): a plain `trunk build` still works.
//   node scripts/prerender.mjs [DIR]   (DIR: TRUNK_STAGING_DIR when run by Trunk, or dist/)
// Options: CHROMIUM=/usr/bin/chromium, SVCLAB_PRERENDER=0 (skip), SVCLAB_PRERENDER=1 (also in a
// debug build, which skips it otherwise: `trunk serve` rebuilds on every save).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serveDist } from './serve-dist.mjs';
import { ARGS, CHROMIUM } from './chromium.mjs';

/** The widths captured; style/main.css shows each for a range of viewport widths. */
export const WIDTHS = [
  // Phones (one column; the drawing at 0.85 scale, the phone layout): small ones below 375 px,
  // then the rest.
  { name: 'small', width: 360, height: 780 },
  { name: 'narrow', width: 390, height: 844 },
  // One column from 664 px and two from 1000 px: from 1230 px to 1700 px, and from 664 px to
  // 916 px in one column, the panel is 612..864 px wide and the drawing is 720 units wide at any
  // of these widths (cluster.rs `target_scale`), so this one copy is exact for all of them.
  { name: 'mid', width: 1280, height: 720 },
  // Two columns from 1000 px to 1230 px: the cluster panel is under 612 px, the drawing at 0.85.
  { name: 'laptop', width: 1100, height: 800 },
  // Wide screens (the cluster column takes 1.6 parts of 2.6 from 1800 px).
  { name: 'wide', width: 1920, height: 1080 },
];
export const LANGS = ['en', 'zh-CN'];

function skip(why) {
  console.log(`prerender: skipped (${why}); the page shows its loading frame until the app mounts`);
  process.exit(0);
}

/** In the page: the first screen as the app drew it, made inert (see 3. above). */
function captureInPage({ prefix }) {
  const body = document.body.cloneNode(true);
  // Only the app: Trunk's scripts, the loading frame and an older pre-render stay out.
  for (const el of body.querySelectorAll('script, #loading, #prerender')) el.remove();
  for (const n of [...body.childNodes]) if (n.nodeType === Node.COMMENT_NODE && n.data === '/prerender') n.remove();
  // Parts the app hides (the `hidden` attribute: the workbench's other panes, closed menus)
  // take no room: drop them (found on the live page, mirrored in the clone by walking both
  // trees in step). What CSS hides at some widths only (the brand on a phone) stays: the same
  // markup serves every width and the stylesheet hides it there, as in the app.
  const walk = (a, b) => {
    const ac = [...a.children].filter((e) => !e.matches('script, #loading, #prerender'));
    const bc = [...b.children];
    for (let i = 0; i < ac.length && i < bc.length; i++) {
      if (ac[i].hidden) {
        bc[i].setAttribute('data-pre-drop', '');
      } else {
        walk(ac[i], bc[i]);
      }
    }
  };
  walk(document.body, body);
  for (const el of body.querySelectorAll('[data-pre-drop]')) el.remove();
  // What a form control shows is a property, not in the markup: write it as attributes.
  const liveControls = [...document.body.querySelectorAll('input, select, textarea')].filter(
    (e) => !e.closest('script, #loading, #prerender'),
  );
  // The clone's controls are the live ones outside the dropped parts, in the same order.
  const kept = liveControls.filter((e) => {
    for (let a = e; a && a !== document.body; a = a.parentElement) if (a.hidden) return false;
    return true;
  });
  const clonedControls = [...body.querySelectorAll('input, select, textarea')];
  if (kept.length !== clonedControls.length) throw new Error(`form controls: ${kept.length} live, ${clonedControls.length} copied`);
  clonedControls.forEach((c, i) => {
    const live = kept[i];
    if (c.tagName === 'INPUT' && (c.type === 'checkbox' || c.type === 'radio')) c.toggleAttribute('checked', live.checked);
    else if (c.tagName === 'INPUT') c.setAttribute('value', live.value);
    else if (c.tagName === 'TEXTAREA') c.textContent = live.value;
    else [...c.options].forEach((o, j) => o.toggleAttribute('selected', j === live.selectedIndex));
  });
  // Nothing inline for the CSP. A client's colour (`--c: var(--client-N)`) becomes `data-c="N"`
  // (style/main.css has the rules); anything else is dropped, and said.
  const dropped = new Set();
  for (const el of body.querySelectorAll('[style]')) {
    const style = el.getAttribute('style').trim().replace(/;$/, '');
    const colour = style.match(/^--c:\s*var\(--client-(\d+)\)$/);
    if (colour) el.setAttribute('data-c', colour[1]);
    else dropped.add(`${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} style="${style}"`);
    el.removeAttribute('style');
  }
  // No test ids (the live app's are the ones to find).
  for (const el of body.querySelectorAll('[data-testid]')) {
    el.setAttribute('data-pre', el.getAttribute('data-testid'));
    el.removeAttribute('data-testid');
  }
  // Ids unique per copy, and every reference to them.
  const ids = new Set([...body.querySelectorAll('[id]')].map((e) => e.id));
  const ren = (id) => (ids.has(id) ? `${prefix}${id}` : id);
  for (const el of body.querySelectorAll('*')) {
    for (const attr of [...el.attributes]) {
      const n = attr.name;
      let v = attr.value;
      if (n === 'id') v = ren(v);
      else if (['for', 'aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'headers', 'list'].includes(n))
        v = v.split(/\s+/).map(ren).join(' ');
      else if ((n === 'href' || n === 'xlink:href') && v.startsWith('#')) v = `#${ren(v.slice(1))}`;
      else if (v.includes('url(#')) v = v.replace(/url\(#([^)]+)\)/g, (_, id) => `url(#${ren(id)})`);
      if (v !== attr.value) el.setAttribute(n, v);
    }
  }
  const wrap = body.querySelector('.svg-wrap');
  const drawing = wrap ? wrap.innerHTML : null;
  if (wrap) wrap.innerHTML = '<!--drawing-->';
  return { shell: body.innerHTML.trim(), drawing, dropped: [...dropped] };
}

async function capture(browser, url, lang, w) {
  const context = await browser.newContext({
    viewport: { width: w.width, height: w.height },
    locale: lang,
    colorScheme: 'light',
    reducedMotion: 'no-preference',
    serviceWorkers: 'block',
  });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Timers frozen from the start: the app mounts, its effects run (microtasks, resize
    // observers), but the playback clock's first animation frame never comes.
    await page.clock.install({ time: new Date('2026-01-01T00:00:00Z') });
    await page.clock.pauseAt(new Date('2026-01-01T00:00:01Z'));
    await page.goto(url);
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="answer-headless-service"]')].some((e) => e.textContent.includes('Address')),
      null,
      { timeout: 60_000, polling: 50 },
    );
    // Let the mount's effects and the drawing's resize observation settle (real time).
    let last = '';
    for (let i = 0; i < 20; i++) {
      await page.waitForTimeout(100);
      const now = await page.evaluate(() => document.querySelector('main')?.outerHTML ?? '');
      if (now === last) break;
      last = now;
    }
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    const prefix = `pre-${lang === 'en' ? 'en' : 'zh'}-`;
    return await page.evaluate(captureInPage, { prefix });
  } finally {
    await context.close();
  }
}

/** Ids defined inside one drawing copy get the width in their prefix too (gradients, markers),
 *  and so do the references to them. */
function drawingFor(html, lang, w) {
  const prefix = `pre-${lang === 'en' ? 'en' : 'zh'}-`;
  const own = `${prefix}${w.name}-`;
  const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
  for (const id of ids) {
    const bare = id.slice(prefix.length).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    html = html.replace(new RegExp(`${prefix}${bare}(?=["\\s)])`, 'g'), `${own}${id.slice(prefix.length)}`);
  }
  return html;
}

export async function prerender(dir) {
  const index = join(dir, 'index.html');
  // A finished dist/ may hold an earlier copy: start from the page without it.
  const original = readFileSync(index, 'utf8').replace(/<div id="?prerender"?[\s\S]*<!--\/prerender-->/, '');
  writeFileSync(index, original);
  const { chromium } = await import('@playwright/test');
  const server = await serveDist({ dir, port: 0, quiet: true });
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const copies = [];
  try {
    for (const lang of LANGS) {
      let shell = null;
      const drawings = [];
      for (const w of WIDTHS) {
        const c = await capture(browser, url, lang, w);
        if (c.drawing === null) throw new Error(`no cluster drawing (.svg-wrap) at ${w.width} px in ${lang}`);
        if (shell !== null && c.shell !== shell) {
          let at = 0;
          while (at < shell.length && shell[at] === c.shell[at]) at++;
          const around = (s) => JSON.stringify(s.slice(Math.max(0, at - 120), at + 120));
          throw new Error(
            `the first screen differs between widths outside the cluster drawing (${lang}, ${w.width} px) at character ${at}:\n` +
              `  before: ${around(shell)}\n  here:   ${around(c.shell)}`,
          );
        }
        shell = c.shell;
        for (const d of c.dropped) console.warn(`prerender: warning: an inline style the CSP forbids was left out: ${d}`);
        drawings.push(`<div class="pre-w pre-w-${w.name}">${drawingFor(c.drawing, lang, w)}</div>`);
      }
      copies.push(`<div class="pre-lang" data-lang="${lang}" lang="${lang}">${shell.replace('<!--drawing-->', drawings.join(''))}</div>`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const block = `<div id="prerender" class="prerender" aria-busy="true">${copies.join('')}</div><!--/prerender-->`;
  let html = original.replace(/<body([^>]*)>/, (m) => `${m}${block}`);
  if (!/<html[^>]*data-prerendered/.test(html)) html = html.replace(/<html\b/, '<html data-prerendered');
  writeFileSync(index, html);
  const gz = (s) => gzipSync(s, { level: 9 }).length;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `prerender: first screen in ${LANGS.join(' + ')} at ${WIDTHS.map((w) => w.width).join('/')} px written into index.html ` +
      `(+${kib(html.length - original.length)} raw, +${kib(gz(html) - gz(original))} gzip)`,
  );
}

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('prerender: no directory (run as a Trunk hook, or pass dist/)');
  process.exit(2);
}
if (process.env.SVCLAB_PRERENDER === '0') skip('SVCLAB_PRERENDER=0');
// `trunk serve` rebuilds on every save: a debug build skips the capture unless asked for.
if (process.env.TRUNK_PROFILE === 'debug' && process.env.SVCLAB_PRERENDER !== '1') {
  skip('a debug build; release builds get it, or set SVCLAB_PRERENDER=1');
}
if (!existsSync(CHROMIUM)) skip(`no Chromium at ${CHROMIUM}; set CHROMIUM to use another`);
try {
  await import('@playwright/test');
} catch {
  skip('no Playwright in node_modules: run npm ci');
}
await prerender(dir);
