//! The workbench: the panels that do not fit beside the cluster on the first screen (the
//! terminal, the traffic clients, the analogies, the manifest editor, the DNS log) as tabs
//! of one region, so the first screen at 1280×720 holds the cluster, the DNS answers and the
//! terminal without scrolling.
//!
//! Invariants: every tab's panel stays mounted and is only hidden (`hidden`), so switching
//! keeps its state (the terminal's scrollback, the editor's draft and CodeMirror, a client
//! card being edited, the DNS log's filter). The chosen tab lives in [`crate::Ui::tab`], so
//! other parts can bring a panel forward (`kubectl edit` opens the editor). The tab strip
//! follows the WAI-ARIA tabs pattern: one tab in the Tab order, arrows move between tabs.
//!
//! Lesson slot: the lesson panel goes in as the first entry of [`TABS`] (`Tab::Lesson`,
//! shown first and chosen on a first visit when a lesson exists), so a lesson sits beside
//! the lab on the first screen exactly where the terminal is now; nothing else in the layout
//! has to move.

use crate::i18n::use_i18n;
use crate::use_ui;
use leptos::prelude::*;

/// A tab of the workbench.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Terminal,
    Traffic,
    Analogies,
    Editor,
    DnsLog,
}

/// The tabs in order (the lesson panel, when it lands, goes first: see the module doc).
pub const TABS: [Tab; 5] = [Tab::Terminal, Tab::Traffic, Tab::Analogies, Tab::Editor, Tab::DnsLog];

impl Tab {
    pub fn id(self) -> &'static str {
        match self {
            Tab::Terminal => "terminal",
            Tab::Traffic => "traffic",
            Tab::Analogies => "analogies",
            Tab::Editor => "editor",
            Tab::DnsLog => "dnslog",
        }
    }
    fn label_key(self) -> &'static str {
        match self {
            Tab::Terminal => "tab.terminal",
            Tab::Traffic => "tab.traffic",
            Tab::Analogies => "tab.analogies",
            Tab::Editor => "tab.editor",
            Tab::DnsLog => "tab.dnslog",
        }
    }
}

#[component]
pub fn Workbench() -> impl IntoView {
    let i18n = use_i18n();
    let ui = use_ui();
    let focus_tab = |t: Tab| {
        if let Some(el) = document().get_element_by_id(&format!("tab-{}", t.id())) {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let cur = TABS.iter().position(|t| *t == ui.tab.get_untracked()).unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (cur + 1) % TABS.len(),
            "ArrowLeft" => (cur + TABS.len() - 1) % TABS.len(),
            "Home" => 0,
            "End" => TABS.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        ui.tab.set(TABS[next]);
        focus_tab(TABS[next]);
    };
    let pane = move |t: Tab, body: AnyView| {
        view! {
            <div class="tab-pane" role="tabpanel" id=format!("pane-{}", t.id()) aria-labelledby=format!("tab-{}", t.id())
                data-testid=format!("pane-{}", t.id()) hidden=move || ui.tab.get() != t>
                {body}
            </div>
        }
    };
    view! {
        <section class="workbench" data-testid="workbench" aria-label=i18n.tr("tab.label")>
            <div class="tabs" role="tablist" aria-label=i18n.tr("tab.label") on:keydown=on_key>
                {TABS.into_iter().map(|t| view! {
                    <button type="button" role="tab" id=format!("tab-{}", t.id()) data-testid=format!("tab-{}", t.id())
                        aria-controls=format!("pane-{}", t.id())
                        aria-selected=move || (ui.tab.get() == t).to_string()
                        tabindex=move || if ui.tab.get() == t { "0" } else { "-1" }
                        on:click=move |_| ui.tab.set(t)>
                        {i18n.tr(t.label_key())}
                    </button>
                }).collect_view()}
            </div>
            {pane(Tab::Terminal, view! { <super::terminal::TerminalPanel /> }.into_any())}
            {pane(Tab::Traffic, view! { <super::traffic::TrafficPanel /> }.into_any())}
            {pane(Tab::Analogies, view! { <super::analogies::AnalogiesPanel /> }.into_any())}
            {pane(Tab::Editor, view! { <super::editor::EditorPanel /> }.into_any())}
            {pane(Tab::DnsLog, view! { <super::dns::DnsLogPanel /> }.into_any())}
        </section>
    }
}
