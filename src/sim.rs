//! The simulation controller: the one writer of the [`Lab`]. Panels read plain-data
//! [`Snapshot`]s (derived through [`SimController::version`], bumped on every change) and
//! send commands through methods. No signals live inside the core's types.

use leptos::prelude::*;
use std::collections::BTreeMap;
use svclab_core::api::{ContainerState, Deployment, EndpointSlice, Kind, Node, Pod, ReplicaSet, Service, StatefulSet};
use svclab_core::apply::ApplyReport;
use svclab_core::cluster::config::ProxyMode;
use svclab_core::cluster::SimEvent;
use svclab_core::controllers::{self, TOOLBOX_NAMESPACE};
use svclab_core::dns::DnsLogEntry;
use svclab_core::scenario::{Scenario, SEED_001};
use svclab_core::traffic::log::RequestSummary;
use svclab_core::traffic::{self, Client, ClientSpec};
use svclab_core::{ClusterConfig, Lab};

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
        let report = svclab_core::apply::apply_text(&mut lab.cluster, manifests, "STDIN", "default");
        if report.ok() {
            lab.cluster.advance(START_MS);
            self.scenario.start_traffic(&mut lab);
            self.lab.set_value(lab);
            self.bump();
        }
        report
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

    /// `nslookup NAME` from the scenario's client pod, as an observer (`Lab::peek`): the lab
    /// looking at an answer is not a query in the DNS log and does not change the run (a link
    /// replays the same whatever the learner looked at). It notifies nobody: it runs inside a memo.
    pub fn nslookup(&self, name: &str) -> String {
        let (ns, pod) = self.scenario.client;
        self.lab.try_update_value(|lab| lab.peek(ns, pod, &format!("nslookup {name}")).text).unwrap_or_default()
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
        let out = self.lab.try_update_value(|lab| {
            let mut trial = lab.cluster.clone();
            let report = svclab_core::apply::apply_text(&mut trial, text, "STDIN", "default");
            let ok = report.ok();
            if ok {
                lab.cluster = trial;
            }
            (report, ok)
        });
        self.bump();
        out.unwrap_or_default()
    }

    /// `spec.replicas` of a Deployment or StatefulSet (the controllers do the rest).
    pub fn set_replicas(&self, kind: Kind, namespace: &str, name: &str, replicas: i32) {
        let n = replicas.clamp(0, MAX_REPLICAS);
        self.update(|lab| match kind {
            Kind::Deployment => {
                if let Some(d) = lab.cluster.get_mut::<Deployment>(namespace, name) {
                    d.spec.replicas = n;
                    d.metadata.generation += 1;
                }
            }
            Kind::StatefulSet => {
                if let Some(s) = lab.cluster.get_mut::<StatefulSet>(namespace, name) {
                    s.spec.replicas = n;
                    s.metadata.generation += 1;
                }
            }
            _ => {}
        });
    }

    /// `kubectl delete pod` (graceful: the pod terminates, its owner replaces it).
    pub fn delete_pod(&self, namespace: &str, name: &str) {
        self.update(|lab| controllers::delete_object(&mut lab.cluster, Kind::Pod, namespace, name, None));
    }

    /// Make the pod's readiness probe fail (true) or pass again (false): the pod turns not
    /// ready after its probe's failureThreshold × periodSeconds (default 30 s).
    pub fn set_readiness_failed(&self, namespace: &str, name: &str, failed: bool) {
        self.update(|lab| controllers::set_readiness_failed(&mut lab.cluster, namespace, name, failed));
    }

    /// Stop (false) or start (true) a node: the node lifecycle controller marks it NotReady
    /// and its pods not ready, or Ready again.
    pub fn set_node_running(&self, name: &str, running: bool) {
        self.update(|lab| {
            if running {
                controllers::start_node(&mut lab.cluster, name)
            } else {
                controllers::stop_node(&mut lab.cluster, name)
            }
        });
    }

    /// Advance simulated time (controllers reconcile every 100 ms of it).
    pub fn advance(&self, ms: u64) {
        if ms > 0 {
            self.update(|lab| lab.cluster.advance(ms));
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
        self.update(|lab| {
            (lab.cluster.traffic.clients.len() < MAX_CLIENTS).then(|| traffic::add_client(&mut lab.cluster, spec))
        })
        .flatten()
    }

    /// Change a client's settings: the core closes its connections and drops its DNS cache,
    /// as restarting the program would.
    pub fn update_client(&self, id: u64, spec: ClientSpec) -> bool {
        self.update(|lab| traffic::update_client(&mut lab.cluster, id, spec)).unwrap_or(false)
    }

    /// Stop a client (its long-lived connections close).
    pub fn remove_client(&self, id: u64) -> bool {
        self.update(|lab| traffic::remove_client(&mut lab.cluster, id)).unwrap_or(false)
    }

    /// Replace every client by `specs` (a restored link).
    pub fn replace_clients(&self, specs: Vec<ClientSpec>) {
        self.update(|lab| {
            let ids: Vec<u64> = lab.cluster.traffic.clients.keys().copied().collect();
            for id in ids {
                traffic::remove_client(&mut lab.cluster, id);
            }
            for spec in specs.into_iter().take(MAX_CLIENTS) {
                traffic::add_client(&mut lab.cluster, spec);
            }
        });
    }

    /// Switch kube-proxy's mode (the `kube-system/kube-proxy` ConfigMap's `mode:`).
    pub fn set_proxy_mode(&self, mode: ProxyMode) {
        self.update(|lab| svclab_core::proxy::set_mode(&mut lab.cluster, mode));
    }

    pub fn proxy_mode(&self) -> ProxyMode {
        self.with(|lab| svclab_core::proxy::mode(&lab.cluster)).unwrap_or(ProxyMode::Iptables)
    }

    /// Responses served per pod (`ns/name`).
    pub fn hits(&self) -> BTreeMap<String, u64> {
        self.with(|lab| lab.cluster.traffic.hits.clone()).unwrap_or_default()
    }

    pub fn reset_hits(&self) {
        self.update(|lab| traffic::reset_hits(&mut lab.cluster));
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
        self.with(snapshot_of).unwrap_or_default()
    }
}

