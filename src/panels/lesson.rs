//! The lesson panel: the guided tutorial over the lab. A picker ("Start the tutorial" / "Open
//! the sandbox" and the list of lessons), then one step at a time: its text, the task, the
//! check's status (re-evaluated on every change of the lab, through
//! [`SimController::observe`], so looking changes nothing), progressive hints, a
//! predict-then-reveal question whose reveal is a live value, "show me" (the solution typed
//! into the terminal at a readable pace), back / next / reset step. The step's panels are
//! highlighted through `data-focus` on the panels' container (the others dimmed, not hidden).
//! Progress per lesson is kept in local storage (not in embed mode); the URL carries
//! `?lesson=ID&step=N` (1-based), so a link opens that step with its setup applied.
//!
//! A teacher's own lesson comes in the link itself (`?lessontext=`, the lesson file packed like
//! the manifests, written by `svclab lesson link`): unpacked here, parsed by the core (the same
//! located diagnostics as `svclab lesson check` prints), and opened when it has no error; a
//! broken one is listed line:column and message, in the page's language. Nothing is fetched.
//! In embed mode (`?embed=1&lesson=ID`) the panel shows that lesson only (no picker) and
//! [`LessonPanels`] tells the page which panels to show: the lesson's.

use crate::i18n::{self, use_i18n, Lang};
use crate::sim::SimController;
use crate::url_state::{self, Panel, UrlState};
use crate::{storage_get, storage_set, use_ui};
use leptos::prelude::*;
use svclab_core::diag::Diagnostic;
use svclab_core::lesson::{self, markdown, CheckStatus, Lesson, Progress};

/// The curriculum, in order (the files of `lessons/`; `svclab lesson check` proves each).
pub const CURRICULUM: &[&str] = &[
    include_str!("../../lessons/01-one-door.lesson"),
    include_str!("../../lessons/02-no-door.lesson"),
    include_str!("../../lessons/03-dns-follows-pods.lesson"),
    include_str!("../../lessons/04-who-picks.lesson"),
    include_str!("../../lessons/05-long-lived.lesson"),
    include_str!("../../lessons/06-statefulset.lesson"),
    include_str!("../../lessons/07-no-selector.lesson"),
    include_str!("../../lessons/08-externalname.lesson"),
    include_str!("../../lessons/09-a-and-aaaa.lesson"),
    include_str!("../../lessons/10-loadbalancer.lesson"),
    include_str!("../../lessons/11-choosing.lesson"),
];

/// The parsed curriculum; a lesson with an error is left out (the CLI check fails on it).
pub fn curriculum() -> Vec<Lesson> {
    CURRICULUM.iter().map(|t| lesson::parse(t)).filter(|p| p.ok()).map(|p| p.lesson).collect()
}

/// A line for the terminal panel to run as if typed ("show me").
#[derive(Clone, Copy)]
pub struct TerminalFeed(pub RwSignal<Option<String>>);

/// What the panels' container highlights: the current step's panels.
#[derive(Clone, Copy)]
pub struct Focus(pub RwSignal<Vec<String>>);

/// Embed mode with a lesson: the panels the page shows (the open lesson's, see
/// [`Lesson::panels`]); `None` until a lesson is open.
#[derive(Clone, Copy)]
pub struct LessonPanels(pub RwSignal<Option<Vec<Panel>>>);

/// A teacher's lesson from the link (`lessontext=`), while it is read or when it cannot be.
#[derive(Clone, Debug, PartialEq)]
enum LinkLesson {
    /// No lesson text in the link, or it opened.
    Absent,
    Loading,
    /// Not a packed text this app wrote (damaged, cut short, too large).
    Unreadable,
    /// The lesson's errors, located in its text.
    Broken(Vec<Diagnostic>),
}

/// Where the open lesson is, for presenter mode: its ← and → keys and buttons walk the
/// lesson's steps, its bar shows the step's title and the notes window the step's notes.
#[derive(Clone, Copy)]
pub struct LessonNav {
    pub at: RwSignal<Option<LessonAt>>,
    go: StoredValue<Option<Callback<isize>>>,
}

/// The open lesson's current step.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonAt {
    /// 0-based.
    pub step: usize,
    pub total: usize,
    pub passed: bool,
    pub data: svclab_core::lesson::Step,
}

