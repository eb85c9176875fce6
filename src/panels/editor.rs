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
    /// May the editor bundle be fetched before it is opened (no Save-Data, not a slow link)?
    #[wasm_bindgen(js_name = editorPrefetchAllowed)]
    fn editor_prefetch_allowed() -> bool;
    /// Run `f` once the page is idle (`requestIdleCallback`, a timer where it is missing).
    #[wasm_bindgen(js_name = whenIdle)]
    fn when_idle(f: &JsValue);
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

/// The draft's key in local storage: one draft per scenario (the default scenario keeps the
/// key drafts had before there were several).
fn draft_key(scenario: &str) -> String {
    if scenario == svclab_core::scenario::SEED_001.id {
        "svclab.draft".to_string()
    } else {
        format!("svclab.draft.{scenario}")
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    ok: bool,
    lines: Vec<(bool, String)>,
    diagnostics: Vec<Diagnostic>,
    /// The Services a failed apply names (namespace, name, document line), for the fixes.
    services: Vec<(String, String, usize)>,
}

/// A suggested fix for a common mistake: the locale key, its arguments, and the Service to
/// delete before applying again (a Service whose clusterIP must change: it is immutable).
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub key: &'static str,
    pub args: Vec<String>,
    pub recreate: Option<(String, String)>,
}

/// The fix for a diagnostic, if it is one of the common mistakes. `services` are the
/// Services of the applied text with the line each document starts at.
pub fn fix_for(d: &Diagnostic, services: &[(String, String, usize)]) -> Option<Fix> {
    let arg = |i: usize| d.args.get(i).cloned().unwrap_or_default();
    // The Service whose document holds the diagnostic: the last one starting at or before it.
    let owner = || services.iter().filter(|(_, _, line)| *line <= d.pos.line).max_by_key(|(_, _, line)| *line).cloned();
    match d.code.as_str() {
        "validation.invalid" if arg(0).starts_with("spec.clusterIP") => {
            let (ns, name, _) = owner()?;
            Some(Fix { key: "fix.immutable_clusterip", args: vec![name.clone()], recreate: Some((ns, name)) })
        }
        "lint.selector_matches_nothing" | "lint.selector_near_miss" | "lint.label_typo" => {
            Some(Fix { key: "fix.selector", args: vec![arg(0)], recreate: None })
        }
        "lint.target_port_not_exposed" | "lint.target_port_name_not_found" => {
            Some(Fix { key: "fix.target_port", args: vec![arg(0), arg(3)], recreate: None })
        }
        "lint.statefulset_service_not_headless" => {
            let name = arg(0);
            let ns = services
                .iter()
                .find(|(_, n, _)| *n == name)
                .map(|(ns, _, _)| ns.clone())
                .unwrap_or_else(|| "default".into());
            Some(Fix { key: "fix.not_headless", args: vec![name.clone()], recreate: Some((ns, name)) })
        }
        _ => None,
    }
}

/// A diagnostic's text beside its position link: the position is said once (the YAML
/// parser's own "line N:" is left out, the link already says where).
pub fn diagnostic_text(lang: i18n::Lang, d: &Diagnostic) -> String {
    if d.code == "yaml.syntax" {
        if let Some(msg) = d.args.get(1) {
            return tf(lang, "diag.ui.yaml.syntax", &[msg]);
        }
    }
    i18n::diagnostic(lang, d)
}

