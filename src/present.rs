//! Presenter mode: the lab on a classroom projector. `?present=1` or the header's toggle turns
//! it on; the page then shows a presenter bar (the step text, large) and the cluster drawing
//! filling the screen with at most one panel beside it, chosen by the current step or by the
//! presenter (keys 1–6), every other panel one key away.
//!
//! Steps: without a lesson, a step is one command of the scenario's seed script
//! (`examples/seed-001.sh`), typed into the terminal when the presenter moves on to it, with
//! its heredoc body if it has one. Going back shows an earlier step again without undoing it
//! (what the terminal ran stays run); going forward again never runs a step twice.
//!
//! Invariants: every key has a visible button; no key fires while focus is in a text field
//! (the terminal, the editor, the pin field); DNS answers stay covered until revealed (R) and
//! are covered again on the next step; speaker notes go to a second window of the same site
//! (`?notes=1`) over a `BroadcastChannel`: nothing leaves the browser.

use crate::clock::Clock;
use crate::i18n::{self, use_i18n, Lang};
use crate::panels::lesson::LessonNav;
use crate::sim::SimController;
use crate::url_state::{self, Panel};
use crate::Ui;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The channel the presenter and the notes window share (same origin only).
const CHANNEL: &str = "svclab-present";
pub const ZOOM_MIN: f64 = 0.6;
pub const ZOOM_MAX: f64 = 2.0;
const ZOOM_STEP: f64 = 0.1;

/// One step of the story: the lines typed into the terminal and the panel it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub lines: Vec<String>,
    pub panel: Panel,
    /// The script's comment lines just above the command (English, the seed's own words).
    pub comment: String,
}

impl Step {
    /// What the class reads: the command, and for a heredoc how many lines it writes.
    pub fn title(&self) -> String {
        self.lines.first().cloned().unwrap_or_default()
    }
}

/// The panel a command is about: what the class should look at once it ran.
fn panel_for(line: &str) -> Panel {
    let word = |w: &str| line.split_whitespace().any(|x| x == w);
    if word("nslookup") || word("dig") || word("host") {
        Panel::Dns
    } else if line.starts_with("kubectl apply") || line.starts_with("kubectl scale") || line.starts_with("sleep") {
        Panel::Cluster
    } else {
        Panel::Terminal
    }
}

/// Split a seed script into steps: one command per step, a heredoc (`<< EOF`) with its body
/// up to the delimiter line, comment lines kept as the step's comment, blank lines skipped.
pub fn script_steps(script: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut comment: Vec<String> = Vec::new();
    let mut lines = script.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(c) = trimmed.strip_prefix('#') {
            comment.push(c.trim().to_string());
            continue;
        }
        let mut body = vec![line.to_string()];
        if let Some(delim) = heredoc_delimiter(line) {
            for more in lines.by_ref() {
                body.push(more.to_string());
                if more.trim() == delim {
                    break;
                }
            }
        }
        steps.push(Step { panel: panel_for(trimmed), lines: body, comment: comment.join(" ") });
        comment.clear();
    }
    steps
}

/// `cat > f << EOF`, `<<'EOF'`, `<<-"EOF"`: the delimiter word, unquoted.
fn heredoc_delimiter(line: &str) -> Option<String> {
    let (_, rest) = line.split_once("<<")?;
    let rest = rest.trim_start_matches('-').trim_start();
    let word: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    let word = word.trim_matches(|c| c == '\'' || c == '"').to_string();
    (!word.is_empty()).then_some(word)
}

/// The seed script a scenario's story follows (the scenario's own source example).
fn script_for(scenario: &str) -> Option<&'static str> {
    match scenario {
        "headless-vs-clusterip" => Some(include_str!("../examples/seed-001.sh")),
        _ => None,
    }
}

/// The notes key of step `i` (1-based) of a scenario, in `locales/`.
fn notes_key(scenario: &str, i: usize) -> String {
    format!("present.notes.{scenario}.{i}")
}

/// Is `key` set to `value` in the query string `search`?
fn query_flag(search: &str, key: &str) -> bool {
    search.trim_start_matches('?').split('&').any(|kv| kv == format!("{key}=1"))
}

/// The page was opened as the speaker-notes window.
pub fn is_notes(search: &str) -> bool {
    query_flag(search, "notes")
}

