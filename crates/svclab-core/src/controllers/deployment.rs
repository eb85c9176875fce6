//! Deployment controller (pkg/controller/deployment): one ReplicaSet per pod template, named
//! `<deployment>-<pod-template-hash>` (spec §1.1), owned by the Deployment, annotated with
//! `deployment.kubernetes.io/revision` (also set on the Deployment), `desired-replicas` and
//! `max-replicas`.
//!
//! A template change starts a rollout:
//! * `RollingUpdate` (default): maxSurge / maxUnavailable (default 25 % each; a percentage
//!   rounds up for surge and down for unavailable; both 0 ⇒ unavailable 1). The new RS grows
//!   while the total stays ≤ replicas + maxSurge; old RSs shrink while the available pods
//!   stay ≥ replicas − maxUnavailable (unhealthy old pods go first) — `rolling.go`.
//! * `Recreate`: old RSs scale to 0; the new one scales up once no old pod is left.
//!
//! Old RSs stay at 0 replicas as rollout history; beyond `revisionHistoryLimit` the oldest are
//! deleted. `kubectl rollout restart` = the template annotation
//! `kubectl.kubernetes.io/restartedAt` ([`rollout_restart`]); [`rollout_status`] prints what
//! kubectl's status viewer prints.

use crate::api::*;
use crate::cluster::Cluster;
use crate::names::pod_template_hash;

pub const HASH_LABEL: &str = "pod-template-hash";
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
pub const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";

/// The hash of a template, from a canonical dump of it (labels, spec and — when present —
/// annotations, so `rollout restart` gives a new ReplicaSet).
pub fn template_hash(t: &PodTemplateSpec) -> String {
    let mut dump = format!("{}|{}", labels_hash_dump(&t.metadata.labels), t.spec.hash_dump());
    if !t.metadata.annotations.is_empty() {
        dump.push('|');
        dump.push_str(&labels_hash_dump(&t.metadata.annotations));
    }
    pod_template_hash(&dump, 0)
}

/// `intstr.GetScaledValueFromIntOrPercent`: an int as is, `"25%"` of `total` rounded up or down.
pub fn scaled_value(v: Option<&IntOrString>, total: i32, round_up: bool) -> i32 {
    match v {
        None => {
            if round_up {
                (total * 25 + 99) / 100
            } else {
                total * 25 / 100
            }
        }
        Some(IntOrString::Int(i)) => *i,
        Some(IntOrString::Str(s)) => {
            let pct: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            let x = total as i64 * pct;
            (if round_up { (x + 99).div_euclid(100) } else { x.div_euclid(100) }) as i32
        }
    }
}

/// (maxSurge, maxUnavailable) as `deploymentutil.ResolveFenceposts`.
pub fn fenceposts(d: &Deployment) -> (i32, i32) {
    let r = d.spec.replicas.max(0);
    let surge = scaled_value(d.spec.max_surge.as_ref(), r, true).max(0);
    let mut unavailable = scaled_value(d.spec.max_unavailable.as_ref(), r, false).max(0);
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable)
}

fn revision(rs: &ReplicaSet) -> i64 {
    rs.metadata.annotations.get(REVISION_ANNOTATION).and_then(|r| r.parse().ok()).unwrap_or(0)
}

fn set_rs_replicas(c: &mut Cluster, d: &Deployment, rs_name: &str, to: i32) {
    let ns = d.metadata.namespace.clone();
    let Some(rs) = c.get::<ReplicaSet>(&ns, rs_name) else { return };
    let from = rs.spec.replicas;
    if from == to {
        return;
    }
    let replicas = d.spec.replicas.to_string();
    let (surge, _) = fenceposts(d);
    let max = (d.spec.replicas + if d.spec.strategy == "Recreate" { 0 } else { surge }).to_string();
    if let Some(rs) = c.get_mut::<ReplicaSet>(&ns, rs_name) {
        rs.spec.replicas = to;
        rs.metadata.annotations.insert("deployment.kubernetes.io/desired-replicas".into(), replicas);
        rs.metadata.annotations.insert("deployment.kubernetes.io/max-replicas".into(), max);
    }
    let dir = if to > from { "up" } else { "down" };
    c.record(
        Kind::Deployment,
        &ns,
        &d.metadata.name,
        "Normal",
        "ScalingReplicaSet",
        format!("Scaled {dir} replica set {rs_name} from {from} to {to}"),
    );
}

