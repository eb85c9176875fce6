//! core/v1: Namespace, Node, Pod, Service, Endpoints, ConfigMap.

use super::{Labels, ObjectMeta};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Namespace {
    pub metadata: ObjectMeta,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub metadata: ObjectMeta,
    /// The node's pod range (`spec.podCIDRs`), one per family.
    pub pod_cidrs: Vec<String>,
    /// InternalIP addresses.
    pub addresses: Vec<String>,
    /// `Ready` condition; false while the node is stopped.
    pub ready: bool,
    pub control_plane: bool,
}

// ---------------------------------------------------------------------------------------------
// Pod

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pod {
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
    pub status: PodStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PodTemplateSpec {
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub node_name: Option<String>,
    pub node_selector: Labels,
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    pub set_hostname_as_fqdn: Option<bool>,
    /// `Always` (default), `OnFailure`, `Never`.
    pub restart_policy: Option<String>,
    /// `ClusterFirst` (default), `ClusterFirstWithHostNet`, `Default`, `None`.
    pub dns_policy: Option<String>,
    pub dns_config: Option<PodDnsConfig>,
    pub host_network: bool,
    pub termination_grace_period_seconds: Option<i64>,
    /// Taints the pod tolerates (the DaemonSet controller reads them to decide which nodes
    /// run a daemon pod).
    #[serde(default)]
    pub tolerations: Vec<Toleration>,
    /// `persistentVolumeClaim` volumes (other volume types are not kept).
    #[serde(default)]
    pub volumes: Vec<super::Volume>,
}

impl PodSpec {
    /// The spec's `Debug` text (written by [`super::dump`], without `Debug`) as the template
    /// hashes (`pod-template-hash`, `controller-revision-hash`) read it, without `tolerations`
    /// when there are none: the field came later, and the hashes — hence generated pod names —
    /// of templates without tolerations stay what they were.
    pub fn hash_dump(&self) -> String {
        // Fields added later leave the hashes of templates without them unchanged:
        // `tolerations`, `volumes` and the containers' `volume_mounts` are left out when empty.
        let d = super::dump::dump(self).replace(", volume_mounts: [] }", " }");
        let d = match d.strip_suffix(", volumes: [] }") {
            Some(head) => format!("{head} }}"),
            None => d,
        };
        match d.strip_suffix(", tolerations: [] }") {
            Some(head) => format!("{head} }}"),
            None => d,
        }
    }
}

impl PodTemplateSpec {
    /// `Debug` text of the template with the spec as [`PodSpec::hash_dump`].
    pub fn hash_dump(&self) -> String {
        format!(
            "PodTemplateSpec {{ metadata: {}, spec: {} }}",
            super::dump::dump(&self.metadata),
            self.spec.hash_dump()
        )
    }
}

/// `Debug` text of a label or annotation map (`{"k": "v"}`), as the template hashes read it.
pub fn labels_hash_dump(labels: &Labels) -> String {
    super::dump::dump(labels)
}

impl PodSpec {
    /// The spec's full `Debug` text, `tolerations` included even when empty (the DaemonSet's
    /// `controller-revision-hash` reads it so).
    pub fn full_hash_dump(&self) -> String {
        // The storage fields came later: left out when empty, so existing hashes stay.
        let d = super::dump::dump(self).replace(", volume_mounts: [] }", " }");
        match d.strip_suffix(", volumes: [] }") {
            Some(head) => format!("{head} }}"),
            None => d,
        }
    }
}

/// core/v1 `Toleration`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Toleration {
    pub key: Option<String>,
    /// `Equal` (default) or `Exists`.
    pub operator: Option<String>,
    pub value: Option<String>,
    /// `NoSchedule`, `PreferNoSchedule`, `NoExecute`, or empty for all.
    pub effect: Option<String>,
    pub toleration_seconds: Option<i64>,
}