/// `search` with `present=1` added or removed, the rest kept as it is.
pub fn with_present(search: &str, on: bool) -> String {
    let mut parts: Vec<&str> =
        search.trim_start_matches('?').split('&').filter(|kv| !kv.is_empty() && !kv.starts_with("present=")).collect();
    if on {
        parts.push("present=1");
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Presenter-mode state, provided by context (also when off: the header's buttons use it).
#[derive(Clone, Copy)]
pub struct Present {
    pub on: RwSignal<bool>,
    /// The step shown, 1-based (0: before the first step).
    pub step: RwSignal<usize>,
    /// Steps already typed into the terminal (never typed twice).
    ran: StoredValue<usize>,
    /// The panel beside the cluster drawing (`None` or the cluster: the drawing alone).
    pub side: RwSignal<Option<Panel>>,
    /// The panel highlighted, the rest dimmed.
    pub spot: RwSignal<Option<Panel>>,
    pub revealed: RwSignal<bool>,
    pub zoom: RwSignal<f64>,
    pub help: RwSignal<bool>,
    /// The share dialog's links (full, fallback), when open.
    pub share: RwSignal<Option<(String, Option<String>)>>,
    /// Lines for the terminal panel to run (it empties the list).
    pub feed: RwSignal<Vec<String>>,
    pub steps: StoredValue<Vec<Step>>,
    /// The open lesson, if any: then the lesson's steps are the story.
    pub lesson: LessonNav,
    scenario: &'static str,
}

impl Present {
    pub fn new(on: bool, scenario: &'static str) -> Present {
        Present {
            on: RwSignal::new(on),
            step: RwSignal::new(0),
            ran: StoredValue::new(0),
            side: RwSignal::new(Some(Panel::Dns)),
            spot: RwSignal::new(None),
            revealed: RwSignal::new(false),
            zoom: RwSignal::new(1.0),
            help: RwSignal::new(false),
            share: RwSignal::new(None),
            feed: RwSignal::new(Vec::new()),
            steps: StoredValue::new(script_for(scenario).map(script_steps).unwrap_or_default()),
            lesson: LessonNav::new(),
            scenario,
        }
    }

    pub fn total(&self) -> usize {
        self.steps.with_value(|s| s.len())
    }

    /// Turn presenter mode on or off, and say so in the address bar (a reload keeps it).
    pub fn set_on(&self, on: bool) {
        self.on.set(on);
        self.help.set(false);
        url_state::replace_query_exact(&with_present(&url_state::current_search(), on));
        if !on && document().fullscreen_element().is_some() {
            document().exit_fullscreen();
        }
    }

    /// Show step `n` (1-based): its panel beside the drawing and spotlit, answers covered
    /// again; the steps up to it typed into the terminal if they were not yet.
    pub fn go(&self, n: usize) {
        let n = n.min(self.total());
        self.step.set(n);
        self.revealed.set(false);
        let ran = self.ran.get_value();
        if n > ran {
            let lines: Vec<String> =
                self.steps.with_value(|s| s[ran..n].iter().flat_map(|st| st.lines.clone()).collect());
            self.ran.set_value(n);
            self.feed.update(|f| f.extend(lines));
        }
        self.show_me();
    }

    pub fn next(&self) {
        self.go(self.step.get_untracked() + 1);
    }

    pub fn prev(&self) {
        self.go(self.step.get_untracked().saturating_sub(1));
    }

    /// → and the Next button: the open lesson's next step (see [`LessonNav::go`]), else the
    /// script's next step.
    pub fn forward(&self) {
        if !self.lesson.go(1) {
            self.next();
        }
    }

    /// ← and the Back button: the open lesson's previous step, else the script's.
    pub fn back(&self) {
        if !self.lesson.go(-1) {
            self.prev();
        }
    }

    /// "Show me": the panel the current step talks about, beside the drawing and spotlit.
    pub fn show_me(&self) {
        let panel = self.current().map(|s| s.panel);
        if let Some(p) = panel {
            self.side.set(Some(p));
        }
        self.spot.set(panel);
    }

    pub fn current(&self) -> Option<Step> {
        let n = self.step.get_untracked();
        self.steps.with_value(|s| n.checked_sub(1).and_then(|i| s.get(i).cloned()))
    }

    /// Keys 1–6: that panel beside the drawing (the cluster: the drawing alone), spotlit.
    pub fn pick(&self, panel: Panel) {
        self.side.set(Some(panel));
        self.spot.set(Some(panel));
    }

    pub fn zoom_by(&self, delta: f64) {
        // Rounded to tenths so repeated steps land on 100 % again.
        self.zoom.update(|z| *z = (((*z + delta) * 10.0).round() / 10.0).clamp(ZOOM_MIN, ZOOM_MAX));
    }

    /// The panels on screen, space-separated (the `data-show` attribute the CSS reads).
    pub fn shown(&self) -> String {
        match self.side.get() {
            Some(p) if p != Panel::Cluster => format!("cluster {}", p.id()),
            _ => "cluster".into(),
        }
    }

    /// Build the state links and open the share dialog.
    pub fn open_share(&self, sim: SimController, ui: Ui, lang: Lang) {
        let share = self.share;
        leptos::task::spawn_local(async move {
            let links = crate::panels::header::state_links(sim, ui, lang).await;
            let full = url_state::link_for(&links.query);
            let fallback = url_state::link_for(&links.fallback);
            share.set(Some((full.clone(), (fallback != full).then_some(fallback))));
        });
    }

    /// The step text for the class, in `lang`.
    pub fn step_text(&self, lang: Lang) -> String {
        match self.current() {
            Some(s) => s.title(),
            None if self.total() == 0 => i18n::t(lang, "present.no-script").to_string(),
            None => i18n::t(lang, "present.start").to_string(),
        }
    }

    /// The speaker notes of the current step, in `lang`: the locale's notes for the step, else
    /// the script's comment above it, else the scenario's description.
    pub fn notes_text(&self, lang: Lang) -> String {
        let n = self.step.get_untracked();
        let key = notes_key(self.scenario, n);
        let table = i18n::t(lang, &key);
        if table != key {
            return table.to_string();
        }
        match self.current() {
            Some(s) if !s.comment.is_empty() => s.comment,
            _ => i18n::t(lang, "hint.first").to_string(),
        }
    }
}

pub fn use_present() -> Present {
    expect_context::<Present>()
}

/// Is the keyboard event aimed at a place where the learner types?
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.is_content_editable()
}

fn toggle_fullscreen() {
    let doc = document();
    if doc.fullscreen_element().is_some() {
        doc.exit_fullscreen();
    } else if let Some(el) = doc.document_element() {
        let _ = el.request_fullscreen();
    }
}

/// The presenter's keys, for the help overlay: (keys, locale key of what they do).
pub const KEYS: [(&str, &str); 13] = [
    ("→", "present.key.next"),
    ("←", "present.key.prev"),
    ("Space", "present.key.play"),
    (".", "present.key.tick"),
    ("R", "present.key.reveal"),
    ("S", "present.key.show"),
    ("F", "present.key.fullscreen"),
    ("+ / −", "present.key.zoom"),
    ("0", "present.key.zoom-reset"),
    ("1–6", "present.key.panel"),
    ("N", "present.key.notes"),
    ("?", "present.key.help"),
    ("Esc", "present.key.leave"),
];

/// Open the speaker-notes window (same site, `?notes=1`, the UI language).
pub fn open_notes(lang: Lang) {
    let Some(w) = web_sys::window() else { return };
    let url = url_state::link_for(&format!("?notes=1&lang={}", lang.tag()));
    let _ = w.open_with_url_and_target_and_features(&url, "svclab-notes", "popup,width=900,height=600");
}

/// Listen to the presenter's keys for the life of the page (they act only in presenter mode).
pub fn install_keys(present: Present, clock: Clock, sim: SimController) {
    let i18n = use_i18n();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if !present.on.get_untracked() || typing(&ev) || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        if present.share.get_untracked().is_some() {
            if ev.key() == "Escape" {
                present.share.set(None);
            }
            return;
        }
        let handled = match ev.key().as_str() {
            "ArrowRight" | "PageDown" => {
                present.forward();
                true
            }
            "ArrowLeft" | "PageUp" => {
                present.back();
                true
            }
            " " => {
                clock.playing.update(|p| *p = !*p);
                true
            }
            "." => {
                sim.advance(1_000);
                true
            }
            "r" | "R" => {
                present.revealed.update(|r| *r = !*r);
                true
            }
            "s" | "S" => {
                present.show_me();
                true
            }
            "f" | "F" => {
                toggle_fullscreen();
                true
            }
            "+" | "=" => {
                present.zoom_by(ZOOM_STEP);
                true
            }
            "-" | "−" | "_" => {
                present.zoom_by(-ZOOM_STEP);
                true
            }
            "0" => {
                present.zoom.set(1.0);
                true
            }
            "n" | "N" => {
                open_notes(i18n.lang());
                true
            }
            "?" => {
                present.help.update(|h| *h = !*h);
                true
            }
            "Escape" => {
                if present.help.get_untracked() {
                    present.help.set(false);
                } else {
                    present.set_on(false);
                }
                true
            }
            k => match k.parse::<usize>() {
                Ok(d @ 1..=6) => {
                    present.pick(Panel::ALL[d - 1]);
                    true
                }
                _ => false,
            },
        };
        if handled {
            ev.prevent_default();
        }
    });
    // The listener lives as long as the page.
    std::mem::forget(handle);
}

