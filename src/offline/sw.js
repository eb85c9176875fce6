// Service Lab's service worker: the site works offline after the first visit.
//
// `scripts/offline-build.mjs` (a Trunk post-build hook) writes this file into dist/ with the
// build's asset list and a version derived from their contents (the same version is written
// into the build's index.html as <meta name="svclab-build">). Install caches every asset of that
// build in one cache named after the version. A page is always one whole build, never half-old:
// - a page load asks the network first (a few seconds at most): the index.html it gets is this
//   cached build's (then the page runs from the cache) or a newer build's (then the page and
//   everything it loads come from the network, while the new build's worker installs in the
//   background); with no network, the cached build's page;
// - a page keeps being served from the cache of the build it was loaded from (it says which
//   when it starts), even after a newer build took over;
// - the page compares its build with the worker's and shows an "updated" note when it is newer
//   than the one seen before (src/web.js: registerOffline). Nothing leaves the origin.
const VERSION = '__SVCLAB_VERSION__';
const ASSETS = __SVCLAB_ASSETS__;
const CACHE = `svclab-${VERSION}`;

// With Save-Data the editor bundle is not fetched ahead of use (src/web.js,
// editorPrefetchAllowed): nor is it cached at install. Opened, it comes from the network
// (the fetch handler falls back to it); offline, the textarea stays.
const SAVE_DATA = Boolean(self.navigator.connection?.saveData);

self.addEventListener('install', (event) => {
  // Take over as soon as installed (not inside waitUntil: the install must not wait on it).
  self.skipWaiting();
  const assets = ASSETS.filter((a) => !(SAVE_DATA && /(^|\/)editor\//.test(a)));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(assets.map((a) => new Request(a, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  // Older builds' caches stay until a page of this build says it runs (message 'svclab:cleanup'):
  // a page of the previous build still loading during the switch keeps finding its own files.
  event.waitUntil(self.clients.claim());
});

// Where each open page's files come from (client id -> a cache name, or NETWORK for a page of a
// build newer than every cache): set when this worker answers the page load, or learnt from the
// page's 'svclab:version' message (a page loaded under an older worker): an old page's lazily
// loaded files (the editor) stay of its build.
const PAGE_CACHE = new Map();
const NETWORK = 'network';
// How long a page load waits for the network before the cached build answers.
const NAVIGATION_TIMEOUT_MS = 4000;

async function cacheOfPage(pageUrl) {
  for (const name of await caches.keys()) {
    if (name.startsWith('svclab-') && (await (await caches.open(name)).match(pageUrl))) return name;
  }
  return NETWORK;
}

/** A page load: the network's index.html if it answers in time (the cached copy when it is the
 *  same build), else the cached build's. */
async function navigate(event, scope) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(scope.href);
  let net = null;
  try {
    net = await Promise.race([
      fetch(event.request),
      new Promise((_, fail) => setTimeout(() => fail(new Error('timeout')), NAVIGATION_TIMEOUT_MS)),
    ]);
  } catch {}
  if (net && net.type === 'opaqueredirect') return net;
  if (net && net.ok) {
    const same = cached && (await cached.clone().text()) === (await net.clone().text());
    PAGE_CACHE.set(event.resultingClientId, same ? CACHE : NETWORK);
    return same ? cached : net;
  }
  PAGE_CACHE.set(event.resultingClientId, CACHE);
  return cached || net || Response.error();
}

self.addEventListener('message', (event) => {
  const data = event.data ?? {};
  if (data.type === 'svclab:version') {
    // A page this worker did not load tells which build it is (its wasm's address).
    if (data.page && event.source && !PAGE_CACHE.has(event.source.id)) {
      event.waitUntil(cacheOfPage(data.page).then((name) => PAGE_CACHE.set(event.source.id, name)));
    }
    const answer = { type: 'svclab:version', version: VERSION };
    if (event.ports[0]) event.ports[0].postMessage(answer);
    else event.source?.postMessage(answer);
  }
  if (data === 'svclab:cleanup' && self.registration.active === self) {
    // Sent by a page of this build once it runs: older builds' pages are gone or reloading.
    event.waitUntil(
      caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('svclab-') && k !== CACHE).map((k) => caches.delete(k)))),
    );
  }
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  // A page load (any query: ?lang=, ?m=, ?lesson=) is one index.html: the network's or this
  // build's. A file is of the page's build: from its cache, or from the network for a page of a
  // build newer than every cache (the cache only when the network is gone).
  if (req.mode === 'navigate') {
    event.respondWith(navigate(event, scope));
    return;
  }
  const key = url.origin + url.pathname;
  event.respondWith(
    (async () => {
      const from = PAGE_CACHE.get(event.clientId) ?? CACHE;
      if (from === NETWORK) return fetch(req).catch(async () => (await caches.match(key)) || Response.error());
      return (await (await caches.open(from)).match(key)) || fetch(req);
    })(),
  );
});
