//! ReplicaSet controller: creates pods (`generateName: <rs>-`, owner reference to the RS)
//! until the owned active pods (not terminating, not Succeeded/Failed) match `replicas`,
//! and deletes the surplus in the real controller's order (unscheduled, then not ready,
//! then newest first). Status: `replicas` (active pods), `readyReplicas`,
//! `availableReplicas` (Ready for `minReadySeconds`).
//!
//! Cost: pods are grouped by controlling owner once per pass (O(pods)), not scanned per RS.

use crate::api::*;
use crate::cluster::Cluster;
use crate::names::generate_name;
use crate::time::SimTime;
use std::collections::BTreeMap;

/// Is a pod Ready for at least `min_ready_seconds` (`podutil.IsPodAvailable`)?
pub fn is_available(p: &Pod, min_ready_seconds: i64, now: SimTime) -> bool {
    p.status.ready
        && (min_ready_seconds <= 0
            || p.status.ready_since.is_some_and(|t| now.since(t) >= min_ready_seconds as u64 * 1000))
}

/// Active pods (`FilterActivePods`): not terminating, not finished.
pub fn is_active(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_none() && !matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed)
}

/// Active pods by controlling owner uid: (name, scheduled, ready, available, created).
type Owned = BTreeMap<String, Vec<(String, bool, bool, bool, SimTime)>>;

fn owned_pods(c: &Cluster, min_ready: &BTreeMap<String, i64>) -> Owned {
    let mut out: Owned = BTreeMap::new();
    for p in c.list::<Pod>(None) {
        let Some(o) = p.metadata.controller() else { continue };
        if o.kind != "ReplicaSet" || !is_active(p) {
            continue;
        }
        let mr = min_ready.get(&o.uid).copied().unwrap_or(0);
        out.entry(o.uid.clone()).or_default().push((
            p.metadata.name.clone(),
            p.status.scheduled,
            p.status.ready,
            is_available(p, mr, c.now),
            p.metadata.creation_timestamp,
        ));
    }
    out
}

pub fn reconcile(c: &mut Cluster) {
    let min_ready: BTreeMap<String, i64> =
        c.list::<ReplicaSet>(None).map(|rs| (rs.metadata.uid.clone(), rs.spec.min_ready_seconds)).collect();
    let mut owned = owned_pods(c, &min_ready);
    for (ns, name) in c.names::<ReplicaSet>(None) {
        let Some(rs) = c.get::<ReplicaSet>(&ns, &name) else { continue };
        let uid = rs.metadata.uid.clone();
        let want = rs.spec.replicas.max(0) as usize;
        let mine = owned.remove(&uid).unwrap_or_default();
        if mine.len() < want {
            let rs = rs.clone();
            for _ in mine.len()..want {
                if !create_pod(c, &rs) {
                    break;
                }
            }
        } else if mine.len() > want {
            let mut victims = mine.clone();
            // Unscheduled < scheduled, not ready < ready, newer < older: delete the first ones.
            victims
                .sort_by_key(|(n, sched, ready, _, created)| (*sched, *ready, std::cmp::Reverse(*created), n.clone()));
            for (pod, ..) in victims.iter().take(mine.len() - want) {
                super::kubelet::begin_termination(c, &ns, pod, None);
                c.record(Kind::ReplicaSet, &ns, &name, "Normal", "SuccessfulDelete", format!("Deleted pod: {pod}"));
            }
        }
        // Status reflects the pods observed at the start of the pass, as the real controller's.
        let total = mine.len() as i32;
        let ready = mine.iter().filter(|p| p.2).count() as i32;
        let available = mine.iter().filter(|p| p.3).count() as i32;
        let changed = c.get::<ReplicaSet>(&ns, &name).is_some_and(|r| {
            r.status.ready_replicas != ready
                || r.status.replicas != total
                || r.status.available_replicas != available
                || r.status.observed_generation != r.metadata.generation
        });
        if changed {
            if let Some(r) = c.get_mut::<ReplicaSet>(&ns, &name) {
                r.status.replicas = total;
                r.status.ready_replicas = ready;
                r.status.available_replicas = available;
                r.status.observed_generation = r.metadata.generation;
            }
        }
    }
}

/// Create one pod; false (and a `FailedCreate` event, as the controller records a refused
/// create) when the cluster is at its pod limit.
fn create_pod(c: &mut Cluster, rs: &ReplicaSet) -> bool {
    let (ns, name) = (rs.metadata.namespace.clone(), rs.metadata.name.clone());
    if let Err(e) = c.pod_room(&format!("{name}-")) {
        c.record(Kind::ReplicaSet, &ns, &name, "Warning", "FailedCreate", format!("Error creating: {e}"));
        return false;
    }
    let pod_name = loop {
        let n = c.with_rng(|r| generate_name(&format!("{name}-"), r));
        if c.get::<Pod>(&ns, &n).is_none() {
            break n;
        }
    };
    let pod = Pod {
        metadata: ObjectMeta {
            name: pod_name.clone(),
            generate_name: Some(format!("{name}-")),
            namespace: ns.clone(),
            labels: rs.spec.template.metadata.labels.clone(),
            annotations: rs.spec.template.metadata.annotations.clone(),
            owner_references: vec![OwnerReference {
                api_version: "apps/v1".into(),
                kind: "ReplicaSet".into(),
                name: name.clone(),
                uid: rs.metadata.uid.clone(),
                controller: true,
            }],
            ..Default::default()
        },
        spec: rs.spec.template.spec.clone(),
        status: PodStatus::default(),
    };
    c.put(Object::Pod(pod));
    c.record(Kind::ReplicaSet, &ns, &name, "Normal", "SuccessfulCreate", format!("Created pod: {pod_name}"));
    true
}
