//! The Kubernetes API objects the lab simulates, named and shaped as in k8s.io/api
//! (core/v1, apps/v1, discovery.k8s.io/v1). Only the fields that matter to Service
//! networking are modelled; each object converts to and from the YAML tree
//! ([`crate::decode`] reads manifests, [`crate::encode`] prints `-o yaml|json`).

mod apps;
mod core;
mod discovery;
mod dump;
mod meta;
mod storage;

pub use apps::*;
pub use core::*;
pub use discovery::*;
pub use meta::*;
pub use storage::*;

use serde::{Deserialize, Serialize};

/// Any object the lab stores. The API server's kinds, one variant each.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Object {
    Namespace(Namespace),
    Node(Node),
    Pod(Pod),
    Service(Service),
    Endpoints(Endpoints),
    EndpointSlice(EndpointSlice),
    ConfigMap(ConfigMap),
    Deployment(Deployment),
    ReplicaSet(ReplicaSet),
    StatefulSet(StatefulSet),
    DaemonSet(DaemonSet),
    PersistentVolumeClaim(PersistentVolumeClaim),
    StorageClass(StorageClass),
}

impl Object {
    pub fn meta(&self) -> &ObjectMeta {
        match self {
            Object::Namespace(o) => &o.metadata,
            Object::Node(o) => &o.metadata,
            Object::Pod(o) => &o.metadata,
            Object::Service(o) => &o.metadata,
            Object::Endpoints(o) => &o.metadata,
            Object::EndpointSlice(o) => &o.metadata,
            Object::ConfigMap(o) => &o.metadata,
            Object::Deployment(o) => &o.metadata,
            Object::ReplicaSet(o) => &o.metadata,
            Object::StatefulSet(o) => &o.metadata,
            Object::DaemonSet(o) => &o.metadata,
            Object::PersistentVolumeClaim(o) => &o.metadata,
            Object::StorageClass(o) => &o.metadata,
        }
    }
    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        match self {
            Object::Namespace(o) => &mut o.metadata,
            Object::Node(o) => &mut o.metadata,
            Object::Pod(o) => &mut o.metadata,
            Object::Service(o) => &mut o.metadata,
            Object::Endpoints(o) => &mut o.metadata,
            Object::EndpointSlice(o) => &mut o.metadata,
            Object::ConfigMap(o) => &mut o.metadata,
            Object::Deployment(o) => &mut o.metadata,
            Object::ReplicaSet(o) => &mut o.metadata,
            Object::StatefulSet(o) => &mut o.metadata,
            Object::DaemonSet(o) => &mut o.metadata,
            Object::PersistentVolumeClaim(o) => &mut o.metadata,
            Object::StorageClass(o) => &mut o.metadata,
        }
    }
    pub fn kind(&self) -> Kind {
        match self {
            Object::Namespace(_) => Kind::Namespace,
            Object::Node(_) => Kind::Node,
            Object::Pod(_) => Kind::Pod,
            Object::Service(_) => Kind::Service,
            Object::Endpoints(_) => Kind::Endpoints,
            Object::EndpointSlice(_) => Kind::EndpointSlice,
            Object::ConfigMap(_) => Kind::ConfigMap,
            Object::Deployment(_) => Kind::Deployment,
            Object::ReplicaSet(_) => Kind::ReplicaSet,
            Object::StatefulSet(_) => Kind::StatefulSet,
            Object::DaemonSet(_) => Kind::DaemonSet,
            Object::PersistentVolumeClaim(_) => Kind::PersistentVolumeClaim,
            Object::StorageClass(_) => Kind::StorageClass,
        }
    }
}

/// The kinds, with the names kubectl uses for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    Namespace,
    Node,
    Pod,
    Service,
    Endpoints,
    EndpointSlice,
    ConfigMap,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    PersistentVolumeClaim,
    StorageClass,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Service,
        Kind::Endpoints,
        Kind::EndpointSlice,
        Kind::ConfigMap,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::StatefulSet,
        Kind::DaemonSet,
        Kind::PersistentVolumeClaim,
        Kind::StorageClass,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::ConfigMap => "ConfigMap",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::PersistentVolumeClaim => "PersistentVolumeClaim",
            Kind::StorageClass => "StorageClass",
        }
    }
    /// `apiVersion` of the kind.
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet => "apps/v1",
            Kind::EndpointSlice => "discovery.k8s.io/v1",
            Kind::StorageClass => "storage.k8s.io/v1",
            _ => "v1",
        }
    }
    /// Lower-case plural resource name (`services`), as in `Error from server (NotFound): services "x" not found`.
    pub fn resource(self) -> &'static str {
        match self {
            Kind::Namespace => "namespaces",
            Kind::Node => "nodes",
            Kind::Pod => "pods",
            Kind::Service => "services",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslices",
            Kind::ConfigMap => "configmaps",
            Kind::Deployment => "deployments",
            Kind::ReplicaSet => "replicasets",
            Kind::StatefulSet => "statefulsets",
            Kind::DaemonSet => "daemonsets",
            Kind::PersistentVolumeClaim => "persistentvolumeclaims",
            Kind::StorageClass => "storageclasses",
        }
    }
    /// `resource.group` as kubectl prints it in `kind/name` (`deployment.apps/api`).
    pub fn qualified(self) -> &'static str {
        match self {
            Kind::Namespace => "namespace",
            Kind::Node => "node",
            Kind::Pod => "pod",
            Kind::Service => "service",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslice.discovery.k8s.io",
            Kind::ConfigMap => "configmap",
            Kind::Deployment => "deployment.apps",
            Kind::ReplicaSet => "replicaset.apps",
            Kind::StatefulSet => "statefulset.apps",
            Kind::DaemonSet => "daemonset.apps",
            Kind::PersistentVolumeClaim => "persistentvolumeclaim",
            Kind::StorageClass => "storageclass.storage.k8s.io",
        }
    }
    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node | Kind::StorageClass)
    }
    /// Parse a kind from its `kind:` spelling.
    pub fn from_kind(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
    /// Parse a resource as typed on the kubectl command line (`svc`, `pods`, `deploy`, `sts`, `ds`, ...).
    pub fn from_resource(s: &str) -> Option<Kind> {
        let s = s.to_ascii_lowercase();
        let s = s.split('.').next().unwrap_or("");
        Some(match s {
            "ns" | "namespace" | "namespaces" => Kind::Namespace,
            "no" | "node" | "nodes" => Kind::Node,
            "po" | "pod" | "pods" => Kind::Pod,
            "svc" | "service" | "services" => Kind::Service,
            "ep" | "endpoints" => Kind::Endpoints,
            "endpointslice" | "endpointslices" => Kind::EndpointSlice,
            "cm" | "configmap" | "configmaps" => Kind::ConfigMap,
            "deploy" | "deployment" | "deployments" => Kind::Deployment,
            "rs" | "replicaset" | "replicasets" => Kind::ReplicaSet,
            "sts" | "statefulset" | "statefulsets" => Kind::StatefulSet,
            "ds" | "daemonset" | "daemonsets" => Kind::DaemonSet,
            "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => Kind::PersistentVolumeClaim,
            "sc" | "storageclass" | "storageclasses" => Kind::StorageClass,
            _ => return None,
        })
    }
}
