//! Offline use: the service worker that caches this build (src/offline/sw.js, written into
//! dist/ by scripts/offline-build.mjs) and the note that says when a new version took over.
//!
//! Not in embed mode unless the host page allows it with `offline=1`: an embedded lab must not
//! install a worker on a docs site's origin behind its back.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/web.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = registerOffline)]
    async fn register_offline(remember: bool) -> Result<JsValue, JsValue>;
}

/// What the offline machinery last said: "" (nothing yet), "ready" (cached for offline use),
/// "updated" (this load switched to a new build).
#[derive(Clone, Copy)]
pub struct Offline(pub RwSignal<String>);

/// Register the worker after the app is up (it must not compete with the first load).
pub fn start(embed: bool, allowed_in_embed: bool) -> Offline {
    let state = Offline(RwSignal::new(String::new()));
    provide_context(state);
    if embed && !allowed_in_embed {
        return state;
    }
    leptos::task::spawn_local(async move {
        if let Ok(v) = register_offline(!embed).await {
            state.0.set(v.as_string().unwrap_or_default());
        }
    });
    state
}

/// "Updated to the newest version", once, after a new build took over; dismissible.
#[component]
pub fn UpdatedNote() -> impl IntoView {
    let i18n = use_i18n();
    let Some(state) = use_context::<Offline>() else { return ().into_any() };
    let dismissed = RwSignal::new(false);
    (move || {
        (state.0.get() == "updated" && !dismissed.get()).then(|| {
            view! {
                <p class="updated-note" role="status" data-testid="updated-note">
                    {i18n.tr("offline.updated")}
                    " "
                    <button type="button" on:click=move |_| dismissed.set(true)>{i18n.tr("offline.dismiss")}</button>
                </p>
            }
        })
    })
    .into_any()
}
