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
    DnsQueried { at: SimTime, query: crate::dns::DnsLogEntry },
}
