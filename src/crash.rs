//! When the page panics. Release builds abort on a panic (wasm has no unwinding): the Rust
//! call that panicked ends in a `RuntimeError: unreachable`, nothing it held is released, and
//! without this the page could go silently dead. The panic hook:
//!
//! - logs the panic to the console (`console_error_panic_hook`), as before;
//! - shows, once, a banner in both languages (the page's first) that says plainly what happened
//!   and that a reload brings the page back with the editor's draft (`web.js` `showCrash`: plain
//!   DOM and a plain JavaScript listener, so it works whatever state the Rust side is left in);
//! - marks the page as crashed, so the [`crate::sim::SimController`] rebuilds a lab that was
//!   out of its slot when the panic hit from the journal of what completed, instead of every
//!   later handler finding it gone.

use crate::i18n::{self, Lang};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use wasm_bindgen::prelude::*;

static CRASHED: AtomicBool = AtomicBool::new(false);
static RECOVERIES: AtomicU32 = AtomicU32::new(0);

/// How many times a lab lost to a panic is rebuilt: a panic its replay repeats must not loop.
const MAX_RECOVERIES: u32 = 3;

#[wasm_bindgen(module = "/src/web.js")]
extern "C" {
    #[wasm_bindgen(js_name = showCrash)]
    fn show_crash(texts: &js_sys::Array);
}

/// Whether a panic happened in this page.
pub fn crashed() -> bool {
    CRASHED.load(Ordering::SeqCst)
}

/// Take one of the few rebuilds of a lab lost to a panic; `false` when they are used up.
pub fn take_recovery() -> bool {
    RECOVERIES.fetch_add(1, Ordering::SeqCst) < MAX_RECOVERIES
}

/// Install the panic hook (once, before the app mounts; the component tests call it too). A
/// hook installed before (the test harness's) still runs first.
pub fn install() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        previous(info);
        console_error_panic_hook::hook(info);
        if !CRASHED.swap(true, Ordering::SeqCst) {
            show();
        }
    }));
}

/// The banner's texts, the page's language first: `[lang, title, body, reload]` each.
pub fn texts(first: Lang) -> js_sys::Array {
    let out = js_sys::Array::new();
    for lang in [first, first.other()] {
        let one = js_sys::Array::new();
        for s in [lang.tag(), i18n::t(lang, "crash.title"), i18n::t(lang, "crash.body"), i18n::t(lang, "crash.reload")]
        {
            one.push(&JsValue::from_str(s));
        }
        out.push(&one);
    }
    out
}

fn show() {
    // The page's language as the app last set it on <html lang> (read from the DOM: the app's
    // own state may be what the panic left unusable).
    let lang = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .map(|tag| if tag.starts_with("zh") { Lang::Zh } else { Lang::En })
        .unwrap_or(Lang::En);
    show_crash(&texts(lang));
}
