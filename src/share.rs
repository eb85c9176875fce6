//! "Share with the class": the current state link as a large QR code, drawn as SVG from a
//! pure-Rust encoder (`qrcodegen`, Nayuki's reference implementation: no dependencies, a few
//! KiB of wasm), with the link text beside it.
//!
//! A phone must read the code from the back of a room, so its modules must stay large: a link
//! that needs more than [`MAX_VERSION`] (77×77 modules) is refused with a message, and the
//! dialog offers the shorter link without the learner's edits instead.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// The largest QR version shown: 77×77 modules, about 6 px per module on a 480 px code.
pub const MAX_VERSION: u8 = 15;

/// A QR code ready to draw: `size` modules square, the dark modules as one SVG path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrSvg {
    pub size: i32,
    pub path: String,
}

/// Why a link cannot be shown as a readable code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QrProblem {
    /// Encodable, but only with modules too small to scan from afar (version > MAX_VERSION).
    TooLong { version: u8 },
    /// Beyond what any QR code holds.
    Impossible,
}

/// Encode `text` (low error correction: more room, and a projected code is not smudged).
pub fn qr(text: &str) -> Result<QrSvg, QrProblem> {
    let code = QrCode::encode_text(text, QrCodeEcc::Low).map_err(|_| QrProblem::Impossible)?;
    let version = code.version().value();
    if version > MAX_VERSION {
        return Err(QrProblem::TooLong { version });
    }
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if code.get_module(x, y) {
                // One horizontal run per path segment: far fewer nodes than one rect per module.
                let start = x;
                while x < size && code.get_module(x, y) {
                    x += 1;
                }
                path.push_str(&format!("M{} {}h{}v1h-{}z", start + 4, y + 4, x - start, x - start));
            } else {
                x += 1;
            }
        }
    }
    Ok(QrSvg { size, path })
}

/// The dialog: the code for `link` (or the message and the `fallback` link's code).
#[component]
pub fn ShareDialog(
    /// The full state link (edits, journal, lesson and step).
    link: String,
    /// The same place without the edits (lesson and step only), offered when `link` is too long.
    fallback: Option<String>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (shown, note) = match (qr(&link), fallback) {
        (Ok(code), _) => (Some((link.clone(), code)), None),
        (Err(_), Some(short)) => match qr(&short) {
            Ok(code) => (Some((short.clone(), code)), Some("share.too-long-fallback")),
            Err(_) => (None, Some("share.too-long")),
        },
        (Err(_), None) => (None, Some("share.too-long")),
    };
    let close = move |_| on_close.run(());
    view! {
        <div class="share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-title" data-testid="share-dialog"
            on:keydown=move |ev| if ev.key() == "Escape" { on_close.run(()) }>
            <h2 id="share-title">{i18n.tr("share.title")}</h2>
            {note.map(|key| view! { <p class="share-note" role="status" data-testid="share-note">{i18n.tr(key)}</p> })}
            {shown.map(|(text, code)| {
                let view_box = format!("0 0 {} {}", code.size + 8, code.size + 8);
                view! {
                    <svg class="qr" data-testid="share-qr" viewBox=view_box role="img"
                        aria-label=i18n.tr("share.qr-label") shape-rendering="crispEdges">
                        <rect width="100%" height="100%" fill="#fff" />
                        <path d=code.path fill="#000" />
                    </svg>
                    <p class="share-text"><a href=text.clone() data-testid="share-text">{text.clone()}</a></p>
                }
            })}
            <button type="button" autofocus data-testid="share-close" on:click=close>{i18n.tr("share.close")}</button>
        </div>
    }
}