impl Default for LessonNav {
    fn default() -> Self {
        Self::new()
    }
}

impl LessonNav {
    pub fn new() -> LessonNav {
        LessonNav { at: RwSignal::new(None), go: StoredValue::new(None) }
    }

    /// One step on (`1`) or back (`-1`) in the open lesson; false when no lesson is open. On
    /// a step not passed yet, forward first plays the step's solution ("show me", typed into
    /// the terminal for the class), as a learner cannot go on before the step passes either.
    pub fn go(&self, delta: isize) -> bool {
        if self.at.get_untracked().is_none() {
            return false;
        }
        match self.go.get_value() {
            Some(f) => {
                f.run(delta);
                true
            }
            None => false,
        }
    }
}

/// `lesson=` and `step=` of the page's URL.
pub fn url_lesson(search: &str) -> Option<(String, usize)> {
    let mut id = None;
    let mut step = 1;
    for kv in search.trim_start_matches('?').split('&') {
        match kv.split_once('=') {
            Some(("lesson", v)) => id = Some(v.to_string()),
            Some(("step", v)) => step = v.parse().unwrap_or(1),
            _ => {}
        }
    }
    id.map(|i| (i, step.max(1) - 1))
}

/// The workbench tab a step talks about first (its `panels:` in order), brought forward when
/// the step opens, so the terminal is there when the step asks for a command.
fn step_tab(panels: &[String]) -> Option<super::workbench::Tab> {
    use super::workbench::Tab;
    panels.iter().find_map(|p| match p.as_str() {
        "terminal" => Some(Tab::Terminal),
        "traffic" => Some(Tab::Traffic),
        "analogies" => Some(Tab::Analogies),
        "editor" => Some(Tab::Editor),
        _ => None,
    })
}

/// At most this many of a broken lesson's errors are listed (the rest are counted).
const MAX_SHOWN_ERRORS: usize = 12;

/// The Sandbox entry: today's free lab, with or without the picker.
const SANDBOX_KEY: &str = "svclab.sandbox";

fn progress_key(id: &str) -> String {
    format!("svclab.lesson.{id}")
}

fn render_md(text: &str) -> AnyView {
    use markdown::{Block, Inline};
    let inl = |v: Vec<Inline>| {
        v.into_iter()
            .map(|i| match i {
                Inline::Text(t) => view! { <span>{t}</span> }.into_any(),
                Inline::Em(t) => view! { <em>{t}</em> }.into_any(),
                Inline::Strong(t) => view! { <strong>{t}</strong> }.into_any(),
                Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
            })
            .collect_view()
    };
    markdown::blocks(text)
        .into_iter()
        .map(|b| match b {
            Block::Paragraph(v) => view! { <p>{inl(v)}</p> }.into_any(),
            Block::List(items) => {
                view! { <ul>{items.into_iter().map(|i| view! { <li>{inl(i)}</li> }).collect_view()}</ul> }.into_any()
            }
            Block::Code { text, .. } => view! { <pre class="lesson-code"><code>{text}</code></pre> }.into_any(),
        })
        .collect_view()
        .into_any()
}

fn set_url(id: Option<&str>, step: usize) {
    let Some(w) = web_sys::window() else { return };
    let Ok(history) = w.history() else { return };
    let search = crate::url_state::current_search();
    let mut parts: Vec<String> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("lesson=") && !kv.starts_with("step="))
        .map(str::to_string)
        .collect();
    if let Some(id) = id {
        parts.push(format!("lesson={id}"));
        parts.push(format!("step={}", step + 1));
    }
    let path = w.location().pathname().unwrap_or_default();
    let url = if parts.is_empty() { path } else { format!("{path}?{}", parts.join("&")) };
    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
}

