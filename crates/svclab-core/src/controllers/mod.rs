//! The control plane's controllers and the kubelet, run level-triggered on every tick:
//! each compares what is desired with what is there and acts, as the real ones do.
//!
//! Order of one reconcile pass: Deployment → ReplicaSet → StatefulSet (create and delete
//! pods) → scheduler (bind pending pods) → kubelet (start containers, probe readiness,
//! finish terminations) → EndpointSlice controller (publish endpoints).

mod bootstrap;
mod deployment;
pub mod endpointslice;
pub mod ipam;
mod kubelet;
mod replicaset;
mod scheduler;

pub use bootstrap::{bootstrap, default_corefile, BOOT_MS, TOOLBOX_IMAGE, TOOLBOX_NAMESPACE, TOOLBOX_POD};
pub use kubelet::begin_termination;

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
}

/// One reconcile pass of every controller, at the cluster's current time.
pub fn reconcile(c: &mut Cluster) {
    deployment::reconcile(c);
    replicaset::reconcile(c);
    scheduler::reconcile(c);
    kubelet::reconcile(c);
    endpointslice::reconcile(c);
    crate::dns::reload(c);
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
        let key = pod_key(namespace, name);
        c.ctl.probes.remove(&key);
        c.ctl.readiness_failed.remove(&key);
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