pub fn reconcile(c: &mut Cluster) {
    for (ns, name) in c.names::<Deployment>(None) {
        let Some(d) = c.get::<Deployment>(&ns, &name).cloned() else { continue };
        sync(c, &d);
    }
}

fn sync(c: &mut Cluster, d: &Deployment) {
    let (ns, name) = (d.metadata.namespace.clone(), d.metadata.name.clone());
    let hash = template_hash(&d.spec.template);
    let new_name = format!("{name}-{hash}");
    let mut all: Vec<ReplicaSet> = c
        .list::<ReplicaSet>(Some(&ns))
        .filter(|rs| rs.metadata.controller().is_some_and(|o| o.uid == d.metadata.uid))
        .cloned()
        .collect();
    all.sort_by_key(|rs| (revision(rs), rs.metadata.creation_timestamp, rs.metadata.name.clone()));
    let max_old_revision = all.iter().filter(|rs| rs.metadata.name != new_name).map(revision).max().unwrap_or(0);
    let new_exists = all.iter().any(|rs| rs.metadata.name == new_name);
    let old: Vec<ReplicaSet> = all.iter().filter(|rs| rs.metadata.name != new_name).cloned().collect();
    let old_replicas: i32 = old.iter().map(|rs| rs.spec.replicas).sum();
    let (surge, max_unavailable) = fenceposts(d);
    let recreate = d.spec.strategy == "Recreate";

    // The new ReplicaSet: created at the size the strategy allows, or given the next revision
    // when an old template comes back (rollback).
    if !new_exists {
        let start = if recreate {
            0
        } else if old.is_empty() {
            d.spec.replicas
        } else {
            (d.spec.replicas + surge - old_replicas).clamp(0, d.spec.replicas)
        };
        create_rs(c, d, &hash, &new_name, start, max_old_revision + 1);
    } else if all.iter().any(|rs| rs.metadata.name == new_name && revision(rs) <= max_old_revision) {
        if let Some(rs) = c.get_mut::<ReplicaSet>(&ns, &new_name) {
            rs.metadata.annotations.insert(REVISION_ANNOTATION.into(), (max_old_revision + 1).to_string());
        }
    }
    let Some(new_rs) = c.get::<ReplicaSet>(&ns, &new_name).cloned() else { return };

    if recreate {
        for rs in &old {
            set_rs_replicas(c, d, &rs.metadata.name, 0);
        }
        let old_pods_left = old.iter().any(|rs| rs.status.replicas > 0)
            || c.list::<Pod>(Some(&ns))
                .any(|p| p.metadata.controller().is_some_and(|o| old.iter().any(|rs| rs.metadata.uid == o.uid)));
        if !old_pods_left {
            set_rs_replicas(c, d, &new_name, d.spec.replicas);
        }
    } else if old_replicas == 0 && new_exists {
        // Steady state or plain scaling.
        set_rs_replicas(c, d, &new_name, d.spec.replicas);
    } else {
        // reconcileNewReplicaSet.
        let total: i32 = old_replicas + new_rs.spec.replicas;
        if new_rs.spec.replicas > d.spec.replicas {
            set_rs_replicas(c, d, &new_name, d.spec.replicas);
        } else if new_rs.spec.replicas < d.spec.replicas {
            let max_total = d.spec.replicas + surge;
            if total < max_total {
                let up = (max_total - total).min(d.spec.replicas - new_rs.spec.replicas);
                set_rs_replicas(c, d, &new_name, new_rs.spec.replicas + up);
            }
        }
        // reconcileOldReplicaSets.
        let new_rs = c.get::<ReplicaSet>(&ns, &new_name).cloned().unwrap_or(new_rs);
        let all_pods: i32 = old_replicas + new_rs.spec.replicas;
        let min_available = d.spec.replicas - max_unavailable;
        let new_unavailable = new_rs.spec.replicas - new_rs.status.available_replicas;
        let mut max_scale_down = all_pods - min_available - new_unavailable;
        if max_scale_down > 0 {
            // cleanupUnhealthyReplicas: old pods that are not available go first.
            let mut olds = old.clone();
            for rs in olds.iter_mut() {
                if max_scale_down <= 0 {
                    break;
                }
                let unhealthy = rs.spec.replicas - rs.status.available_replicas;
                if unhealthy <= 0 || rs.spec.replicas == 0 {
                    continue;
                }
                let down = unhealthy.min(max_scale_down);
                let to = rs.spec.replicas - down;
                set_rs_replicas(c, d, &rs.metadata.name, to);
                rs.spec.replicas = to;
                max_scale_down -= down;
            }
            // scaleDownOldReplicaSetsForRollingUpdate: keep minAvailable available pods.
            let available: i32 = olds.iter().map(|rs| rs.status.available_replicas.min(rs.spec.replicas)).sum::<i32>()
                + new_rs.status.available_replicas;
            let mut budget = (available - min_available).min(max_scale_down.max(0));
            for rs in olds.iter() {
                if budget <= 0 {
                    break;
                }
                if rs.spec.replicas == 0 {
                    continue;
                }
                let down = rs.spec.replicas.min(budget);
                set_rs_replicas(c, d, &rs.metadata.name, rs.spec.replicas - down);
                budget -= down;
            }
        }
    }

    cleanup_history(c, d, &new_name);
    update_status(c, d, &new_name);
}

