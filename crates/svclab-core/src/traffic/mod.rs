//! Clients and traffic: requests from pods to names, Service IPs and pod IPs, over the
//! simulated network. One request is: resolve the name with the pod's resolver (spec §5),
//! connect (a Service address goes through kube-proxy's [`crate::proxy::route`], a pod
//! address goes straight to the pod), and the container answers ([`app`]).
//!
//! Every step is a [`SimEvent`] carrying the request and connection ids, so the UI can draw
//! a request's path (client → CoreDNS → VIP → pod, or client → pod) and the log can tell it.
//! Per-pod hit counters live in [`TrafficState`].
//!
//! Invariants: plain ordered data (`BTreeMap`/`Vec`), no clock (time is `Cluster::now`), no
//! randomness outside the cluster's seeded RNG; a request never panics on any input.

pub mod app;
pub mod client;
pub mod flight;
pub mod log;

pub use client::{
    add_client, remove_client, tick, update_client, Client, ClientSpec, ConnectionMode, DnsCaching, Strategy,
};

use crate::api::{Node, Pod};
pub use crate::cluster::state::{Backend, TrafficError, TrafficState};
use crate::cluster::{Cluster, SimEvent};
use crate::proxy::{self, RouteDecision, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

impl std::fmt::Display for TrafficError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrafficError::CouldNotResolve { host } => write!(f, "could not resolve host: {host}"),
            TrafficError::Refused { ip, port } => write!(f, "{ip}:{port}: connection refused"),
            TrafficError::TimedOut { ip, port } => write!(f, "{ip}:{port}: connection timed out"),
            TrafficError::NoRoute { ip, port } => write!(f, "{ip}:{port}: no route to host"),
        }
    }
}

/// Resolve `name` from a pod the way curl and the clients do: A records first, AAAA when
/// there are none (IPv6-only clusters).
pub fn resolve(
    c: &mut Cluster,
    client: &crate::dns::DnsClient,
    rc: &crate::dns::resolver::ResolvConf,
    name: &str,
) -> crate::dns::resolver::Lookup {
    let v4 = crate::dns::resolver::lookup(c, client, rc, name, crate::dns::RType::A);
    if !v4.response.addresses().is_empty() {
        return v4;
    }
    let v6 = crate::dns::resolver::lookup(c, client, rc, name, crate::dns::RType::AAAA);
    if v6.response.addresses().is_empty() {
        v4
    } else {
        v6
    }
}

/// Zero the per-pod hit counters, and every client's own (the UI's "reset").
pub fn reset_hits(c: &mut Cluster) {
    c.traffic.hits.clear();
    for client in c.traffic.clients.values_mut() {
        client.hits.clear();
    }
}

/// Per-pod hit counters (`ns/name` → responses served).
pub fn hits(c: &Cluster) -> BTreeMap<String, u64> {
    c.traffic.hits.clone()
}

fn next_id(c: &mut Cluster) -> u64 {
    c.traffic.next_id += 1;
    c.traffic.next_id
}

/// Where a request comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub namespace: String,
    pub pod: String,
    pub ip: String,
    pub node: Option<String>,
}

impl Source {
    /// The source for a pod, if it has an IP.
    pub fn of_pod(c: &Cluster, namespace: &str, name: &str) -> Option<Source> {
        let p = c.get::<Pod>(namespace, name)?;
        Some(Source {
            namespace: namespace.to_string(),
            pod: name.to_string(),
            ip: p.status.pod_ip.clone()?,
            node: p.spec.node_name.clone(),
        })
    }
}

impl Source {
    /// A client outside the cluster (a laptop on the node network reaching a NodePort or a
    /// load-balancer IP): no pod, no node, so kube-proxy treats it as external traffic.
    pub fn external(ip: &str) -> Source {
        Source { namespace: String::new(), pod: String::new(), ip: ip.to_string(), node: None }
    }
}

impl Backend {
    /// The API server on a control-plane node ([`app::APISERVER_PORT`]).
    pub fn is_apiserver(&self) -> bool {
        self.namespace == "kube-system" && self.pod.starts_with("kube-apiserver-") && self.port == app::APISERVER_PORT
    }
}