pub const MAX_REPLICAS: i32 = 20;

/// Client programs the lab runs at once: each sends requests on every tick it is due.
pub const MAX_CLIENTS: usize = 8;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    pub node: Option<String>,
    pub ip: Option<String>,
    /// What `kubectl get pods` shows in STATUS.
    pub status: String,
    pub ready: bool,
    pub terminating: bool,
    pub readiness_failed: bool,
    /// The Deployment or StatefulSet that owns it.
    pub workload: Option<String>,
    /// `spec.hostname` (StatefulSet pods: `web-0`).
    pub hostname: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointView {
    pub pod: Option<String>,
    pub ip: String,
    pub ready: bool,
    pub hostname: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    /// `None` for a headless Service, as `kubectl get svc` prints it.
    pub cluster_ip: String,
    pub headless: bool,
    pub type_: String,
    pub endpoints: Vec<EndpointView>,
}

impl ServiceView {
    pub fn ready_ips(&self) -> Vec<String> {
        self.endpoints.iter().filter(|e| e.ready).map(|e| e.ip.clone()).collect()
    }
    pub fn fqdn(&self) -> String {
        format!("{}.{}.svc.cluster.local", self.name, self.namespace)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkloadView {
    pub kind: Option<Kind>,
    pub namespace: String,
    pub name: String,
    pub replicas: i32,
    pub ready: i32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    pub control_plane: bool,
}

/// What the panels draw. It has no clock on purpose: the memo holding it notifies only when
/// something drawn changes, not on every 100 ms tick (the clock bar reads the time itself).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub nodes: Vec<NodeView>,
    pub pods: Vec<PodView>,
    pub services: Vec<ServiceView>,
    pub workloads: Vec<WorkloadView>,
}

/// Namespaces the lab draws: the learner's, not the system's nor the toolbox's.
fn shown(namespace: &str) -> bool {
    !matches!(namespace, "kube-system" | "kube-public" | "kube-node-lease" | "local-path-storage")
        && namespace != TOOLBOX_NAMESPACE
}

fn pod_status(p: &Pod) -> String {
    if p.metadata.deletion_timestamp.is_some() {
        return "Terminating".into();
    }
    if let Some(r) = &p.status.reason {
        return r.clone();
    }
    for cs in &p.status.container_statuses {
        match &cs.state {
            ContainerState::Waiting(reason) => return reason.clone(),
            ContainerState::Terminated(_, reason) => return reason.clone(),
            ContainerState::Running => {}
        }
    }
    if p.status.phase == svclab_core::api::PodPhase::Pending && p.status.scheduled {
        return "ContainerCreating".into();
    }
    p.status.phase.as_str().to_string()
}

pub fn snapshot_of(lab: &Lab) -> Snapshot {
    let c = &lab.cluster;
    let nodes = c
        .list::<Node>(None)
        .map(|n| NodeView { name: n.metadata.name.clone(), ready: n.ready, control_plane: n.control_plane })
        .collect();
    let workload_of = |p: &Pod| -> Option<String> {
        let owner = p.metadata.controller()?;
        match owner.kind.as_str() {
            "ReplicaSet" => {
                let rs = c.get::<ReplicaSet>(&p.metadata.namespace, &owner.name)?;
                Some(rs.metadata.controller().map(|d| d.name.clone()).unwrap_or_else(|| owner.name.clone()))
            }
            _ => Some(owner.name.clone()),
        }
    };
    let pods: Vec<PodView> = c
        .list::<Pod>(None)
        .filter(|p| shown(&p.metadata.namespace))
        .map(|p| PodView {
            namespace: p.metadata.namespace.clone(),
            name: p.metadata.name.clone(),
            node: p.spec.node_name.clone(),
            ip: p.status.pod_ip.clone(),
            status: pod_status(p),
            ready: p.status.ready,
            terminating: p.metadata.deletion_timestamp.is_some(),
            readiness_failed: c
                .ctl
                .readiness_failed
                .contains(&controllers::pod_key(&p.metadata.namespace, &p.metadata.name)),
            workload: workload_of(p),
            hostname: p.spec.hostname.clone(),
        })
        .collect();
    let services = c
        .list::<Service>(None)
        .filter(|s| shown(&s.metadata.namespace))
        .filter(|s| !(s.metadata.namespace == "default" && s.metadata.name == "kubernetes"))
        .map(|s| {
            let ns = &s.metadata.namespace;
            let mut endpoints: Vec<EndpointView> = c
                .list::<EndpointSlice>(Some(ns))
                .filter(|es| {
                    es.metadata.labels.get("kubernetes.io/service-name").map(String::as_str)
                        == Some(s.metadata.name.as_str())
                })
                .flat_map(|es| es.endpoints.iter())
                .flat_map(|e| {
                    e.addresses.iter().map(move |ip| EndpointView {
                        pod: e.target_ref.as_ref().map(|r| r.name.clone()),
                        ip: ip.clone(),
                        ready: e.conditions.is_ready(),
                        hostname: e.hostname.clone(),
                    })
                })
                .collect();
            // CoreDNS answers a Service's addresses across all its slices, deduplicated by IP
            // (spec §4.5): a learner's extra slice listing a pod already listed is one endpoint
            // here too, ready if any slice says so.
            endpoints.sort_by(|a, b| (&a.ip, &a.pod, !a.ready).cmp(&(&b.ip, &b.pod, !b.ready)));
            endpoints.dedup_by(|later, first| later.ip == first.ip && later.pod == first.pod);
            let headless = s.spec.cluster_ip.as_deref() == Some("None");
            ServiceView {
                namespace: ns.clone(),
                name: s.metadata.name.clone(),
                cluster_ip: s.spec.cluster_ip.clone().unwrap_or_else(|| "<none>".into()),
                headless,
                type_: s.spec.type_.as_str().to_string(),
                endpoints,
            }
        })
        .collect();
    let mut workloads: Vec<WorkloadView> = c
        .list::<Deployment>(None)
        .filter(|d| shown(&d.metadata.namespace))
        .map(|d| WorkloadView {
            kind: Some(Kind::Deployment),
            namespace: d.metadata.namespace.clone(),
            name: d.metadata.name.clone(),
            replicas: d.spec.replicas,
            ready: d.status.ready_replicas,
        })
        .collect();
    workloads.extend(c.list::<StatefulSet>(None).filter(|s| shown(&s.metadata.namespace)).map(|s| WorkloadView {
        kind: Some(Kind::StatefulSet),
        namespace: s.metadata.namespace.clone(),
        name: s.metadata.name.clone(),
        replicas: s.spec.replicas,
        ready: s.status.ready_replicas,
    }));
    Snapshot { nodes, pods, services, workloads }
}

/// The addresses in busybox `nslookup` output (`Address N: IP [name]` after `Name:`), in order.
pub fn nslookup_addresses(text: &str) -> Vec<String> {
    let mut after_name = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("Name:") {
            after_name = true;
            continue;
        }
        if !after_name {
            continue;
        }
        if let Some(rest) = line.strip_prefix("Address") {
            if let Some((_, v)) = rest.split_once(':') {
                if let Some(ip) = v.split_whitespace().next() {
                    out.push(ip.to_string());
                }
            }
        }
    }
    out
}
