//! Service Lab, the browser app. One [`sim::SimController`] owns the simulation; panels read
//! its snapshot and send it commands. Every sentence comes from `locales/`. The UI owns the
//! playback clock ([`clock::Clock`]); the URL ([`url_state::UrlState`]) carries what a link
//! shares.

pub mod clock;
pub mod crash;
pub mod i18n;
pub mod input;
pub mod offline;
pub mod panels;
pub mod present;
pub mod share;
pub mod sim;
pub mod url_state;

pub use crash::{crashed, take_recovery};
use i18n::{I18n, Lang};
use leptos::prelude::*;
use sim::SimController;
use url_state::{Panel, Theme, TrafficUrl, UrlState};

/// Shared UI state that is not the simulation.
#[derive(Clone, Copy)]
pub struct Ui {
    /// The last announcement for screen readers (`role=status`).
    pub announce: RwSignal<String>,
    /// The Service selected in the cluster view (namespace, name): the analogies follow it.
    pub service: RwSignal<Option<(String, String)>>,
    /// The last manifest text applied without errors (what a link carries).
    pub applied: RwSignal<Option<String>>,
    /// Text for the editor to show (set by a restored link).
    pub editor_text: RwSignal<Option<String>>,
    pub theme: RwSignal<Option<Theme>>,
    pub embed: bool,
    pub seed: u64,
    /// A problem with the link the page was opened with.
    pub link_problem: RwSignal<Option<String>>,
    /// The link's journal replayed only in part: the core's located reason (a replay limit).
    pub link_cut: RwSignal<Option<svclab_core::diag::Diagnostic>>,
    /// The workbench's chosen tab (terminal, traffic, ...).
    pub tab: RwSignal<panels::workbench::Tab>,
    /// Bumped each time the whole lab is reset to its scenario: panels with state of their
    /// own (the terminal's scrollback, the editor's text, answer diffs) start over.
    pub resets: RwSignal<u64>,
}

impl Ui {
    pub fn say(&self, text: String) {
        self.announce.set(text);
    }
}

pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Personal preferences and drafts: never in embed mode.
pub fn storage_get(ui: &Ui, key: &str) -> Option<String> {
    if ui.embed {
        return None;
    }
    local_storage().and_then(|s| s.get_item(key).ok().flatten())
}

pub fn storage_set(ui: &Ui, key: &str, value: &str) {
    storage_try_set(ui, key, value);
}

/// Like [`storage_set`], saying whether the value is kept: `false` when the browser refused it
/// (its storage quota is full, or storage is off). Embed mode stores nothing by design: `true`.
pub fn storage_try_set(ui: &Ui, key: &str, value: &str) -> bool {
    if ui.embed {
        return true;
    }
    // No storage at all (switched off by the browser): nothing to report per draft.
    local_storage().is_none_or(|s| s.set_item(key, value).is_ok())
}

fn apply_theme(theme: Option<Theme>) {
    let Some(el) = document().document_element() else { return };
    let resolved = theme.unwrap_or(if url_state::system_dark() { Theme::Dark } else { Theme::Light });
    let _ = el.set_attribute("data-theme", resolved.as_str());
}

