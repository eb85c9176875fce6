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
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Private controller state that is not part of any API object.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ControllerState {
    /// host-local IPAM: the last address handed out per node pod CIDR (it continues from
    /// there, as the CNI plugin does, rather than reusing a just-freed IP at once).
    pub pod_ip_cursor: BTreeMap<String, u128>,
    /// Readiness probe bookkeeping per pod key `ns/name`.
    pub probes: BTreeMap<String, kubelet::ProbeState>,
    /// Pods whose readiness was failed by hand (`fail readiness` in the UI).
    pub readiness_failed: std::collections::BTreeSet<String>,
    /// The kubelet's per-container lifecycle, per pod key.
    #[serde(default)]
    pub runtime: BTreeMap<String, Vec<kubelet::ContainerRuntime>>,
    /// Images each node has pulled or run (the node's image cache).
    #[serde(default)]
    pub node_images: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// When each stopped node went NotReady (node lifecycle controller).
    #[serde(default)]
    pub node_not_ready_since: BTreeMap<String, crate::time::SimTime>,
    /// The last FailedScheduling message per pod key (recorded again only when it changes).
    #[serde(default)]
    pub scheduling_failures: BTreeMap<String, String>,
    /// `ns/name` of the Endpoints objects the Endpoints controller wrote.
    #[serde(default)]
    pub managed_endpoints: std::collections::BTreeSet<String>,
    /// StatefulSet pod templates by `ns/<sts>-<hash>` (what ControllerRevisions hold).
    #[serde(default)]
    pub sts_revisions: BTreeMap<String, crate::api::PodTemplateSpec>,
    /// The store's resourceVersion at each store-driven controller's last pass.
    #[serde(default)]
    pub last_seen: BTreeMap<String, u64>,
}

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

/// Has the store changed since `controller` last ran? Records the current version.
fn store_moved(c: &mut Cluster, controller: &str) -> bool {
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