/// A successful response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub connection: u64,
    pub backend: Backend,
    pub body: String,
    pub latency_ms: u64,
}

/// Start a request: a new id and a `RequestSent` event.
pub fn begin_request(c: &mut Cluster, src: &Source, target: &str, port: i32) -> u64 {
    let id = next_id(c);
    let at = c.now;
    c.emit(SimEvent::RequestSent {
        at,
        request: id,
        namespace: src.namespace.clone(),
        pod: src.pod.clone(),
        target: target.to_string(),
        port,
    });
    id
}

/// Record a resolved name (or the failure to resolve it) for a request.
pub fn record_resolution(c: &mut Cluster, request: u64, name: &str, addresses: &[String], cached: bool) {
    let at = c.now;
    c.emit(SimEvent::NameResolved { at, request, name: name.to_string(), addresses: addresses.to_vec(), cached });
    if addresses.is_empty() {
        fail(c, request, TrafficError::CouldNotResolve { host: name.to_string() });
    }
}

/// Record a failed request.
pub fn fail(c: &mut Cluster, request: u64, error: TrafficError) {
    let at = c.now;
    c.emit(SimEvent::RequestFailed { at, request, error });
}

/// The pod holding `ip`, if any (pod network and hostNetwork pods).
fn pod_with_ip<'a>(c: &'a Cluster, ip: &str, port: i32) -> Option<&'a Pod> {
    let mut holders = c
        .list::<Pod>(None)
        .filter(|p| p.status.pod_ip.as_deref() == Some(ip) || p.status.pod_ips.iter().any(|i| i == ip));
    // Several hostNetwork pods share a node IP: the one listening on the port answers.
    let first = holders.next()?;
    if app::listens(first, port, "TCP") {
        return Some(first);
    }
    holders.find(|p| app::listens(p, port, "TCP")).or(Some(first))
}

/// Simulated one-way latency in ms: 1 on the same node, 3 across nodes, plus a fixed
/// per-pod jitter of 0..=3 ms (an FNV hash of the pod name, so it is stable per pod and
/// the same on every platform).
pub fn latency_ms(src_node: Option<&str>, dst_node: Option<&str>, dst_pod: &str) -> u64 {
    let base = if src_node.is_some() && src_node == dst_node { 1 } else { 3 };
    let mut h: u32 = 0x811c_9dc5;
    for b in dst_pod.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    base + u64::from(h % 4)
}

/// Open a TCP connection from `src` to `dst_ip:port`: kube-proxy on the source node sees it
/// first (spec §6); then the pod behind the final address answers or refuses.
pub fn connect(
    c: &mut Cluster,
    request: u64,
    src: &Source,
    dst_ip: &str,
    port: i32,
) -> (u64, Option<RouteDecision>, Result<Backend, TrafficError>) {
    let connection = next_id(c);
    let now = c.now;
    let decision = proxy::route(c, src.node.as_deref(), dst_ip, port, "TCP", &src.ip, now);
    let (target_ip, target_port) = match &decision.verdict {
        Verdict::Dnat { ip, port, .. } => (ip.clone(), *port),
        Verdict::Reject => {
            emit_decision(c, request, connection, &decision);
            return (connection, Some(decision), Err(TrafficError::Refused { ip: dst_ip.into(), port }));
        }
        Verdict::Drop => {
            emit_decision(c, request, connection, &decision);
            return (connection, Some(decision), Err(TrafficError::TimedOut { ip: dst_ip.into(), port }));
        }
        Verdict::NoMatch => (dst_ip.to_string(), port),
    };
    let decided = decision.verdict != Verdict::NoMatch;
    if decided {
        emit_decision(c, request, connection, &decision);
    }
    let holder_listens = pod_with_ip(c, &target_ip, target_port).is_some_and(|p| app::listens(p, target_port, "TCP"));
    let apiserver_node = proxy::node_of_ip(c, &target_ip).filter(|n| {
        target_port == app::APISERVER_PORT && !holder_listens && c.get::<Node>("", n).is_some_and(|n| n.control_plane)
    });
    let result = match pod_with_ip(c, &target_ip, target_port) {
        _ if apiserver_node.is_some() => {
            let node = apiserver_node.unwrap_or_default();
            Ok(Backend {
                namespace: "kube-system".into(),
                pod: app::apiserver_pod(&node),
                ip: target_ip.clone(),
                port: target_port,
                node: Some(node),
            })
        }
        Some(p) if app::serving(p) && app::listens(p, target_port, "TCP") => Ok(Backend {
            namespace: p.metadata.namespace.clone(),
            pod: p.metadata.name.clone(),
            ip: target_ip.clone(),
            port: target_port,
            node: p.spec.node_name.clone(),
        }),
        Some(_) => Err(TrafficError::Refused { ip: dst_ip.into(), port }),
        None if proxy::is_pod_ip(c, &target_ip) => Err(TrafficError::NoRoute { ip: dst_ip.into(), port }),
        // A node address with nothing listening on the port: RST.
        None if proxy::node_of_ip(c, &target_ip).is_some() => Err(TrafficError::Refused { ip: dst_ip.into(), port }),
        // Unallocated Service IPs (iptables/ipvs) and addresses outside the cluster.
        None => Err(TrafficError::TimedOut { ip: dst_ip.into(), port }),
    };
    if let Ok(b) = &result {
        let at = c.now;
        c.emit(SimEvent::ConnectionOpened { at, request, connection, dst_ip: dst_ip.to_string(), backend: b.clone() });
    }
    (connection, decided.then_some(decision), result)
}

