// Browser glue the Rust side calls through wasm-bindgen (copied by Trunk as a snippet, served
// from the site's own origin). Nothing here makes a network request.

// The largest manifest text a shared link may expand to: a hostile link must not make the
// tab allocate without bound (a deflate "bomb").
const MAX_STATE_CHARS = 512 * 1024;

function toBase64Url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(code) {
  if (!/^[A-Za-z0-9_-]*$/.test(code)) throw new Error('not base64url');
  const b64 = code.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((code.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** deflate-raw, then base64url: the `m=` value of a shared link. */
export async function packState(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const buf = await new Response(stream).arrayBuffer();
  return toBase64Url(new Uint8Array(buf));
}

/** The inverse of packState; throws on anything that is not a link this app wrote. */
export async function unpackState(code) {
  const bytes = fromBase64Url(code);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (text.length > MAX_STATE_CHARS) {
      await reader.cancel();
      throw new Error('too large');
    }
  }
  return text + decoder.decode();
}

export async function copyText(text) {
  await navigator.clipboard.writeText(text);
}

/** Embed mode: tell the parent page our height whenever it changes. */
export function reportHeight() {
  let last = -1;
  const post = () => {
    const height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== last && window.parent !== window) {
      last = height;
      window.parent.postMessage({ type: 'svclab:height', height }, '*');
    }
  };
  new ResizeObserver(post).observe(document.body);
  post();
}

/** `prefers-reduced-motion: reduce`, live. */
export function reducedMotion() {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** `prefers-color-scheme: dark`. */
export function systemDark() {
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/**
 * May the editor bundle be fetched before the editor is opened? Not with Save-Data, nor on a
 * link the browser rates slow (Network Information API's effectiveType `slow-2g`, `2g`, `3g`);
 * yes where the API is missing (most non-Chromium browsers).
 */
export function editorPrefetchAllowed() {
  const c = navigator.connection;
  if (!c) return true;
  if (c.saveData) return false;
  return !['slow-2g', '2g', '3g'].includes(c.effectiveType);
}

/** Run `f` when the page is idle (requestIdleCallback, within 5 s; a 1 s timer where it is missing). */
export function whenIdle(f) {
  if (window.requestIdleCallback) window.requestIdleCallback(() => f(), { timeout: 5000 });
  else setTimeout(f, 1000);
}

/** Load the CodeMirror editor bundle (same origin; when the editor opens or the page is idle) and
 *  mount it over `textarea`. */
export async function loadEditor(textarea, onApply, options) {
  const mod = await import(new URL('editor/cm-editor.js', document.baseURI).href);
  return mod.mount(textarea, onApply, options);
}

/**
 * Offline use: register the service worker (dist/sw.js, written by scripts/offline-build.mjs).
 * A page is one whole build (see sw.js): the network's newest, or the cached one offline. This
 * page's build is its <meta name="svclab-build">; it is "updated" when the worker that answered
 * this page load is of another build (the page is newer than the cached one), or when the last
 * build this browser ran (localStorage, when `remember`; never in embeds) was another. Resolves
 * to 'updated', 'ready' (cached for offline use) or '' (no service workers: file://, old
 * browsers; or Save-Data is on: installing would fetch the whole build). Never waits on the worker's update check (offline it would hang or fail).
 */
export async function registerOffline(remember) {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return '';
  // Installing fetches the whole build again (cache: 'reload'), editor included: not with
  // Save-Data, which asks the page to fetch nothing it does not need now.
  if (navigator.connection?.saveData) return '';
  const sw = navigator.serviceWorker;
  const own = document.querySelector('meta[name="svclab-build"]')?.content ?? '';
  const build = /^[0-9a-f]{8,}$/.test(own) ? own : '';
  const page = document.querySelector('link[href$="_bg.wasm"]')?.href ?? '';
  const wait = (ms) => new Promise((done) => setTimeout(done, ms));
  /** The version of a worker, or '' when it does not answer within 3 s. */
  const versionOf = (worker) =>
    !worker
      ? Promise.resolve('')
      : Promise.race([
          new Promise((done) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = (e) => done(e.data?.version ?? '');
            worker.postMessage({ type: 'svclab:version', page }, [channel.port2]);
          }),
          wait(3000).then(() => ''),
        ]);
  // The worker that answered this page load (none on the first visit).
  const servedBy = await versionOf(sw.controller);
  const reg = await sw.register(new URL('sw.js', document.baseURI).href, {
    scope: new URL('./', document.baseURI).pathname,
  });
  // Look for a new build now (a re-registration alone does not); never awaited.
  reg.update().catch(() => {});
  // A newer build's worker taking over while this page is open keeps serving it its own build.
  sw.addEventListener('controllerchange', () => sw.controller?.postMessage({ type: 'svclab:version', page }));
  let previous = '';
  if (remember && build) {
    try {
      previous = localStorage.getItem('svclab.version') ?? '';
      localStorage.setItem('svclab.version', build);
    } catch {}
  }
  const active = (await sw.ready).active;
  // Older builds' caches go once a page of the newest build runs.
  if (build && (await versionOf(active)) === build) active.postMessage('svclab:cleanup');
  const updated = build !== '' && ((servedBy !== '' && servedBy !== build) || (previous !== '' && previous !== build));
  return updated ? 'updated' : 'ready';
}

/**
 * The banner of src/crash.rs: `texts` is [[lang, title, body, reload], …], the page's language
 * first. Plain DOM and a plain listener: it must work whatever state the wasm side is left in.
 * Shown once; the reload button is the way back.
 */
export function showCrash(texts) {
  if (document.querySelector('[data-testid="crash"]')) return;
  const box = document.createElement('div');
  box.className = 'crash';
  box.setAttribute('role', 'alert');
  box.dataset.testid = 'crash';
  for (const [lang, title, body] of texts) {
    const part = document.createElement('div');
    part.lang = lang;
    const h = document.createElement('strong');
    h.textContent = title;
    const p = document.createElement('p');
    p.textContent = body;
    part.append(h, p);
    box.append(part);
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'primary';
  button.dataset.testid = 'crash-reload';
  button.textContent = texts.map((t) => t[3]).join(' · ');
  button.addEventListener('click', () => location.reload());
  box.append(button);
  document.body.prepend(box);
  button.focus();
}
