//! Client programs running in pods that send requests over simulated time: what the
//! learner watches in the traffic panel. A client resolves its target with its pod's
//! resolver, optionally caching the answer (honouring or ignoring the TTL — a cache that
//! outlives a scale-down keeps dialling a gone pod's IP), chooses among several answers
//! (headless Services return every ready pod) with a [`Strategy`], and either opens a new
//! connection per request or keeps long-lived connections (gRPC-like: a connection stays
//! on one pod until that pod goes away — kube-proxy only balances new connections).
//!
//! Clients are plain serializable data stored in [`super::TrafficState`]; [`tick`] runs
//! them from [`Cluster::advance`].

use super::{Backend, Source, TrafficError};
use crate::api::Pod;
pub use crate::cluster::state::{
    CachedAnswer, Client, ClientSpec, ConnectionMode, DnsCaching, OpenConnection, Strategy,
};
use crate::cluster::Cluster;
use crate::dns::{resolver, DnsClient};

impl ClientSpec {
    /// A client sending one request a second on a new connection, first answer, TTL-honouring cache.
    pub fn new(namespace: &str, pod: &str, target: &str, port: i32) -> Self {
        ClientSpec {
            namespace: namespace.into(),
            pod: pod.into(),
            target: target.into(),
            port,
            interval_ms: 1000,
            connection: ConnectionMode::PerRequest,
            strategy: Strategy::PickFirst,
            dns: DnsCaching::HonorTtl,
        }
    }
}

impl Client {
    /// A response from `backend` arrived: the last pod and this client's hit counter.
    fn note_served(&mut self, backend: &Backend) {
        let key = format!("{}/{}", backend.namespace, backend.pod);
        *self.hits.entry(key.clone()).or_default() += 1;
        self.last_pod = Some(key);
    }
}

/// Start a client; its first request goes out on the next tick. Returns its id.
pub fn add_client(c: &mut Cluster, spec: ClientSpec) -> u64 {
    let id = super::next_id(c);
    let client = Client {
        id,
        spec,
        next_at: c.now,
        cache: None,
        connections: Vec::new(),
        cursor: 0,
        sent: 0,
        succeeded: 0,
        failed: 0,
        last_error: None,
        last_pod: None,
        hits: Default::default(),
    };
    c.traffic.clients.insert(id, client);
    id
}

/// Stop a client, closing its connections. False if there was none with that id.
pub fn remove_client(c: &mut Cluster, id: u64) -> bool {
    let Some(client) = c.traffic.clients.remove(&id) else { return false };
    for conn in client.connections {
        super::close(c, conn.connection, "client stopped");
    }
    true
}

/// Change a client's settings. Its connections are closed and its DNS cache dropped, as
/// restarting the program would. False if there was none with that id.
pub fn update_client(c: &mut Cluster, id: u64, spec: ClientSpec) -> bool {
    let Some(client) = c.traffic.clients.get_mut(&id) else { return false };
    client.spec = spec;
    client.cache = None;
    let conns = std::mem::take(&mut client.connections);
    for conn in conns {
        super::close(c, conn.connection, "client restarted");
    }
    true
}

/// At most this many requests per client per tick, so a tiny interval cannot stall a step.
const MAX_REQUESTS_PER_TICK: usize = 100;

/// Run every client whose next request is due. Called from [`Cluster::advance`] each tick.
pub fn tick(c: &mut Cluster) {
    let ids: Vec<u64> = c.traffic.clients.keys().copied().collect();
    for id in ids {
        for _ in 0..MAX_REQUESTS_PER_TICK {
            let Some(client) = c.traffic.clients.get(&id) else { break };
            if client.next_at > c.now {
                break;
            }
            let interval = client.spec.interval_ms.max(1);
            run_one(c, id);
            if let Some(client) = c.traffic.clients.get_mut(&id) {
                client.next_at = client.next_at.plus_millis(interval);
            }
        }
        // Fell behind (interval shorter than the cap allows): skip ahead rather than burst.
        let now = c.now;
        if let Some(client) = c.traffic.clients.get_mut(&id) {
            if client.next_at <= now {
                client.next_at = now.plus_millis(client.spec.interval_ms.max(1));
            }
        }
    }
}