#[component]
pub fn LessonPanel() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let sim = expect_context::<SimController>();
    let feed = expect_context::<TerminalFeed>();
    let focus = expect_context::<Focus>();
    let embed_panels = expect_context::<LessonPanels>();
    let lessons = StoredValue::new(curriculum());
    // The curriculum's lessons come first; a lesson from the link goes after them.
    let n_curriculum = lessons.with_value(Vec::len);
    let link = RwSignal::new(LinkLesson::Absent);
    let current: RwSignal<Option<usize>> = RwSignal::new(None);
    let progress = RwSignal::new(Progress::default());
    let hints = RwSignal::new(0usize);
    let guess: RwSignal<Option<usize>> = RwSignal::new(None);
    let playing = RwSignal::new(false);
    let sandbox = RwSignal::new(storage_get(&ui, SANDBOX_KEY).as_deref() == Some("1"));
    // Bumped when a step opens, so stored progress is read again.
    let saved = RwSignal::new(0u32);

    let open = move |idx: usize, step: usize| {
        let Some(l) = lessons.with_value(|ls| ls.get(idx).cloned()) else { return };
        let step = step.min(l.steps.len().saturating_sub(1));
        let lab = lesson::lab_at_step(&l, step);
        let p = Progress::begin(&lab, step);
        sim.load_lab(lab);
        current.set(Some(idx));
        progress.set(p);
        hints.set(0);
        guess.set(None);
        focus.0.set(l.steps.get(step).map(|s| s.panels.clone()).unwrap_or_default());
        if let Some(tab) = l.steps.get(step).and_then(|s| step_tab(&s.panels)) {
            ui.tab.set(tab);
        }
        set_url(Some(&l.id), step);
        saved.update(|n| *n += 1);
        if ui.embed {
            let list: Vec<Panel> = l.panels().into_iter().filter_map(Panel::parse).collect();
            if embed_panels.0.get_untracked().as_ref() != Some(&list) {
                embed_panels.0.set(Some(list));
            }
        }
    };
    // A link to a lesson step opens it with its setup applied; a teacher's lesson in the link
    // is read first (its `lesson=` is its own id, whatever the curriculum holds).
    let url = UrlState::parse(&url_state::current_search());
    let step0 = url.step.unwrap_or(1) - 1;
    if let Some(code) = url.lesson_text.clone() {
        link.set(LinkLesson::Loading);
        leptos::task::spawn_local(async move {
            let Some(text) = url_state::unpack(&code).await else {
                link.set(LinkLesson::Unreadable);
                return;
            };
            let parsed = lesson::parse(&text);
            if parsed.ok() {
                let idx = lessons.with_value(Vec::len);
                lessons.update_value(|ls| ls.push(parsed.lesson));
                link.set(LinkLesson::Absent);
                open(idx, step0);
            } else {
                link.set(LinkLesson::Broken(parsed.diagnostics.into_iter().filter(Diagnostic::is_error).collect()));
            }
        });
    } else if let Some(id) = url.lesson.clone() {
        match lessons.with_value(|ls| ls.iter().position(|l| l.id == id)) {
            Some(idx) => open(idx, step0),
            None => ui.link_problem.set(Some(format!("lesson={id}"))),
        }
    }
    let lesson_now = move || current.get().and_then(|i| lessons.with_value(|ls| ls.get(i).cloned()));
    let status: Memo<Option<CheckStatus>> = Memo::new(move |_| {
        let l = lesson_now()?;
        let p = progress.get();
        sim.observe(|lab| p.check(&l, lab))
    });
    let passed = move || status.get().is_some_and(|s| s.passed);
    // Remember a passed step (the furthest one) per curriculum lesson (a lesson from a link
    // may reuse a curriculum id: its step stays in the URL only).
    Effect::new(move |_| {
        let linked = current.get().is_some_and(|i| i >= n_curriculum);
        if let (true, Some(l)) = (passed(), lesson_now()) {
            if linked {
                ui.say(i18n::t(i18n.lang(), "lesson.passed").to_string());
                return;
            }
            let step = progress.get_untracked().step + 1;
            let key = progress_key(&l.id);
            let best = storage_get(&ui, &key).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
            if step > best {
                storage_set(&ui, &key, &step.to_string());
                saved.update(|n| *n += 1);
            }
            ui.say(i18n::t(i18n.lang(), "lesson.passed").to_string());
        }
    });
    let next = move |delta: isize| {
        let (Some(idx), Some(l)) = (current.get_untracked(), lesson_now()) else { return };
        let step = progress.get_untracked().step;
        let target = step as isize + delta;
        if target < 0 || target as usize >= l.steps.len() {
            return;
        }
        let target = target as usize;
        if delta == 1 {
            // Forward: the same lab goes on, the new step begins now.
            let p = sim.observe(|lab| Progress::begin(lab, target)).unwrap_or_default();
            progress.set(p);
            hints.set(0);
            guess.set(None);
            focus.0.set(l.steps[target].panels.clone());
            if let Some(tab) = step_tab(&l.steps[target].panels) {
                ui.tab.set(tab);
            }
            set_url(Some(&l.id), target);
        } else {
            open(idx, target);
        }
    };
    let show_me = move || {
        let Some(l) = lesson_now() else { return };
        let Some(step) = l.steps.get(progress.get_untracked().step).cloned() else { return };
        playing.set(true);
        play_lines(sim, feed, playing, step.solution, 0);
    };
    // Presenter mode's keys walk this lesson (when the app provides the hook).
    if let Some(nav) = use_context::<LessonNav>() {
        nav.go.set_value(Some(Callback::new(move |delta: isize| {
            if delta > 0 && !passed() {
                if !playing.get_untracked() {
                    show_me();
                }
            } else {
                next(delta);
            }
        })));
        Effect::new(move |_| {
            let at = lesson_now().and_then(|l| {
                let p = progress.get();
                let data = l.steps.get(p.step)?.clone();
                Some(LessonAt { step: p.step, total: l.steps.len(), passed: passed(), data })
            });
            nav.at.set(at);
        });
    }
    let exit = move || {
        current.set(None);
        focus.0.set(Vec::new());
        set_url(None, 0);
    };

    let picker = move || {
        let lang = lesson_lang(i18n.lang());
        let _ = saved.get();
        let rows = lessons.with_value(|ls| {
            ls.iter()
                .take(n_curriculum)
                .enumerate()
                .map(|(i, l)| {
                    let done = storage_get(&ui, &progress_key(&l.id)).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
                    let of = format!("{}/{}", done.min(l.steps.len()), l.steps.len());
                    let resume = done.min(l.steps.len().saturating_sub(1));
                    let id = l.id.clone();
                    view! {
                        <li>
                            <button class="lesson-pick" data-testid=format!("lesson-open-{id}") on:click=move |_| open(i, resume)>
                                {l.title.get(lang).to_string()}
                            </button>
                            <span class="lesson-progress">{of}</span>
                            <p class="lesson-summary">{l.summary.get(lang).to_string()}</p>
                        </li>
                    }
                })
                .collect_view()
        });
        view! {
            <div class="lesson-picker" data-testid="lesson-picker">
                <div class="lesson-start">
                    <button data-testid="lesson-start" on:click=move |_| {
                        sandbox.set(false);
                        open(0, 0);
                    }>{i18n.tr("lesson.start")}</button>
                    <button data-testid="lesson-sandbox" on:click=move |_| {
                        sandbox.set(true);
                        storage_set(&ui, SANDBOX_KEY, "1");
                    }>{i18n.tr("lesson.sandbox")}</button>
                </div>
                // The list folds: the first screen keeps the lab in view (one row of choices).
                <details class="lesson-all" data-testid="lesson-all">
                    <summary>{i18n.tr("lesson.all")}</summary>
                    <ol class="lesson-list">{rows}</ol>
                </details>
            </div>
        }
    };

    let step_view = move || {
        let l = lesson_now()?;
        let page = i18n.lang();
        let lang = lesson_lang(page);
        let p = progress.get();
        let step = l.steps.get(p.step)?.clone();
        let total = l.steps.len();
        let hint_list = step.hints.clone();
        let n_hints = hint_list.len();
        let predict = step.predict.clone();
        let last = p.step + 1 == total;
        let idx = current.get()?;
        let linked = idx >= n_curriculum;
        let following = (last && !linked && !ui.embed && idx + 1 < n_curriculum)
            .then(|| lessons.with_value(|ls| (idx + 1, ls[idx + 1].title.get(lang).to_string())));
        Some(view! {
            <div class="lesson-step" data-testid="lesson-step">
                <p class="lesson-where">
                    // An embedded lesson is the only one: no way out to the picker.
                    {(!ui.embed).then(|| view! {
                        <button class="text-link" data-testid="lesson-all" on:click=move |_| exit()>{i18n.tr("lesson.all")}</button>
                        " · "
                    })}
                    {linked.then(|| view! { <span class="lesson-from-link" data-testid="lesson-from-link">{i18n.tr("lesson.from_link")}</span> " · " })}
                    <span class="lesson-name">{l.title.get(lang).to_string()}</span> " · "
                    <span class="lesson-count">{i18n::tf(page, "lesson.step_of", &[&(p.step + 1).to_string(), &total.to_string()])}</span>
                </p>
                <h3>{step.title.get(lang).to_string()}</h3>
                <div class="lesson-text">{render_md(step.text.get(lang))}</div>
                <p class="lesson-task" data-testid="lesson-task"><strong>{i18n.tr("lesson.task")}</strong> " " {step.task.get(lang).to_string()}</p>
                {predict.map(|q| {
                    let answer = q.answer;
                    let reveal = q.reveal.clone();
                    let choices = q.choices.clone();
                    view! {
                        <fieldset class="lesson-predict" data-testid="lesson-predict">
                            <legend>{i18n.tr("lesson.predict")} " " {q.question.get(lang).to_string()}</legend>
                            {choices.into_iter().enumerate().map(|(i, c)| view! {
                                <label>
                                    <input type="radio" name="predict" data-testid=format!("lesson-choice-{}", i + 1)
                                        prop:checked=move || guess.get() == Some(i)
                                        on:change=move |_| guess.set(Some(i)) />
                                    " " {c.get(lang).to_string()}
                                </label>
                            }).collect_view()}
                            <Show when=move || passed() && guess.get().is_some()>
                                {
                                    let reveal = reveal.clone();
                                    let explain = q.explain.get(lang).to_string();
                                    let right = q.choices.get(answer).map(|c| c.get(lang).to_string()).unwrap_or_default();
                                    view! {
                                        <div class="lesson-reveal" data-testid="lesson-reveal">
                                            <p>{move || if guess.get() == Some(answer) {
                                                i18n::t(i18n.lang(), "lesson.guess.right").to_string()
                                            } else {
                                                i18n::tf(i18n.lang(), "lesson.guess.wrong", &[&right])
                                            }}</p>
                                            <p>{i18n.tr("lesson.live")}</p>
                                            <pre class="lesson-live" data-testid="lesson-live">{move || {
                                                let r = reveal.clone();
                                                sim.observe(move |lab| lesson::check::probe(&r, lab))
                                                    .map(|v| v.missing.clone().unwrap_or_else(|| if v.text.is_empty() { "—".into() } else { v.text.clone() }))
                                                    .unwrap_or_default()
                                            }}</pre>
                                            <p>{explain.clone()}</p>
                                        </div>
                                    }
                                }
                            </Show>
                        </fieldset>
                    }
                })}
                <ul class="lesson-check" data-testid="lesson-check" aria-live="polite">
                    {move || status.get().map(|s| s.conditions.into_iter().map(|c| {
                        let mark = if c.passed { "✓" } else { "○" };
                        view! { <li class:ok=c.passed><span aria-hidden="true">{mark}</span> " " <code>{c.source}</code>
                            {(!c.observed.is_empty()).then(|| view! { <span class="observed">" — " {c.observed}</span> })}</li> }
                    }).collect_view())}
                </ul>
                <Show when=passed>
                    <p class="lesson-passed" data-testid="lesson-passed">{i18n.tr("lesson.passed")}</p>
                </Show>
                <ol class="lesson-hints" data-testid="lesson-hints">
                    {move || hint_list.iter().take(hints.get()).map(|h| view! { <li>{render_md(h.get(lesson_lang(i18n.lang())))}</li> }).collect_view()}
                </ol>
                <div class="lesson-buttons">
                    <button data-testid="lesson-back" disabled=p.step == 0 on:click=move |_| next(-1)>{i18n.tr("lesson.back")}</button>
                    <button data-testid="lesson-hint" disabled={move || hints.get() >= n_hints} on:click=move |_| hints.update(|h| *h += 1)>{i18n.tr("lesson.hint")}</button>
                    <button data-testid="lesson-show" disabled=move || playing.get() || passed() on:click=move |_| show_me()>{i18n.tr("lesson.show")}</button>
                    <button data-testid="lesson-reset" on:click=move |_| { if let Some(i) = current.get_untracked() { open(i, progress.get_untracked().step) } }>{i18n.tr("lesson.reset")}</button>
                    {(!last).then(|| view! {
                        <button data-testid="lesson-next" class="primary" disabled=move || !passed() on:click=move |_| next(1)>{i18n.tr("lesson.next")}</button>
                    })}
                    // The last step of a curriculum lesson leads on to the next lesson.
                    {following.map(|(i, title)| view! {
                        <button data-testid="lesson-next-lesson" class="primary" disabled=move || !passed()
                            on:click=move |_| open(i, 0)>{i18n::tf(page, "lesson.next_lesson", &[&title])}</button>
                    })}
                </div>
            </div>
        })
    };

    let link_view = move || match link.get() {
        LinkLesson::Absent => None,
        LinkLesson::Loading => Some(
            view! { <p class="lesson-loading" data-testid="lesson-link-loading">{i18n.tr("lesson.link.loading")}</p> }
                .into_any(),
        ),
        LinkLesson::Unreadable => Some(
            view! {
                <div class="lesson-broken" role="alert" data-testid="lesson-link-errors">
                    <p>{i18n.tr("lesson.link.unreadable")}</p>
                </div>
            }
            .into_any(),
        ),
        LinkLesson::Broken(diags) => {
            let more = diags.len().saturating_sub(MAX_SHOWN_ERRORS);
            let items = diags
                .into_iter()
                .take(MAX_SHOWN_ERRORS)
                .map(|d| {
                    let at = format!("{}:{}", d.pos.line, d.pos.col);
                    view! {
                        <li><code class="lesson-at">{at}</code> " " <span>{move || i18n::diagnostic(i18n.lang(), &d)}</span></li>
                    }
                })
                .collect_view();
            Some(
                view! {
                    <div class="lesson-broken" role="alert" data-testid="lesson-link-errors">
                        <p>{i18n.tr("lesson.link.broken")}</p>
                        <ul>{items}</ul>
                        {(more > 0).then(|| view! { <p>{move || i18n::tf(i18n.lang(), "lesson.link.more", &[&more.to_string()])}</p> })}
                        <p class="lesson-summary">{i18n.tr("lesson.link.fix")}</p>
                    </div>
                }
                .into_any(),
            )
        }
    };

    view! {
        <section class="panel lesson" aria-labelledby="lesson-h" data-testid="panel-lesson">
            <h2 id="lesson-h">{i18n.tr("lesson.title")}</h2>
            {link_view}
            {move || match (current.get().is_some(), sandbox.get()) {
                (true, _) => step_view().into_any(),
                // An embedded lesson has no picker: the lesson, or what is wrong with the link.
                (false, _) if ui.embed => ().into_any(),
                (false, false) => picker().into_any(),
                (false, true) => view! {
                    <button class="text-link" data-testid="lesson-reopen" on:click=move |_| {
                        sandbox.set(false);
                        storage_set(&ui, SANDBOX_KEY, "0");
                    }>{i18n.tr("lesson.reopen")}</button>
                }.into_any(),
            }}
        </section>
    }
}