/// Keep the notes window in step: post the step whenever it (or the language) changes, and
/// again when a notes window says hello.
pub fn start_notes_channel(present: Present) {
    let i18n = use_i18n();
    let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) else { return };
    let lesson = present.lesson.at;
    let send = {
        let channel = channel.clone();
        move || {
            let lang = i18n.0.get_untracked();
            let msg = js_sys::Object::new();
            let set = |k: &str, v: JsValue| {
                let _ = js_sys::Reflect::set(&msg, &JsValue::from_str(k), &v);
            };
            set("kind", "step".into());
            if let Some(at) = lesson.get_untracked() {
                // An open lesson: its step, its notes (else its task).
                let ll = crate::panels::lesson::lesson_lang(lang);
                set("step", ((at.step + 1) as f64).into());
                set("total", (at.total as f64).into());
                set("text", at.data.title.get(ll).into());
                let notes = at.data.notes.as_ref().unwrap_or(&at.data.task).get(ll);
                set("notes", notes.into());
                set("next", "".into());
            } else {
                let n = present.step.get_untracked();
                let next = present.steps.with_value(|s| s.get(n).map(Step::title)).unwrap_or_default();
                set("step", (n as f64).into());
                set("total", (present.total() as f64).into());
                set("text", present.step_text(lang).into());
                set("notes", present.notes_text(lang).into());
                set("next", next.into());
            }
            let _ = channel.post_message(&msg);
        }
    };
    let on_message = {
        let send = send.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let kind = js_sys::Reflect::get(&ev.data(), &JsValue::from_str("kind")).ok().and_then(|k| k.as_string());
            if kind.as_deref() == Some("hello") {
                send();
            }
        })
    };
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    Effect::new(move |_| {
        present.step.track();
        i18n.0.track();
        lesson.track();
        send();
    });
}

