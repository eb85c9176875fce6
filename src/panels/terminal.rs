//! The terminal: the core's [`svclab_core::Terminal`] (kubectl, busybox tools, pod shells)
//! with a line editor around it: history (Up/Down), Ctrl+C (interrupt), Ctrl+L and `clear`,
//! multi-line paste fed a line at a time (heredocs collect until their delimiter), and Tab
//! completion through [`svclab_core::Lab::complete`].
//!
//! Bounded, as a terminal is: the scrollback keeps the last [`SCROLLBACK_LINES`] lines (a note
//! says how many older ones were dropped), history the last [`HISTORY_LINES`] commands. Each
//! entry is rendered once, keyed by a number that never changes (a new line adds its row; a
//! dropped one removes its row). A paste of many lines runs in chunks of a few milliseconds, the
//! browser painting and taking input between them (Ctrl+C drops the lines not yet run).

use crate::i18n::use_i18n;
use crate::sim::SimController;
use crate::use_ui;
use leptos::html;
use leptos::prelude::*;
use std::collections::VecDeque;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The most lines the scrollback keeps (command lines and their output).
pub const SCROLLBACK_LINES: usize = 2000;

/// The most commands Up and Down go back through (bash's `HISTSIZE` is 500 by default).
pub const HISTORY_LINES: usize = 1000;

/// How long one chunk of a multi-line paste may run before the browser gets a turn (ms).
const PASTE_SLICE_MS: f64 = 8.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Its key in the rendered list: never reused, so no row is rendered twice.
    pub id: u64,
    pub prompt: String,
    pub line: String,
    pub output: String,
}

impl Entry {
    /// Lines on screen: the command line and its output's.
    pub fn lines(&self) -> usize {
        1 + if self.output.is_empty() { 0 } else { self.output.lines().count() }
    }
}

/// The terminal's scrollback: the newest entries, at most [`SCROLLBACK_LINES`] lines in all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scrollback {
    pub entries: VecDeque<Arc<Entry>>,
    /// Lines in `entries`.
    pub lines: usize,
    /// Lines dropped from the top since the last clear.
    pub dropped: usize,
    next_id: u64,
}

impl Scrollback {
    /// Add an entry; the oldest go while more than `max` lines are kept. One entry longer than
    /// `max` keeps its last lines.
    pub fn push(&mut self, prompt: String, line: String, output: String, max: usize) {
        let mut e = Entry { id: self.next_id, prompt, line, output };
        self.next_id += 1;
        let n = e.lines();
        if n > max {
            let drop = n - max;
            let mut cut = 0;
            for _ in 0..drop {
                match e.output[cut..].find('\n') {
                    Some(i) => cut += i + 1,
                    None => break,
                }
            }
            e.output.drain(..cut);
            self.dropped += n - e.lines();
        }
        self.lines += e.lines();
        self.entries.push_back(Arc::new(e));
        while self.lines > max && self.entries.len() > 1 {
            if let Some(old) = self.entries.pop_front() {
                self.lines -= old.lines();
                self.dropped += old.lines();
            }
        }
    }

    /// `clear` and Ctrl+L: an empty screen (ids go on).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.lines = 0;
        self.dropped = 0;
    }
}

/// What Tab does with the core's candidates (each the whole line, last word completed): one
/// candidate replaces the line; several complete their common prefix and are listed (by
/// their last word, as bash lists them). Returns the new line and the words to list.
/// A candidate that is the line as typed (`po` beside `pods`) is dropped when others extend it,
/// so Tab on `kubectl get po` gives `kubectl get pods`.
pub fn tab_complete(line: &str, candidates: &[String]) -> (String, Vec<String>) {
    let longer: Vec<String> = candidates.iter().filter(|c| c.as_str() != line).cloned().collect();
    let candidates = if longer.is_empty() { candidates } else { &longer[..] };
    match candidates {
        [] => (line.to_string(), Vec::new()),
        [one] => (one.clone(), Vec::new()),
        many => {
            let mut prefix: &str = &many[0];
            for c in &many[1..] {
                let n = prefix.char_indices().zip(c.chars()).take_while(|((_, a), b)| a == b).count();
                let end = prefix.char_indices().nth(n).map(|(i, _)| i).unwrap_or(prefix.len());
                prefix = &prefix[..end];
            }
            let new = if prefix.len() > line.len() { prefix.to_string() } else { line.to_string() };
            let words = many.iter().map(|c| c.rsplit(' ').next().unwrap_or(c).to_string()).collect();
            (new, words)
        }
    }
}

