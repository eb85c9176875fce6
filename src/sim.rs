//! The simulation controller: the one writer of the [`Lab`]. Panels read plain-data
//! [`Snapshot`]s (derived through [`SimController::version`], bumped on every change) and
//! send commands through methods. No signals live inside the core's types.

use leptos::prelude::*;
use std::collections::BTreeMap;
use svclab_core::api::Kind;
use svclab_core::apply::ApplyReport;
use svclab_core::checkpoints::Checkpoints;
use svclab_core::cluster::config::ProxyMode;
use svclab_core::cluster::SimEvent;
use svclab_core::diag::Diagnostic;
use svclab_core::dns::DnsLogEntry;
use svclab_core::journal::{Mark, LINK_LIMITS};
use svclab_core::scenario::{Scenario, SEED_001};
use svclab_core::traffic::log::RequestSummary;
use svclab_core::traffic::{self, Client, ClientSpec};
use svclab_core::view::DnsAnswer;
use svclab_core::{Action, ActionOutcome, ClusterConfig, JournalEntry, Lab};

pub use svclab_core::view::{
    CoreDnsView, EndpointView, NodeView, PodView, ProbeView, ServiceKind, ServiceView, Snapshot, StoppedNodeView,
    WorkloadView,
};

/// Time a freshly applied manifest gets before the first look: pods Running and Ready.
const START_MS: u64 = 5_000;

/// The first line of a link's journal: what it starts from.
const JOURNAL_FROM_SCENARIO: &str = "# from: scenario";
const JOURNAL_FROM_EMPTY: &str = "# from: empty";

#[derive(Clone, Copy)]
pub struct SimController {
    /// The lab, taken out of its slot for each access and put back after (see [`Self::read`]):
    /// wasm has no unwinding (panic = abort), so a lock held across a call into the core that
    /// panicked would stay held, and every later handler would abort on it.
    lab: StoredValue<Option<Lab>, LocalStorage>,
    /// The journal of every action that completed, kept beside the lab: after a panic the lab
    /// that was out of its slot is gone, and the next access rebuilds it from this.
    done: StoredValue<Vec<JournalEntry>, LocalStorage>,
    /// Bumped after every mutation; memos that read the lab track it.
    version: RwSignal<u64>,
    pub scenario: &'static Scenario,
    seed: u64,
    /// What the journal starts from: the scenario's start, or an empty cluster (a link's
    /// manifests, applied as the journal's first action).
    from_scenario: StoredValue<bool>,
    /// While rewound: the present, which playing forward follows again.
    present: RwSignal<Option<Present>, LocalStorage>,
    /// Simulated time of the journal's base: where the timeline starts.
    base_ms: RwSignal<u64>,
    /// Bumped when an action is refused because the lab shows the past (read-only).
    refused: RwSignal<u64>,
    /// Labs along the present's journal that seeking back starts from (the base is the one of
    /// [`Self::base`]: cleared when that changes).
    checkpoints: StoredValue<Checkpoints, LocalStorage>,
}

/// The present a rewound lab was taken from: its journal and its simulated time.
#[derive(Clone, Debug, PartialEq)]
struct Present {
    journal: Vec<JournalEntry>,
    end_ms: u64,
}

/// What the timeline draws: from the journal's base to the present, where the lab is now,
/// and a mark for each action.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub start_ms: u64,
    pub end_ms: u64,
    pub now_ms: u64,
    pub rewound: bool,
}

/// Why a link's journal did not restore, or restored only in part.
#[derive(Clone, Debug, PartialEq)]
pub enum Restore {
    /// Every entry replayed.
    Whole,
    /// The entries before the one the diagnostic names (a replay limit).
    Partial(Diagnostic),
    /// Not a journal: nothing changed.
    Unreadable,
}

impl SimController {
    pub fn new(seed: u64) -> Self {
        Self::with_scenario(&SEED_001, seed)
    }

