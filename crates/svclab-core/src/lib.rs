//! Service Lab's simulation core: a sans-IO Kubernetes Service networking simulator.
//!
//! Commands in ([`apply::apply_text`], [`shell::Terminal::input`], [`cluster::Cluster::advance`]),
//! state and events out ([`cluster::Cluster`], [`cluster::SimEvent`]), pure queries
//! ([`dns::kubernetes::answer`]). The browser app and the `svclab` CLI are two thin callers.
//!
//! Invariants: no web crates, no clock, no OS randomness; the RNG is seeded and lives in the
//! cluster; iteration is ordered (`BTreeMap`), so a seed and a command list give the same run
//! on every platform. Nothing here panics on user input.

pub mod action;
pub mod api;
pub mod apply;
pub mod checkpoints;
pub mod cluster;
pub mod controllers;
pub mod decode;
pub mod diag;
pub mod dns;
pub mod encode;
pub mod journal;
pub mod lesson;
pub mod lint;
pub mod names;
pub mod net;
pub mod patch;
pub mod proxy;
pub mod scenario;
pub mod shell;
pub mod time;
pub mod traffic;
pub mod update;
pub mod validation;
pub mod view;
pub mod world;
pub mod yaml;

pub use action::Action;
pub use cluster::{Cluster, ClusterConfig};
pub use journal::{undo_last, JournalEntry};
pub use shell::Terminal;

/// The terminal line Ctrl+C sends (ETX): abandons an open heredoc.
pub const INTERRUPT: &str = "\u{3}";

/// What [`Lab::act`] did: the terminal's output (for every action; a non-terminal action's
/// text is kubectl-style), the apply report and the new client's id where there is one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActionOutcome {
    pub output: shell::Output,
    pub report: Option<apply::ApplyReport>,
    pub client: Option<u64>,
    /// A terminal line opened a heredoc that is still collecting lines.
    pub pending: bool,
}

impl ActionOutcome {
    pub fn ok(&self) -> bool {
        self.output.exit_code == 0
    }
}

/// A cluster and the terminal attached to it: what the UI and the CLI drive. Every change
/// goes through [`Lab::act`] (or [`Lab::input`], a terminal line), which journals it, so
/// [`Lab::replay`] rebuilds the same lab from the same start.
#[derive(Clone, Debug)]
pub struct Lab {
    pub cluster: Cluster,
    pub terminal: Terminal,
    /// Every action since the lab's start, oldest first (consecutive advances merged).
    journal: Vec<JournalEntry>,
}

impl Lab {
    pub fn new(config: ClusterConfig, seed: u64) -> Self {
        Self::on(Cluster::new(config, seed))
    }

    /// A lab on a cluster made by the caller, with a fresh terminal and an empty journal.
    pub fn on(cluster: Cluster) -> Self {
        Lab { cluster, terminal: Terminal::new(), journal: Vec::new() }
    }

    /// Carry out one action and journal it.
    pub fn act(&mut self, action: Action) -> ActionOutcome {
        match &action {
            Action::Terminal(text) => {
                let mut out = ActionOutcome::default();
                let lines: Vec<&str> = if text.is_empty() { vec![""] } else { text.lines().collect() };
                for line in lines {
                    match self.input(line) {
                        Some(o) => {
                            out.output.text.push_str(&o.text);
                            out.output.exit_code = o.exit_code;
                            out.output.clear |= o.clear;
                            if o.edit.is_some() {
                                out.output.edit = o.edit;
                            }
                            out.pending = false;
                        }
                        None => out.pending = true,
                    }
                }
                out
            }
            _ => {
                self.record(&action);
                let e = action::perform(&mut self.cluster, &action);
                ActionOutcome {
                    output: shell::Output { text: e.text, exit_code: if e.ok { 0 } else { 1 }, ..Default::default() },
                    report: e.report,
                    client: e.client,
                    pending: false,
                }
            }
        }
    }

    /// Journal an action at the current simulated time. Consecutive advances merge into one
    /// (advancing is chunk-invariant, so a+b is a then b), up to the most one command may let
    /// pass, so every journal entry is also a valid script line.
    fn record(&mut self, action: &Action) {
        let at_ms = self.cluster.now.millis();
        if let (Action::Advance { ms }, Some(JournalEntry { action: Action::Advance { ms: last }, .. })) =
            (action, self.journal.last_mut())
        {
            if last.saturating_add(*ms) <= shell::MAX_ADVANCE_MS {
                *last += *ms;
                return;
            }
        }
        if matches!(action, Action::Advance { ms: 0 }) {
            return;
        }
        self.journal.push(JournalEntry { at_ms, action: action.clone() });
    }

    /// Every action since the lab's start, oldest first.
    pub fn journal(&self) -> &[JournalEntry] {
        &self.journal
    }

    /// The lab a scenario starts with for `seed` (its manifests applied and settled, its
    /// traffic clients running), with an empty journal.
    pub fn start(seed: u64, scenario: &scenario::Scenario) -> Lab {
        let mut lab = scenario.start(seed);
        scenario.start_traffic(&mut lab);
        lab.journal.clear();
        lab
    }

