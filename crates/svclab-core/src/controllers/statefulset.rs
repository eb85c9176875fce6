//! StatefulSet controller (pkg/controller/statefulset, spec §1.2): pods `<sts>-<ordinal>` for
//! ordinals `start .. start+replicas`, each with `hostname` = its name, `subdomain` =
//! `serviceName`, labels `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`
//! and `controller-revision-hash` (`<sts>-<hash of the template>`).
//!
//! * `OrderedReady` (default): create one pod at a time, in ordinal order, each only once the
//!   previous ones are Running and Ready; scale down from the highest ordinal, one at a time,
//!   each only after the previous one has fully terminated.
//! * `Parallel`: create and delete all at once.
//! * A deleted or failed pod is recreated with the same name (host-local IPAM then gives it
//!   a new IP); a pod still terminating is waited for.
//! * RollingUpdate of the template: from the highest ordinal down to `partition`, one pod at
//!   a time, each once all pods are Running and Ready; a pod below the partition that is
//!   deleted comes back at the revision it had (templates kept per revision, standing in
//!   for ControllerRevisions).
//!
//! * `OnDelete`: a template change touches no running pod; a pod the user deletes comes back
//!   at the update revision (stateful_set_control.go `newVersionedStatefulSetPod` keeps the
//!   current revision only under RollingUpdate, below the partition).
//! * `rollingUpdate.maxUnavailable` is not modelled: behind the alpha gate
//!   `MaxUnavailableStatefulSet` (off in v1.33) the API server drops it, and updates go one
//!   pod at a time.
//!
//! * `volumeClaimTemplates`: before a pod is created, each template's claim
//!   `<template>-<set>-<ordinal>` is created if missing (stateful_set_utils.go
//!   `getPersistentVolumeClaimName`; the ordinal respects `spec.ordinals.start`), labelled with
//!   the set's selector, in the template's class or the default one; the pod gets a
//!   `persistentVolumeClaim` volume named after the template (`updateStorage`) and keeps its
//!   containers' `volumeMounts`. Claims outlive their pods: a recreated pod reattaches to its
//!   own claim. `persistentVolumeClaimRetentionPolicy` (StatefulSetAutoDeletePVC, GA in 1.32):
//!   `whenDeleted: Delete` makes the set the claims' owner, so deleting the set deletes them;
//!   `whenScaled: Delete` deletes the claims of ordinals removed by a scale-down once their pod
//!   is gone. [`bind_claims`] is the binder for kind's `standard` class.

use crate::api::*;
use crate::cluster::Cluster;
use crate::names::pod_template_hash;
use std::collections::BTreeMap;

pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
pub const REVISION_LABEL: &str = "controller-revision-hash";

/// `<sts>-<hash>`: the ControllerRevision name the pods carry.
pub fn revision_name(sts: &StatefulSet) -> String {
    let t = &sts.spec.template;
    let dump = format!(
        "{}|{}|{}",
        labels_hash_dump(&t.metadata.labels),
        labels_hash_dump(&t.metadata.annotations),
        t.spec.hash_dump()
    );
    let hash = pod_template_hash(&dump, 0);
    format!("{}-{hash}", sts.metadata.name)
}

/// The ordinal of a pod of this set, from its name.
fn ordinal_of(sts: &str, pod: &str) -> Option<i32> {
    pod.strip_prefix(sts)?.strip_prefix('-')?.parse().ok()
}

pub fn reconcile(c: &mut Cluster) {
    // Pods by controlling StatefulSet uid (one pass over pods).
    let mut by_owner: BTreeMap<String, Vec<Pod>> = BTreeMap::new();
    for p in c.list::<Pod>(None) {
        if let Some(o) = p.metadata.controller().filter(|o| o.kind == "StatefulSet") {
            by_owner.entry(o.uid.clone()).or_default().push(p.clone());
        }
    }
    for (ns, name) in c.names::<StatefulSet>(None) {
        let Some(sts) = c.get::<StatefulSet>(&ns, &name).cloned() else { continue };
        let pods = by_owner.remove(&sts.metadata.uid).unwrap_or_default();
        sync(c, &sts, pods);
    }
}