    /// A lab running `scenario` (the `?scenario=` of the link), with its traffic clients.
    pub fn with_scenario(scenario: &'static Scenario, seed: u64) -> Self {
        let lab = Lab::start(seed, scenario);
        let base_ms = lab.cluster.now().millis();
        SimController {
            done: StoredValue::new_local(lab.journal().to_vec()),
            lab: StoredValue::new_local(Some(lab)),
            version: RwSignal::new(0),
            scenario,
            seed,
            from_scenario: StoredValue::new(true),
            present: RwSignal::new_local(None),
            base_ms: RwSignal::new(base_ms),
            refused: RwSignal::new(0),
            checkpoints: StoredValue::new_local(Checkpoints::new()),
        }
    }

    /// The whole lab back to the scenario: a fresh cluster (clock at its start, hit counters
    /// at zero), the scenario's traffic clients, a new terminal, an empty journal.
    pub fn reset(&self, seed: u64) {
        self.put(Lab::start(seed, self.scenario));
        self.set_from_scenario(true);
        self.present.set(None);
        self.bump();
    }

    /// What the journal starts from (and so where the timeline starts).
    fn set_from_scenario(&self, yes: bool) {
        self.from_scenario.set_value(yes);
        self.checkpoints.update_value(Checkpoints::clear);
        self.base_ms.set(self.base().cluster.now().millis());
    }

    /// The lab a journal starts from.
    fn base(&self) -> Lab {
        if self.from_scenario.get_value() {
            Lab::start(self.seed, self.scenario)
        } else {
            Lab::new(ClusterConfig::default(), self.seed)
        }
    }

    /// Replace the lab by `journal` replayed on its base (a link's journal, Undo, back to now).
    fn rebuild(&self, journal: &[JournalEntry]) {
        let lab = Lab::replay_onto(self.base(), journal);
        self.put(lab);
        self.present.set(None);
        self.bump();
    }

    /// A link's journal (`j=`, the [`journal_link`](Self::journal_link) text): the lab
    /// replayed from its base, within the core's limits for a journal from outside
    /// (`svclab_core::journal::LINK_LIMITS`: the entries before the one that would cross one
    /// are kept, and the diagnostic says which and why). Nothing changes when it does not parse.
    pub fn restore_journal(&self, text: &str) -> Restore {
        let (from_scenario, body) = match text.split_once('\n') {
            Some((JOURNAL_FROM_SCENARIO, rest)) => (true, rest),
            Some((JOURNAL_FROM_EMPTY, rest)) => (false, rest),
            _ => return Restore::Unreadable,
        };
        let Ok(actions) = svclab_core::action::parse_journal(body) else { return Restore::Unreadable };
        self.set_from_scenario(from_scenario);
        let entries: Vec<JournalEntry> = actions.into_iter().map(|action| JournalEntry { at_ms: 0, action }).collect();
        let (lab, stop) = Lab::replay_bounded(self.base(), &entries, LINK_LIMITS);
        self.put(lab);
        self.present.set(None);
        self.bump();
        match stop {
            Some(s) => Restore::Partial(s.diagnostic),
            None => Restore::Whole,
        }
    }

    /// The journal as a link carries it: its base, then every action in text form.
    pub fn journal_link(&self) -> String {
        let head = if self.from_scenario.get_value() { JOURNAL_FROM_SCENARIO } else { JOURNAL_FROM_EMPTY };
        let actions: Vec<Action> = self.present_journal().into_iter().map(|e| e.action).collect();
        format!("{head}\n{}", svclab_core::action::journal_text(&actions))
    }

    /// The journal of the present (the lab's own, or the one a rewind keeps).
    fn present_journal(&self) -> Vec<JournalEntry> {
        self.present
            .with_untracked(|p| p.as_ref().map(|p| p.journal.clone()))
            .unwrap_or_else(|| self.read(|lab| lab.journal().to_vec()).unwrap_or_default())
    }