fn create_rs(c: &mut Cluster, d: &Deployment, hash: &str, rs_name: &str, replicas: i32, rev: i64) {
    let (ns, name) = (d.metadata.namespace.clone(), d.metadata.name.clone());
    let mut template = d.spec.template.clone();
    template.metadata.labels.insert(HASH_LABEL.into(), hash.to_string());
    let mut selector = d.spec.selector.clone();
    selector.match_labels.insert(HASH_LABEL.into(), hash.to_string());
    let labels = template.metadata.labels.clone();
    let (surge, _) = fenceposts(d);
    let max = d.spec.replicas + if d.spec.strategy == "Recreate" { 0 } else { surge };
    let mut annotations = Labels::new();
    annotations.insert("deployment.kubernetes.io/desired-replicas".into(), d.spec.replicas.to_string());
    annotations.insert("deployment.kubernetes.io/max-replicas".into(), max.to_string());
    annotations.insert(REVISION_ANNOTATION.into(), rev.to_string());
    let rs = ReplicaSet {
        metadata: ObjectMeta {
            name: rs_name.to_string(),
            namespace: ns.clone(),
            labels,
            annotations,
            owner_references: vec![OwnerReference {
                api_version: "apps/v1".into(),
                kind: "Deployment".into(),
                name: name.clone(),
                uid: d.metadata.uid.clone(),
                controller: true,
            }],
            ..Default::default()
        },
        spec: ReplicaSetSpec { replicas, selector, template, min_ready_seconds: d.spec.min_ready_seconds },
        status: Default::default(),
    };
    c.put(Object::ReplicaSet(rs));
    if replicas > 0 {
        c.record(
            Kind::Deployment,
            &ns,
            &name,
            "Normal",
            "ScalingReplicaSet",
            format!("Scaled up replica set {rs_name} from 0 to {replicas}"),
        );
    }
}