fn healthy(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_none() && p.status.phase == PodPhase::Running && p.status.ready
}

fn sync(c: &mut Cluster, sts: &StatefulSet, pods: Vec<Pod>) {
    let (ns, name) = (sts.metadata.namespace.clone(), sts.metadata.name.clone());
    let rev = revision_name(sts);
    let start = sts.spec.ordinals_start.max(0);
    let end = start + sts.spec.replicas.max(0);
    let parallel = sts.spec.pod_management_policy == "Parallel";
    let on_delete = sts.spec.update_strategy == "OnDelete";
    let by_ordinal: BTreeMap<i32, Pod> =
        pods.iter().filter_map(|p| Some((ordinal_of(&name, &p.metadata.name)?, p.clone()))).collect();

    // Failed/finished pods are deleted so they can be recreated.
    for p in by_ordinal.values() {
        if matches!(p.status.phase, PodPhase::Failed | PodPhase::Succeeded) && p.metadata.deletion_timestamp.is_none() {
            super::delete_pod_now(c, &ns, &p.metadata.name);
            record(
                c,
                sts,
                "SuccessfulDelete",
                format!("delete Pod {} in StatefulSet {name} successful", p.metadata.name),
            );
        }
    }
    let by_ordinal: BTreeMap<i32, Pod> =
        by_ordinal.into_iter().filter(|(_, p)| c.get::<Pod>(&ns, &p.metadata.name).is_some()).collect();

    // whenScaled: Delete — claims of ordinals scaled away go once their pod is gone.
    if sts.spec.pvc_when_scaled == "Delete" {
        let gone: Vec<String> = c
            .list::<PersistentVolumeClaim>(Some(&ns))
            .filter_map(|p| {
                let ord = sts.spec.claim_templates.iter().find_map(|t| {
                    p.metadata.name.strip_prefix(&format!("{}-{name}-", t.name)).and_then(|o| o.parse::<i32>().ok())
                })?;
                ((ord < start || ord >= end) && !by_ordinal.contains_key(&ord)).then(|| p.metadata.name.clone())
            })
            .collect();
        for claim in gone {
            super::delete_object(c, Kind::PersistentVolumeClaim, &ns, &claim, None);
        }
    }

    // Remember each revision's template (the lab's ControllerRevisions), so pods below the
    // partition can be recreated at the revision they had.
    c.ctl.sts_revisions.insert(format!("{ns}/{rev}"), sts.spec.template.clone());
    let partition = start + sts.spec.update_partition.max(0);
    let current_rev = sts.status.current_revision.clone();
    let old_template = (!current_rev.is_empty() && current_rev != rev)
        .then(|| c.ctl.sts_revisions.get(&format!("{ns}/{current_rev}")).cloned())
        .flatten();

    // Scale up / replace, in ordinal order.
    let mut blocked = false;
    for ord in start..end {
        match by_ordinal.get(&ord) {
            None => {
                if blocked {
                    break;
                }
                match (&old_template, ord < partition && !on_delete) {
                    (Some(t), true) => create_pod(c, sts, ord, &current_rev, t),
                    _ => create_pod(c, sts, ord, &rev, &sts.spec.template),
                }
                if !parallel {
                    blocked = true;
                    break;
                }
            }
            Some(p) => {
                if !parallel && !healthy(p) {
                    blocked = true;
                    break;
                }
            }
        }
    }

    // Scale down: condemned pods (outside the range), highest ordinal first.
    if !blocked || parallel {
        let condemned: Vec<&Pod> =
            by_ordinal.iter().filter(|(o, _)| **o < start || **o >= end).map(|(_, p)| p).rev().collect();
        let terminating = condemned.iter().any(|p| p.metadata.deletion_timestamp.is_some());
        for p in &condemned {
            if p.metadata.deletion_timestamp.is_some() {
                continue;
            }
            if !parallel && terminating {
                break;
            }
            super::begin_termination(c, &ns, &p.metadata.name, None);
            record(
                c,
                sts,
                "SuccessfulDelete",
                format!("delete Pod {} in StatefulSet {name} successful", p.metadata.name),
            );
            if !parallel {
                break;
            }
        }
    }

    // Rolling update: highest ordinal ≥ partition first, when everything is healthy.
    let in_range: Vec<&Pod> = by_ordinal.iter().filter(|(o, _)| **o >= start && **o < end).map(|(_, p)| p).collect();
    let all_healthy = in_range.len() as i32 == end - start && in_range.iter().all(|p| healthy(p));
    if all_healthy && by_ordinal.len() == in_range.len() && !on_delete {
        if let Some(p) = in_range.iter().rev().find(|p| {
            ordinal_of(&name, &p.metadata.name).is_some_and(|o| o >= partition)
                && p.metadata.labels.get(REVISION_LABEL) != Some(&rev)
        }) {
            super::begin_termination(c, &ns, &p.metadata.name, None);
            record(
                c,
                sts,
                "SuccessfulDelete",
                format!("delete Pod {} in StatefulSet {name} successful", p.metadata.name),
            );
        }
    }

    // Status.
    let live: Vec<&Pod> = pods.iter().filter(|p| c.get::<Pod>(&ns, &p.metadata.name).is_some()).collect();
    let replicas = live.iter().filter(|p| p.metadata.deletion_timestamp.is_none()).count() as i32;
    let ready = live.iter().filter(|p| healthy(p)).count() as i32;
    let updated = live
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none() && p.metadata.labels.get(REVISION_LABEL) == Some(&rev))
        .count() as i32;
    let current_revision =
        if updated == replicas && replicas == end - start { rev.clone() } else { sts.status.current_revision.clone() };
    let current = live
        .iter()
        .filter(|p| {
            p.metadata.deletion_timestamp.is_none() && p.metadata.labels.get(REVISION_LABEL) == Some(&current_revision)
        })
        .count() as i32;
    let want = WorkloadStatus {
        replicas,
        ready_replicas: ready,
        updated_replicas: updated,
        available_replicas: ready,
        observed_generation: sts.metadata.generation,
        current_replicas: current,
        current_revision: if current_revision.is_empty() { rev.clone() } else { current_revision },
        update_revision: rev,
    };
    if c.get::<StatefulSet>(&ns, &name).is_some_and(|s| s.status != want) {
        if let Some(s) = c.get_mut::<StatefulSet>(&ns, &name) {
            s.status = want;
        }
    }
}