    /// Undo: the lab replayed without its last action that is not an advance (the time that
    /// passed since still passes). `false` when there is nothing to undo.
    pub fn undo(&self) -> bool {
        match svclab_core::undo_last(&self.present_journal()) {
            Some(j) => {
                self.rebuild(&j);
                true
            }
            None => false,
        }
    }

    /// Whether there is an action to undo (tracked).
    pub fn can_undo(&self) -> bool {
        self.version.track();
        self.present_journal().iter().any(|e| !matches!(e.action, Action::Advance { .. }))
    }

    /// Rewind simulated time by `ms` (not before the base).
    pub fn rewind(&self, ms: u64) {
        self.seek(self.now_ms_untracked().saturating_sub(ms));
    }

    /// Show the lab as it was at simulated time `t_ms` (the timeline), between the journal's
    /// base and the present: rebuilt from the journal (`Lab::replay_until`), or played forward
    /// from an earlier rewind (`Lab::play_forward`). The present is kept: playing on follows it
    /// again, and at its time the lab is the present again. Until then it is read-only.
    pub fn seek(&self, t_ms: u64) {
        let present = self
            .present
            .get_untracked()
            .unwrap_or_else(|| Present { journal: self.present_journal(), end_ms: self.now_ms_untracked() });
        let t = t_ms.clamp(self.base_ms.get_untracked(), present.end_ms);
        if t >= present.end_ms {
            self.to_present();
            return;
        }
        let now = self.now_ms_untracked();
        if self.present.with_untracked(Option::is_some) && t >= now {
            self.write(|lab| lab.play_forward(&present.journal, t));
        } else {
            // From the nearest checkpoint before `t` that still matches the journal (the first
            // seek of a long session replays it all and leaves checkpoints on the way).
            let lab = self.checkpoints.try_update_value(|cp| cp.replay_until(|| self.base(), &present.journal, t));
            self.put(lab.unwrap_or_else(|| Lab::replay_until(self.base(), &present.journal, t)));
        }
        self.present.set(Some(present));
        self.bump();
    }

    /// Whether the lab shows an earlier time than the present (tracked).
    pub fn rewound(&self) -> bool {
        self.present.with(Option::is_some)
    }

    /// [`Self::rewound`], untracked (read on a key press or a click).
    pub fn rewound_now(&self) -> bool {
        self.present.with_untracked(Option::is_some)
    }

    /// Back to the present at once.
    pub fn to_present(&self) {
        if let Some(p) = self.present.get_untracked() {
            // Played forward from here (the recorded actions again at their times): the same
            // lab as replaying the whole journal (`tests/journal.rs`), without starting over.
            self.write(|lab| lab.play_forward(&p.journal, p.end_ms));
            self.present.set(None);
            self.bump();
        }
    }

    /// Make the past shown the present: what the journal held after it is dropped (as typing
    /// after an editor's undo drops its redo), and the lab takes actions again.
    pub fn continue_from_here(&self) {
        if self.present.with_untracked(Option::is_some) {
            self.present.set(None);
            self.bump();
        }
    }

    /// The timeline's extent and position (tracked).
    pub fn timeline(&self) -> Timeline {
        let now_ms = self.now_ms();
        let (rewound, end_ms) =
            self.present.with(|p| p.as_ref().map_or((false, now_ms), |p| (true, p.end_ms.max(now_ms))));
        Timeline { start_ms: self.base_ms.get(), end_ms, now_ms, rewound }
    }

    /// A key that moves when the timeline's marks may change (tracked): the present's
    /// journal length.
    pub fn journal_key(&self) -> (bool, usize) {
        self.version.track();
        match self.present.with(|p| p.as_ref().map(|p| p.journal.len())) {
            Some(n) => (true, n),
            None => (false, self.read(|lab| lab.journal().len()).unwrap_or(0)),
        }
    }

