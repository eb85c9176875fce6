//! The plain data the cluster keeps besides API objects, and the vocabulary of its event
//! timeline: controllers' private bookkeeping (`Cluster::ctl`), CoreDNS's running state and
//! log entries, kube-proxy's kernel-side state and routing decisions, the traffic clients.
//! Defined here, below the floors that fill and read them (`controllers`, `dns`, `proxy`,
//! `traffic` re-export them and keep their behaviour), so the store depends on none of them.

use crate::cluster::config::ProxyMode;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Private controller state that is not part of any API object.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ControllerState {
    /// host-local IPAM: the last address handed out per node pod CIDR (it continues from
    /// there, as the CNI plugin does, rather than reusing a just-freed IP at once).
    pub pod_ip_cursor: BTreeMap<String, u128>,
    /// Readiness probe bookkeeping per pod key `ns/name`.
    pub probes: BTreeMap<String, ProbeState>,
    /// Pods whose readiness was failed by hand (`fail readiness` in the UI).
    pub readiness_failed: std::collections::BTreeSet<String>,
    /// The kubelet's per-container lifecycle, per pod key.
    #[serde(default)]
    pub runtime: BTreeMap<String, Vec<ContainerRuntime>>,
    /// Images each node has pulled or run (the node's image cache).
    #[serde(default)]
    pub node_images: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// When each stopped node went NotReady (node lifecycle controller).
    #[serde(default)]
    pub node_not_ready_since: BTreeMap<String, crate::time::SimTime>,
    /// The last FailedScheduling message per pod key (recorded again only when it changes).
    #[serde(default)]
    pub scheduling_failures: BTreeMap<String, String>,
    /// `ns/name` of the Endpoints objects the Endpoints controller wrote.
    /// No pod needs the kubelet's walk over all pods before this time unless the store moves
    /// (the earliest termination deadline it saw); `None`: walk on the next pass.
    #[serde(default)]
    pub kubelet_quiet_until: Option<crate::time::SimTime>,
    /// The nodes' scheduler signature when its last pass ended: pods that failed are retried
    /// only when it changes (kube-scheduler's unschedulable queue).
    #[serde(default)]
    pub unschedulable_signature: Option<u64>,
    #[serde(default)]
    pub managed_endpoints: std::collections::BTreeSet<String>,
    /// StatefulSet pod templates by `ns/<sts>-<hash>` (what ControllerRevisions hold).
    #[serde(default)]
    pub sts_revisions: BTreeMap<String, crate::api::PodTemplateSpec>,
    /// The store's resourceVersion at each store-driven controller's last pass.
    #[serde(default)]
    pub last_seen: BTreeMap<String, u64>,
}

/// Readiness probe bookkeeping of one pod (kubelet).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ProbeState {
    pub next_probe: SimTime,
    pub successes: i64,
    pub failures: i64,
}

/// Where one container is in its lifecycle (kubelet-private state).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Stage {
    /// Image pull in progress until the time given.
    Pulling(SimTime),
    /// Pull failed at `failed_at`; retried at `retry_at`. `shown_backoff`: ImagePullBackOff
    /// reported (the kubelet's next sync after the failure, a couple of seconds later).
    PullBackOff { failed_at: SimTime, retry_at: SimTime, shown_backoff: bool },
    /// The image can never be had (`ErrImageNeverPull`, `InvalidImageName`): stuck.
    Stuck,
    /// Container being created; started at the time given.
    Creating(SimTime),
    /// Running; exits at the time given with the code given (`None`: runs until stopped).
    Running(Option<(SimTime, i32)>),
    /// Exited; restarted at the time given (`None`: never, per restartPolicy).
    Exited { restart_at: Option<SimTime> },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ContainerRuntime {
    pub stage: Stage,
    /// Next crash backoff (0 before the first restart).
    pub crash_backoff_ms: u64,
    pub pull_backoff_ms: u64,
}

// ---------------------------------------------------------------------------------------------
// Re-exported by `crate::dns`

/// CoreDNS's running configuration: which Corefile it loaded, and what went wrong with the
/// last one it could not load. Kept as text (the parse is cheap and done per query) so the
/// cluster stays plain serializable data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DnsState {
    /// The Corefile text in force; `None` until first read (then kubeadm's, from bootstrap).
    pub active: Option<String>,
    /// The last Corefile text that failed to load, and CoreDNS's reason.
    pub failed: Option<(String, String)>,
    /// CoreDNS's own log lines (`[INFO] Reloading`, `[ERROR] plugin/reload: ...`), oldest first.
    pub log: Vec<String>,
}

/// One line of the DNS log: who asked what, and what came back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DnsLogEntry {
    pub at: SimTime,
    pub client: DnsClient,
    pub qname: String,
    pub qtype: RType,
    pub rcode: Rcode,
    pub answers: Vec<String>,
    pub ttl: Option<u32>,
}

