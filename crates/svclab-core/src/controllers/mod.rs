//! The control plane's controllers and the kubelet, run level-triggered on every tick:
//! each compares what is desired with what is there and acts, as the real ones do.
//!
//! Order of one reconcile pass: Deployment → ReplicaSet → StatefulSet → DaemonSet (create and
//! delete pods) → node lifecycle (NotReady nodes, eviction) → scheduler (bind pending pods) →
//! kubelet (start containers, probe readiness, finish terminations) → EndpointSlice
//! controller (publish endpoints) → Endpoints controller → EndpointSlice mirroring →
//! service controller (LoadBalancer ingress).

mod bootstrap;
pub mod daemonset;
pub mod deployment;
pub mod endpoints;
pub mod endpointslice;
pub mod ipam;
pub mod kubelet;
pub mod mirroring;
pub mod nodelifecycle;
mod replicaset;
mod scheduler;
pub mod service;
pub mod statefulset;

pub use bootstrap::{
    bootstrap, default_corefile, BOOT_MS, KUBERNETES_VERSION, TOOLBOX_IMAGE, TOOLBOX_NAMESPACE, TOOLBOX_POD,
};
pub use deployment::{rollout_restart, rollout_status};
pub use kubelet::{begin_termination, set_readiness_failed};
pub use nodelifecycle::{start_node, stop_node};

/// One controller step, in milliseconds.
pub const TICK: u64 = crate::cluster::TICK_MS;

use crate::cluster::Cluster;

pub use crate::cluster::state::ControllerState;

impl ControllerState {
    /// Drop everything kept about a pod that is gone.
    pub fn forget_pod(&mut self, key: &str) {
        self.probes.remove(key);
        self.readiness_failed.remove(key);
        self.runtime.remove(key);
        self.scheduling_failures.remove(key);
    }
}

/// One reconcile pass of every controller, at the cluster's current time.
///
/// Controllers that read only the store (not the clock) skip a pass when the store has not
/// changed since their last one: a steady-state pass then costs only the kubelet's timers.
pub fn reconcile(c: &mut Cluster) {
    if store_moved(c, "deployment") {
        deployment::reconcile(c);
    }
    // minReadySeconds makes availability depend on time.
    if store_moved(c, "replicaset") || c.list::<crate::api::ReplicaSet>(None).any(|r| r.spec.min_ready_seconds > 0) {
        replicaset::reconcile(c);
    }
    if store_moved(c, "statefulset") {
        statefulset::reconcile(c);
    }
    // minReadySeconds makes availability depend on time.
    if store_moved(c, "daemonset") || c.list::<crate::api::DaemonSet>(None).any(|d| d.spec.min_ready_seconds > 0) {
        daemonset::reconcile(c);
    }
    nodelifecycle::reconcile(c);
    scheduler::reconcile(c);
    // PersistentVolumeClaims bind once their first consumer is scheduled (kind's class).
    if store_moved(c, "pvbinder") {
        statefulset::bind_claims(c);
    }
    kubelet::reconcile(c);
    if store_moved(c, "endpointslice") {
        endpointslice::reconcile(c);
    }
    if store_moved(c, "endpoints") {
        endpoints::reconcile(c);
    }
    if store_moved(c, "mirroring") {
        mirroring::reconcile(c);
    }
    if store_moved(c, "service") {
        service::reconcile(c);
    }
    crate::dns::reload(c);
}

/// The controllers that [`reconcile`] runs only when the store moved ([`store_moved`]).
const STORE_GATED: [&str; 11] = [
    "deployment",
    "replicaset",
    "statefulset",
    "daemonset",
    "scheduler",
    "pvbinder",
    "kubelet",
    "endpointslice",
    "endpoints",
    "mirroring",
    "service",
];

