//! The simulation controller: the one writer of the [`Lab`]. Panels read plain-data
//! [`Snapshot`]s (derived through [`SimController::version`], bumped on every change) and
//! send commands through methods. No signals live inside the core's types.

use leptos::prelude::*;
use std::collections::BTreeMap;
use svclab_core::api::Kind;
use svclab_core::apply::ApplyReport;
use svclab_core::cluster::config::ProxyMode;
use svclab_core::cluster::SimEvent;
use svclab_core::dns::DnsLogEntry;
use svclab_core::scenario::{Scenario, SEED_001};
use svclab_core::traffic::log::RequestSummary;
use svclab_core::traffic::{self, Client, ClientSpec};
use svclab_core::view::DnsAnswer;
use svclab_core::{Action, ActionOutcome, ClusterConfig, Lab};

pub use svclab_core::view::{
    CoreDnsView, EndpointView, NodeView, PodView, ServiceKind, ServiceView, Snapshot, WorkloadView,
};

/// Time a freshly applied manifest gets before the first look: pods Running and Ready.
const START_MS: u64 = 5_000;

#[derive(Clone, Copy)]
pub struct SimController {
    lab: StoredValue<Lab, LocalStorage>,
    /// Bumped after every mutation; memos that read the lab track it.
    version: RwSignal<u64>,
    pub scenario: &'static Scenario,
}

impl SimController {
    pub fn new(seed: u64) -> Self {
        Self::with_scenario(&SEED_001, seed)
    }

    /// A lab running `scenario` (the `?scenario=` of the link), with its traffic clients.
    pub fn with_scenario(scenario: &'static Scenario, seed: u64) -> Self {
        let mut lab = scenario.start(seed);
        scenario.start_traffic(&mut lab);
        SimController { lab: StoredValue::new_local(lab), version: RwSignal::new(0), scenario }
    }

    /// The whole lab back to the scenario: a fresh cluster (clock at its start, hit counters
    /// at zero), the scenario's traffic clients, a new terminal.
    pub fn reset(&self, seed: u64) {
        let mut lab = self.scenario.start(seed);
        self.scenario.start_traffic(&mut lab);
        self.lab.set_value(lab);
        self.bump();
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
            self.lab.set_value(lab);
            self.bump();
        }
        out.report.unwrap_or_default()
    }

    /// Send one action to the lab (the one way the page changes it) and notify readers.
    pub fn act(&self, action: Action) -> ActionOutcome {
        let out = self.lab.try_update_value(|lab| lab.act(action)).unwrap_or_default();
        self.bump();
        out
    }

    fn bump(&self) {
        self.version.update(|v| *v += 1);
    }

    /// Run a mutation on the lab and notify readers.
    pub fn update<T>(&self, f: impl FnOnce(&mut Lab) -> T) -> Option<T> {
        let out = self.lab.try_update_value(f);
        self.bump();
        out
    }

    /// Read the lab, tracked by `version`.
    pub fn with<T>(&self, f: impl FnOnce(&Lab) -> T) -> Option<T> {
        self.version.track();
        self.lab.try_with_value(f)
    }

    pub fn version(&self) -> u64 {
        self.version.get()
    }

    /// `nslookup NAME` from the scenario's client pod, typed, as an observer: the lab looking
    /// at an answer is not a query in the DNS log and does not change the run (a link replays
    /// the same whatever the learner looked at). It notifies nobody: it runs inside a memo.
    pub fn dns_answer(&self, name: &str) -> DnsAnswer {
        let (ns, pod) = self.scenario.client;
        self.lab
            .try_update_value(|lab| svclab_core::view::dns_answer(&mut lab.cluster, ns, pod, name))
            .unwrap_or_default()
    }

    /// The key that moves exactly when any DNS answer may change (tracked).
    pub fn dns_generation(&self) -> u64 {
        self.with(|lab| svclab_core::view::dns_generation(&lab.cluster)).unwrap_or_default()
    }

    /// The newest `limit` DNS lookups, newest first.
    pub fn dns_log(&self, limit: usize) -> Vec<DnsLogEntry> {
        self.version.track();
        self.lab
            .try_with_value(|lab| {
                lab.cluster
                    .log
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
        self.with(|lab| lab.cluster.traffic.clients.values().cloned().collect()).unwrap_or_default()
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
        self.with(|lab| lab.cluster.traffic.hits.clone()).unwrap_or_default()
    }

    pub fn reset_hits(&self) {
        self.act(Action::ResetHits);
    }

    /// The newest `limit` requests, newest first, grouped from the event timeline.
    pub fn request_log(&self, limit: usize) -> Vec<RequestSummary> {
        self.with(|lab| traffic::log::requests(&lab.cluster.log, limit)).unwrap_or_default()
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
