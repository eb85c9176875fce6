//! The scheduler: binds each pending pod to a node. Filters: node Ready, `nodeName`,
//! `nodeSelector`, and the control-plane taint (kind keeps `NoSchedule` on the control plane
//! when there are workers; system pods in `kube-system` tolerate it). Score: fewest pods,
//! then name, so replicas spread across nodes.

use crate::api::*;
use crate::cluster::Cluster;

pub fn reconcile(c: &mut Cluster) {
    let pending: Vec<(String, String)> = c
        .list::<Pod>(None)
        .filter(|p| !p.status.scheduled && p.metadata.deletion_timestamp.is_none())
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    if pending.is_empty() {
        return;
    }
    let has_workers = c.list::<Node>(None).any(|n| !n.control_plane);
    for (ns, name) in pending {
        let Some(pod) = c.get::<Pod>(&ns, &name) else { continue };
        let tolerates_cp = ns == "kube-system" || !has_workers;
        let mut best: Option<(usize, String)> = None;
        for n in c.list::<Node>(None) {
            let fits = n.ready
                && pod.spec.node_name.as_deref().is_none_or(|want| want == n.metadata.name)
                && map_selector_matches(&pod.spec.node_selector, &n.metadata.labels)
                && (!n.control_plane || tolerates_cp || pod.spec.node_name.is_some());
            if !fits {
                continue;
            }
            let load = c
                .list::<Pod>(None)
                .filter(|p| p.spec.node_name.as_deref() == Some(n.metadata.name.as_str()) && p.status.scheduled)
                .count();
            if best.as_ref().is_none_or(|(l, _)| load < *l) {
                best = Some((load, n.metadata.name.clone()));
            }
        }
        match best {
            Some((_, node)) => {
                if let Some(p) = c.get_mut::<Pod>(&ns, &name) {
                    p.spec.node_name = Some(node.clone());
                    p.status.scheduled = true;
                }
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
                let total = c.list::<Node>(None).count();
                let msg = format!("0/{total} nodes are available: {total} node(s) didn't match Pod's node affinity/selector. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.");
                if !c.kube_events.iter().any(|e| e.name == name && e.reason == "FailedScheduling") {
                    c.record(Kind::Pod, &ns, &name, "Warning", "FailedScheduling", msg);
                }
            }
        }
    }
}
