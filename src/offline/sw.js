// Service Lab's service worker: the site works offline after the first visit.
//
// `scripts/offline-build.mjs` (a Trunk post-build hook) writes this file into dist/ with the
// build's asset list and a version derived from their contents. Install caches every asset of
// that build in one cache named after the version; every request is then answered from that
// cache, so a page is always one whole build, never half-old. A new build (a new sw.js) installs
// in the background and waits; the next load of the page activates it and reloads once onto it,
// showing an "updated" note (src/web.js: registerOffline). Nothing leaves the origin.
const VERSION = '__SVCLAB_VERSION__';
const ASSETS = __SVCLAB_ASSETS__;
const CACHE = `svclab-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(ASSETS.map((a) => new Request(a, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('svclab-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'svclab:activate') self.skipWaiting();
  if (event.data === 'svclab:version' && event.source) event.source.postMessage({ type: 'svclab:version', version: VERSION });
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  // A page load (any query: ?lang=, ?m=, ?lesson=) is this build's one index.html.
  const key = req.mode === 'navigate' ? scope.href : url.origin + url.pathname;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      return (await cache.match(key)) || fetch(req);
    })(),
  );
});
