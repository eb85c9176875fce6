// Runs in <head>, before the body is parsed and before first paint (a small external script:
// the Content-Security-Policy allows no inline script). It decides what the first paint shows:
//
// - `<html data-boot="en|zh-CN">`: the pre-rendered first screen of the default scenario in
//   that language (scripts/prerender.mjs wrote both into index.html; style/main.css shows one).
//   Only for a link without state: nothing but `lang=` and a valid `theme=` in the query.
// - no `data-boot`: the bilingual loading frame (a link with manifests, a journal, a lesson, a
//   scenario, a seed, an embed, presenter mode, traffic settings, ...): never a wrong cluster.
//
// It also sets `lang` and `data-theme` as the app will (src/lib.rs `apply_theme`,
// src/i18n.rs `Lang::from_browser`), so neither flips when the app takes over.
(function () {
  var root = document.documentElement;
  var lang = null;
  var theme = null;
  var plain = true;
  var embed = false;
  var query = location.search.replace(/^\?/, '');
  query.split('&').forEach(function (kv) {
    if (!kv) return;
    var at = kv.indexOf('=');
    var key = at < 0 ? kv : kv.slice(0, at);
    var value = at < 0 ? '' : kv.slice(at + 1);
    if (key === 'lang') lang = value;
    else if (key === 'theme' && (value === 'light' || value === 'dark')) theme = value;
    else {
      if (key === 'embed' && (value === '1' || value === 'true')) embed = true;
      plain = false; // state the default first screen does not show (or a problem to report)
    }
  });
  // Personal preferences are never read in an embed (src/lib.rs `storage_get`).
  var stored = function (key) {
    if (embed) return null;
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null; // storage disabled: the app reads nothing either
    }
  };
  // "Explore the sandbox" chosen earlier: the lesson row is a different one.
  if (stored('svclab.sandbox') === '1') plain = false;
  if (lang === null) lang = navigator.language || '';
  var tag = lang.toLowerCase().indexOf('zh') === 0 ? 'zh-CN' : 'en';
  if (theme === null) {
    var s = stored('svclab.theme');
    if (s === 'light' || s === 'dark') theme = s;
  }
  if (theme === null) theme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  root.setAttribute('lang', tag);
  root.setAttribute('data-theme', theme);
  if (plain) root.setAttribute('data-boot', tag);
})();