impl Toleration {
    /// `Toleration.ToleratesTaint` (k8s.io/api/core/v1/toleration.go): an empty key with
    /// `Exists` tolerates every taint; an empty effect matches every effect.
    pub fn tolerates(&self, key: &str, value: &str, effect: &str) -> bool {
        if self.effect.as_deref().is_some_and(|e| !e.is_empty() && e != effect) {
            return false;
        }
        let k = self.key.as_deref().unwrap_or("");
        if !k.is_empty() && k != key {
            return false;
        }
        match self.operator.as_deref().unwrap_or("Equal") {
            "Exists" => true,
            "Equal" | "" => !k.is_empty() && self.value.as_deref().unwrap_or("") == value,
            _ => false,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PodDnsConfig {
    pub nameservers: Vec<String>,
    pub searches: Vec<String>,
    pub options: Vec<(String, Option<String>)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub ports: Vec<ContainerPort>,
    pub readiness_probe: Option<Probe>,
    pub liveness_probe: Option<Probe>,
    /// `Always`, `IfNotPresent`, `Never`; defaulted by the API server from the image tag.
    pub image_pull_policy: Option<String>,
    /// Native sidecars: an init container with `restartPolicy: Always`.
    pub restart_policy: Option<String>,
    /// `stdin` / `tty` (`kubectl run -it`): a shell with stdin attached keeps running.
    #[serde(default)]
    pub stdin: bool,
    #[serde(default)]
    pub tty: bool,
    #[serde(default)]
    pub volume_mounts: Vec<super::VolumeMount>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub container_port: i32,
    /// `TCP` (default), `UDP`, `SCTP`.
    pub protocol: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ProbeHandler {
    Exec(Vec<String>),
    HttpGet { path: String, port: IntOrString },
    TcpSocket { port: IntOrString },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    pub handler: ProbeHandler,
    pub initial_delay_seconds: i64,
    pub period_seconds: i64,
    pub timeout_seconds: i64,
    pub success_threshold: i64,
    pub failure_threshold: i64,
}

impl Default for Probe {
    fn default() -> Self {
        Probe {
            handler: ProbeHandler::Exec(vec!["true".into()]),
            initial_delay_seconds: 0,
            period_seconds: 10,
            timeout_seconds: 1,
            success_threshold: 1,
            failure_threshold: 3,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IntOrString {
    Int(i32),
    Str(String),
}

impl std::fmt::Display for IntOrString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::Str(s) => f.write_str(s),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodPhase {
    #[default]
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

impl PodPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
            PodPhase::Unknown => "Unknown",
        }
    }
}

/// What one container is doing, as `kubectl get pods` STATUS shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum ContainerState {
    /// Waiting with a reason: `ContainerCreating`, `ErrImagePull`, `ImagePullBackOff`,
    /// `ErrImageNeverPull`, `CrashLoopBackOff`.
    Waiting(String),
    #[default]
    Running,
    /// Terminated with an exit code and a reason (`Completed`, `Error`).
    Terminated(i32, String),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerStatus {
    pub name: String,
    pub state: ContainerState,
    pub ready: bool,
    pub restart_count: i32,
    pub started_at: Option<SimTime>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PodStatus {
    pub phase: PodPhase,
    /// Primary IP and all IPs (one per family, dual stack).
    pub pod_ip: Option<String>,
    pub pod_ips: Vec<String>,
    pub host_ip: Option<String>,
    /// `PodScheduled` condition.
    pub scheduled: bool,
    /// `Ready` condition.
    pub ready: bool,
    /// When the Ready condition last changed.
    pub ready_since: Option<SimTime>,
    pub start_time: Option<SimTime>,
    pub container_statuses: Vec<ContainerStatus>,
    /// A short reason shown instead of the phase (`Terminating` is derived, not stored).
    pub reason: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Service

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub metadata: ObjectMeta,
    pub spec: ServiceSpec,
    pub status: ServiceStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceSpec {
    /// `ClusterIP` (default), `NodePort`, `LoadBalancer`, `ExternalName`.
    pub type_: ServiceType,
    /// `None` for headless; empty until allocated.
    pub cluster_ip: Option<String>,
    pub cluster_ips: Vec<String>,
    /// `None` when the manifest has no selector.
    pub selector: Option<Labels>,
    pub ports: Vec<ServicePort>,
    pub session_affinity: String,
    pub session_affinity_timeout_seconds: Option<i64>,
    pub external_name: Option<String>,
    pub external_ips: Vec<String>,
    pub publish_not_ready_addresses: bool,
    pub internal_traffic_policy: Option<String>,
    pub external_traffic_policy: Option<String>,
    pub ip_families: Vec<IpFamily>,
    pub ip_family_policy: Option<String>,
    pub load_balancer_ip: Option<String>,
    pub allocate_load_balancer_node_ports: Option<bool>,
    pub health_check_node_port: Option<i32>,
    /// `loadBalancerSourceRanges` as written (the API server and kube-proxy trim spaces).
    #[serde(default)]
    pub load_balancer_source_ranges: Vec<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceType {
    #[default]
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}

impl ServiceType {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::ClusterIP => "ClusterIP",
            ServiceType::NodePort => "NodePort",
            ServiceType::LoadBalancer => "LoadBalancer",
            ServiceType::ExternalName => "ExternalName",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "ClusterIP" => ServiceType::ClusterIP,
            "NodePort" => ServiceType::NodePort,
            "LoadBalancer" => ServiceType::LoadBalancer,
            "ExternalName" => ServiceType::ExternalName,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IpFamily {
    IPv4,
    IPv6,
}

impl IpFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            IpFamily::IPv4 => "IPv4",
            IpFamily::IPv6 => "IPv6",
        }
    }
    pub fn of(ip: &str) -> IpFamily {
        if ip.contains(':') {
            IpFamily::IPv6
        } else {
            IpFamily::IPv4
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServicePort {
    pub name: Option<String>,
    pub protocol: String,
    pub port: i32,
    /// Defaults to `port`.
    pub target_port: IntOrString,
    pub node_port: Option<i32>,
    pub app_protocol: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceStatus {
    /// `status.loadBalancer.ingress[].ip`.
    pub load_balancer_ingress: Vec<String>,
}

impl Service {
    /// `clusterIP: None`.
    pub fn is_headless(&self) -> bool {
        self.spec.cluster_ip.as_deref() == Some("None")
    }
    /// The EndpointSlice controller only manages Services whose selector is set and non-empty.
    pub fn has_selector(&self) -> bool {
        self.spec.selector.as_ref().is_some_and(|s| !s.is_empty())
    }
}

// ---------------------------------------------------------------------------------------------
// Endpoints (legacy, mirrored into EndpointSlices) and ConfigMap

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Endpoints {
    pub metadata: ObjectMeta,
    pub subsets: Vec<EndpointSubset>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EndpointSubset {
    pub addresses: Vec<EndpointAddress>,
    pub not_ready_addresses: Vec<EndpointAddress>,
    pub ports: Vec<super::EndpointPort>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EndpointAddress {
    pub ip: String,
    pub hostname: Option<String>,
    pub node_name: Option<String>,
    pub target_ref: Option<super::ObjectReference>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigMap {
    pub metadata: ObjectMeta,
    pub data: std::collections::BTreeMap<String, String>,
}
