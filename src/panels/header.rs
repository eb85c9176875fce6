//! The header, one row on a 1280 px screen in either language: title, the scenario picker
//! (`?scenario=`), the playback clock with the whole-lab reset, and "More" (language
//! and theme switches, copy link, share with the class, presenter mode). [`ClockBar`] is also
//! the only chrome an embed shows (it carries the reset).

use crate::clock::{Clock, SPEEDS};
use crate::i18n::{self, use_i18n};
use crate::sim::SimController;
use crate::url_state::{self, Theme, UrlState};
use crate::{storage_set, use_ui};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// `query` plus the traffic clients and kube-proxy mode as they are now (when not the
/// defaults), so the address bar never carries stale clients from the link the page was opened with.
fn with_traffic(query: String, sim: SimController) -> String {
    let traffic = crate::panels::traffic::url_part(sim);
    match (traffic.is_empty(), query.is_empty()) {
        (true, _) => query,
        (false, true) => format!("?{traffic}"),
        (false, false) => format!("{query}&{traffic}"),
    }
}

/// What "Copy link" and "Share with the class" hand out: `query` is the state as it is now
/// (scenario, seed, language, theme, the applied manifests, traffic clients and kube-proxy
/// mode); `fallback` is the same place without the learner's edits (scenario, seed and
/// language), short enough for a QR code when the edits are not.
pub struct StateLinks {
    pub query: String,
    pub fallback: String,
}

