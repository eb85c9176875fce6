//! The view model: what the page draws, read from the cluster in one place, with Kubernetes'
//! own rules (kubectl's pod STATUS, CoreDNS's endpoint counting, the headless marker), so the
//! panels keep layout and drawing only and never rebuild a Kubernetes fact.
//!
//! Invariants: every function here reads; [`dns::dns_answer`] looks as an observer (the run
//! is the same whatever the page looked at). A [`Snapshot`] has no clock: it changes only when
//! something drawn changes.

pub mod dns;
mod pod;
mod timing;

pub use dns::{dns_answer, dns_generation, DnsAnswer};
pub use pod::pod_status;
pub use timing::{probe_progress, stopped_nodes, ProbeView, StoppedNodeView};

use crate::api::{Deployment, EndpointSlice, Kind, Node, Pod, ReplicaSet, Service, ServiceType, StatefulSet};
use crate::cluster::Cluster;
use crate::controllers::endpointslice::SERVICE_NAME_LABEL;
use crate::controllers::TOOLBOX_NAMESPACE;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    pub node: Option<String>,
    pub ip: Option<String>,
    /// What `kubectl get pods` shows in STATUS ([`pod_status`]).
    pub status: String,
    pub ready: bool,
    pub terminating: bool,
    pub readiness_failed: bool,
    /// The Deployment or StatefulSet that owns it.
    pub workload: Option<String>,
    /// `spec.hostname` (StatefulSet pods: `web-0`).
    pub hostname: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointView {
    pub pod: Option<String>,
    pub ip: String,
    pub ready: bool,
    pub hostname: Option<String>,
}

/// What kind of Service it is, as DNS and kube-proxy treat it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ServiceKind {
    /// A virtual IP kube-proxy load-balances (`type: ClusterIP`).
    #[default]
    ClusterIp,
    /// `clusterIP: None`: DNS answers the ready pods' IPs.
    Headless,
    NodePort,
    LoadBalancer,
    /// A CNAME to `spec.externalName`, no proxying.
    ExternalName,
}