    /// Rebuild a lab: the scenario's start for `seed`, then every journal entry in order.
    pub fn replay(seed: u64, scenario: &scenario::Scenario, journal: &[JournalEntry]) -> Lab {
        Self::replay_onto(Self::start(seed, scenario), journal)
    }

    /// Run `journal`'s actions on `base` (whose own journal they extend).
    pub fn replay_onto(mut base: Lab, journal: &[JournalEntry]) -> Lab {
        for e in journal {
            base.act(e.action.clone());
        }
        base
    }

    /// The lab `journal` led to at simulated time `t_ms` (the timeline's rewind): `base` with
    /// the entries sent before `t_ms` replayed, the last advance cut at `t_ms`.
    pub fn replay_until(base: Lab, journal: &[JournalEntry], t_ms: u64) -> Lab {
        let mut lab = base;
        for e in journal {
            if e.at_ms >= t_ms {
                break;
            }
            let now = lab.cluster.now.millis();
            match &e.action {
                Action::Advance { ms } => {
                    let ms = (*ms).min(t_ms.saturating_sub(now));
                    lab.act(Action::Advance { ms });
                }
                a => {
                    lab.act(a.clone());
                }
            }
        }
        let now = lab.cluster.now.millis();
        if now < t_ms {
            lab.act(Action::Advance { ms: t_ms - now });
        }
        lab
    }

    /// Play a rewound lab forward along `journal` (the present it was rewound from) to
    /// simulated time `t_ms`: the recorded actions happen again at their times. `self` must be
    /// `journal` replayed up to its current time ([`Lab::replay_until`]); the result is then
    /// `replay_until(t_ms)`, reached without starting over.
    pub fn play_forward(&mut self, journal: &[JournalEntry], t_ms: u64) {
        for e in journal {
            let now = self.cluster.now.millis();
            if now >= t_ms {
                break;
            }
            match &e.action {
                Action::Advance { ms } => {
                    let end = e.at_ms + ms;
                    if end > now && e.at_ms <= now {
                        self.act(Action::Advance { ms: end.min(t_ms) - now });
                    }
                }
                a if e.at_ms >= now => {
                    self.act(a.clone());
                }
                _ => {}
            }
        }
        let now = self.cluster.now.millis();
        if now < t_ms {
            self.act(Action::Advance { ms: t_ms - now });
        }
    }

    /// Feed one terminal line (see [`Terminal::input`]); journaled as an [`Action::Terminal`].
    /// [`INTERRUPT`] (what Ctrl+C sends) abandons an open heredoc.
    pub fn input(&mut self, line: &str) -> Option<shell::Output> {
        self.record(&Action::Terminal(line.to_string()));
        if line == INTERRUPT {
            self.terminal.interrupt();
            return Some(shell::Output::default());
        }
        self.terminal.input(&mut self.cluster, line)
    }

    /// Ctrl+C in the terminal: abandon an open heredoc, journaled as the line [`INTERRUPT`].
    pub fn interrupt(&mut self) {
        self.input(INTERRUPT);
    }

    /// Run one command line inside a pod, as `kubectl exec POD -- sh -c LINE` would, without
    /// touching the learner's terminal.
    pub fn exec(&mut self, namespace: &str, pod: &str, line: &str) -> shell::Output {
        let mut t = self.pod_terminal(namespace, pod);
        t.input(&mut self.cluster, line).unwrap_or_default()
    }

    /// A terminal attached to a shell in the pod's first container.
    fn pod_terminal(&self, namespace: &str, pod: &str) -> Terminal {
        Terminal::in_pod(&self.cluster, namespace, pod)
    }

    /// [`Lab::exec`] as an observer ([`Cluster::observe`]): the answer without a trace in the
    /// logs and without changing the run.
    pub fn peek(&self, namespace: &str, pod: &str, line: &str) -> shell::Output {
        let mut t = self.pod_terminal(namespace, pod);
        self.cluster.observe(|c| t.input(c, line).unwrap_or_default())
    }

    /// A pinned name's answer from `namespace/pod`, looked at without changing the run: the
    /// typed records ([`view::dns_answer`]) and the `nslookup` text the pod's shell prints.
    pub fn dns_answer(&self, namespace: &str, pod: &str, name: &str) -> view::DnsAnswer {
        let mut a = view::dns_answer(&self.cluster, namespace, pod, name);
        a.text = self.peek(namespace, pod, &format!("nslookup {name}")).text;
        a
    }

    /// Tab completion candidates for a terminal line (see [`shell::complete`]).
    pub fn complete(&self, line: &str) -> Vec<String> {
        shell::complete(&self.cluster, &self.terminal, line)
    }

    /// Run a whole script and return its transcript (each line journaled).
    pub fn run_script(&mut self, script: &str) -> shell::script::Transcript {
        shell::script::run(self, script)
    }
}

impl shell::script::Console for Lab {
    fn prompt(&self) -> &'static str {
        self.terminal.prompt()
    }
    fn input(&mut self, line: &str) -> Option<shell::Output> {
        Lab::input(self, line)
    }
    fn open_heredoc(&self) -> Option<String> {
        self.terminal.open_heredoc().map(str::to_string)
    }
    fn interrupt(&mut self) {
        self.terminal.interrupt()
    }
}
