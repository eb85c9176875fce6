// Service Lab's service worker: the site works offline after the first visit.
//
// `scripts/offline-build.mjs` (a Trunk post-build hook) writes this file into dist/ with the
// build's asset list and a version derived from their contents. Install caches every asset of
// that build in one cache named after the version; every request is then answered from that
// cache, so a page is always one whole build, never half-old: a page keeps being served from the
// cache of the build it was loaded from (it says which when it starts), even after a newer build
// took over. A new build (a new sw.js) installs and takes over at once; a page of the old build
// that is loading at that moment reloads once onto the new one, and the first page of the new
// build shows an "updated" note (src/web.js: registerOffline). Nothing leaves the origin.
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

const OWN = new Set(ASSETS.map((a) => new URL(a, self.registration.scope).href));

// Which build's cache serves each open page (client id -> cache name), learnt from the page's
// 'svclab:version' message: an old page's lazily loaded files (the editor) stay of its build.
const PAGE_CACHE = new Map();

async function cacheOfPage(pageUrl) {
  for (const name of await caches.keys()) {
    if (name.startsWith('svclab-') && (await (await caches.open(name)).match(pageUrl))) return name;
  }
  return CACHE;
}

self.addEventListener('message', (event) => {
  const data = event.data ?? {};
  if (data.type === 'svclab:version') {
    if (data.page && event.source) event.waitUntil(cacheOfPage(data.page).then((name) => PAGE_CACHE.set(event.source.id, name)));
    // Is the asking page one of this build's pages (its wasm is one of our assets)?
    const answer = { type: 'svclab:version', version: VERSION, ownPage: !data.page || OWN.has(data.page) };
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
  // A page load (any query: ?lang=, ?m=, ?lesson=) is this build's one index.html; a file is
  // this build's, or an older build's while a page of that build is still being replaced.
  const key = req.mode === 'navigate' ? scope.href : url.origin + url.pathname;
  event.respondWith(
    (async () => {
      const cache = await caches.open(req.mode === 'navigate' ? CACHE : PAGE_CACHE.get(event.clientId) ?? CACHE);
      return (await cache.match(key)) || fetch(req);
    })(),
  );
});
