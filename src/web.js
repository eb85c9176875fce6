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

/** Load the CodeMirror editor bundle (same origin, after first paint) and mount it over `textarea`. */
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

export async function loadEditor(textarea, onApply) {
  const mod = await import(new URL('editor/cm-editor.js', document.baseURI).href);
  return mod.mount(textarea, onApply);
}

/**
 * Offline use: register the service worker (dist/sw.js, written by scripts/offline-build.mjs).
 * A new build's worker installs in the background and takes over; a page that loaded from the
 * previous build while the switch happened reloads once onto the new one, so a page is never
 * half old and half new. Resolves to 'updated' on the first page of a new build, 'ready' when the
 * site is cached for offline use, or '' when service workers are unavailable (file://, old
 * browsers) or Save-Data is on. `remember`: whether the last build's version may be kept in localStorage (never in
 * embeds).
 */
export async function registerOffline(remember) {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return '';
  // Installing fetches the whole build again (cache: 'reload'), editor included: not with
  // Save-Data, which asks the page to fetch nothing it does not need now.
  if (navigator.connection?.saveData) return '';
  const sw = navigator.serviceWorker;
  const flag = 'svclab.updated';
  let updated = false;
  try {
    updated = sessionStorage.getItem(flag) === '1';
    sessionStorage.removeItem(flag);
  } catch {}
  const reg = await sw.register(new URL('sw.js', document.baseURI).href, {
    scope: new URL('./', document.baseURI).pathname,
  });
  // Look for a new build now (a re-registration alone does not; offline this simply fails).
  reg.update().catch(() => {});
  const wait = (ms) => new Promise((done) => setTimeout(done, ms));
  const active = (await sw.ready).active;
  const page = document.querySelector('link[href$="_bg.wasm"]')?.href ?? '';
  // A new build taking over while this page is open keeps serving it this page's own build.
  sw.addEventListener('controllerchange', () => sw.controller?.postMessage({ type: 'svclab:version', page }));
  const ask = () =>
    new Promise((done) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (e) => done(e.data);
      active.postMessage({ type: 'svclab:version', page }, [channel.port2]);
    });
  const info = await Promise.race([ask(), wait(5000).then(() => ({ ownPage: true, version: '' }))]);
  if (!info.ownPage && !updated) {
    // This page is of the previous build and the new one now answers: take the new one now.
    try {
      sessionStorage.setItem(flag, '1');
    } catch {}
    location.reload();
    return '';
  }
  active.postMessage('svclab:cleanup');
  let previous = null;
  if (remember) {
    try {
      previous = localStorage.getItem('svclab.version');
      localStorage.setItem('svclab.version', info.version);
    } catch {}
  }
  return updated || (previous && previous !== info.version) ? 'updated' : 'ready';
}