/// Who asked. `None` pod: the lab itself (UI pinned names).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsClient {
    pub namespace: String,
    pub pod: String,
    pub ip: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RType {
    A,
    AAAA,
    CNAME,
    PTR,
    SRV,
    TXT,
    SOA,
    NS,
    ANY,
    /// Types the `kubernetes` plugin does not serve: answered NODATA or NXDOMAIN after a
    /// "fake A lookup" (spec §4.3).
    MX,
    HINFO,
    /// Zone transfers: REFUSED without the `transfer` plugin (spec §4.3).
    AXFR,
    IXFR,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rcode {
    NoError,
    NxDomain,
    ServFail,
    Refused,
}

// ---------------------------------------------------------------------------------------------
// Re-exported by `crate::proxy`

/// kube-proxy's (kernel's) state that outlives one packet. Plain ordered data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProxyState {
    /// `servicePortName/proto` → client IP → affinity entry.
    pub affinity: BTreeMap<String, BTreeMap<String, AffinityEntry>>,
    /// IPVS round robin: virtual server (`proto/IP:port`) → the real server picked last.
    pub rr_last: BTreeMap<String, String>,
}

/// One ClientIP affinity entry: like the `recent` module's list (iptables) or an IPVS
/// persistence template, it remembers the endpoint and when it was last used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffinityEntry {
    pub endpoint: String,
    pub last_used: SimTime,
}

/// One kube-proxy decision for a new connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteDecision {
    pub mode: ProxyMode,
    /// The node whose rules handled the packet.
    pub node: Option<String>,
    /// `ns/svc:port` of the matched Service port.
    pub service: Option<String>,
    /// The rule that decided, in the mode's own syntax.
    pub rule: String,
    /// Chains (iptables/nftables) or virtual server (ipvs) traversed, in order.
    pub chains: Vec<String>,
    pub verdict: Verdict,
}

/// Where the packet went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Destination-NATed to an endpoint.
    Dnat { ip: String, port: i32, pod: Option<(String, String)>, node: Option<String> },
    /// Rejected with ICMP port unreachable: the client sees "connection refused".
    Reject,
    /// Silently dropped: the client times out.
    Drop,
    /// No kube-proxy rule matched; the packet goes on to its original destination.
    NoMatch,
}

// ---------------------------------------------------------------------------------------------
// Re-exported by `crate::traffic`

/// Traffic bookkeeping kept in the cluster: ids, hit counters, the running clients.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrafficState {
    pub next_id: u64,
    /// Responses served, per pod `ns/name`.
    pub hits: BTreeMap<String, u64>,
    pub clients: BTreeMap<u64, Client>,
}

/// The pod that answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backend {
    pub namespace: String,
    pub pod: String,
    pub ip: String,
    pub port: i32,
    pub node: Option<String>,
}

/// Why a request failed, as data; [`std::fmt::Display`] gives neutral English, the shell
/// tools print their own wording (curl's, busybox wget's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrafficError {
    /// The name did not resolve (NXDOMAIN / no A record).
    CouldNotResolve { host: String },
    /// RST or ICMP port unreachable (kube-proxy REJECT, closed port).
    Refused { ip: String, port: i32 },
    /// Nothing answered (kube-proxy DROP, an address outside the cluster).
    TimedOut { ip: String, port: i32 },
    /// A pod-network address no pod holds (a stale DNS answer): ARP fails.
    NoRoute { ip: String, port: i32 },
}

// ---------------------------------------------------------------------------------------------
// Re-exported by `crate::traffic`

/// A running client and what it has seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub id: u64,
    pub spec: ClientSpec,
    pub next_at: SimTime,
    pub cache: Option<CachedAnswer>,
    pub connections: Vec<OpenConnection>,
    /// Round-robin cursor over the answers.
    pub cursor: u64,
    pub sent: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub last_error: Option<TrafficError>,
    /// `ns/name` of the pod that served the last response.
    pub last_pod: Option<String>,
    /// Responses this client received per pod (`ns/name`): the cluster-wide counters
    /// (`TrafficState::hits`) mix every client, this shows one client's spread (a ClusterIP
    /// client over many pods, a headless one on the pod it picked). Cleared with them.
    #[serde(default)]
    pub hits: BTreeMap<String, u64>,
}

/// What a client does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSpec {
    /// The pod the client runs in.
    pub namespace: String,
    pub pod: String,
    /// A DNS name (resolved with the pod's search list) or an IP.
    pub target: String,
    pub port: i32,
    /// Time between requests; at least one tick's worth of requests is capped per tick.
    pub interval_ms: u64,
    pub connection: ConnectionMode,
    pub strategy: Strategy,
    pub dns: DnsCaching,
}

/// One connection per request, or long-lived connections reused by every request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConnectionMode {
    #[default]
    PerRequest,
    KeepAlive,
}

/// How a client chooses among several DNS answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strategy {
    /// The first answer, as most HTTP clients and gRPC's `pick_first` do.
    #[default]
    PickFirst,
    /// A random answer (from the cluster's seeded RNG).
    Random,
    /// The answers in turn, one per request.
    RoundRobin,
    /// Every answer, each request fanned out (scatter-gather, peer discovery).
    All,
    /// The answer with the lowest simulated latency ([`super::latency_ms`]).
    LowestLatency,
}

/// The client's DNS cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DnsCaching {
    /// Resolve before every new connection.
    NoCache,
    /// Cache for the record's TTL (30 s with the kubeadm Corefile, spec §4.1).
    #[default]
    HonorTtl,
    /// Cache forever (the JVM's old default): answers go stale after a scale.
    IgnoreTtl,
}

/// A cached DNS answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedAnswer {
    pub addresses: Vec<String>,
    /// `None`: never expires.
    pub expires: Option<SimTime>,
}

/// A long-lived connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenConnection {
    pub connection: u64,
    /// The address dialled (a Service VIP or a pod IP).
    pub dst_ip: String,
    pub backend: Backend,
}