/// Remove what index.html shows before the wasm arrives: the loading frame and the first screen
/// pre-rendered at build time (`scripts/prerender.mjs`, chosen by `public/boot.js`). Called while
/// the app's view is built, in the same task that mounts it, so the browser never paints a frame
/// without either (no flash); the app's first frame draws the same first screen in the same
/// place (no layout shift: `e2e/prerender.spec.ts` measures both).
fn take_over_first_screen() {
    for id in ["loading", "prerender"] {
        if let Some(el) = document().get_element_by_id(id) {
            el.remove();
        }
    }
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let url = UrlState::parse(&url_state::current_search());
    // The speaker-notes window of presenter mode: notes only, no lab.
    if present::is_notes(&url_state::current_search()) {
        if let Some(el) = document().get_element_by_id("prerender") {
            el.remove();
        }
        let lang = RwSignal::new(Lang::from_browser(url.lang.as_deref()));
        provide_context(I18n(lang));
        apply_theme(url.theme);
        return view! { <present::NotesPage /> }.into_any();
    }
    let seed = url.seed.unwrap_or(1);
    let scenario =
        url.scenario.as_deref().and_then(svclab_core::scenario::by_id).unwrap_or(&svclab_core::scenario::SEED_001);
    let sim = SimController::with_scenario(scenario, seed);
    provide_context(sim);
    // The link's clients and kube-proxy mode (again after a restored manifest resets the lab).
    let traffic_url = TrafficUrl::parse(&url_state::current_search(), sim.scenario.client);
    if url.journal.is_none() {
        panels::traffic::apply_url(sim, &traffic_url);
    }
    // One snapshot per change, shared by every panel.
    let snapshot: Memo<sim::Snapshot> = Memo::new(move |_| sim.snapshot());
    provide_context(snapshot);
    let lang = RwSignal::new(Lang::from_browser(url.lang.as_deref()));
    let i18n = I18n(lang);
    provide_context(i18n);
    let ui = Ui {
        announce: RwSignal::new(String::new()),
        service: RwSignal::new(None),
        applied: RwSignal::new(None),
        editor_text: RwSignal::new(None),
        theme: RwSignal::new(url.theme),
        embed: url.embed,
        seed,
        link_problem: RwSignal::new(None),
        link_cut: RwSignal::new(None),
        tab: RwSignal::new(panels::workbench::Tab::Terminal),
        resets: RwSignal::new(0),
    };
    provide_context(ui);
    take_over_first_screen();
    if ui.theme.get_untracked().is_none() {
        let stored = storage_get(&ui, "svclab.theme");
        ui.theme.set(match stored.as_deref() {
            Some("dark") => Some(Theme::Dark),
            Some("light") => Some(Theme::Light),
            _ => None,
        });
    }
    // The lesson panel's hooks: lines for the terminal to type ("show me"), panels to highlight.
    let feed = panels::lesson::TerminalFeed(RwSignal::new(None));
    provide_context(feed);
    let focus = panels::lesson::Focus(RwSignal::new(Vec::new()));
    provide_context(focus);
    // An embedded lesson (`?embed=1&lesson=ID`) shows its own panels, known once it opens.
    let lesson_panels = RwSignal::new(None);
    provide_context(panels::lesson::LessonPanels(lesson_panels));
    let embed_lesson = url.embed && (url.lesson.is_some() || url.lesson_text.is_some());
    let clock = clock::Clock::new(true);
    provide_context(clock);
    clock.start(sim);
    // Presenter mode (never in an embed): its keys and the notes window's channel.
    let present =
        present::Present::new(!url.embed && url_state::current_search().contains("present=1"), sim.scenario.id);
    provide_context(present);
    // The lesson panel tells presenter mode where the open lesson is.
    provide_context(present.lesson);
    if !url.embed {
        present::install_keys(present, clock, sim);
        present::start_notes_channel(present);
    }

    Effect::new(move |_| apply_theme(ui.theme.get()));
    Effect::new(move |_| {
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", lang.get().tag());
        }
        document().set_title(i18n::t(lang.get(), "app.title"));
    });
    if url.embed {
        url_state::report_height();
    }
    offline::start(url.embed, url.offline);
    let problems: Vec<String> = url.problems.iter().chain(&traffic_url.problems).cloned().collect();
    if !problems.is_empty() {
        ui.link_problem.set(Some(problems.join(", ")));
    }
    if let Some(code) = url.journal.clone() {
        // The journal rebuilds the whole lab; the manifests only refill the editor.
        let manifests = url.manifests.clone();
        leptos::task::spawn_local(async move {
            let restored = match url_state::unpack(&code).await {
                Some(text) => sim.restore_journal(&text),
                None => sim::Restore::Unreadable,
            };
            match restored {
                sim::Restore::Whole => {}
                sim::Restore::Partial(d) => ui.link_cut.set(Some(d)),
                sim::Restore::Unreadable => ui.link_problem.set(Some("j".into())),
            }
            if let Some(m) = manifests {
                if let Some(text) = url_state::unpack(&m).await {
                    ui.applied.set(Some(text.clone()));
                    ui.editor_text.set(Some(text));
                }
            }
        });
    } else if let Some(code) = url.manifests.clone() {
        leptos::task::spawn_local(async move {
            match url_state::unpack(&code).await {
                Some(text) => {
                    let report = sim.reset_with(&text, seed);
                    if report.ok() {
                        panels::traffic::apply_url(sim, &traffic_url);
                        ui.applied.set(Some(text.clone()));
                    } else {
                        ui.link_problem.set(Some("m".into()));
                    }
                    ui.editor_text.set(Some(text));
                }
                None => ui.link_problem.set(Some("m".into())),
            }
        });
    }

    let tr = i18n.tr("app.title");
    // The full app: the cluster (left) and the DNS answers (right) on the first screen, the
    // workbench's tabs under the answers (the terminal first; the lesson slot is its first tab,
    // see `panels::workbench`). An embed shows the panels it names, stacked; an embedded
    // lesson the lesson's panels (unless `panels=` names them), once it is open.
    let body = if url.embed {
        let named = url.panels.clone();
        (move || {
            // Only an embedded lesson without `panels=` waits for its panels (read reactively).
            let list: Vec<Panel> = match &named {
                Some(list) => list.clone(),
                None if embed_lesson => lesson_panels.get().unwrap_or_default(),
                None => Panel::ALL.to_vec(),
            };
            list.into_iter()
                .map(|p| match p {
                    Panel::Cluster => view! { <panels::cluster::ClusterPanel /> }.into_any(),
                    Panel::Traffic => view! { <panels::traffic::TrafficPanel /> }.into_any(),
                    Panel::Dns => view! { <panels::dns::DnsPanel /> <panels::dns::DnsLogPanel /> }.into_any(),
                    Panel::Analogies => view! { <panels::analogies::AnalogiesPanel /> }.into_any(),
                    Panel::Terminal => view! { <panels::terminal::TerminalPanel /> }.into_any(),
                    Panel::Editor => view! { <panels::editor::EditorPanel /> }.into_any(),
                })
                .collect_view()
        })
        .into_any()
    } else {
        view! {
            <panels::cluster::ClusterPanel />
            <div class="side">
                <panels::dns::DnsPanel />
                <panels::workbench::Workbench />
            </div>
        }
        .into_any()
    };
    view! {
        <a class="skip-link" href="#panels">{i18n.tr("app.skip")}</a>
        <main data-testid="app" class="app" class:embed=url.embed class:rewound=move || sim.rewound() class:present=move || present.on.get()
            class:revealed=move || present.revealed.get()
            data-show=move || present.on.get().then(|| present.shown())
            data-spot=move || present.on.get().then(|| present.spot.get().map(|p| p.id())).flatten()
            style=("--stage-zoom", move || present.on.get().then(|| present.zoom.get().to_string()))
            style=("--cover-text", move || present.on.get().then(|| present::cover_text(lang.get())))>
            {if url.embed {
                view! { <panels::header::ClockBar /> }.into_any()
            } else {
                view! { <panels::header::Header /> }.into_any()
            }}
            <Show when=move || present.on.get()>
                <present::PresentBar />
            </Show>
            <present::ShareHost />
            <LinkProblem />
            <panels::header::RewoundBanner />
            <offline::UpdatedNote />
            <h1 class="visually-hidden">{tr}</h1>
            {(!url.embed || embed_lesson).then(|| view! { <panels::lesson::LessonPanel /> })}
            // In presenter mode a click on a panel spotlights it.
            <div id="panels" class="panels" data-focus=move || {
                let f = focus.0.get();
                (!f.is_empty()).then(|| f.join(" "))
            } on:click=move |ev| {
                if present.on.get_untracked() {
                    present::spotlight_from(present, &ev);
                }
            }>{body}</div>
            <div class="visually-hidden" role="status" aria-live="polite" data-testid="announce">
                {move || ui.announce.get()}
            </div>
        </main>
    }
    .into_any()
}

/// A clear message when the link could not be restored (the default scenario is shown).
#[component]
fn LinkProblem() -> impl IntoView {
    let ui = use_ui();
    let i18n = i18n::use_i18n();
    let problem = move || {
        ui.link_problem.get().map(|p| {
            view! {
                <p class="link-problem" role="alert" data-testid="link-problem">
                    {move || i18n::tf(i18n.lang(), "link.problem", &[&p])}
                </p>
            }
        })
    };
    // Replayed in part: which entry stopped it and what limit, in the UI language.
    let cut = move || {
        ui.link_cut.get().map(|d| {
            view! {
                <p class="link-problem" role="alert" data-testid="link-cut">
                    {move || i18n::tf(i18n.lang(), "link.cut", &[&i18n::diagnostic(i18n.lang(), &d)])}
                </p>
            }
        })
    };
    view! { {problem} {cut} }
}