/// Delete the oldest fully scaled-down old ReplicaSets beyond `revisionHistoryLimit`.
fn cleanup_history(c: &mut Cluster, d: &Deployment, new_name: &str) {
    let ns = &d.metadata.namespace;
    let mut idle: Vec<(i64, String)> = c
        .list::<ReplicaSet>(Some(ns))
        .filter(|rs| rs.metadata.controller().is_some_and(|o| o.uid == d.metadata.uid))
        .filter(|rs| rs.metadata.name != new_name && rs.spec.replicas == 0 && rs.status.replicas == 0)
        .map(|rs| (revision(rs), rs.metadata.name.clone()))
        .collect();
    let limit = d.spec.revision_history_limit.max(0) as usize;
    if idle.len() <= limit {
        return;
    }
    idle.sort();
    let n = idle.len() - limit;
    for (_, rs) in idle.into_iter().take(n) {
        super::delete_object(c, Kind::ReplicaSet, ns, &rs, None);
    }
}

fn update_status(c: &mut Cluster, d: &Deployment, new_name: &str) {
    let ns = &d.metadata.namespace;
    let rss: Vec<&ReplicaSet> = c
        .list::<ReplicaSet>(Some(ns))
        .filter(|rs| rs.metadata.controller().is_some_and(|o| o.uid == d.metadata.uid))
        .collect();
    let replicas: i32 = rss.iter().map(|rs| rs.status.replicas).sum();
    let ready: i32 = rss.iter().map(|rs| rs.status.ready_replicas).sum();
    let available: i32 = rss.iter().map(|rs| rs.status.available_replicas).sum();
    let updated = rss.iter().find(|rs| rs.metadata.name == new_name).map(|rs| rs.status.replicas).unwrap_or(0);
    let rev = rss.iter().find(|rs| rs.metadata.name == new_name).map(|rs| revision(rs)).unwrap_or(1);
    let want = WorkloadStatus {
        replicas,
        ready_replicas: ready,
        updated_replicas: updated,
        available_replicas: available,
        observed_generation: d.metadata.generation,
        ..Default::default()
    };
    let rev_s = rev.to_string();
    let same = c
        .get::<Deployment>(ns, &d.metadata.name)
        .is_some_and(|dm| dm.status == want && dm.metadata.annotations.get(REVISION_ANNOTATION) == Some(&rev_s));
    if !same {
        if let Some(dm) = c.get_mut::<Deployment>(ns, &d.metadata.name) {
            dm.status = want;
            dm.metadata.annotations.insert(REVISION_ANNOTATION.into(), rev_s);
        }
    }
}

/// `kubectl rollout restart deployment/<name>`: stamps the template so a new ReplicaSet
/// rolls out. Returns kubectl's line, or its error.
pub fn rollout_restart(c: &mut Cluster, ns: &str, name: &str) -> Result<String, String> {
    let stamp = crate::time::rfc3339(c.now);
    let Some(d) = c.get_mut::<Deployment>(ns, name) else {
        return Err(format!("Error from server (NotFound): deployments.apps \"{name}\" not found"));
    };
    d.spec.template.metadata.annotations.insert(RESTARTED_AT_ANNOTATION.into(), stamp);
    d.metadata.generation += 1;
    c.settle();
    Ok(format!("deployment.apps/{name} restarted"))
}

/// kubectl's `DeploymentStatusViewer`: (done, message), message without the trailing newline.
pub fn rollout_status(c: &Cluster, ns: &str, name: &str) -> (bool, String) {
    let Some(d) = c.get::<Deployment>(ns, name) else {
        return (false, format!("Error from server (NotFound): deployments.apps \"{name}\" not found"));
    };
    let s = &d.status;
    if d.metadata.generation > s.observed_generation {
        return (false, "Waiting for deployment spec update to be observed...".into());
    }
    if s.updated_replicas < d.spec.replicas {
        return (
            false,
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} out of {} new replicas have been updated...",
                s.updated_replicas, d.spec.replicas
            ),
        );
    }
    if s.replicas > s.updated_replicas {
        return (
            false,
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...",
                s.replicas - s.updated_replicas
            ),
        );
    }
    if s.available_replicas < s.updated_replicas {
        return (
            false,
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} of {} updated replicas are available...",
                s.available_replicas, s.updated_replicas
            ),
        );
    }
    (true, format!("deployment \"{name}\" successfully rolled out"))
}
