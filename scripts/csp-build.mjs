#!/usr/bin/env node
// Trunk post-build hook (Trunk.toml [[hooks]], before offline-build.mjs): makes the built
// index.html run under the site's strict Content-Security-Policy
//
//   script-src 'self' 'wasm-unsafe-eval'; style-src 'self'   (docs/EMBEDDING.md)
//
// 1. Trunk 0.21 starts the app with an inline `<script type="module">` (import the wasm-bindgen
//    glue, `init` the wasm). An inline script needs 'unsafe-inline' or a hash; this moves each
//    inline module script into its own file, `loader-<hash>.js` beside the glue (a new build with
//    a new glue name gets a new loader name, so hosts may cache it forever like the rest), and
//    points the tag at it. Relative imports in it resolve against its own URL, which is in the
//    same directory as the page's assets, so they still find the glue.
// 2. The `integrity` attribute of Trunk's preload links: wasm-bindgen fetches the wasm without
//    an integrity value, so the preloaded response did not match the request and Chromium said
//    at every load that the preload was unused. Same-origin files gain nothing from it.
// 3. Fails the build if an inline script, a `style=` attribute or a `<style>` element is left.
//
// Runs in Trunk's staging directory (TRUNK_STAGING_DIR); `node scripts/csp-build.mjs DIR` runs
// it on a finished dist/ by hand (then run offline-build.mjs again: it lists every file).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('csp-build: no directory (run as a Trunk hook, or pass dist/)');
  process.exit(2);
}
const publicUrl = process.env.TRUNK_PUBLIC_URL || './';
const base = publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
const indexPath = join(dir, 'index.html');
let html = readFileSync(indexPath, 'utf8');

let moved = 0;
html = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi, (tag, attrs, body) => {
  if (/\bsrc\s*=/i.test(attrs) || body.trim() === '') return tag;
  if (!/\btype\s*=\s*["']?module["']?/i.test(attrs)) {
    console.error(`csp-build: an inline classic script in index.html; only module loaders can be moved:\n${tag.slice(0, 200)}`);
    process.exit(1);
  }
  const code = `${body.trim()}\n`;
  const name = `loader-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
  writeFileSync(join(dir, name), code);
  moved += 1;
  return `<script type="module" src="${base}${name}"></script>`;
});

let stripped = 0;
html = html.replace(/<link\b[^>]*>/gi, (tag) => {
  if (!/\brel\s*=\s*["']?(modulepreload|preload)\b/i.test(tag)) return tag;
  return tag.replace(/\s+integrity\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, () => {
    stripped += 1;
    return '';
  });
});

const left = [
  [/<script\b(?![^>]*\bsrc\s*=)[^>]*>\s*[^<\s]/i, 'an inline <script>'],
  [/<style\b/i, 'a <style> element'],
  [/<[a-z][^>]*\sstyle\s*=/i, 'a style="…" attribute'],
  [/<[a-z][^>]*\son[a-z]+\s*=/i, 'an inline event handler (on…=)'],
].filter(([re]) => re.test(html));
if (left.length) {
  console.error(`csp-build: index.html still has ${left.map(([, what]) => what).join(', ')}: the strict CSP blocks it`);
  process.exit(1);
}
writeFileSync(indexPath, html);
console.log(`csp-build: ${moved} inline loader(s) moved to files, integrity dropped from ${stripped} preload(s)`);