impl ServiceKind {
    pub fn of(s: &Service) -> ServiceKind {
        match s.spec.type_ {
            ServiceType::ExternalName => ServiceKind::ExternalName,
            _ if s.is_headless() => ServiceKind::Headless,
            ServiceType::NodePort => ServiceKind::NodePort,
            ServiceType::LoadBalancer => ServiceKind::LoadBalancer,
            _ => ServiceKind::ClusterIp,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    /// `None` for a headless Service, as `kubectl get svc` prints it.
    pub cluster_ip: String,
    pub headless: bool,
    pub kind: ServiceKind,
    pub type_: String,
    /// `spec.externalName` (ExternalName Services).
    pub external_name: Option<String>,
    /// Across all the Service's EndpointSlices, one per address as CoreDNS counts them.
    pub endpoints: Vec<EndpointView>,
}

impl ServiceView {
    pub fn ready_ips(&self) -> Vec<String> {
        self.endpoints.iter().filter(|e| e.ready).map(|e| e.ip.clone()).collect()
    }
    pub fn fqdn(&self) -> String {
        format!("{}.{}.svc.cluster.local", self.name, self.namespace)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkloadView {
    pub kind: Option<Kind>,
    pub namespace: String,
    pub name: String,
    pub replicas: i32,
    pub ready: i32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    pub control_plane: bool,
}

/// CoreDNS as the page shows it: kube-dns's ClusterIP and its pods.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CoreDnsView {
    pub cluster_ip: String,
    /// Ready CoreDNS pods.
    pub ready: usize,
    /// All CoreDNS pods.
    pub pods: usize,
    pub instances: Vec<PodView>,
}

/// What the panels draw. It has no clock on purpose: the memo holding it notifies only when
/// something drawn changes, not on every 100 ms tick (the clock bar reads the time itself).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub nodes: Vec<NodeView>,
    pub pods: Vec<PodView>,
    pub services: Vec<ServiceView>,
    pub workloads: Vec<WorkloadView>,
    pub coredns: CoreDnsView,
}

/// Namespaces the cluster itself uses (kind's and kubeadm's) and the lab's toolbox: the page
/// draws the learner's namespaces only.
pub fn is_system_namespace(namespace: &str) -> bool {
    matches!(namespace, "kube-system" | "kube-public" | "kube-node-lease" | "local-path-storage")
        || namespace == TOOLBOX_NAMESPACE
}

/// The workload that owns a pod: a ReplicaSet's Deployment (the owner walk kubectl's
/// `describe` does), or the StatefulSet/DaemonSet/ReplicaSet itself.
pub fn workload_of(c: &Cluster, p: &Pod) -> Option<String> {
    let owner = p.metadata.controller()?;
    match owner.kind.as_str() {
        "ReplicaSet" => {
            let rs = c.get::<ReplicaSet>(&p.metadata.namespace, &owner.name)?;
            Some(rs.metadata.controller().map(|d| d.name.clone()).unwrap_or_else(|| owner.name.clone()))
        }
        _ => Some(owner.name.clone()),
    }
}

fn pod_view(c: &Cluster, p: &Pod) -> PodView {
    PodView {
        namespace: p.metadata.namespace.clone(),
        name: p.metadata.name.clone(),
        node: p.spec.node_name.clone(),
        ip: p.status.pod_ip.clone(),
        status: pod_status(p),
        ready: p.status.ready,
        terminating: p.metadata.deletion_timestamp.is_some(),
        readiness_failed: c.readiness_failed(&p.metadata.namespace, &p.metadata.name),
        workload: workload_of(c, p),
        hostname: p.spec.hostname.clone(),
    }
}

/// A Service's endpoints across all its EndpointSlices, deduplicated by address as CoreDNS
/// counts them (spec §4.5): a learner's extra slice listing a pod already listed is one
/// endpoint, ready if any slice says so.
pub fn service_endpoints(c: &Cluster, s: &Service) -> Vec<EndpointView> {
    let mut endpoints: Vec<EndpointView> = c
        .list::<EndpointSlice>(Some(&s.metadata.namespace))
        .filter(|es| es.metadata.labels.get(SERVICE_NAME_LABEL).map(String::as_str) == Some(s.metadata.name.as_str()))
        .flat_map(|es| es.endpoints.iter())
        .flat_map(|e| {
            e.addresses.iter().map(move |ip| EndpointView {
                pod: e.target_ref.as_ref().map(|r| r.name.clone()),
                ip: ip.clone(),
                ready: e.conditions.is_ready(),
                hostname: e.hostname.clone(),
            })
        })
        .collect();
    endpoints.sort_by(|a, b| (&a.ip, &a.pod, !a.ready).cmp(&(&b.ip, &b.pod, !b.ready)));
    endpoints.dedup_by(|later, first| later.ip == first.ip && later.pod == first.pod);
    endpoints
}

/// CoreDNS's Service and pods (`k8s-app=kube-dns` in `kube-system`).
pub fn coredns_of(c: &Cluster) -> CoreDnsView {
    let cluster_ip =
        c.get::<Service>("kube-system", "kube-dns").and_then(|s| s.spec.cluster_ip.clone()).unwrap_or_default();
    let instances: Vec<PodView> = c
        .list::<Pod>(Some("kube-system"))
        .filter(|p| p.metadata.labels.get("k8s-app").map(String::as_str) == Some("kube-dns"))
        .map(|p| pod_view(c, p))
        .collect();
    CoreDnsView { cluster_ip, ready: instances.iter().filter(|p| p.ready).count(), pods: instances.len(), instances }
}

/// Everything the cluster view, the analogies and the descriptions draw.
pub fn snapshot_of(c: &Cluster) -> Snapshot {
    let nodes = c
        .list::<Node>(None)
        .map(|n| NodeView { name: n.metadata.name.clone(), ready: n.ready, control_plane: n.control_plane })
        .collect();
    let pods: Vec<PodView> =
        c.list::<Pod>(None).filter(|p| !is_system_namespace(&p.metadata.namespace)).map(|p| pod_view(c, p)).collect();
    let services = c
        .list::<Service>(None)
        .filter(|s| !is_system_namespace(&s.metadata.namespace))
        .filter(|s| !(s.metadata.namespace == "default" && s.metadata.name == "kubernetes"))
        .map(|s| ServiceView {
            namespace: s.metadata.namespace.clone(),
            name: s.metadata.name.clone(),
            cluster_ip: s.spec.cluster_ip.clone().unwrap_or_else(|| "<none>".into()),
            headless: s.is_headless(),
            kind: ServiceKind::of(s),
            type_: s.spec.type_.as_str().to_string(),
            external_name: s.spec.external_name.clone(),
            endpoints: service_endpoints(c, s),
        })
        .collect();
    let mut workloads: Vec<WorkloadView> = c
        .list::<Deployment>(None)
        .filter(|d| !is_system_namespace(&d.metadata.namespace))
        .map(|d| WorkloadView {
            kind: Some(Kind::Deployment),
            namespace: d.metadata.namespace.clone(),
            name: d.metadata.name.clone(),
            replicas: d.spec.replicas,
            ready: d.status.ready_replicas,
        })
        .collect();
    workloads.extend(c.list::<StatefulSet>(None).filter(|s| !is_system_namespace(&s.metadata.namespace)).map(|s| {
        WorkloadView {
            kind: Some(Kind::StatefulSet),
            namespace: s.metadata.namespace.clone(),
            name: s.metadata.name.clone(),
            replicas: s.spec.replicas,
            ready: s.status.ready_replicas,
        }
    }));
    Snapshot { nodes, pods, services, workloads, coredns: coredns_of(c) }
}