/// The cover's text over hidden answers as a CSS string, for `--cover-text` on the app's
/// `<main>` (read by style/present.css; set through the CSSOM, as the strict CSP requires).
pub fn cover_text(lang: Lang) -> String {
    // The locale text holds no quotes; any that slipped in would end the string.
    let cover = i18n::t(lang, "present.cover").replace(['"', '\\'], "");
    format!("\"{cover}\"")
}

/// The presenter bar: the step (large), and a button for every key.
#[component]
pub fn PresentBar() -> impl IntoView {
    let i18n = use_i18n();
    let present = use_present();
    let clock = expect_context::<Clock>();
    let sim = expect_context::<SimController>();
    let ui = crate::use_ui();
    let total = present.total();
    // An open lesson is the story: its step and title; else the seed script's command.
    let lesson_at = move || present.lesson.at.get();
    let counter = move || match lesson_at() {
        Some(at) => i18n::tf(i18n.lang(), "present.counter", &[&(at.step + 1).to_string(), &at.total.to_string()]),
        None => {
            let n = present.step.get();
            i18n::tf(i18n.lang(), "present.counter", &[&n.to_string(), &total.to_string()])
        }
    };
    let text = move || match lesson_at() {
        Some(at) => at.data.title.get(crate::panels::lesson::lesson_lang(i18n.lang())).to_string(),
        None => {
            present.step.get();
            present.step_text(i18n.lang())
        }
    };
    let btn = |key: &'static str, label: &'static str| {
        let tr = i18n.tr(label);
        move || format!("{} ({key})", tr())
    };
    let now = Memo::new(move |_| sim.now_ms());
    view! {
        <div class="present-bar" data-testid="present-bar" role="region" aria-label=i18n.tr("present.bar")>
            <div class="present-story">
                <span class="present-counter" data-testid="present-counter">{counter}</span>
                <p class="present-step" data-testid="present-step" aria-live="polite">{text}</p>
            </div>
            <div class="present-buttons" role="toolbar" aria-label=i18n.tr("present.keys")>
                <button type="button" data-testid="present-prev" aria-keyshortcuts="ArrowLeft"
                    on:click=move |_| present.back()>{btn("←", "present.prev")}</button>
                <button type="button" class="primary" data-testid="present-next" aria-keyshortcuts="ArrowRight"
                    on:click=move |_| present.forward()>{btn("→", "present.next")}</button>
                <button type="button" data-testid="present-play" aria-keyshortcuts="Space"
                    aria-pressed=move || clock.playing.get().to_string()
                    on:click=move |_| clock.playing.update(|p| *p = !*p)>
                    {move || format!("{} (Space)", if clock.playing.get() { i18n::t(i18n.lang(), "clock.pause") } else { i18n::t(i18n.lang(), "clock.play") })}
                </button>
                <button type="button" data-testid="present-tick" aria-keyshortcuts="."
                    on:click=move |_| sim.advance(1_000)>{btn(".", "clock.step")}</button>
                <span class="present-time" data-testid="present-time">
                    {move || i18n::tf(i18n.lang(), "clock.time", &[&format!("{:.1}", now.get() as f64 / 1000.0)])}
                </span>
                <button type="button" data-testid="present-reveal" aria-keyshortcuts="R"
                    aria-pressed=move || present.revealed.get().to_string()
                    on:click=move |_| present.revealed.update(|r| *r = !*r)>{btn("R", "present.reveal")}</button>
                <button type="button" data-testid="present-show" aria-keyshortcuts="S"
                    on:click=move |_| present.show_me()>{btn("S", "present.show")}</button>
                <button type="button" data-testid="present-fullscreen" aria-keyshortcuts="F"
                    on:click=move |_| toggle_fullscreen()>{btn("F", "present.fullscreen")}</button>
                <button type="button" data-testid="present-zoom-out" aria-keyshortcuts="-"
                    aria-label=i18n.tr("present.zoom-out") on:click=move |_| present.zoom_by(-ZOOM_STEP)>"−"</button>
                <button type="button" data-testid="present-zoom-reset" aria-keyshortcuts="0"
                    aria-label=i18n.tr("present.zoom-reset") on:click=move |_| present.zoom.set(1.0)>
                    {move || format!("{:.0} %", present.zoom.get() * 100.0)}
                </button>
                <button type="button" data-testid="present-zoom-in" aria-keyshortcuts="+"
                    aria-label=i18n.tr("present.zoom-in") on:click=move |_| present.zoom_by(ZOOM_STEP)>"+"</button>
                <label class="present-pick">
                    <span class="visually-hidden">{i18n.tr("present.panel")}</span>
                    <select data-testid="present-panel" aria-keyshortcuts="1 2 3 4 5 6" on:change=move |ev| {
                        if let Some(p) = Panel::parse(&event_target_value(&ev)) { present.pick(p) }
                    }>
                        {Panel::ALL.iter().enumerate().map(|(i, p)| {
                            let p = *p;
                            let key = panel_key(p);
                            view! {
                                <option value=p.id() selected=move || present.side.get() == Some(p)>
                                    {move || format!("{} {}", i + 1, i18n::t(i18n.lang(), key))}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" data-testid="present-share" on:click=move |_| present.open_share(sim, ui, i18n.lang())>
                    {i18n.tr("share.open")}
                </button>
                <button type="button" data-testid="present-notes" aria-keyshortcuts="N"
                    on:click=move |_| open_notes(i18n.lang())>{btn("N", "present.notes")}</button>
                <button type="button" data-testid="present-help" aria-keyshortcuts="?"
                    on:click=move |_| present.help.update(|h| *h = !*h)>{btn("?", "present.help")}</button>
                <button type="button" data-testid="present-leave" aria-keyshortcuts="Escape"
                    on:click=move |_| present.set_on(false)>{btn("Esc", "present.leave")}</button>
            </div>
        </div>
        <Show when=move || present.help.get()>
            <HelpOverlay />
        </Show>
    }
}

/// The locale key of a panel's title.
fn panel_key(p: Panel) -> &'static str {
    match p {
        Panel::Cluster => "cluster.title",
        Panel::Traffic => "traffic.title",
        Panel::Dns => "dns.title",
        Panel::Analogies => "ana.title",
        Panel::Terminal => "terminal.title",
        Panel::Editor => "editor.title",
    }
}

/// The keys, in the UI language.
#[component]
fn HelpOverlay() -> impl IntoView {
    let i18n = use_i18n();
    let present = use_present();
    view! {
        <div class="present-help" role="dialog" aria-modal="true" aria-labelledby="present-help-h" data-testid="present-help-overlay">
            <h2 id="present-help-h">{i18n.tr("present.help.title")}</h2>
            <dl class="present-keys">
                {KEYS.iter().map(|&(k, what)| view! {
                    <div><dt><kbd>{k}</kbd></dt><dd>{i18n.tr(what)}</dd></div>
                }).collect_view()}
            </dl>
            <button type="button" autofocus data-testid="present-help-close" on:click=move |_| present.help.set(false)>
                {i18n.tr("share.close")}
            </button>
        </div>
    }
}

/// The share dialog, when open.
#[component]
pub fn ShareHost() -> impl IntoView {
    let present = use_present();
    move || {
        present.share.get().map(|(link, fallback)| {
            view! {
                <div class="dialog-backdrop">
                    <crate::share::ShareDialog link=link fallback=fallback
                        on_close=Callback::new(move |_| present.share.set(None)) />
                </div>
            }
        })
    }
}

/// The speaker-notes window (`?notes=1`): follows the presenter over the BroadcastChannel.
#[component]
pub fn NotesPage() -> impl IntoView {
    let i18n = use_i18n();
    let step = RwSignal::new(0.0_f64);
    let total = RwSignal::new(0.0_f64);
    let text = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let next = RwSignal::new(String::new());
    let connected = RwSignal::new(false);
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            let get = |k: &str| js_sys::Reflect::get(&data, &JsValue::from_str(k)).ok();
            if get("kind").and_then(|k| k.as_string()).as_deref() != Some("step") {
                return;
            }
            connected.set(true);
            step.set(get("step").and_then(|v| v.as_f64()).unwrap_or(0.0));
            total.set(get("total").and_then(|v| v.as_f64()).unwrap_or(0.0));
            text.set(get("text").and_then(|v| v.as_string()).unwrap_or_default());
            notes.set(get("notes").and_then(|v| v.as_string()).unwrap_or_default());
            next.set(get("next").and_then(|v| v.as_string()).unwrap_or_default());
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let hello = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&hello, &JsValue::from_str("kind"), &JsValue::from_str("hello"));
        let _ = channel.post_message(&hello);
        // The channel must outlive this function: it is the window's one connection.
        std::mem::forget(channel);
    }
    view! {
        <main class="notes-page" data-testid="notes">
            <h1>{i18n.tr("present.notes.title")}</h1>
            <Show when=move || connected.get() fallback=move || view! {
                <p data-testid="notes-waiting">{i18n.tr("present.notes.waiting")}</p>
            }>
                <p class="present-counter" data-testid="notes-counter">
                    {move || i18n::tf(i18n.lang(), "present.counter", &[&step.get().to_string(), &total.get().to_string()])}
                </p>
                <p class="notes-step mono" data-testid="notes-step">{move || text.get()}</p>
                <h2>{i18n.tr("present.notes.say")}</h2>
                <p class="notes-text" data-testid="notes-text">{move || notes.get()}</p>
                <h2>{i18n.tr("present.notes.next")}</h2>
                <p class="notes-next mono" data-testid="notes-next">{move || next.get()}</p>
            </Show>
        </main>
    }
}

/// A click inside a panel spotlights that panel.
pub fn spotlight_from(present: Present, ev: &web_sys::MouseEvent) {
    let panel = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("[data-testid^=\"panel-\"]").ok().flatten())
        .and_then(|el| el.get_attribute("data-testid"))
        .and_then(|id| Panel::parse(id.trim_start_matches("panel-")));
    if panel.is_some() {
        present.spot.set(panel);
    }
}
