#!/usr/bin/env node
// Tiny zero-dependency static server for Trunk's dist/ (used by `./lab serve`,
// the Playwright journeys and the browser benchmark). Binds 127.0.0.1 only.
//
//   node scripts/serve-dist.mjs [--dir dist] [--port 8080] [--base /sub/path/]
//
// --base serves dist/ under a sub-path, as a docs site would host it. The default build uses
// relative asset URLs (Trunk.toml `public_url = "./"`), so the same dist/ works at any path;
// `/sub` redirects to `/sub/` as static hosts do, so those relative URLs resolve.
// Paths without a file extension fall back to index.html (client-side routes).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

// The site's Content-Security-Policy, sent with every response (as docs/EMBEDDING.md asks hosts
// to): the same policy as index.html's <meta>, which e2e/csp.spec.ts checks. No inline script or
// style; 'wasm-unsafe-eval' compiles the wasm. `frame-ancestors` is left out on purpose: docs
// sites embed the lab in an iframe.
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

/** Start serving `dir`; resolves to the listening http.Server. Port 0 picks a free port.
 *  `dir` may be a function, asked on each request (a journey switches builds under one URL). */
export function serveDist({ dir = 'dist', port = 8080, base = '/', host = '127.0.0.1', quiet = false } = {}) {
  const rootNow = () => resolve(typeof dir === 'function' ? dir() : dir);
  const prefix = base.endsWith('/') ? base : `${base}/`;
  // Links carry state in the query (`m=`, `j=`, `lessontext=`): up to the page's own link limit
  // (src/url_state.rs), more than Node's default 16 KiB of request head. Static hosts need the
  // same (nginx: `large_client_header_buffers`, docs/EMBEDDING.md).
  const server = createServer({ maxHeaderSize: 256 * 1024 }, async (req, res) => {
    const root = rootNow();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = decodeURIComponent(url.pathname);
    if (prefix !== '/' && path === prefix.slice(0, -1)) {
      res.writeHead(301, { location: `${prefix}${url.search}` });
      return res.end();
    }
    if (!path.startsWith(prefix)) return send(res, 404, 'text/plain', 'not found\n');
    path = normalize(path.slice(prefix.length));
    let file = join(root, path);
    if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'text/plain', 'forbidden\n');
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    } catch {
      if (extname(path) !== '') return send(res, 404, 'text/plain', 'not found\n');
      file = join(root, 'index.html'); // client-side route
    }
    try {
      const type = MIME[extname(file)] ?? 'application/octet-stream';
      // Precompressed siblings (scripts/offline-build.mjs), as nginx's brotli_static/gzip_static
      // serve them: brotli when the browser takes it, then gzip, else the file itself.
      const accept = String(req.headers['accept-encoding'] ?? '');
      let body = null;
      let encoding = null;
      for (const [enc, ext] of [['br', '.br'], ['gzip', '.gz']]) {
        if (body || !new RegExp(`\\b${enc}\\b`).test(accept)) continue;
        try {
          body = await readFile(file + ext);
          encoding = enc;
        } catch {}
      }
      body ??= await readFile(file);
      const headers = {
        'content-type': type,
        'content-length': body.length,
        'cache-control': 'no-cache',
        vary: 'accept-encoding',
        'content-security-policy': CSP,
      };
      if (encoding) headers['content-encoding'] = encoding;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      send(res, 404, 'text/plain', 'not found\n');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      if (!quiet) console.log(`serving ${rootNow()} at http://${host}:${server.address().port}${prefix}`);
      ok(server);
    });
  });
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  await serveDist({
    dir: opt('dir', 'dist'),
    port: Number(opt('port', process.env.PORT ?? 8080)),
    base: opt('base', '/'),
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
}