    /// The present's actions on the timeline (untracked: key it on [`Self::journal_key`]).
    pub fn marks(&self) -> Vec<Mark> {
        match self.present.with_untracked(|p| p.as_ref().map(|p| svclab_core::journal::marks(&p.journal))) {
            Some(m) => m,
            None => self.read(|lab| svclab_core::journal::marks(lab.journal())).unwrap_or_default(),
        }
    }

    /// Bumped when an action was refused because the lab shows the past (tracked).
    pub fn refused(&self) -> u64 {
        self.refused.get()
    }

    /// While rewound the lab is read-only: note the refusal (the timeline says why) and
    /// return `true`.
    fn refuse_while_rewound(&self) -> bool {
        if self.present.with_untracked(Option::is_some) {
            self.refused.update(|n| *n += 1);
            true
        } else {
            false
        }
    }

    fn now_ms_untracked(&self) -> u64 {
        self.read(|lab| lab.cluster.now().millis()).unwrap_or(0)
    }

    /// Replace the lab by a fresh cluster with `manifests` applied (a shared link's state).
    /// If any document fails, the current lab stays (a bad link falls back to the default).
    pub fn reset_with(&self, manifests: &str, seed: u64) -> ApplyReport {
        let mut lab = Lab::new(ClusterConfig::default(), seed);
        let out = lab.act(Action::Apply { text: manifests.to_string() });
        if out.ok() {
            lab.act(Action::Advance { ms: START_MS });
            for spec in self.default_clients() {
                lab.act(Action::AddClient(spec));
            }
            self.put(lab);
            self.set_from_scenario(false);
            self.present.set(None);
            self.bump();
        }
        out.report.unwrap_or_default()
    }

    /// Send one action to the lab (the one way the page changes it) and notify readers. While
    /// rewound, time passing plays the recorded present forward again (at its time the lab is
    /// the present again); any other action is refused: the past is read-only until "Back to
    /// now" or "Continue from here" (see docs/ACTIONS.md).
    pub fn act(&self, action: Action) -> ActionOutcome {
        if let Some(present) = self.present.get_untracked() {
            if let Action::Advance { ms } = action {
                let t = self.now_ms_untracked() + ms;
                let end = present.end_ms;
                self.write(|lab| {
                    lab.play_forward(&present.journal, t.min(end));
                    // Past the present, time passes on the present lab as usual.
                    if t > end {
                        lab.act(Action::Advance { ms: t - end });
                    }
                });
                if t >= end {
                    self.present.set(None);
                }
                self.bump();
                return ActionOutcome::default();
            }
            self.refused.update(|n| *n += 1);
            return ActionOutcome {
                output: svclab_core::shell::Output { exit_code: 1, ..Default::default() },
                ..Default::default()
            };
        }
        let out = self.write(|lab| lab.act(action)).unwrap_or_default();
        self.bump();
        out
    }

    fn bump(&self) {
        self.version.update(|v| *v += 1);
    }

    /// Read the lab, tracked by `version` (private: panels read named views).
    fn with<T>(&self, f: impl FnOnce(&Lab) -> T) -> Option<T> {
        self.version.track();
        self.read(f)
    }

    /// Start over from a lesson step's lab (its start and the earlier steps' solutions, built
    /// by `svclab_core::lesson::lab_at_step`). Its journal is the lesson's own; a link to this
    /// state carries `lesson=` and `step=`, which rebuild it the same way.
    pub fn load_lab(&self, lab: Lab) {
        self.put(lab);
        self.present.set(None);
        self.base_ms.set(self.base().cluster.now().millis());
        self.bump();
    }

    /// Play one line of a lesson's solution ("show me"): a `lab ...` line as its action, any
    /// other line as typed into the terminal.
    pub fn play_lesson_line(&self, line: &str) -> Option<svclab_core::shell::Output> {
        if self.refuse_while_rewound() {
            return None;
        }
        let out = self.write(|lab| svclab_core::lesson::play_line(lab, line)).flatten();
        self.bump();
        out
    }

