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
export async function loadEditor(textarea, onApply) {
  const mod = await import(new URL('editor/cm-editor.js', document.baseURI).href);
  return mod.mount(textarea, onApply);
}

/**
 * Offline use: register the service worker (dist/sw.js, written by scripts/offline-build.mjs).
 * A new build's worker installs in the background and waits; on the next page load it is
 * activated and the page reloads once onto it, so a page is never half old and half new.
 * Resolves to 'updated' on the load that follows such a switch, 'ready' when the site is cached
 * for offline use, or '' when service workers are unavailable (file://, old browsers).
 */
export async function registerOffline() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return '';
  const flag = 'svclab.updated';
  let updated = false;
  try {
    updated = sessionStorage.getItem(flag) === '1';
    sessionStorage.removeItem(flag);
  } catch {}
  const reg = await navigator.serviceWorker.register(new URL('sw.js', document.baseURI).href, {
    scope: new URL('./', document.baseURI).pathname,
  });
  if (reg.waiting && navigator.serviceWorker.controller) {
    try {
      sessionStorage.setItem(flag, '1');
    } catch {}
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    reg.waiting.postMessage('svclab:activate');
    return '';
  }
  await navigator.serviceWorker.ready;
  return updated ? 'updated' : 'ready';
}