/// The earliest simulated time at which a tick (a reconcile pass and the traffic clients)
/// can change anything: every tick before it would only count itself, so
/// [`Cluster::advance`] passes over such ticks at once (booting the cluster and a quiet lab
/// cost only the ticks where something happens). `Some(now)` when a tick may act at once;
/// `None` when nothing is scheduled at all.
///
/// A tick acts when: the store moved since a store-gated controller last ran; a workload has
/// `minReadySeconds` (availability then depends on the clock); the Corefile awaits a reload;
/// a NotReady node's eviction delay ends; the kubelet's scan deadline (terminations) or one
/// of its container timers or readiness probes comes; a traffic client's next request is
/// due. This mirrors the guards of [`reconcile`], `kubelet::reconcile` and `traffic::tick`
/// (a new guard there must be added here; `tests/idle_ticks.rs` compares against running
/// every tick).
pub(crate) fn next_wake(c: &Cluster) -> Option<crate::time::SimTime> {
    use crate::api::{DaemonSet, ReplicaSet};
    use crate::cluster::state::Stage;
    use crate::time::SimTime;
    let now = c.now;
    let rv = c.resource_version();
    if STORE_GATED.iter().any(|k| c.ctl.last_seen.get(*k) != Some(&rv))
        || c.list::<ReplicaSet>(None).any(|r| r.spec.min_ready_seconds > 0)
        || c.list::<DaemonSet>(None).any(|d| d.spec.min_ready_seconds > 0)
        || crate::dns::reload_pending(c)
    {
        return Some(now);
    }
    let mut wake: Option<SimTime> = None;
    let mut at = |t: SimTime| wake = Some(wake.map_or(t, |w: SimTime| w.min(t)));
    for since in c.ctl.node_not_ready_since.values() {
        at(since.plus_millis(nodelifecycle::EVICTION_DELAY_MS));
    }
    match c.ctl.kubelet_quiet_until {
        None => at(now),
        Some(t) if t != SimTime(u64::MAX) => at(t),
        Some(_) => {}
    }
    for r in c.ctl.runtime.values().flatten() {
        match &r.stage {
            Stage::Pulling(t) | Stage::Creating(t) => at(*t),
            Stage::PullBackOff { failed_at, retry_at, shown_backoff } => {
                at(*retry_at);
                if !shown_backoff {
                    at(failed_at.plus_millis(kubelet::PULL_BACKOFF_REPORT_MS));
                }
            }
            Stage::Running(Some((t, _))) | Stage::Exited { restart_at: Some(t) } => at(*t),
            Stage::Stuck | Stage::Running(None) | Stage::Exited { restart_at: None } => {}
        }
    }
    for st in c.ctl.probes.values() {
        at(st.next_probe);
    }
    for client in c.traffic.clients.values() {
        at(client.next_at);
    }
    wake
}

/// Has the store changed since `controller` last ran? Records the current version.
pub(crate) fn store_moved(c: &mut Cluster, controller: &str) -> bool {
    let rv = c.resource_version();
    c.ctl.last_seen.insert(controller.to_string(), rv) != Some(rv)
}

/// A UID for an object the control plane writes whose identity follows from another's (the
/// Endpoints of a Service, the system pods of a node): UUID-shaped and deterministic, so
/// such objects do not draw from the cluster's RNG and do not shift the generated names of
/// everything that follows.
pub fn derived_uid(from: &str) -> String {
    let a = crate::names::fnv32a(from.as_bytes());
    let b = crate::names::fnv32a(format!("{from}#1").as_bytes());
    let d = crate::names::fnv32a(format!("{from}#2").as_bytes());
    let e = crate::names::fnv32a(format!("{from}#3").as_bytes());
    format!("{a:08x}-{:04x}-4{:03x}-{:04x}-{:04x}{e:08x}", b >> 16, b & 0x0fff, 0x8000 | (d >> 16) & 0x3fff, d & 0xffff)
}

/// Key used for per-pod controller state.
pub fn pod_key(namespace: &str, name: &str) -> String {
    format!("{namespace}/{name}")
}

/// Remove a pod at once (`--grace-period=0 --force`, or a `--rm` shell exiting).
pub fn delete_pod_now(c: &mut Cluster, namespace: &str, name: &str) {
    use crate::api::Kind;
    use crate::cluster::{ObjKey, SimEvent};
    if c.remove(&ObjKey::new(Kind::Pod, namespace, name)).is_some() {
        c.ctl.forget_pod(&pod_key(namespace, name));
        let at = c.now;
        c.emit(SimEvent::PodTerminated { at, namespace: namespace.into(), name: name.into() });
        endpointslice::reconcile(c);
    }
}

/// `kubectl delete`: pods terminate gracefully (`grace` seconds, default the pod's own);
/// owners cascade in the background as the garbage collector does (owned objects are
/// deleted, owned pods terminate).
pub fn delete_object(c: &mut Cluster, kind: crate::api::Kind, namespace: &str, name: &str, grace: Option<i64>) {
    use crate::api::Kind;
    use crate::cluster::{ObjKey, SimEvent};
    if kind == Kind::Pod {
        match grace {
            Some(0) => delete_pod_now(c, namespace, name),
            g => begin_termination(c, namespace, name, g),
        }
        return;
    }
    let Some(obj) = c.remove(&ObjKey::new(kind, namespace, name)) else { return };
    let uid = obj.meta().uid.clone();
    let at = c.now;
    c.emit(SimEvent::ObjectDeleted { at, kind, namespace: namespace.into(), name: name.into() });
    // Garbage collection of dependents.
    let dependents: Vec<(Kind, String)> = c
        .objects()
        .filter(|o| o.meta().namespace == namespace && o.meta().owner_references.iter().any(|r| r.uid == uid))
        .map(|o| (o.kind(), o.meta().name.clone()))
        .collect();
    for (k, n) in dependents {
        delete_object(c, k, namespace, &n, None);
    }
}