    /// Whether the terminal is collecting a heredoc's lines (untracked: read on a key press).
    pub fn in_heredoc(&self) -> bool {
        self.read(|lab| lab.terminal.open_heredoc().is_some()).unwrap_or(false)
    }

    // ---------------------------------------------------------------------------------------
    // The terminal: its lines are actions too (journaled by `Lab::input`).

    /// Feed one terminal line; `None` while a heredoc collects lines.
    /// Refused while rewound (`None`, and [`Self::refused`] moves: the terminal says why).
    pub fn input(&self, line: &str) -> Option<svclab_core::shell::Output> {
        if self.refuse_while_rewound() {
            return None;
        }
        let out = self.write(|lab| lab.input(line)).flatten();
        self.bump();
        out
    }

    /// Ctrl+C: abandon an open heredoc (journaled, so a replay abandons it too).
    pub fn interrupt(&self) {
        if self.present.with_untracked(Option::is_some) {
            return;
        }
        self.write(|lab| lab.interrupt());
        self.bump();
    }

    /// The prompt before the next line (tracked).
    pub fn prompt(&self) -> String {
        self.with(|lab| lab.terminal.prompt().to_string()).unwrap_or_default()
    }

    /// Tab completion candidates (not tracked: read on a key press).
    pub fn complete(&self, line: &str) -> Vec<String> {
        self.read(|lab| lab.complete(line)).unwrap_or_default()
    }

    /// Simulated time in ms (tracked).
    pub fn now_ms(&self) -> u64 {
        self.with(|lab| lab.cluster.now().millis()).unwrap_or(0)
    }

    /// The pods traffic clients run in, `(namespace, pod)`, sorted, once each (tracked).
    pub fn client_pods(&self) -> Vec<(String, String)> {
        self.with(|lab| {
            let mut v: Vec<(String, String)> = lab
                .cluster
                .traffic()
                .clients
                .values()
                .map(|c| (c.spec.namespace.clone(), c.spec.pod.clone()))
                .collect();
            v.sort();
            v.dedup();
            v
        })
        .unwrap_or_default()
    }

    /// The requests in flight, as the cluster view draws them (tracked).
    pub fn flights(&self) -> Vec<svclab_core::traffic::flight::Flight> {
        self.with(|lab| svclab_core::traffic::flight::flights(&lab.cluster)).unwrap_or_default()
    }

    /// The lab out of its slot. An empty slot means either a nested access (the lab is out for
    /// an outer call: `None`) or a panic since it was taken ([`crate::crashed`]): then the lab is
    /// rebuilt from the journal of what completed, at most a few times (a panic the replay
    /// itself repeats must not loop).
    fn take(&self) -> Option<Lab> {
        if let Some(lab) = self.lab.try_update_value(Option::take).flatten() {
            return Some(lab);
        }
        if !crate::crashed() || !crate::take_recovery() {
            return None;
        }
        let journal = self.done.get_value();
        Some(Lab::replay_onto(self.base(), &journal))
    }

    /// Run `f` on the lab (taken out of its slot meanwhile); `None` when there is none to run on.
    fn access<T>(&self, f: impl FnOnce(&mut Lab) -> T) -> Option<T> {
        let mut lab = self.take()?;
        let out = f(&mut lab);
        self.lab.set_value(Some(lab));
        Some(out)
    }

    /// A read of the lab.
    fn read<T>(&self, f: impl FnOnce(&Lab) -> T) -> Option<T> {
        self.access(|lab| f(lab))
    }

    /// A change to the lab through its journal: the completed actions are copied (the last
    /// entry again, as advances merge into it).
    fn write<T>(&self, f: impl FnOnce(&mut Lab) -> T) -> Option<T> {
        let mut lab = self.take()?;
        let out = f(&mut lab);
        let j = lab.journal();
        self.done.update_value(|d| {
            let keep = d.len().min(j.len()).saturating_sub(1);
            d.truncate(keep);
            d.extend_from_slice(&j[keep..]);
        });
        self.lab.set_value(Some(lab));
        Some(out)
    }

