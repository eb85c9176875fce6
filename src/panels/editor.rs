//! The manifest editor: multi-document YAML, applied explicitly (button, Ctrl/Cmd+Enter)
//! through `svclab_core::apply::apply_text`. What was typed is never lost: the draft is kept
//! in local storage across reloads (never in embed mode), and a failed apply changes
//! nothing in the cluster. Diagnostics show line, column and a message in the UI language.
//!
//! Bounded: the editor takes at most [`MAX_EDITOR_CHARS`]; a longer paste is refused with a
//! message saying where and what (nothing is dropped silently). A draft the browser's storage
//! cannot hold (its quota is full) is said so, rather than lost on the next reload.

use crate::i18n::{self, tf, use_i18n};
use crate::sim::SimController;
use crate::{storage_get, storage_set, storage_try_set, use_ui};
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
    /// Write edits still pending (debounced) to the textarea now.
    #[wasm_bindgen(method)]
    fn flush(this: &EditorHandle);
}

#[wasm_bindgen(module = "/src/web.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = loadEditor)]
    async fn load_editor(
        textarea: &web_sys::HtmlTextAreaElement,
        on_apply: &JsValue,
        options: &JsValue,
    ) -> Result<JsValue, JsValue>;
    /// May the editor bundle be fetched before it is opened (no Save-Data, not a slow link)?
    #[wasm_bindgen(js_name = editorPrefetchAllowed)]
    fn editor_prefetch_allowed() -> bool;
    /// Run `f` once the page is idle (`requestIdleCallback`, a timer where it is missing).
    #[wasm_bindgen(js_name = whenIdle)]
    fn when_idle(f: &JsValue);
}

/// The longest text the editor takes, in UTF-16 code units (what the browser counts): 1 MiB,
/// the API server's limit for one object. A shared link carries at most half of it.
pub const MAX_EDITOR_CHARS: usize = 1 << 20;

/// A change the editor refused: where (1-based), how much it would have inserted, the length
/// the text would have had, and the inserted text's beginning.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub line: usize,
    pub col: usize,
    pub chars: usize,
    pub total: usize,
    pub sample: String,
}

impl Refusal {
    /// The message, in `lang`: the sample is one line, cut at 40 characters.
    pub fn text(&self, lang: i18n::Lang) -> String {
        let first = self.sample.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        let mut sample: String = first.chars().take(40).collect();
        if first.chars().count() > 40 {
            sample.push('…');
        }
        tf(
            lang,
            "editor.refused",
            &[
                &self.line.to_string(),
                &self.col.to_string(),
                &self.chars.to_string(),
                &sample,
                &self.total.to_string(),
                &MAX_EDITOR_CHARS.to_string(),
            ],
        )
    }
}

/// 1-based line and column of UTF-16 offset `at` in `text`.
pub fn line_col_utf16(text: &str, at: usize) -> (usize, usize) {
    let (mut line, mut col, mut seen) = (1, 1, 0);
    for c in text.chars() {
        if seen >= at {
            break;
        }
        seen += c.len_utf16();
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
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
    // The last change the editor refused (too long), until the next Apply.
    let refused = RwSignal::new(None::<Refusal>);
    // The draft's length when the browser's storage could not keep it.
    let unsaved = RwSignal::new(None::<usize>);
    let save = move |key: &str, v: &str| {
        let kept = storage_try_set(&ui, key, v);
        unsaved.set((!kept).then(|| v.encode_utf16().count()));
    };
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
        // The editor's last keystrokes reach `text` debounced: take them now.
        if let Some(h) = cm.get_value() {
            h.flush();
        }
        let t = text.get_untracked();
        if sim.rewound_now() {
            // The past is read-only: nothing is applied (the timeline's banner says why).
            sim.apply(&t);
            ui.say(i18n::t(i18n.lang(), "timeline.refused").to_string());
            return;
        }
        // The refusal said what was not inserted; the text now applied is what counts.
        refused.set(None);
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
            let on_refused = Closure::<dyn Fn(JsValue)>::new(move |info: JsValue| {
                let num = |k: &str| {
                    js_sys::Reflect::get(&info, &k.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as usize
                };
                let sample =
                    js_sys::Reflect::get(&info, &"sample".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
                let r =
                    Refusal { line: num("line"), col: num("col"), chars: num("chars"), total: num("total"), sample };
                ui.say(r.text(i18n.lang()));
                refused.set(Some(r));
            })
            .into_js_value();
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"maxChars".into(), &(MAX_EDITOR_CHARS as u32).into());
            let _ = js_sys::Reflect::set(&options, &"onRefused".into(), &on_refused);
            if let Ok(h) = load_editor(&el, &on_apply, &options).await {
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
                    // The plain textarea (before CodeMirror loads, or if it cannot): the same
                    // limit, the change undone and said.
                    let len = v.encode_utf16().count();
                    if len > MAX_EDITOR_CHARS {
                        let old = text.get_untracked();
                        let at = ev.target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                            .map(|el| {
                                let end = el.selection_start().ok().flatten().unwrap_or(0) as usize;
                                el.set_value(&old);
                                end
                            })
                            .unwrap_or(0);
                        let chars = len.saturating_sub(old.encode_utf16().count());
                        let start = at.saturating_sub(chars);
                        let (line, col) = line_col_utf16(&old, start);
                        let sample: String = String::from_utf16_lossy(
                            &v.encode_utf16().skip(start).take(80).collect::<Vec<u16>>(),
                        );
                        let r = Refusal { line, col, chars, total: len, sample };
                        ui.say(r.text(i18n.lang()));
                        refused.set(Some(r));
                        return;
                    }
                    save(&key, &v);
                    text.set(v);
                }
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); apply(); }
                }></textarea>
            <div class="editor-actions">
                <button type="button" class="primary" data-testid="apply" on:click=move |_| apply()>{i18n.tr("editor.apply")}</button>
                <button type="button" data-testid="reset-editor" on:click=move |_| {
                    let t = sim.scenario.manifests.to_string();
                    save(&draft_key(sim.scenario.id), &t);
                    text.set(t);
                }>{i18n.tr("editor.reset")}</button>
                <span class="editor-state" class:differs=move || differs.get() data-testid="editor-state" aria-live="polite">
                    {move || if differs.get() { i18n.tr("editor.differs")() } else { i18n.tr("editor.same")() }}
                </span>
            </div>
            <p class="panel-note">{i18n.tr("editor.keys")}</p>
            {move || refused.get().map(|r| view! {
                <p class="editor-refused" role="alert" data-testid="editor-refused">{move || r.text(i18n.lang())}</p>
            })}
            {move || unsaved.get().map(|n| view! {
                <p class="editor-unsaved" role="alert" data-testid="draft-unsaved">
                    {move || tf(i18n.lang(), "editor.draft_unsaved", &[&n.to_string()])}
                </p>
            })}
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
