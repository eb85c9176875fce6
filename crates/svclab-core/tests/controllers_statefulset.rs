//! StatefulSet update strategies and scale-down order, against kubernetes
//! pkg/controller/statefulset (stateful_set_control.go) and the StatefulSet concept page
//! (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#update-strategies,
//! #deployment-and-scaling-guarantees).

use svclab_core::api::*;
use svclab_core::apply::apply_text;
use svclab_core::{Cluster, ClusterConfig};

const REV: &str = "controller-revision-hash";

fn sts(image: &str, strategy: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 3
{strategy}  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: {image}
"
    )
}

fn apply(c: &mut Cluster, yaml: &str) {
    let r = apply_text(c, yaml, "sts.yaml", "default");
    assert!(r.ok(), "{}", r.output());
}

fn revisions(c: &Cluster) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = c
        .list::<Pod>(Some("default"))
        .filter(|p| p.metadata.name.starts_with("web-"))
        .map(|p| (p.metadata.name.clone(), p.metadata.labels.get(REV).cloned().unwrap_or_default()))
        .collect();
    v.sort();
    v
}

/// `updateStrategy: OnDelete`: "the StatefulSet controller will not automatically update the
/// Pods ... Users must manually delete Pods to cause the controller to create new Pods that
/// reflect modifications" (concept page); the recreated pod gets the update revision
/// (`newVersionedStatefulSetPod`).
#[test]
fn on_delete_touches_no_pod_until_it_is_deleted() {
    let mut c = Cluster::new(ClusterConfig::default(), 3);
    let strategy = "  updateStrategy:\n    type: OnDelete\n";
    apply(&mut c, &sts("nginx:1.26", strategy));
    c.advance(90_000);
    let before = revisions(&c);
    assert_eq!(before.len(), 3, "{before:?}");
    let old_rev = before[0].1.clone();
    apply(&mut c, &sts("nginx:1.27", strategy));
    c.advance(90_000);
    assert_eq!(revisions(&c), before, "a template change alone rolls nothing under OnDelete");
    let s = c.get::<StatefulSet>("default", "web").expect("sts");
    assert_ne!(s.status.update_revision, old_rev);
    assert_eq!(s.status.current_revision, old_rev);
    assert_eq!(s.status.updated_replicas, 0);
    // The user deletes web-1: it comes back at the update revision, the others stay.
    let mut lab = svclab_core::Lab::new(ClusterConfig::default(), 3);
    lab.cluster = c;
    lab.input("kubectl delete pod web-1").expect("delete");
    lab.cluster.advance(90_000);
    let after = revisions(&lab.cluster);
    let new_rev = lab.cluster.get::<StatefulSet>("default", "web").expect("sts").status.update_revision.clone();
    assert_eq!(
        after,
        vec![("web-0".into(), old_rev.clone()), ("web-1".into(), new_rev.clone()), ("web-2".into(), old_rev.clone())]
    );
    let image = lab.cluster.get::<Pod>("default", "web-1").map(|p| p.spec.containers[0].image.clone());
    assert_eq!(image.as_deref(), Some("nginx:1.27"));
    // -o yaml says OnDelete, without a rollingUpdate block.
    let y = lab.input("kubectl get sts web -o jsonpath={.spec.updateStrategy}").expect("get").text;
    assert_eq!(y, "{\"type\":\"OnDelete\"}");
}