    /// A new lab in the slot, its journal copied.
    fn put(&self, lab: Lab) {
        self.done.set_value(lab.journal().to_vec());
        self.lab.set_value(Some(lab));
    }

    /// A look that needs `&mut Lab` for [`svclab_core::Cluster::observe`] but changes nothing
    /// (lesson checks, reveals): tracked by `version`, notifies nobody, so a memo may call it.
    pub fn observe<T>(&self, f: impl FnOnce(&mut Lab) -> T) -> Option<T> {
        self.version.track();
        self.access(f)
    }

    /// Readiness probe progress of the pods whose probe fails, by `ns/name` (tracked: it
    /// moves with the clock, so it is apart from the [`Snapshot`]).
    pub fn probes(&self) -> BTreeMap<String, ProbeView> {
        self.with(|lab| svclab_core::view::probe_progress(&lab.cluster)).unwrap_or_default()
    }

    /// Stopped nodes and their eviction countdown (tracked).
    pub fn stopped_nodes(&self) -> Vec<StoppedNodeView> {
        self.with(|lab| svclab_core::view::stopped_nodes(&lab.cluster)).unwrap_or_default()
    }

    pub fn version(&self) -> u64 {
        self.version.get()
    }

    /// `nslookup NAME` from the scenario's client pod, typed, as an observer: the lab looking
    /// at an answer is not a query in the DNS log and does not change the run (a link replays
    /// the same whatever the learner looked at). It notifies nobody: it runs inside a memo.
    pub fn dns_answer(&self, name: &str) -> DnsAnswer {
        let (ns, pod) = self.scenario.client;
        self.read(|lab| lab.dns_answer(ns, pod, name)).unwrap_or_default()
    }

    /// The key that moves exactly when any DNS answer may change (tracked).
    pub fn dns_generation(&self) -> u64 {
        self.with(|lab| svclab_core::view::dns_generation(&lab.cluster)).unwrap_or_default()
    }

    /// The newest `limit` DNS lookups, newest first.
    pub fn dns_log(&self, limit: usize) -> Vec<DnsLogEntry> {
        self.version.track();
        self.read(|lab| {
            lab.cluster
                .log()
                .iter()
                .rev()
                .filter_map(|e| match e {
                    SimEvent::DnsQueried { query, .. } => Some(query.clone()),
                    _ => None,
                })
                .take(limit)
                .collect()
        })
        .unwrap_or_default()
    }

    /// Apply the editor's text. Every document is checked on a copy of the cluster first: if
    /// any fails, nothing is applied and the last good cluster stays (the learner fixes the
    /// text and applies again); otherwise the copy becomes the cluster.
    pub fn apply(&self, text: &str) -> (ApplyReport, bool) {
        let out = self.act(Action::Apply { text: text.to_string() });
        let ok = out.ok();
        (out.report.unwrap_or_default(), ok)
    }

    /// `spec.replicas` of a Deployment or StatefulSet (the controllers do the rest).
    pub fn set_replicas(&self, kind: Kind, namespace: &str, name: &str, replicas: i32) {
        let replicas = replicas.clamp(0, MAX_REPLICAS);
        self.act(Action::Scale { kind, namespace: namespace.into(), name: name.into(), replicas });
    }

    /// `kubectl delete pod` (graceful: the pod terminates, its owner replaces it).
    pub fn delete_pod(&self, namespace: &str, name: &str) {
        self.act(Action::DeletePod { namespace: namespace.into(), name: name.into() });
    }

