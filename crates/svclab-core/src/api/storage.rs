//! Storage as a StatefulSet sees it: core/v1 PersistentVolumeClaim, storage.k8s.io/v1
//! StorageClass, a pod's `persistentVolumeClaim` volumes and its containers' `volumeMounts`.
//!
//! Only what StatefulSets need is modelled: a claim's access modes, requested size and class,
//! its phase and bound volume. PersistentVolumes are not objects of the lab: a bound claim names
//! the volume the provisioner made (`pvc-<claim uid>`, as kind's local-path provisioner names
//! them). Other volume types (emptyDir, configMap, ...) are accepted in manifests and not kept.
//!
//! The readers below take the manifest's YAML as written; they are lenient (a malformed entry
//! is skipped) because the strict decoder has already accepted the enclosing field as opaque.

use super::{ObjectMeta, OwnerReference};
use crate::yaml::{scalar_text, Node, NodeKind};
use serde::{Deserialize, Serialize};

/// A container's `volumeMounts` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
    pub read_only: bool,
}

/// A pod volume backed by a PersistentVolumeClaim.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    pub name: String,
    pub claim_name: String,
}

/// A StatefulSet's `volumeClaimTemplates` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimTemplate {
    pub name: String,
    pub labels: super::Labels,
    pub access_modes: Vec<String>,
    /// `resources.requests.storage` as written (`1Gi`).
    pub storage: String,
    pub storage_class_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PersistentVolumeClaim {
    pub metadata: ObjectMeta,
    pub spec: PvcSpec,
    pub status: PvcStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PvcSpec {
    pub access_modes: Vec<String>,
    pub storage: String,
    pub storage_class_name: Option<String>,
    /// The bound volume (`pvc-<uid>`), set when the claim binds.
    pub volume_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PvcStatus {
    /// `Pending` or `Bound`.
    pub phase: String,
    pub capacity: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StorageClass {
    pub metadata: ObjectMeta,
    pub provisioner: String,
    pub reclaim_policy: String,
    /// `Immediate` or `WaitForFirstConsumer`.
    pub volume_binding_mode: String,
}

impl StorageClass {
    pub fn is_default(&self) -> bool {
        self.metadata.annotations.get("storageclass.kubernetes.io/is-default-class").map(String::as_str) == Some("true")
    }
}

/// The claim a StatefulSet pod uses for a template (pkg/controller/statefulset
/// stateful_set_utils.go `getPersistentVolumeClaimName`: `<template>-<set>-<ordinal>`).
pub fn claim_name(template: &str, set: &str, ordinal: i32) -> String {
    format!("{template}-{set}-{ordinal}")
}

fn str_at(n: &Node, key: &str) -> Option<String> {
    n.get(key).filter(|v| !v.is_null()).map(scalar_text)
}

fn seq(n: Option<&Node>) -> &[Node] {
    match n.map(|n| &n.kind) {
        Some(NodeKind::Seq(items)) => items,
        _ => &[],
    }
}

/// `volumeMounts` of a container manifest.
pub fn read_volume_mounts(container: &Node) -> Vec<VolumeMount> {
    seq(container.get("volumeMounts"))
        .iter()
        .filter_map(|m| {
            Some(VolumeMount {
                name: str_at(m, "name")?,
                mount_path: str_at(m, "mountPath").unwrap_or_default(),
                read_only: matches!(m.get("readOnly").map(|v| &v.kind), Some(NodeKind::Bool(true))),
            })
        })
        .collect()
}

/// The `persistentVolumeClaim` volumes of a pod spec manifest.
pub fn read_claim_volumes(spec: &Node) -> Vec<Volume> {
    seq(spec.get("volumes"))
        .iter()
        .filter_map(|v| {
            let claim = v.get("persistentVolumeClaim")?;
            Some(Volume { name: str_at(v, "name")?, claim_name: str_at(claim, "claimName")? })
        })
        .collect()
}

/// A StatefulSet's `volumeClaimTemplates`.
pub fn read_claim_templates(templates: &Node) -> Vec<ClaimTemplate> {
    seq(Some(templates))
        .iter()
        .filter_map(|t| {
            let meta = t.get("metadata")?;
            let spec = t.get("spec");
            Some(ClaimTemplate {
                name: str_at(meta, "name")?,
                labels: meta.get("labels").map(Node::string_map).unwrap_or_default(),
                access_modes: seq(spec.and_then(|s| s.get("accessModes"))).iter().map(scalar_text).collect(),
                storage: spec
                    .and_then(|s| s.get("resources"))
                    .and_then(|r| r.get("requests"))
                    .and_then(|r| str_at(r, "storage"))
                    .unwrap_or_default(),
                storage_class_name: spec.and_then(|s| str_at(s, "storageClassName")),
            })
        })
        .collect()
}

/// A PersistentVolumeClaim manifest's spec (lenient: the lab keeps only these fields).
pub fn read_pvc_spec(spec: &Node) -> PvcSpec {
    PvcSpec {
        access_modes: seq(spec.get("accessModes")).iter().map(scalar_text).collect(),
        storage: spec
            .get("resources")
            .and_then(|r| r.get("requests"))
            .and_then(|r| str_at(r, "storage"))
            .unwrap_or_default(),
        storage_class_name: str_at(spec, "storageClassName"),
        volume_name: str_at(spec, "volumeName"),
    }
}

/// A StorageClass manifest (top-level fields), with the API server's defaults
/// (`reclaimPolicy: Delete`, `volumeBindingMode: Immediate`).
pub fn read_storage_class(metadata: ObjectMeta, root: &Node) -> StorageClass {
    StorageClass {
        metadata,
        provisioner: str_at(root, "provisioner").unwrap_or_default(),
        reclaim_policy: str_at(root, "reclaimPolicy").unwrap_or_else(|| "Delete".into()),
        volume_binding_mode: str_at(root, "volumeBindingMode").unwrap_or_else(|| "Immediate".into()),
    }
}

/// `persistentVolumeClaimRetentionPolicy`: (whenDeleted, whenScaled), each `Retain` (the
/// default) or `Delete`.
pub fn read_retention_policy(policy: &Node) -> (String, String) {
    let get = |k: &str| str_at(policy, k).unwrap_or_else(|| "Retain".into());
    (get("whenDeleted"), get("whenScaled"))
}

/// An owner reference to a StatefulSet or a pod (the retention policy's owners).
pub fn owner(api_version: &str, kind: &str, name: &str, uid: &str, controller: bool) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: name.into(),
        uid: uid.into(),
        controller,
    }
}
