#!/usr/bin/env node
// Bundles the CodeMirror 6 editor (src/editor/cm.js) into target/editor/cm-editor.js, which
// Trunk copies to dist/editor/. Run by ./lab before every Trunk build; npm packages only,
// nothing is fetched at run time. Prints the bundle's gzip size (outside the first-load
// budget: the app loads it after first paint).
import { build } from 'esbuild';
import { readFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outfile = `${root}target/editor/cm-editor.js`;
mkdirSync(`${root}target/editor`, { recursive: true });
await build({
  entryPoints: [`${root}src/editor/cm.js`],
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  outfile,
  legalComments: 'none',
  logLevel: 'warning',
});
const bytes = readFileSync(outfile);
console.log(`editor bundle: ${(bytes.length / 1024).toFixed(1)} KiB raw, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KiB gzip (lazy, outside the first-load budget)`);
