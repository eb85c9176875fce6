//! The scheduler: binds each pending pod to a node. Filters, in kube-scheduler's plugin
//! order: the node's taints (`node.kubernetes.io/unreachable` on a stopped node; kind keeps
//! `node-role.kubernetes.io/control-plane:NoSchedule` on the control plane when there are
//! workers, which `kube-system` pods tolerate), then `nodeSelector`, then room (the
//! kubelet's default `maxPods` of 110, "Too many pods"). Score: fewest pods,
//! then name, so replicas spread across nodes.
//!
//! A pod with `spec.nodeName` set bypasses the scheduler, as in Kubernetes: the kubelet of
//! that node runs it (no `Scheduled` event); if no such node exists it stays Pending with no
//! event (the API server does not check the name).
//!
//! Queue: as kube-scheduler's scheduling queue parks an unschedulable pod until a cluster
//! event could make it fit (a node added or changed, a pod leaving a node), a pod that failed
//! is tried again only when the nodes or their loads changed since the last pass (their
//! [`signature`]); new pods are always tried. So ~800 pods Pending on a full cluster cost
//! nothing per tick, where re-evaluating them (and rebuilding their messages) every 100 ms
//! took seconds per simulated minute. The pass also runs only when the store moved.
//!
//! Cost: node loads are counted once per pass and updated as pods are bound, so a pass is
//! O(pods + tried × nodes).

use crate::api::*;
use crate::cluster::Cluster;
use std::collections::BTreeMap;

pub const UNREACHABLE_TAINT: &str = "{node.kubernetes.io/unreachable: }";
pub const CONTROL_PLANE_TAINT: &str = "{node-role.kubernetes.io/control-plane: }";
/// The kubelet's default `maxPods`: the NodeResourcesFit filter refuses more ("Too many pods").
pub const MAX_PODS_PER_NODE: usize = 110;

/// Why a node does not fit a pod (the scheduler's per-node status reason).
fn misfit(pod: &Pod, n: &Node, tolerates_cp: bool, load: usize) -> Option<String> {
    if !n.ready {
        return Some(format!("node(s) had untolerated taint {UNREACHABLE_TAINT}"));
    }
    if n.control_plane && !tolerates_cp {
        return Some(format!("node(s) had untolerated taint {CONTROL_PLANE_TAINT}"));
    }
    if !map_selector_matches(&pod.spec.node_selector, &n.metadata.labels) {
        return Some("node(s) didn't match Pod's node affinity/selector".into());
    }
    if load >= MAX_PODS_PER_NODE {
        return Some("Too many pods".into());
    }
    None
}

/// kube-scheduler's FitError text: reasons counted, `"<n> <reason>"` sorted, comma-joined,
/// then the preemption summary.
pub fn failed_scheduling_message(total: usize, reasons: &BTreeMap<String, usize>) -> String {
    let mut parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
    parts.sort();
    format!(
        "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.",
        parts.join(", ")
    )
}

/// What decides whether a node fits a pod, for every node: readiness, role, labels and load.
/// An unschedulable pod is retried only when this changes (a cheap FNV hash, compared with
/// the one the last pass ended with).
fn signature(nodes: &[Node], load: &BTreeMap<String, usize>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: &[u8]| {
        for x in b {
            h ^= u64::from(*x);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for n in nodes {
        eat(n.metadata.name.as_bytes());
        eat(&[u8::from(n.ready), u8::from(n.control_plane)]);
        for (k, v) in &n.metadata.labels {
            eat(k.as_bytes());
            eat(b"=");
            eat(v.as_bytes());
        }
        eat(&load.get(&n.metadata.name).copied().unwrap_or(0).to_le_bytes());
    }
    h
}

pub fn reconcile(c: &mut Cluster) {
    // Scheduling reads only the store (nodes and pods), never the clock.
    if !super::store_moved(c, "scheduler") {
        return;
    }
    let pending: Vec<(String, String)> = c
        .list::<Pod>(None)
        .filter(|p| !p.status.scheduled && p.metadata.deletion_timestamp.is_none())
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    if pending.is_empty() {
        return;
    }
    let nodes: Vec<Node> = c.list::<Node>(None).cloned().collect();
    let has_workers = nodes.iter().any(|n| !n.control_plane);
    let mut load: BTreeMap<String, usize> = nodes.iter().map(|n| (n.metadata.name.clone(), 0)).collect();
    for p in c.list::<Pod>(None) {
        let finished = matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed);
        if let Some(n) = p.spec.node_name.as_ref().filter(|_| p.status.scheduled && !finished) {
            if let Some(l) = load.get_mut(n) {
                *l += 1;
            }
        }
    }
    let unchanged = c.ctl.unschedulable_signature == Some(signature(&nodes, &load));
    for (ns, name) in pending {
        let Some(pod) = c.get::<Pod>(&ns, &name) else { continue };
        if unchanged
            && pod.spec.node_name.is_none()
            && c.ctl.scheduling_failures.contains_key(&super::pod_key(&ns, &name))
        {
            // Parked: nothing it depends on changed since it last failed.
            continue;
        }
        if let Some(want) = pod.spec.node_name.clone() {
            // Bound by the user: the kubelet takes it if the node exists.
            if load.contains_key(&want) {
                if let Some(p) = c.get_mut::<Pod>(&ns, &name) {
                    p.status.scheduled = true;
                }
                *load.entry(want).or_default() += 1;
            }
            continue;
        }
        let tolerates_cp = ns == "kube-system" || !has_workers;
        let mut best: Option<(usize, &str)> = None;
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for n in &nodes {
            let l = load.get(&n.metadata.name).copied().unwrap_or(0);
            if let Some(r) = misfit(pod, n, tolerates_cp, l) {
                *reasons.entry(r).or_default() += 1;
                continue;
            }
            if best.is_none_or(|(bl, _)| l < bl) {
                best = Some((l, &n.metadata.name));
            }
        }
        let key = super::pod_key(&ns, &name);
        match best.map(|(_, n)| n.to_string()) {
            Some(node) => {
                if let Some(p) = c.get_mut::<Pod>(&ns, &name) {
                    p.spec.node_name = Some(node.clone());
                    p.status.scheduled = true;
                }
                *load.entry(node.clone()).or_default() += 1;
                c.ctl.scheduling_failures.remove(&key);
                c.record(
                    Kind::Pod,
                    &ns,
                    &name,
                    "Normal",
                    "Scheduled",
                    format!("Successfully assigned {ns}/{name} to {node}"),
                );
            }
            None => {
                let msg = failed_scheduling_message(nodes.len(), &reasons);
                if c.ctl.scheduling_failures.get(&key) != Some(&msg) {
                    c.ctl.scheduling_failures.insert(key, msg.clone());
                    c.record(Kind::Pod, &ns, &name, "Warning", "FailedScheduling", msg);
                }
            }
        }
    }
    c.ctl.unschedulable_signature = Some(signature(&nodes, &load));
}