    /// Make the pod's readiness probe fail (true) or pass again (false): the pod turns not
    /// ready after its probe's failureThreshold × periodSeconds (default 30 s).
    pub fn set_readiness_failed(&self, namespace: &str, name: &str, failed: bool) {
        self.act(Action::SetReadiness { namespace: namespace.into(), name: name.into(), failing: failed });
    }

    /// Stop (false) or start (true) a node: the node lifecycle controller marks it NotReady
    /// and its pods not ready, or Ready again.
    pub fn set_node_running(&self, name: &str, running: bool) {
        self.act(Action::SetNode { name: name.into(), running });
    }

    /// Advance simulated time (controllers reconcile every 100 ms of it).
    pub fn advance(&self, ms: u64) {
        if ms > 0 {
            self.act(Action::Advance { ms });
        }
    }

    // ---------------------------------------------------------------------------------------
    // Traffic: client programs in pods, kube-proxy's mode, hit counters, the request log.

    /// The running traffic clients, by id.
    pub fn clients(&self) -> Vec<Client> {
        self.with(|lab| lab.cluster.traffic().clients.values().cloned().collect()).unwrap_or_default()
    }

    /// Start a client program (its first request goes out on the next tick). `None` when the
    /// lab already runs [`MAX_CLIENTS`] clients: each one costs work on every tick.
    pub fn add_client(&self, spec: ClientSpec) -> Option<u64> {
        self.act(Action::AddClient(spec)).client
    }

    /// Change a client's settings: the core closes its connections and drops its DNS cache,
    /// as restarting the program would.
    pub fn update_client(&self, id: u64, spec: ClientSpec) -> bool {
        self.act(Action::UpdateClient { id, spec }).ok()
    }

    /// Stop a client (its long-lived connections close).
    pub fn remove_client(&self, id: u64) -> bool {
        self.act(Action::RemoveClient { id }).ok()
    }

    /// Replace every client by `specs` (a restored link).
    pub fn replace_clients(&self, specs: Vec<ClientSpec>) {
        let ids: Vec<u64> = self.clients().iter().map(|c| c.id).collect();
        for id in ids {
            self.act(Action::RemoveClient { id });
        }
        for spec in specs.into_iter().take(MAX_CLIENTS) {
            self.act(Action::AddClient(spec));
        }
    }

    /// Switch kube-proxy's mode (the `kube-system/kube-proxy` ConfigMap's `mode:`).
    pub fn set_proxy_mode(&self, mode: ProxyMode) {
        self.act(Action::SetProxyMode(mode));
    }

    pub fn proxy_mode(&self) -> ProxyMode {
        self.with(|lab| svclab_core::proxy::mode(&lab.cluster)).unwrap_or(ProxyMode::Iptables)
    }

    /// Responses served per pod (`ns/name`).
    pub fn hits(&self) -> BTreeMap<String, u64> {
        self.with(|lab| lab.cluster.traffic().hits.clone()).unwrap_or_default()
    }

    pub fn reset_hits(&self) {
        self.act(Action::ResetHits);
    }

    /// The newest `limit` requests, newest first, grouped from the event timeline.
    pub fn request_log(&self, limit: usize) -> Vec<RequestSummary> {
        self.with(|lab| traffic::log::requests(lab.cluster.log(), limit)).unwrap_or_default()
    }

    /// The clients the scenario starts on a first visit (what a link leaves out).
    pub fn default_clients(&self) -> Vec<ClientSpec> {
        let (ns, pod) = self.scenario.client;
        self.scenario.traffic.iter().map(|(target, port)| ClientSpec::new(ns, pod, target, *port)).collect()
    }

    /// Everything the cluster view, the analogies and the descriptions draw.
    pub fn snapshot(&self) -> Snapshot {
        self.with(|lab| svclab_core::view::snapshot_of(&lab.cluster)).unwrap_or_default()
    }
}

pub const MAX_REPLICAS: i32 = 20;

/// Client programs the lab runs at once (the core's limit).
pub const MAX_CLIENTS: usize = svclab_core::action::MAX_CLIENTS;
