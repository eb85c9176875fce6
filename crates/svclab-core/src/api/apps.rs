//! apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet.

use super::{LabelSelector, ObjectMeta, PodTemplateSpec};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    pub metadata: ObjectMeta,
    pub spec: DeploymentSpec,
    pub status: WorkloadStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeploymentSpec {
    /// Defaults to 1.
    pub replicas: i32,
    pub selector: LabelSelector,
    pub template: PodTemplateSpec,
    /// `RollingUpdate` (default) or `Recreate`.
    pub strategy: String,
    /// Absolute numbers or percentages; default `25%` each.
    pub max_surge: Option<super::IntOrString>,
    pub max_unavailable: Option<super::IntOrString>,
    pub min_ready_seconds: i64,
    pub revision_history_limit: i32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReplicaSet {
    pub metadata: ObjectMeta,
    pub spec: ReplicaSetSpec,
    pub status: WorkloadStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReplicaSetSpec {
    pub replicas: i32,
    pub selector: LabelSelector,
    pub template: PodTemplateSpec,
    /// Copied from the Deployment: a pod counts as available once Ready this long.
    #[serde(default)]
    pub min_ready_seconds: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatefulSet {
    pub metadata: ObjectMeta,
    pub spec: StatefulSetSpec,
    pub status: WorkloadStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatefulSetSpec {
    pub replicas: i32,
    pub selector: LabelSelector,
    pub template: PodTemplateSpec,
    /// The governing Service; must name a headless Service for per-pod DNS names.
    pub service_name: String,
    /// `OrderedReady` (default) or `Parallel`.
    pub pod_management_policy: String,
    pub ordinals_start: i32,
    /// Names of `volumeClaimTemplates` (PVC `<claim>-<sts>-<ordinal>`).
    pub volume_claim_templates: Vec<String>,
    pub update_partition: i32,
    pub min_ready_seconds: i64,
    /// `updateStrategy.type`: `RollingUpdate` (the default; empty in older snapshots) or
    /// `OnDelete`. `rollingUpdate.maxUnavailable` is not kept: behind the alpha feature gate
    /// `MaxUnavailableStatefulSet` (off in v1.33), the API server drops it on create.
    #[serde(default)]
    pub update_strategy: String,
    /// The full `volumeClaimTemplates` (the names above are kept for older snapshots).
    #[serde(default)]
    pub claim_templates: Vec<super::ClaimTemplate>,
    /// `persistentVolumeClaimRetentionPolicy`: whenDeleted, whenScaled (`Retain`/`Delete`;
    /// empty = `Retain`).
    #[serde(default)]
    pub pvc_when_deleted: String,
    #[serde(default)]
    pub pvc_when_scaled: String,
}

/// A DaemonSet: one pod per eligible node (spec §1; pkg/controller/daemon).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DaemonSet {
    pub metadata: ObjectMeta,
    pub spec: DaemonSetSpec,
    pub status: DaemonSetStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DaemonSetSpec {
    pub selector: LabelSelector,
    pub template: PodTemplateSpec,
    /// `RollingUpdate` (default) or `OnDelete`.
    pub update_strategy: String,
    /// RollingUpdate `maxUnavailable` (default 1) and `maxSurge` (default 0).
    pub max_unavailable: Option<super::IntOrString>,
    pub max_surge: Option<super::IntOrString>,
    pub min_ready_seconds: i64,
    pub revision_history_limit: i32,
}

/// `DaemonSetStatus`: the counts `kubectl get ds` shows (DESIRED, CURRENT, READY, UP-TO-DATE,
/// AVAILABLE).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DaemonSetStatus {
    pub desired_number_scheduled: i32,
    pub current_number_scheduled: i32,
    pub number_ready: i32,
    pub updated_number_scheduled: i32,
    pub number_available: i32,
    pub number_unavailable: i32,
    pub number_misscheduled: i32,
    pub observed_generation: i64,
}

/// The replica counts `kubectl get` shows for workloads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkloadStatus {
    pub replicas: i32,
    pub ready_replicas: i32,
    pub updated_replicas: i32,
    pub available_replicas: i32,
    pub observed_generation: i64,
    /// StatefulSet: pods at the current revision (`currentReplicas`).
    #[serde(default)]
    pub current_replicas: i32,
    /// StatefulSet `currentRevision` / `updateRevision` (`<sts>-<hash>`).
    #[serde(default)]
    pub current_revision: String,
    #[serde(default)]
    pub update_revision: String,
}