fn emit_decision(c: &mut Cluster, request: u64, connection: u64, d: &RouteDecision) {
    let at = c.now;
    c.emit(SimEvent::ProxyDecided { at, request, connection, decision: d.clone() });
}

/// Send one request over an open connection and record the response and the hit.
pub fn respond(c: &mut Cluster, request: u64, connection: u64, src: &Source, backend: &Backend) -> Response {
    // The API server (a static pod on the control plane since kind's kube-system is modelled)
    // speaks only TLS, whatever pod object stands for it.
    let body = match c.get::<Pod>(&backend.namespace, &backend.pod) {
        _ if backend.is_apiserver() => app::HTTP_TO_HTTPS.to_string(),
        Some(p) => app::body(p, backend.port, &crate::dns::resolver::pod_uts_hostname(c, p)),
        None => String::new(),
    };
    let latency_ms = 2 * latency_ms(src.node.as_deref(), backend.node.as_deref(), &backend.pod);
    *c.traffic.hits.entry(format!("{}/{}", backend.namespace, backend.pod)).or_default() += 1;
    let at = c.now;
    c.emit(SimEvent::ResponseReceived {
        at,
        request,
        connection,
        namespace: backend.namespace.clone(),
        pod: backend.pod.clone(),
        latency_ms,
    });
    Response { connection, backend: backend.clone(), body, latency_ms }
}

/// Close a connection.
pub fn close(c: &mut Cluster, connection: u64, reason: &str) {
    let at = c.now;
    c.emit(SimEvent::ConnectionClosed { at, connection, reason: reason.to_string() });
}

/// One request on a fresh connection, closed afterwards (curl, wget, non-keep-alive clients).
pub fn request_once(
    c: &mut Cluster,
    request: u64,
    src: &Source,
    dst_ip: &str,
    port: i32,
) -> Result<Response, TrafficError> {
    let (connection, _, result) = connect(c, request, src, dst_ip, port);
    match result {
        Ok(backend) => {
            let r = respond(c, request, connection, src, &backend);
            close(c, connection, "request complete");
            Ok(r)
        }
        Err(e) => {
            fail(c, request, e.clone());
            Err(e)
        }
    }
}

/// Is the pod behind an open connection still there with the same address and running?
pub fn backend_alive(c: &Cluster, b: &Backend) -> bool {
    c.get::<Pod>(&b.namespace, &b.pod).is_some_and(|p| {
        app::serving(p) && (p.status.pod_ip.as_deref() == Some(b.ip.as_str()) || p.status.pod_ips.contains(&b.ip))
    })
}
