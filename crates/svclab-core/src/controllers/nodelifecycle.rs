//! Node lifecycle: the UI's "stop node" / "start node" and what the control plane does about
//! a node whose kubelet stopped reporting.
//!
//! * [`stop_node`]: the node turns `NotReady` at once (a real node controller waits
//!   `node-monitor-grace-period`, 40–50 s, before marking it; the lab skips that wait so the
//!   learner sees cause and effect) and its pods' Ready condition turns False
//!   (`MarkPodsNotReady`), so their endpoints become not ready.
//! * After [`EVICTION_DELAY_MS`] (40 s; real clusters evict after the default
//!   `tolerationSeconds: 300` of the `node.kubernetes.io/unreachable` taint, ~5 min — shortened
//!   to keep lessons short) the taint manager deletes the node's pods (event
//!   `TaintManagerEviction`). They stay `Terminating` because the stopped kubelet cannot
//!   confirm (as on a real cluster); ReplicaSets replace them at once on other nodes, a
//!   StatefulSet waits for the name to be free. DaemonSet and static pods are not evicted.
//! * [`start_node`]: Ready again; its kubelet finishes the terminations that were pending
//!   and probes the surviving pods back to Ready.

use crate::api::*;
use crate::cluster::Cluster;

/// How long after a node stops its pods are evicted (documented above).
pub const EVICTION_DELAY_MS: u64 = 40_000;

fn set_ready(c: &mut Cluster, name: &str, ready: bool) -> bool {
    let Some(n) = c.get::<Node>("", name) else { return false };
    if n.ready == ready {
        return true;
    }
    if let Some(n) = c.get_mut::<Node>("", name) {
        n.ready = ready;
    }
    let status = if ready { "NodeReady" } else { "NodeNotReady" };
    c.record(Kind::Node, "", name, "Normal", status, format!("Node {name} status is now: {status}"));
    true
}

/// Stop a node (its kubelet and containers). Returns false if there is no such node.
pub fn stop_node(c: &mut Cluster, name: &str) -> bool {
    if !set_ready(c, name, false) {
        return false;
    }
    let now = c.now;
    c.ctl.node_not_ready_since.entry(name.to_string()).or_insert(now);
    // MarkPodsNotReady.
    let pods: Vec<(String, String)> = c
        .list::<Pod>(None)
        .filter(|p| p.spec.node_name.as_deref() == Some(name) && p.status.ready)
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    for (ns, pod) in pods {
        if let Some(p) = c.get_mut::<Pod>(&ns, &pod) {
            p.status.ready = false;
            p.status.ready_since = Some(now);
            for cs in &mut p.status.container_statuses {
                cs.ready = false;
            }
        }
        c.emit(crate::cluster::SimEvent::PodBecameNotReady { at: now, namespace: ns, name: pod });
    }
    c.settle();
    true
}

/// Start a stopped node again. Returns false if there is no such node.
pub fn start_node(c: &mut Cluster, name: &str) -> bool {
    if !set_ready(c, name, true) {
        return false;
    }
    c.ctl.node_not_ready_since.remove(name);
    // The kubelet re-probes its pods right away.
    let now = c.now;
    let keys: Vec<String> = c
        .list::<Pod>(None)
        .filter(|p| p.spec.node_name.as_deref() == Some(name))
        .map(|p| super::pod_key(&p.metadata.namespace, &p.metadata.name))
        .collect();
    for k in keys {
        if let Some(st) = c.ctl.probes.get_mut(&k) {
            st.next_probe = now;
        }
    }
    c.settle();
    true
}

/// Pods the taint manager leaves alone: DaemonSet pods (they tolerate the taints) and
/// static pods (owned by their Node).
fn tolerates_unreachable(p: &Pod) -> bool {
    p.metadata.controller().is_some_and(|o| o.kind == "DaemonSet" || o.kind == "Node")
}

pub fn reconcile(c: &mut Cluster) {
    if c.ctl.node_not_ready_since.is_empty() {
        return;
    }
    let now = c.now;
    let due: Vec<String> = c
        .ctl
        .node_not_ready_since
        .iter()
        .filter(|(_, since)| now.since(**since) >= EVICTION_DELAY_MS)
        .map(|(n, _)| n.clone())
        .collect();
    for node in due {
        let victims: Vec<(String, String)> = c
            .list::<Pod>(None)
            .filter(|p| p.spec.node_name.as_deref() == Some(node.as_str()))
            .filter(|p| p.metadata.deletion_timestamp.is_none() && !tolerates_unreachable(p))
            .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
            .collect();
        for (ns, pod) in victims {
            c.record(
                Kind::Pod,
                &ns,
                &pod,
                "Normal",
                "TaintManagerEviction",
                format!("Marking for deletion Pod {ns}/{pod}"),
            );
            super::begin_termination(c, &ns, &pod, None);
        }
    }
}
