//! What happened: `kubectl get events` entries and the simulation's own timeline.

use crate::api::Kind;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

/// A core/v1 Event as `kubectl get events` and `describe` show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KubeEvent {
    pub first: SimTime,
    pub last: SimTime,
    pub count: u32,
    pub namespace: String,
    pub kind: Kind,
    pub name: String,
    /// `Normal` or `Warning`.
    pub type_: String,
    /// `Scheduled`, `Pulling`, `Created`, `Started`, `Killing`, `FailedScheduling`, ...
    pub reason: String,
    pub message: String,
}

/// The timeline the UI animates and the event log prints. Past tense: these happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SimEvent {
    ObjectApplied { at: SimTime, kind: Kind, namespace: String, name: String, created: bool },
    ObjectDeleted { at: SimTime, kind: Kind, namespace: String, name: String },
    PodScheduled { at: SimTime, namespace: String, name: String, node: String, ip: String },
    PodBecameReady { at: SimTime, namespace: String, name: String },
    PodBecameNotReady { at: SimTime, namespace: String, name: String },
    PodTerminated { at: SimTime, namespace: String, name: String },
    EndpointSliceChanged { at: SimTime, namespace: String, service: String },
    DnsQueried { at: SimTime, query: super::state::DnsLogEntry },
    // Traffic (crate::traffic). `request` ids tie the events of one request together,
    // `connection` ids those of one connection. (Plain `//` comments: doc comments would make
    // rustfmt lay out every variant of this enum vertically.)
    // A client in a pod sent a request (curl, wget, a traffic client).
    RequestSent { at: SimTime, request: u64, namespace: String, pod: String, target: String, port: i32 },
    // The client's resolver answered (`cached`: from the client's own DNS cache).
    NameResolved { at: SimTime, request: u64, name: String, addresses: Vec<String>, cached: bool },
    // kube-proxy handled a new connection: node, matched rule, chains, endpoint or REJECT/DROP.
    ProxyDecided { at: SimTime, request: u64, connection: u64, decision: super::state::RouteDecision },
    // A TCP connection to `dst_ip` reached the pod `backend`.
    ConnectionOpened { at: SimTime, request: u64, connection: u64, dst_ip: String, backend: super::state::Backend },
    ConnectionClosed { at: SimTime, connection: u64, reason: String },
    // The pod `namespace/pod` answered.
    ResponseReceived { at: SimTime, request: u64, connection: u64, namespace: String, pod: String, latency_ms: u64 },
    RequestFailed { at: SimTime, request: u64, error: super::state::TrafficError },
}
