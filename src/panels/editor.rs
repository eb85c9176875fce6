//! The manifest editor: multi-document YAML, applied explicitly (button, Ctrl/Cmd+Enter)
//! through `svclab_core::apply::apply_text`. What was typed is never lost: the draft is kept
//! in local storage across reloads (never in embed mode), and a failed apply changes
//! nothing in the cluster. Diagnostics show line, column and a message in the UI language.

use crate::i18n::{self, tf, use_i18n};
use crate::sim::SimController;
use crate::{storage_get, storage_set, use_ui};
use leptos::html;
use leptos::prelude::*;
use svclab_core::diag::{Diagnostic, Severity};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The mounted CodeMirror view (src/editor/cm.js `mount`).
    #[derive(Clone)]
    pub type EditorHandle;
    #[wasm_bindgen(method, js_name = setText)]
    fn set_text(this: &EditorHandle, text: &str);
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    fn set_diagnostics(this: &EditorHandle, list: &js_sys::Array);
    #[wasm_bindgen(method)]
    fn goto(this: &EditorHandle, line: u32, col: u32);
}

#[wasm_bindgen(module = "/src/web.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = loadEditor)]
    async fn load_editor(textarea: &web_sys::HtmlTextAreaElement, on_apply: &JsValue) -> Result<JsValue, JsValue>;
}

/// Diagnostics as the editor's lint layer takes them.
fn to_js(lang: i18n::Lang, diags: &[Diagnostic]) -> js_sys::Array {
    let out = js_sys::Array::new();
    for d in diags.iter().filter(|d| d.pos.line > 0) {
        let o = js_sys::Object::new();
        let sev = if d.is_error() { "error" } else { "warning" };
        let _ = js_sys::Reflect::set(&o, &"line".into(), &(d.pos.line as u32).into());
        let _ = js_sys::Reflect::set(&o, &"col".into(), &(d.pos.col as u32).into());
        let _ = js_sys::Reflect::set(&o, &"severity".into(), &sev.into());
        let _ = js_sys::Reflect::set(&o, &"message".into(), &i18n::diagnostic(lang, d).into());
        out.push(&o);
    }
    out
}

const DRAFT_KEY: &str = "svclab.draft";

#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    ok: bool,
    lines: Vec<(bool, String)>,
    diagnostics: Vec<Diagnostic>,
}

#[component]
pub fn EditorPanel() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let initial = storage_get(&ui, DRAFT_KEY).unwrap_or_else(|| sim.scenario.manifests.to_string());
    let text = RwSignal::new(initial);
    let outcome = RwSignal::new(None::<Outcome>);
    let area = NodeRef::<html::Textarea>::new();
    let cm = StoredValue::new_local(None::<EditorHandle>);

    // A restored link brings its own manifests.
    Effect::new(move |_| {
        if let Some(t) = ui.editor_text.get() {
            text.set(t);
        }
    });

    let apply = move || {
        let t = text.get_untracked();
        let (report, ok) = sim.apply(&t);
        let mut lines: Vec<(bool, String)> =
            report.results.iter().filter_map(|r| r.line()).map(|l| (true, l)).collect();
        lines.extend(report.errors().into_iter().map(|e| (false, e.listed.clone())));
        let lang = i18n.lang();
        if ok {
            ui.applied.set(Some(t));
            ui.say(i18n::t(lang, "editor.applied").to_string());
        } else {
            ui.say(i18n::t(lang, "editor.failed").to_string());
        }
        if let Some(h) = cm.get_value() {
            h.set_diagnostics(&to_js(lang, &report.diagnostics));
        }
        outcome.set(Some(Outcome { ok, lines, diagnostics: report.diagnostics }));
    };

    // CodeMirror, after first paint; the textarea stays if it fails to load.
    Effect::new(move |_| {
        let Some(el) = area.get() else { return };
        set_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    let on_apply = Closure::<dyn Fn()>::new(apply).into_js_value();
                    if let Ok(h) = load_editor(&el, &on_apply).await {
                        cm.set_value(Some(h.unchecked_into()));
                    }
                });
            },
            std::time::Duration::from_millis(200),
        );
    });
    // Text set from outside the editor (a restored link, reset) reaches CodeMirror.
    Effect::new(move |_| {
        let t = text.get();
        if let Some(h) = cm.get_value() {
            h.set_text(&t);
        }
    });

    let goto = move |line: usize, col: usize| {
        if let Some(h) = cm.get_value() {
            h.goto(line as u32, col as u32);
            return;
        }
        let Some(el) = area.get() else { return };
        let t = text.get_untracked();
        let mut offset = 0usize;
        for (i, l) in t.split('\n').enumerate() {
            if i + 1 == line {
                offset += l.chars().take(col.saturating_sub(1)).count();
                break;
            }
            offset += l.chars().count() + 1;
        }
        let _ = el.focus();
        let o = offset as u32;
        let _ = el.set_selection_range(o, o);
    };

    view! {
        <section class="panel editor" aria-labelledby="editor-h" data-testid="panel-editor">
            <h2 id="editor-h">{i18n.tr("editor.title")}</h2>
            <label for="manifest" class="panel-note">{i18n.tr("editor.note")}</label>
            <textarea id="manifest" data-testid="editor-text" node_ref=area spellcheck="false" rows="18"
                autocapitalize="off" autocomplete="off"
                prop:value=move || text.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    storage_set(&ui, DRAFT_KEY, &v);
                    text.set(v);
                }
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); apply(); }
                }></textarea>
            <div class="editor-actions">
                <button type="button" class="primary" data-testid="apply" on:click=move |_| apply()>{i18n.tr("editor.apply")}</button>
                <button type="button" data-testid="reset-editor" on:click=move |_| {
                    let t = sim.scenario.manifests.to_string();
                    storage_set(&ui, DRAFT_KEY, &t);
                    text.set(t);
                }>{i18n.tr("editor.reset")}</button>
            </div>
            <div class="apply-result" data-testid="apply-result" role="status">
                {move || outcome.get().map(|o| view! {
                    {(!o.ok).then(|| view! { <p class="not-applied">{i18n.tr("editor.not_applied")}</p> })}
                    <pre class="result-lines">
                        {o.lines.iter().map(|(good, l)| view! { <span class:err=!good>{l.clone()}"\n"</span> }).collect_view()}
                    </pre>
                    <ul class="diagnostics" data-testid="diagnostics">
                        {o.diagnostics.iter().map(|d| {
                            let (line, col) = (d.pos.line, d.pos.col);
                            let sev = d.severity;
                            let d = d.clone();
                            view! {
                                <li class:error=sev == Severity::Error class:warning=sev == Severity::Warning>
                                    <button type="button" class="linkish" on:click=move |_| goto(line, col)>
                                        {move || tf(i18n.lang(), "editor.at", &[&line.to_string(), &col.to_string()])}
                                    </button>
                                    " "
                                    <span>{move || i18n::diagnostic(i18n.lang(), &d)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </div>
        </section>
    }
}