/// "Show me": one line every 700 ms. Terminal lines go to the terminal panel (typed there, so
/// the learner sees them with their output); `lab ...` lines are performed on the lab, as the
/// page's controls would; `{{ PROBE }}` placeholders are filled from this lab.
fn play_lines(
    sim: SimController,
    feed: TerminalFeed,
    playing: RwSignal<bool>,
    lines: Vec<svclab_core::lesson::ScriptLine>,
    i: usize,
) {
    let Some(l) = lines.get(i) else {
        playing.set(false);
        return;
    };
    let line = sim.observe(|lab| lesson::expand(lab, &l.text)).unwrap_or_else(|| l.text.clone());
    let in_heredoc = sim.in_heredoc();
    if !in_heredoc && line.starts_with("lab ") {
        sim.play_lesson_line(&line);
    } else {
        feed.0.set(Some(line));
    }
    // Heredoc bodies go faster: they are pasted, not typed.
    let ms = if in_heredoc { 60 } else { 700 };
    set_timeout(move || play_lines(sim, feed, playing, lines, i + 1), std::time::Duration::from_millis(ms));
}

/// The language of a lesson text for a [`Lang`] of the page.
pub fn lesson_lang(lang: Lang) -> svclab_core::lesson::Lang {
    match lang {
        Lang::En => svclab_core::lesson::Lang::En,
        Lang::Zh => svclab_core::lesson::Lang::ZhCn,
    }
}