/// Resolve the client's target, from its cache when allowed.
fn addresses(c: &mut Cluster, client: &mut Client, src: &Source, request: u64) -> Vec<String> {
    let target = client.spec.target.clone();
    if target.parse::<std::net::IpAddr>().is_ok() {
        return vec![target];
    }
    if client.spec.dns != DnsCaching::NoCache {
        if let Some(cache) = &client.cache {
            if cache.expires.is_none_or(|e| e > c.now) {
                let addrs = cache.addresses.clone();
                super::record_resolution(c, request, &target, &addrs, true);
                return addrs;
            }
        }
    }
    let Some(pod) = c.get::<Pod>(&src.namespace, &src.pod).cloned() else { return Vec::new() };
    let rc = resolver::resolv_conf(c, &pod);
    let dns_client = DnsClient { namespace: src.namespace.clone(), pod: src.pod.clone(), ip: src.ip.clone() };
    let lookup = super::resolve(c, &dns_client, &rc, &target);
    let addrs = lookup.response.addresses();
    let ttl = lookup.response.answers.first().map(|r| r.ttl).unwrap_or(0);
    super::record_resolution(c, request, &target, &addrs, false);
    client.cache = match client.spec.dns {
        _ if addrs.is_empty() => None,
        DnsCaching::NoCache => None,
        DnsCaching::HonorTtl => {
            Some(CachedAnswer { addresses: addrs.clone(), expires: Some(c.now.plus_millis(u64::from(ttl) * 1000)) })
        }
        DnsCaching::IgnoreTtl => Some(CachedAnswer { addresses: addrs.clone(), expires: None }),
    };
    addrs
}

/// The simulated latency to whatever holds `ip` (a pod, or a VIP: cross-node).
fn latency_to(c: &Cluster, src: &Source, ip: &str) -> u64 {
    match c.list::<Pod>(None).find(|p| p.status.pod_ip.as_deref() == Some(ip)) {
        Some(p) => super::latency_ms(src.node.as_deref(), p.spec.node_name.as_deref(), &p.metadata.name),
        None => super::latency_ms(None, None, ip),
    }
}

/// One request of one client.
fn run_one(c: &mut Cluster, id: u64) {
    let Some(mut client) = c.traffic.clients.get(&id).cloned() else { return };
    let src = match Source::of_pod(c, &client.spec.namespace, &client.spec.pod) {
        Some(s) if c.get::<Pod>(&s.namespace, &s.pod).is_some_and(super::app::serving) => s,
        // The client's pod is not running: the program is not running either.
        _ => return,
    };
    let request = super::begin_request(c, &src, &client.spec.target, client.spec.port);
    client.sent += 1;
    let keep_alive = client.spec.connection == ConnectionMode::KeepAlive;
    // Connections to pods that went away are reset; the client will reconnect.
    if keep_alive {
        let (alive, dead): (Vec<_>, Vec<_>) =
            client.connections.drain(..).partition(|conn| super::backend_alive(c, &conn.backend));
        client.connections = alive;
        for conn in dead {
            super::close(c, conn.connection, "connection reset: pod went away");
        }
    }
    // A single-connection strategy keeps using its open connection without re-resolving.
    let single = !matches!(client.spec.strategy, Strategy::RoundRobin | Strategy::All);
    let targets: Vec<String> = if keep_alive && single && !client.connections.is_empty() {
        client.connections.iter().take(1).map(|conn| conn.dst_ip.clone()).collect()
    } else {
        let addrs = addresses(c, &mut client, &src, request);
        if addrs.is_empty() {
            client.failed += 1;
            client.last_error = Some(TrafficError::CouldNotResolve { host: client.spec.target.clone() });
            c.traffic.clients.insert(id, client);
            return;
        }
        let n = addrs.len();
        match client.spec.strategy {
            Strategy::PickFirst => addrs.into_iter().take(1).collect(),
            Strategy::Random => {
                let i = c.with_rng(|r| r.usize(..n));
                addrs.get(i).cloned().into_iter().collect()
            }
            Strategy::RoundRobin => {
                let i = (client.cursor % n as u64) as usize;
                client.cursor += 1;
                addrs.get(i).cloned().into_iter().collect()
            }
            Strategy::All => addrs,
            Strategy::LowestLatency => {
                let best = addrs.iter().min_by_key(|ip| latency_to(c, &src, ip)).cloned();
                best.into_iter().collect()
            }
        }
    };
    let mut ok = true;
    for dst in targets {
        let existing =
            if keep_alive { client.connections.iter().find(|conn| conn.dst_ip == dst).cloned() } else { None };
        if let Some(conn) = existing {
            let r = super::respond(c, request, conn.connection, &src, &conn.backend);
            client.note_served(&r.backend);
            continue;
        }
        let (connection, _, result) = super::connect(c, request, &src, &dst, client.spec.port);
        match result {
            Ok(backend) => {
                let r = super::respond(c, request, connection, &src, &backend);
                client.note_served(&r.backend);
                if keep_alive {
                    client.connections.push(OpenConnection { connection, dst_ip: dst.clone(), backend });
                } else {
                    super::close(c, connection, "request complete");
                }
            }
            Err(e) => {
                ok = false;
                super::fail(c, request, e.clone());
                client.last_error = Some(e);
                // A failed connection invalidates a cached answer only when it is re-resolved.
            }
        }
    }
    if ok {
        client.succeeded += 1;
    } else {
        client.failed += 1;
    }
    c.traffic.clients.insert(id, client);
}