pub async fn state_links(sim: SimController, ui: crate::Ui, lang: i18n::Lang) -> StateLinks {
    let applied = ui.applied.get_untracked();
    let theme = ui.theme.get_untracked();
    let manifests = match applied {
        Some(text) => url_state::pack(&text).await,
        None => None,
    };
    // The lesson and step the learner is on (and a teacher's lesson text) travel in both links.
    let now = UrlState::parse(&url_state::current_search());
    let base = UrlState {
        scenario: Some(sim.scenario.id.to_string()),
        seed: Some(ui.seed),
        lang: Some(lang.tag().to_string()),
        lesson: now.lesson,
        step: now.step,
        lesson_text: now.lesson_text,
        ..Default::default()
    };
    // Everything done since the start, so the link restores buttons and terminal too.
    let journal = url_state::pack(&sim.journal_link()).await;
    let fallback = base.to_query();
    let st = UrlState { theme, manifests, journal, ..base };
    StateLinks { query: with_traffic(st.to_query(), sim), fallback }
}

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let link = RwSignal::new(String::new());
    let switch_lang = move |_| {
        let next = i18n.lang().other();
        i18n.0.set(next);
        let mut st = UrlState::parse(&url_state::current_search());
        st.lang = Some(next.tag().to_string());
        url_state::replace_query_exact(&with_traffic(st.to_query(), sim));
        storage_set(&ui, "svclab.lang", next.tag());
    };
    let switch_theme = move |_| {
        let dark =
            document().document_element().and_then(|e| e.get_attribute("data-theme")).is_some_and(|t| t == "dark");
        let next = if dark { Theme::Light } else { Theme::Dark };
        ui.theme.set(Some(next));
        let mut st = UrlState::parse(&url_state::current_search());
        st.theme = Some(next);
        url_state::replace_query_exact(&with_traffic(st.to_query(), sim));
        storage_set(&ui, "svclab.theme", next.as_str());
    };
    let copy_link = move |_| {
        let lang = i18n.lang();
        leptos::task::spawn_local(async move {
            let links = state_links(sim, ui, lang).await;
            url_state::replace_query_exact(&links.query);
            let full = url_state::link_for(&links.query);
            link.set(full.clone());
            let copied = url_state::copy_text(&full).await.is_ok();
            ui.say(i18n::t(lang, if copied { "link.copied" } else { "link.ready" }).to_string());
        });
    };
    let present = expect_context::<crate::present::Present>();
    let pick_scenario = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if id == sim.scenario.id || svclab_core::scenario::by_id(&id).is_none() {
            return;
        }
        // A new page for the new scenario: its cluster, clients, editor draft and link.
        let st = UrlState {
            scenario: Some(id),
            lang: Some(i18n.lang().tag().to_string()),
            theme: ui.theme.get_untracked(),
            ..Default::default()
        };
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_search(&st.to_query());
        }
    };
    view! {
        <header class="app-header">
            // The brand only (the document title is localised): the header stays one row.
            <span class="app-name">"Service Lab"</span>
            <label class="scenario">
                <span class="visually-hidden">{i18n.tr("scenario.label")}</span>
                <select data-testid="scenario-picker" on:change=pick_scenario>
                    {svclab_core::scenario::ALL.iter().map(|s| {
                        let id = s.id;
                        view! { <option value=id selected=id == sim.scenario.id>{move || i18n::t(i18n.lang(), &format!("scenario.{id}")).to_string()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <ClockBar />
            // The secondary actions, folded so the header stays one row at 1280 px (en and zh).
            <MoreMenu>
                <button type="button" data-testid="lang-switch" on:click=switch_lang
                    lang=move || i18n.lang().other().tag()>
                    {move || i18n::t(i18n.lang().other(), "lang.name").to_string()}
                </button>
                <button type="button" data-testid="theme-switch" on:click=switch_theme>
                    {i18n.tr("theme.toggle")}
                </button>
                <button type="button" data-testid="copy-link" on:click=copy_link>{i18n.tr("link.copy")}</button>
                <Show when=move || !link.get().is_empty()>
                    <input class="share-link" data-testid="share-link" readonly
                        aria-label=i18n.tr("link.label") prop:value=move || link.get() />
                </Show>
                <button type="button" data-testid="share-open" on:click=move |_| present.open_share(sim, ui, i18n.lang())>
                    {i18n.tr("share.open")}
                </button>
                <button type="button" data-testid="present-toggle" aria-pressed=move || present.on.get().to_string()
                    on:click=move |_| present.set_on(!present.on.get_untracked())>
                    {i18n.tr("present.toggle")}
                </button>
            </MoreMenu>
        </header>
    }
}

/// "More" (更多): a disclosure button and the actions it folds away. Keyboard: Enter or Space
/// opens it (the actions follow in the Tab order), Esc closes it and gives the focus back to
/// the button; a click elsewhere closes it. An action other than "Copy link" (whose link field
/// shows in the menu) closes it too.
#[component]
fn MoreMenu(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let wrap = NodeRef::<leptos::html::Div>::new();
    let button = NodeRef::<leptos::html::Button>::new();
    let close = move |refocus: bool| {
        open.set(false);
        if refocus {
            if let Some(b) = button.get_untracked() {
                let _ = b.focus();
            }
        }
    };
    let outside = window_event_listener(leptos::ev::pointerdown, move |ev| {
        if !open.get_untracked() {
            return;
        }
        let inside = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(wrap.get_untracked())
            .is_some_and(|(t, w)| w.contains(Some(&t)));
        if !inside {
            close(false);
        }
    });
    on_cleanup(move || outside.remove());
    view! {
        <div class="more" node_ref=wrap on:keydown=move |ev: web_sys::KeyboardEvent| {
            if ev.key() == "Escape" && open.get_untracked() {
                ev.prevent_default();
                ev.stop_propagation();
                close(true);
            }
        }>
            <button type="button" class="more-toggle" data-testid="more" node_ref=button
                aria-expanded=move || open.get().to_string() aria-controls="more-menu"
                on:click=move |_| open.update(|o| *o = !*o)>
                {i18n.tr("header.more")} <span aria-hidden="true">" ▾"</span>
            </button>
            <div id="more-menu" class="more-menu" role="group" aria-label=i18n.tr("header.more")
                data-testid="more-menu" hidden=move || !open.get()
                on:click=move |ev: leptos::ev::MouseEvent| {
                    let copy = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|e| e.closest("button").ok().flatten())
                        .and_then(|b| b.get_attribute("data-testid"));
                    match copy.as_deref() {
                        Some("copy-link") | None => {}
                        Some(_) => open.set(false),
                    }
                }>
                {children()}
            </div>
        </div>
    }
}

/// Play, pause, step and speed of simulated time, the time itself, Undo (the journal replayed
/// without the last action) and the [`Timeline`] (any earlier simulated time; playing on
/// follows the recorded present again).
#[component]
pub fn ClockBar() -> impl IntoView {
    let i18n = use_i18n();
    let clock = expect_context::<Clock>();
    let sim = expect_context::<SimController>();
    let now = Memo::new(move |_| sim.now_ms());
    view! {
        <div class="clock" role="group" aria-label=i18n.tr("clock.label")>
            <button type="button" data-testid="play-pause" aria-pressed=move || clock.playing.get().to_string()
                on:click=move |_| clock.playing.update(|p| *p = !*p)>
                {move || if clock.playing.get() { i18n.tr("clock.pause")() } else { i18n.tr("clock.play")() }}
            </button>
            <button type="button" data-testid="step" on:click=move |_| sim.advance(1_000)>
                {i18n.tr("clock.step")}
            </button>
            <label>
                <span class="speed-word">{i18n.tr("clock.speed")} " "</span>
                <select class="speed-select" data-testid="speed" on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<f64>() { clock.speed.set(v) }
                }>
                    {SPEEDS.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.to_string() selected=move || clock.speed.get() == s>{format!("{s}×")}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="button" data-testid="undo" disabled=move || !sim.can_undo()
                on:click=move |_| { sim.undo(); }>
                {i18n.tr("clock.undo")}
            </button>
            <Timeline />
            <span class="sim-time" data-testid="sim-time">
                {move || i18n::tf(i18n.lang(), "clock.time", &[&format!("{:.1}", now.get() as f64 / 1000.0)])}
            </span>
            <ResetLab />
        </div>
    }
}

/// "Reset": the whole lab back to its scenario (cluster, traffic clients, clock, terminal,
/// editor), after a confirmation in place (a learner's work is not lost to a stray click).
#[component]
fn ResetLab() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let asking = RwSignal::new(false);
    let reset = move |_| {
        sim.reset(ui.seed);
        ui.applied.set(None);
        ui.editor_text.set(Some(sim.scenario.manifests.to_string()));
        ui.resets.update(|n| *n += 1);
        asking.set(false);
        // The address bar forgets the manifests and clients of the link the page came from.
        let mut st = UrlState::parse(&url_state::current_search());
        st.manifests = None;
        url_state::replace_query_exact(&st.to_query());
        ui.say(i18n::t(i18n.lang(), "reset.done").to_string());
    };
    view! {
        <span class="reset-lab">
            <Show when=move || asking.get()
                fallback=move || view! {
                    <button type="button" data-testid="reset-lab" on:click=move |_| asking.set(true)>{i18n.tr("reset.button")}</button>
                }>
                <span role="group" class="reset-confirm" aria-label=i18n.tr("reset.button")>
                    <span data-testid="reset-question">{i18n.tr("reset.question")}</span>
                    " "
                    <button type="button" class="danger" data-testid="reset-confirm" on:click=reset>{i18n.tr("reset.yes")}</button>
                    <button type="button" data-testid="reset-cancel" on:click=move |_| asking.set(false)>{i18n.tr("reset.no")}</button>
                </span>
            </Show>
        </span>
    }
}

/// Simulated time as a clock face: `m:ss`, or `h:mm:ss` from an hour on.
pub fn clock_face(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// Where `t_ms` lies between `start` and `end`, in percent (for a mark's position).
fn percent(t_ms: u64, start: u64, end: u64) -> f64 {
    if end <= start {
        return 100.0;
    }
    (t_ms.saturating_sub(start) as f64 / (end - start) as f64 * 100.0).clamp(0.0, 100.0)
}

/// The most marks drawn on the timeline (the newest): each is a button.
const MAX_MARKS: usize = 300;

/// The timeline: a slider over simulated time from the journal's base to the present, with a
/// mark for every action (hover or click it: its time and text form). Dragging or setting it
/// shows the lab as it was then (read-only, see [`RewoundBanner`]); the keys: ←/→ one second
/// (with Shift ten), PageUp/PageDown the previous/next action, Home/End the start/the present.
/// Seeking pauses the clock; playing on replays the recorded actions at their times.
#[component]
fn Timeline() -> impl IntoView {
    let i18n = use_i18n();
    let clock = expect_context::<Clock>();
    let sim = expect_context::<SimController>();
    let tl = Memo::new(move |_| sim.timeline());
    let key = Memo::new(move |_| sim.journal_key());
    let marks = Memo::new(move |_| {
        // Read, not only tracked: a memo that was never read has no sources of its own yet.
        let _ = key.get();
        let mut m = sim.marks();
        if m.len() > MAX_MARKS {
            m.drain(..m.len() - MAX_MARKS);
        }
        m
    });
    // A mark under the pointer: the label shows it instead of the position.
    let hover = RwSignal::new(None::<(u64, String)>);
    let seek = move |t: u64| {
        clock.playing.set(false);
        sim.seek(t);
    };
    // The last action the lab shown has done: all of them at the present; in the past, those
    // sent before the time shown (`Lab::replay_until` replays the entries before it).
    let last_before = move |t: u64| {
        let present = !tl.with_untracked(|t| t.rewound);
        marks.with(|m| m.iter().rev().find(|m| m.at_ms < t || present).map(|m| m.text.clone()))
    };
    let position = move || {
        let t = tl.get();
        let lang = i18n.lang();
        let at = i18n::tf(lang, "timeline.at", &[&clock_face(t.now_ms), &clock_face(t.end_ms)]);
        match last_before(t.now_ms) {
            Some(text) => i18n::tf(lang, "timeline.after", &[&at, &text]),
            None => at,
        }
    };
    let label = move || match hover.get() {
        Some((at, text)) => format!("{} {text}", clock_face(at)),
        None => position(),
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let t = tl.get_untracked();
        let step = if ev.shift_key() { 10_000 } else { 1_000 };
        let target = match ev.key().as_str() {
            "ArrowLeft" | "ArrowDown" => Some(t.now_ms.saturating_sub(step)),
            "ArrowRight" | "ArrowUp" => Some(t.now_ms + step),
            "PageUp" => Some(
                marks
                    .with_untracked(|m| m.iter().rev().find(|m| m.at_ms < t.now_ms).map(|m| m.at_ms))
                    .unwrap_or(t.start_ms),
            ),
            "PageDown" => Some(
                marks.with_untracked(|m| m.iter().find(|m| m.at_ms > t.now_ms).map(|m| m.at_ms)).unwrap_or(t.end_ms),
            ),
            "Home" => Some(t.start_ms),
            "End" => Some(t.end_ms),
            _ => None,
        };
        if let Some(x) = target {
            ev.prevent_default();
            seek(x);
        }
    };
    let value_of = |ev: &leptos::ev::Event| event_target_value(ev).parse::<f64>().ok().map(|v| v.max(0.0) as u64);
    view! {
        <span class="timeline" class:rewound=move || tl.get().rewound>
            <span class="timeline-track">
                <input type="range" data-testid="timeline" step="any"
                    min=move || tl.get().start_ms.to_string()
                    max=move || tl.get().end_ms.to_string()
                    prop:value=move || tl.get().now_ms.to_string()
                    aria-label=i18n.tr("timeline.label")
                    aria-keyshortcuts="PageUp PageDown Home End"
                    aria-valuetext=position
                    on:pointerdown=move |_| clock.playing.set(false)
                    on:input=move |ev| if let Some(v) = value_of(&ev) {
                        let done = marks.with_untracked(|m| m.iter().rev().find(|m| m.at_ms < v).map(|m| m.text.clone()));
                        hover.set(Some((v, done.unwrap_or_default())));
                    }
                    on:change=move |ev| {
                        hover.set(None);
                        // The far end of the track is the present, whatever the rounding.
                        if let Some(v) = value_of(&ev) {
                            let end = tl.get_untracked().end_ms;
                            seek(if v + 100 > end { end } else { v });
                        }
                    }
                    on:keydown=on_key />
                <span class="timeline-marks">
                    // Re-drawn when the marks change; each mark only moves as the present grows.
                    {move || {
                        marks.get().into_iter().map(|m| {
                            let at_ms = m.at_ms;
                            // Through the CSSOM (`style:left`), never a style="…" attribute: the strict CSP.
                            let left = move || tl.with(|t| format!("{:.2}%", percent(at_ms, t.start_ms, t.end_ms)));
                            let title = format!("{} {}", clock_face(m.at_ms), m.text);
                            let (at, text) = (m.at_ms, m.text.clone());
                            view! {
                                <button type="button" class="timeline-mark" tabindex="-1" data-testid="timeline-mark"
                                    data-at=m.at_ms.to_string() style:left=left title=title.clone() aria-label=title
                                    on:mouseenter=move |_| hover.set(Some((at, text.clone())))
                                    on:mouseleave=move |_| hover.set(None)
                                    on:click=move |_| seek(at)></button>
                            }
                        }).collect_view()
                    }}
                </span>
            </span>
            <span class="timeline-time" aria-hidden="true">{move || {
                let t = tl.get();
                format!("{} / {}", clock_face(t.now_ms), clock_face(t.end_ms))
            }}</span>
            // The hovered mark, the dragged-to time or (while the slider has the focus) the
            // position and the last action before it.
            <span class="timeline-tip" class:shown=move || hover.with(Option::is_some) data-testid="timeline-label">{label}</span>
        </span>
    }
}

/// While the lab shows the past: says so, that it is read-only and why an action did nothing,
/// and offers "Back to now" (play forward to the present at once) and "Continue from here"
/// (the past becomes the present; what came after is dropped, as typing after an editor's
/// undo drops its redo).
#[component]
pub fn RewoundBanner() -> impl IntoView {
    let i18n = use_i18n();
    let sim = expect_context::<SimController>();
    let tl = Memo::new(move |_| sim.timeline());
    // Refusals counted since the lab was last rewound: only those are explained.
    let refused = Memo::new(move |_| sim.refused());
    let refused_at = StoredValue::new(refused.get_untracked());
    Effect::new(move |_| {
        if !tl.with(|t| t.rewound) {
            refused_at.set_value(refused.get_untracked());
        }
    });
    view! {
        <Show when=move || tl.with(|t| t.rewound)>
            <div class="rewound-banner" role="region" aria-label=i18n.tr("timeline.banner") data-testid="rewound-banner">
                <p role="status" data-testid="rewound-note">
                    {move || {
                        let t = tl.get();
                        i18n::tf(i18n.lang(), "timeline.rewound", &[&clock_face(t.now_ms), &clock_face(t.end_ms)])
                    }}
                </p>
                <button type="button" data-testid="to-present" on:click=move |_| sim.to_present()>
                    {i18n.tr("clock.present")}
                </button>
                <button type="button" data-testid="continue-here" on:click=move |_| sim.continue_from_here()>
                    {i18n.tr("timeline.continue")}
                </button>
                <Show when=move || refused.get() != refused_at.get_value()>
                    <p class="timeline-refused" role="alert" data-testid="rewound-refused">{i18n.tr("timeline.refused")}</p>
                </Show>
            </div>
        </Show>
    }
}