/// `rollingUpdate.maxUnavailable` is alpha in v1.33 (pkg/features/kube_features.go
/// `MaxUnavailableStatefulSet`: Alpha 1.24, Beta only from 1.35): the API server drops it
/// (registry/apps/statefulset/strategy.go `dropStatefulSetDisabledFields`) and the update
/// still replaces one pod at a time, highest ordinal first.
#[test]
fn max_unavailable_is_dropped_and_updates_go_one_at_a_time() {
    let mut c = Cluster::new(ClusterConfig::default(), 4);
    let strategy = "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 2\n";
    apply(&mut c, &sts("nginx:1.26", strategy));
    c.advance(90_000);
    apply(&mut c, &sts("nginx:1.27", strategy));
    let mut order: Vec<String> = Vec::new();
    for _ in 0..1200 {
        c.advance(100);
        let down: Vec<String> = c
            .list::<Pod>(Some("default"))
            .filter(|p| p.metadata.name.starts_with("web-"))
            .filter(|p| p.metadata.deletion_timestamp.is_some() || !p.status.ready)
            .map(|p| p.metadata.name.clone())
            .collect();
        assert!(
            down.len() <= 1
                && c.list::<Pod>(Some("default")).filter(|p| p.metadata.name.starts_with("web-")).count() >= 2,
            "{down:?}"
        );
        for d in down {
            if order.last() != Some(&d) {
                order.push(d);
            }
        }
    }
    assert_eq!(order, ["web-2", "web-1", "web-0"]);
    let mut lab = svclab_core::Lab::new(ClusterConfig::default(), 4);
    lab.cluster = c;
    let y = lab.input("kubectl get sts web -o jsonpath={.spec.updateStrategy}").expect("get").text;
    assert_eq!(y, "{\"rollingUpdate\":{\"partition\":0},\"type\":\"RollingUpdate\"}");
}

/// Scale-down under OrderedReady: "When Pods are being deleted, they are terminated in reverse
/// order, from {N-1..0}" and "Before a Pod is terminated, all of its successors must be
/// completely shutdown" (concept page, Deployment and Scaling Guarantees).
#[test]
fn ordered_scale_down_removes_the_highest_ordinal_first_one_at_a_time() {
    let mut c = Cluster::new(ClusterConfig::default(), 5);
    apply(&mut c, &sts("nginx:1.27", ""));
    c.advance(90_000);
    apply(&mut c, &sts("nginx:1.27", "").replace("replicas: 3", "replicas: 0"));
    let mut order: Vec<String> = Vec::new();
    for _ in 0..1500 {
        c.advance(100);
        let terminating: Vec<String> = c
            .list::<Pod>(Some("default"))
            .filter(|p| p.metadata.name.starts_with("web-") && p.metadata.deletion_timestamp.is_some())
            .map(|p| p.metadata.name.clone())
            .collect();
        assert!(terminating.len() <= 1, "{terminating:?}");
        if let Some(t) = terminating.first() {
            if order.last() != Some(t) {
                order.push(t.clone());
            }
        }
    }
    assert_eq!(order, ["web-2", "web-1", "web-0"]);
    assert!(revisions(&c).is_empty());
}

/// An unknown strategy type is the API server's error (KA ValidateStatefulSetUpdateStrategy).
#[test]
fn an_unknown_update_strategy_is_invalid() {
    let mut c = Cluster::new(ClusterConfig::default(), 6);
    let r = apply_text(&mut c, &sts("nginx", "  updateStrategy:\n    type: Sometimes\n"), "sts.yaml", "default");
    assert_eq!(
        r.output(),
        "The StatefulSet \"web\" is invalid: spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Sometimes\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'\n"
    );
}

fn with_claims(extra_spec: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  ordinals:
    start: 3
{extra_spec}  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"
    )
}

fn claims(c: &Cluster) -> Vec<String> {
    c.list::<PersistentVolumeClaim>(Some("default"))
        .map(|p| format!("{} {}", p.metadata.name, p.status.phase))
        .collect()
}