fn record(c: &mut Cluster, sts: &StatefulSet, reason: &str, msg: String) {
    c.record(Kind::StatefulSet, &sts.metadata.namespace, &sts.metadata.name, "Normal", reason, msg);
}

/// The claims of one ordinal: created when missing, returned as the pod's volumes
/// (stateful_pod_control.go `createPersistentVolumeClaims`, stateful_set_utils.go
/// `getPersistentVolumeClaims` / `updateStorage`).
fn ensure_claims(c: &mut Cluster, sts: &StatefulSet, ordinal: i32) -> Vec<Volume> {
    let (ns, name) = (sts.metadata.namespace.clone(), sts.metadata.name.clone());
    let default_class = c.list::<StorageClass>(None).find(|s| s.is_default()).map(|s| s.metadata.name.clone());
    let mut volumes = Vec::new();
    for t in &sts.spec.claim_templates {
        let claim = claim_name(&t.name, &name, ordinal);
        if c.get::<PersistentVolumeClaim>(&ns, &claim).is_none() {
            let mut labels = t.labels.clone();
            labels.extend(sts.spec.selector.match_labels.clone());
            let owner_references = if sts.spec.pvc_when_deleted == "Delete" {
                vec![owner("apps/v1", "StatefulSet", &name, &sts.metadata.uid, true)]
            } else {
                Vec::new()
            };
            c.put(Object::PersistentVolumeClaim(PersistentVolumeClaim {
                metadata: ObjectMeta {
                    name: claim.clone(),
                    namespace: ns.clone(),
                    labels,
                    owner_references,
                    ..Default::default()
                },
                spec: PvcSpec {
                    access_modes: t.access_modes.clone(),
                    storage: t.storage.clone(),
                    storage_class_name: t.storage_class_name.clone().or(default_class.clone()),
                    volume_name: None,
                },
                status: PvcStatus { phase: "Pending".into(), capacity: None },
            }));
            record(
                c,
                sts,
                "SuccessfulCreate",
                format!("create Claim {claim} Pod {name}-{ordinal} in StatefulSet {name} success"),
            );
        }
        volumes.push(Volume { name: t.name.clone(), claim_name: claim });
    }
    volumes
}