/// `dig NAME` answered NXDOMAIN for a short name that `nslookup` resolves: dig does not use
/// the search list (no `+search`), so it asked for the bare name. Returns the note's locale
/// key and the name, from the command line and its output alone.
pub fn dig_note(line: &str, output: &str) -> Option<(&'static str, String)> {
    let mut words = line.split_whitespace();
    if words.next()? != "dig" || !output.contains("status: NXDOMAIN") {
        return None;
    }
    let rest: Vec<&str> = words.collect();
    if rest.iter().any(|w| w.starts_with("+search")) {
        return None;
    }
    // The name: the first word that is not an option, a server or a query type.
    let name = rest.iter().find(|w| {
        !w.starts_with('+')
            && !w.starts_with('@')
            && !w.starts_with('-')
            && !matches!(
                w.to_ascii_uppercase().as_str(),
                "A" | "AAAA" | "SRV" | "PTR" | "CNAME" | "TXT" | "ANY" | "NS" | "MX" | "SOA"
            )
    })?;
    // A relative name (a Service's short name, `svc.ns`): with the search list it would resolve.
    (!name.ends_with('.') && name.matches('.').count() < 2).then(|| ("why.dig_search", name.to_string()))
}

#[component]
pub fn TerminalPanel() -> impl IntoView {
    let i18n = use_i18n();
    let sim = expect_context::<SimController>();
    let ui = use_ui();
    let scrollback = RwSignal::new(Scrollback::default());
    let push = move |prompt: String, line: String, output: String| {
        scrollback.update(|s| s.push(prompt, line, output, SCROLLBACK_LINES));
    };
    let history = StoredValue::new(Vec::<String>::new());
    // Pasted lines not run yet, and whether a chunk is scheduled.
    let pending = StoredValue::new(VecDeque::<String>::new());
    let pending_count = RwSignal::new(0usize);
    let cursor = StoredValue::new(0usize);
    let value = RwSignal::new(String::new());
    let input_ref = NodeRef::<html::Input>::new();
    let out_ref = NodeRef::<html::Div>::new();
    let prompt = Memo::new(move |_| sim.prompt());

    let run = move |line: String| {
        let prompt = sim.prompt();
        if sim.rewound_now() {
            // The past is read-only: the line is not run (the timeline's banner says more).
            sim.input(&line);
            let output = crate::i18n::t(i18n.lang(), "timeline.refused").to_string();
            push(prompt, line, output);
            return;
        }
        let out = sim.input(&line);
        if !line.trim().is_empty() {
            history.update_value(|h| {
                h.push(line.clone());
                // Trimmed in halves: amortised O(1) per command.
                if h.len() >= 2 * HISTORY_LINES {
                    h.drain(..h.len() - HISTORY_LINES);
                }
            });
        }
        cursor.set_value(history.with_value(|h| h.len()));
        match out {
            Some(o) if o.clear => scrollback.update(Scrollback::clear),
            // `kubectl edit`: the object's YAML goes to the editor panel, which Apply saves.
            Some(o) if o.edit.is_some() => {
                let yaml = o.edit.unwrap_or_default();
                ui.editor_text.set(Some(yaml));
                ui.tab.set(crate::panels::workbench::Tab::Editor);
                let hint = crate::i18n::t(i18n.lang(), "terminal.edit_hint").to_string();
                let output = if o.text.is_empty() { hint.clone() } else { format!("{}\n{hint}", o.text) };
                push(prompt, line, output);
                ui.say(hint);
                set_timeout(
                    || {
                        let doc = document();
                        let target = doc
                            .query_selector("[data-testid=\"editor-cm\"] .cm-content")
                            .ok()
                            .flatten()
                            .or_else(|| doc.get_element_by_id("manifest"));
                        if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                            let _ = el.focus();
                        }
                    },
                    std::time::Duration::from_millis(50),
                );
            }
            Some(o) => push(prompt, line, o.text),
            None => push(prompt, line, String::new()),
        }
    };

    // A chunk of the pasted lines: as many as fit in a few milliseconds, then the browser's turn.
    fn drain(run: impl Fn(String) + Copy + 'static, pending: StoredValue<VecDeque<String>>, count: RwSignal<usize>) {
        let now = || web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0);
        let start = now();
        while let Some(line) = pending.try_update_value(VecDeque::pop_front).flatten() {
            run(line);
            if now() - start > PASTE_SLICE_MS {
                break;
            }
        }
        let left = pending.with_value(VecDeque::len);
        count.set(left);
        if left > 0 {
            set_timeout(move || drain(run, pending, count), std::time::Duration::ZERO);
        }
    }
    let queue = move |lines: Vec<String>| {
        let idle = pending.with_value(VecDeque::is_empty);
        pending.update_value(|p| p.extend(lines));
        if idle {
            drain(run, pending, pending_count);
        }
    };

    // "Show me" of the lesson panel types its lines here, as if the learner had.
    if let Some(feed) = use_context::<crate::panels::lesson::TerminalFeed>() {
        Effect::new(move |_| {
            if let Some(line) = feed.0.get() {
                feed.0.set(None);
                run(line);
            }
        });
    }

    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        let ctrl = ev.ctrl_key() || ev.meta_key();
        match key.as_str() {
            "Enter" => {
                ev.prevent_default();
                let line = value.get_untracked();
                value.set(String::new());
                // Typed while a paste still runs: after its lines, as a terminal buffers input.
                if pending.with_value(VecDeque::is_empty) {
                    run(line);
                } else {
                    queue(vec![line]);
                }
            }
            // An empty line lets Tab move the focus on (no keyboard trap).
            "Tab" if !ev.shift_key() && !ctrl && !ev.alt_key() && !value.get_untracked().is_empty() => {
                ev.prevent_default();
                let line = value.get_untracked();
                let candidates = sim.complete(&line);
                let (new, words) = tab_complete(&line, &candidates);
                if !words.is_empty() {
                    let prompt = prompt.get_untracked();
                    push(prompt, line.clone(), words.join("  "));
                }
                value.set(new);
            }
            "ArrowUp" | "ArrowDown" => {
                ev.prevent_default();
                let len = history.with_value(|h| h.len());
                let cur = cursor.get_value();
                let next = if key == "ArrowUp" { cur.saturating_sub(1) } else { (cur + 1).min(len) };
                cursor.set_value(next);
                value.set(history.with_value(|h| h.get(next).cloned()).unwrap_or_default());
            }
            "c" | "C" if ev.ctrl_key() => {
                ev.prevent_default();
                let prompt = prompt.get_untracked();
                let line = value.get_untracked();
                let dropped = pending.try_update_value(std::mem::take).map(|p| p.len()).unwrap_or(0);
                pending_count.set(0);
                sim.interrupt();
                value.set(String::new());
                let output = if dropped > 0 {
                    crate::i18n::tf(i18n.lang(), "terminal.paste_stopped", &[&dropped.to_string()])
                } else {
                    String::new()
                };
                push(prompt, format!("{line}^C"), output);
            }
            "l" | "L" if ctrl => {
                ev.prevent_default();
                scrollback.update(Scrollback::clear);
            }
            _ => {}
        }
    };

    let on_paste = move |ev: web_sys::ClipboardEvent| {
        let Some(text) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else { return };
        if !text.contains('\n') {
            return;
        }
        ev.prevent_default();
        let text = text.replace("\r\n", "\n");
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        // A paste that does not end in a newline leaves its last line in the input to edit.
        let rest = lines.pop().unwrap_or_default();
        if let Some(first) = lines.first_mut() {
            *first = format!("{}{first}", value.get_untracked());
        }
        value.set(rest);
        queue(lines);
    };

    // Presenter mode types the seed script's lines here (src/present.rs), as the learner would.
    if let Some(present) = use_context::<crate::present::Present>() {
        Effect::new(move |_| {
            let lines = present.feed.get();
            if !lines.is_empty() {
                present.feed.set(Vec::new());
                for line in lines {
                    run(line);
                }
            }
        });
    }
    // A reset of the whole lab starts a new terminal session.
    Effect::new(move |prev: Option<u64>| {
        let n = ui.resets.get();
        if prev.is_some_and(|p| p != n) {
            scrollback.update(Scrollback::clear);
            pending.set_value(VecDeque::new());
            pending_count.set(0);
            value.set(String::new());
        }
        n
    });
    Effect::new(move |_| {
        scrollback.track();
        if let Some(el) = out_ref.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });

    view! {
        <section class="panel terminal-panel" aria-labelledby="term-h" data-testid="panel-terminal">
            <h2 id="term-h">{i18n.tr("terminal.title")}</h2>
            <div class="terminal term-screen" node_ref=out_ref data-testid="terminal-output"
                on:click=move |_| { if let Some(i) = input_ref.get() { let _ = i.focus(); } }>
                // Where the learner is and what to try, as a shell's greeting (a comment line).
                <div class="term-motd">"# "{i18n.tr("terminal.note")}</div>
                {move || {
                    let dropped = scrollback.with(|s| s.dropped);
                    (dropped > 0).then(|| view! {
                        <div class="term-dropped" data-testid="term-dropped">
                            "# "{move || crate::i18n::tf(i18n.lang(), "terminal.dropped", &[&dropped.to_string(), &SCROLLBACK_LINES.to_string()])}
                        </div>
                    })
                }}
                <For each=move || scrollback.with(|s| s.entries.iter().cloned().collect::<Vec<_>>()) key=|e| e.id let:item>
                    <div class="term-entry">
                        <span class="prompt">{item.prompt.clone()}</span>
                        <span>{item.line.clone()}</span>
                        "\n"
                        {item.output.clone()}
                        {dig_note(&item.line, &item.output).map(|(key, name)| view! {
                            <details class="why term-why" data-testid="why" data-why=key>
                                <summary>{i18n.tr("why.summary")}</summary>
                                <p>{move || crate::i18n::tf(i18n.lang(), key, &[&name])}</p>
                            </details>
                        })}
                    </div>
                </For>
                {move || {
                    let left = pending_count.get();
                    (left > 0).then(|| view! {
                        <div class="term-pasting" data-testid="term-pasting">
                            "# "{move || crate::i18n::tf(i18n.lang(), "terminal.pasting", &[&left.to_string()])}
                        </div>
                    })
                }}
                <div class="term-input-line">
                    <label for="term-input" class="prompt">{move || prompt.get()}</label>
                    <input id="term-input" data-testid="terminal-input" node_ref=input_ref
                        autocomplete="off" autocapitalize="off" spellcheck="false"
                        aria-label=i18n.tr("terminal.input")
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                        on:keydown=on_keydown on:paste=on_paste />
                </div>
            </div>
        </section>
    }
}