/// `volumeClaimTemplates` (pkg/controller/statefulset stateful_set_utils.go
/// `getPersistentVolumeClaimName` = `<template>-<set>-<ordinal>`, `updateStorage`): one claim per
/// ordinal (ordinals.start respected) bound by kind's default `standard` class once its pod is
/// scheduled; the pod mounts it by `persistentVolumeClaim.claimName` and keeps its
/// `volumeMounts`; claims survive pod deletion (the new pod reattaches) and scale-down
/// (retention policy Retain, the default; concept page "PersistentVolumeClaim retention").
#[test]
fn volume_claim_templates_give_each_ordinal_its_own_claim() {
    let mut lab = svclab_core::Lab::new(ClusterConfig::default(), 7);
    apply(&mut lab.cluster, &with_claims(""));
    lab.cluster.advance(90_000);
    assert_eq!(claims(&lab.cluster), ["www-web-3 Bound", "www-web-4 Bound"]);
    let pod = lab.cluster.get::<Pod>("default", "web-3").expect("web-3");
    assert_eq!(pod.spec.volumes, [Volume { name: "www".into(), claim_name: "www-web-3".into() }]);
    assert_eq!(pod.spec.containers[0].volume_mounts[0].mount_path, "/usr/share/nginx/html");
    let volume =
        lab.cluster.get::<PersistentVolumeClaim>("default", "www-web-3").and_then(|p| p.spec.volume_name.clone());
    lab.input("kubectl delete pod web-3").expect("delete");
    lab.cluster.advance(90_000);
    let pod = lab.cluster.get::<Pod>("default", "web-3").expect("web-3 again");
    assert_eq!(pod.spec.volumes[0].claim_name, "www-web-3");
    assert_eq!(
        lab.cluster.get::<PersistentVolumeClaim>("default", "www-web-3").and_then(|p| p.spec.volume_name.clone()),
        volume
    );
    lab.input("kubectl scale sts web --replicas=1").expect("scale");
    lab.cluster.advance(60_000);
    assert!(lab.cluster.get::<Pod>("default", "web-4").is_none());
    assert_eq!(claims(&lab.cluster), ["www-web-3 Bound", "www-web-4 Bound"], "Retain keeps the claim");
    // kubectl get/describe/delete pvc.
    let out = lab.input("kubectl get pvc www-web-3").expect("get").text;
    assert!(out.starts_with("NAME        STATUS   VOLUME "), "{out}");
    assert!(out.contains(" 1Gi        RWO            standard       <unset> "), "{out}");
    let out = lab.input("kubectl describe pvc www-web-3").expect("describe").text;
    assert!(
        out.contains("StorageClass:  standard\nStatus:        Bound\n") && out.contains("Used By:       web-3\n"),
        "{out}"
    );
    let out = lab.input("kubectl delete pvc www-web-4").expect("delete").text;
    assert_eq!(out, "persistentvolumeclaim \"www-web-4\" deleted\n");
    assert_eq!(claims(&lab.cluster), ["www-web-3 Bound"]);
    let out = lab.input("kubectl get sc").expect("get sc").text;
    assert!(
        out.contains("standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false"),
        "{out}"
    );
}

/// `persistentVolumeClaimRetentionPolicy` (StatefulSetAutoDeletePVC): `whenScaled: Delete`
/// removes the claims of ordinals scaled away; `whenDeleted: Delete` makes the set their owner,
/// so deleting the set deletes them.
#[test]
fn retention_policy_deletes_claims_on_scale_down_and_set_deletion() {
    let mut lab = svclab_core::Lab::new(ClusterConfig::default(), 8);
    let policy = "  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n    whenScaled: Delete\n";
    apply(&mut lab.cluster, &with_claims(policy));
    lab.cluster.advance(90_000);
    assert_eq!(claims(&lab.cluster), ["www-web-3 Bound", "www-web-4 Bound"]);
    let owners =
        lab.cluster.get::<PersistentVolumeClaim>("default", "www-web-3").map(|p| p.metadata.owner_references.len());
    assert_eq!(owners, Some(1));
    lab.input("kubectl scale sts web --replicas=1").expect("scale");
    lab.cluster.advance(60_000);
    assert_eq!(claims(&lab.cluster), ["www-web-3 Bound"]);
    lab.input("kubectl delete sts web").expect("delete");
    lab.cluster.advance(60_000);
    assert!(claims(&lab.cluster).is_empty());
    let y = lab.input("kubectl get pvc").expect("get").text;
    assert_eq!(y, "No resources found in default namespace.\n");
}