/// The volume binder for kind's provisioner: a Pending claim of an `Immediate` class binds at
/// once; of a `WaitForFirstConsumer` class once a pod using it is scheduled (it says so in an
/// event meanwhile). The volume is named `pvc-<claim uid>`, as the local-path provisioner
/// names it; capacity is the request.
pub fn bind_claims(c: &mut Cluster) {
    let pending: Vec<(String, String, String, Option<String>)> = c
        .list::<PersistentVolumeClaim>(None)
        .filter(|p| p.status.phase != "Bound")
        .map(|p| {
            (
                p.metadata.namespace.clone(),
                p.metadata.name.clone(),
                p.metadata.uid.clone(),
                p.spec.storage_class_name.clone(),
            )
        })
        .collect();
    for (ns, claim, uid, class) in pending {
        let Some(sc) = class.as_deref().and_then(|n| c.get::<StorageClass>("", n)) else { continue };
        let wait = sc.volume_binding_mode == "WaitForFirstConsumer";
        let consumer_scheduled = c
            .list::<Pod>(Some(&ns))
            .any(|p| p.spec.node_name.is_some() && p.spec.volumes.iter().any(|v| v.claim_name == claim));
        if wait && !consumer_scheduled {
            c.record(
                Kind::PersistentVolumeClaim,
                &ns,
                &claim,
                "Normal",
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding".into(),
            );
            continue;
        }
        let volume = format!("pvc-{uid}");
        if let Some(p) = c.get_mut::<PersistentVolumeClaim>(&ns, &claim) {
            p.spec.volume_name = Some(volume.clone());
            p.status.phase = "Bound".into();
            p.status.capacity = Some(p.spec.storage.clone());
            p.metadata.annotations.insert("pv.kubernetes.io/bind-completed".into(), "yes".into());
            p.metadata.annotations.insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
        }
        c.record(
            Kind::PersistentVolumeClaim,
            &ns,
            &claim,
            "Normal",
            "ProvisioningSucceeded",
            format!("Successfully provisioned volume {volume}"),
        );
    }
}

fn create_pod(c: &mut Cluster, sts: &StatefulSet, ordinal: i32, rev: &str, template: &PodTemplateSpec) {
    let (ns, name) = (sts.metadata.namespace.clone(), sts.metadata.name.clone());
    let pod_name = format!("{name}-{ordinal}");
    let claim_volumes = ensure_claims(c, sts, ordinal);
    let mut labels = template.metadata.labels.clone();
    labels.insert(POD_NAME_LABEL.into(), pod_name.clone());
    labels.insert(POD_INDEX_LABEL.into(), ordinal.to_string());
    labels.insert(REVISION_LABEL.into(), rev.to_string());
    let mut spec = template.spec.clone();
    spec.hostname = Some(pod_name.clone());
    spec.subdomain = if sts.spec.service_name.is_empty() { None } else { Some(sts.spec.service_name.clone()) };
    // A claim volume replaces a template volume of the same name.
    spec.volumes.retain(|v| !claim_volumes.iter().any(|cv| cv.name == v.name));
    spec.volumes.extend(claim_volumes);
    let pod = Pod {
        metadata: ObjectMeta {
            name: pod_name.clone(),
            namespace: ns.clone(),
            labels,
            annotations: template.metadata.annotations.clone(),
            owner_references: vec![OwnerReference {
                api_version: "apps/v1".into(),
                kind: "StatefulSet".into(),
                name: name.clone(),
                uid: sts.metadata.uid.clone(),
                controller: true,
            }],
            ..Default::default()
        },
        spec,
        status: PodStatus::default(),
    };
    c.put(Object::Pod(pod));
    record(c, sts, "SuccessfulCreate", format!("create Pod {pod_name} in StatefulSet {name} successful"));
}