#[component]
pub fn EditorPanel() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let key = draft_key(sim.scenario.id);
    let key2 = key.clone();
    let initial = storage_get(&ui, &key).unwrap_or_else(|| sim.scenario.manifests.to_string());
    let text = RwSignal::new(initial);
    // What the cluster runs: the scenario's manifests until something is applied (a link's
    // manifests count as applied). The editor says when its text differs from it, so a
    // reloaded draft is never mistaken for the cluster's state.
    let applied_text = Memo::new(move |_| ui.applied.get().unwrap_or_else(|| sim.scenario.manifests.to_string()));
    let differs = Memo::new(move |_| text.with(|t| applied_text.with(|a| t.trim_end() != a.trim_end())));
    let outcome = RwSignal::new(None::<Outcome>);
    let area = NodeRef::<html::Textarea>::new();
    let cm = StoredValue::new_local(None::<EditorHandle>);

    // A restored link brings its own manifests; a reset brings the scenario's (and clears the
    // last apply's result).
    Effect::new(move |_| {
        if let Some(t) = ui.editor_text.get() {
            text.set(t);
        }
    });
    Effect::new(move |prev: Option<u64>| {
        let n = ui.resets.get();
        if prev.is_some_and(|p| p != n) {
            storage_set(&ui, &key2, sim.scenario.manifests);
            outcome.set(None);
            if let Some(h) = cm.get_value() {
                h.set_diagnostics(&js_sys::Array::new());
            }
        }
        n
    });

    let apply = move || {
        let t = text.get_untracked();
        let (report, ok) = sim.apply(&t);
        // When a document fails nothing is applied (the trial cluster is dropped), so the
        // other documents' "created"/"unchanged" lines would say what did not happen.
        let mut lines: Vec<(bool, String)> =
            if ok { report.results.iter().filter_map(|r| r.line()).map(|l| (true, l)).collect() } else { Vec::new() };
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
        let services = report
            .results
            .iter()
            .filter_map(|r| r.key.as_ref().map(|k| (k, r.pos.line)))
            .filter(|(k, _)| k.kind == svclab_core::api::Kind::Service)
            .map(|(k, line)| (k.namespace.clone(), k.name.clone(), line))
            .collect();
        outcome.set(Some(Outcome { ok, lines, diagnostics: report.diagnostics, services }));
    };

    // CodeMirror (target/editor, ~117 KiB gzip) is fetched when the editor is opened (its tab,
    // or an embed that shows it), or earlier when the page is idle on a fast connection; never
    // ahead of use with Save-Data or on a slow link (`editorPrefetchAllowed` in src/web.js).
    // While it loads the panel says it is getting the editor ready; the textarea works
    // meanwhile and stays if the bundle fails to load.
    let requested = StoredValue::new(false);
    let getting_ready = RwSignal::new(false);
    let load = move || {
        let Some(el) = area.get_untracked() else { return };
        if requested.get_value() {
            return;
        }
        requested.set_value(true);
        getting_ready.set(true);
        leptos::task::spawn_local(async move {
            let on_apply = Closure::<dyn Fn()>::new(apply).into_js_value();
            if let Ok(h) = load_editor(&el, &on_apply).await {
                cm.set_value(Some(h.unchecked_into()));
            }
            getting_ready.set(false);
        });
    };
    let embed = ui.embed;
    Effect::new(move |_| {
        let opened = embed || ui.tab.get() == crate::panels::workbench::Tab::Editor;
        if area.get().is_some() && opened {
            load();
        }
    });
    Effect::new(move |_| {
        if area.get().is_some() && editor_prefetch_allowed() {
            when_idle(&Closure::once_into_js(load));
        }
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
            <p class="panel-note" role="status" data-testid="editor-getting-ready" hidden=move || !getting_ready.get()>
                {i18n.tr("editor.getting_ready")}
            </p>
            <textarea id="manifest" data-testid="editor-text" node_ref=area spellcheck="false" rows="18"
                autocapitalize="off" autocomplete="off"
                prop:value=move || text.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    storage_set(&ui, &key, &v);
                    text.set(v);
                }
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); apply(); }
                }></textarea>
            <div class="editor-actions">
                <button type="button" class="primary" data-testid="apply" on:click=move |_| apply()>{i18n.tr("editor.apply")}</button>
                <button type="button" data-testid="reset-editor" on:click=move |_| {
                    let t = sim.scenario.manifests.to_string();
                    storage_set(&ui, &draft_key(sim.scenario.id), &t);
                    text.set(t);
                }>{i18n.tr("editor.reset")}</button>
                <span class="editor-state" class:differs=move || differs.get() data-testid="editor-state" aria-live="polite">
                    {move || if differs.get() { i18n.tr("editor.differs")() } else { i18n.tr("editor.same")() }}
                </span>
            </div>
            <p class="panel-note">{i18n.tr("editor.keys")}</p>
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
                            let fix = fix_for(d, &o.services);
                            let d = d.clone();
                            view! {
                                <li class:error=sev == Severity::Error class:warning=sev == Severity::Warning>
                                    {(line > 0).then(|| view! {
                                        <button type="button" class="linkish" on:click=move |_| goto(line, col)>
                                            {move || tf(i18n.lang(), "editor.at", &[&line.to_string(), &col.to_string()])}
                                        </button>
                                        " "
                                    })}
                                    <span>{move || diagnostic_text(i18n.lang(), &d)}</span>
                                    {fix.map(|f| {
                                        let args = f.args.clone();
                                        view! {
                                            <p class="fix" data-testid="fix" data-fix=f.key>
                                                {move || { let a: Vec<&str> = args.iter().map(String::as_str).collect(); tf(i18n.lang(), f.key, &a) }}
                                                {f.recreate.map(|(ns, name)| {
                                                    let label = name.clone();
                                                    view! {
                                                        " "
                                                        <button type="button" data-testid="fix-recreate" on:click=move |_| {
                                                            let (ns, name) = (ns.clone(), name.clone());
                                                            // As the learner would: `kubectl delete service`, a journaled action like any other.
                                                            sim.act(svclab_core::action::Action::Terminal(format!("kubectl delete service {name} -n {ns}")));
                                                            apply();
                                                        }>{move || tf(i18n.lang(), "fix.recreate", &[&label])}</button>
                                                    }
                                                })}
                                            </p>
                                        }
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </div>
        </section>
    }
}
