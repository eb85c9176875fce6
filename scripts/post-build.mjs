#!/usr/bin/env node
// Trunk's one post-build hook (Trunk.toml). Trunk starts the hooks of a stage all at once, so
// the steps that must follow each other run here, one after the other:
// 1. scripts/csp-build.mjs fits index.html to the strict Content-Security-Policy (Trunk's inline
//    loader into a file, no integrity on preloads; fails on anything inline);
// 2. scripts/prerender.mjs writes the default scenario's first screen into index.html;
// 3. scripts/offline-build.mjs, last: the service worker's asset list and content hash, and the
//    precompressed .gz/.br siblings, of the finished files (index.html included).
// Each can also be run alone on a finished dist/: `node scripts/<step>.mjs dist`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

for (const step of ['csp-build.mjs', 'prerender.mjs', 'offline-build.mjs']) {
  const script = fileURLToPath(new URL(step, import.meta.url));
  const run = spawnSync(process.execPath, [script, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`post-build: ${step} failed (${run.status ?? run.signal})`);
    process.exit(run.status || 1);
  }
}
