#!/usr/bin/env node
// Trunk post-build hook (Trunk.toml [[hooks]]): finishes dist/ for static hosting.
//
// 1. sw.js: the service worker (src/offline/sw.js) with this build's asset list and a version
//    hashed from their contents, so a new build is a new worker and an unchanged build is not;
//    the same version in index.html's <meta name="svclab-build">.
// 2. Precompressed siblings: NAME.gz and NAME.br of every text/wasm asset, for hosts that serve
//    them (nginx gzip_static/brotli_static, Netlify, `./lab serve`); see docs/EMBEDDING.md.
//
// Runs in Trunk's staging directory (TRUNK_STAGING_DIR); `node scripts/offline-build.mjs DIR`
// runs it on a finished dist/ by hand.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('offline-build: no directory (run as a Trunk hook, or pass dist/)');
  process.exit(2);
}
const root = fileURLToPath(new URL('../', import.meta.url));

function walk(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const COMPRESS = /\.(wasm|js|mjs|css|html|svg|json|webmanifest|txt)$/;
const files = walk(dir)
  .filter((p) => !/\.(gz|br)$/.test(p) && !p.endsWith(`${sep}sw.js`))
  .sort();

const hash = createHash('sha256');
const assets = ['./'];
for (const p of files) {
  const rel = relative(dir, p).split(sep).join('/');
  hash.update(rel).update('\0').update(readFileSync(p));
  assets.push(`./${rel}`);
}
const version = hash.digest('hex').slice(0, 16);
// The page says which build it is (src/web.js compares it with the worker's): the version goes
// into index.html's <meta name="svclab-build">, hashed above with its placeholder.
const index = join(dir, 'index.html');
writeFileSync(index, readFileSync(index, 'utf8').replace('__SVCLAB_BUILD__', version));
for (const p of files) {
  const body = readFileSync(p);
  if (COMPRESS.test(p) && body.length >= 1024) {
    writeFileSync(`${p}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(`${p}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}
const sw = readFileSync(join(root, 'src/offline/sw.js'), 'utf8')
  .replace('__SVCLAB_VERSION__', version)
  .replace('__SVCLAB_ASSETS__', JSON.stringify(assets));
writeFileSync(join(dir, 'sw.js'), sw);
console.log(`offline-build: sw.js version ${version}, ${assets.length} assets cached; .gz/.br written`);
