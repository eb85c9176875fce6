//! The traffic log: the request events of the [`SimEvent`] timeline grouped into one summary
//! per request, newest first, for the traffic panel's text log (the same facts the dots draw).
//!
//! A request's events are tied by its `request` id: `RequestSent`, the `DnsQueried` entries
//! of its lookup and `NameResolved` (or nothing, for an IP target), then per connection
//! attempt `ProxyDecided` (only for Service addresses: a headless Service's pod IPs go
//! straight to the pod), `ConnectionOpened`, `ResponseReceived`, or `RequestFailed`.
//! `ConnectionClosed` carries only a connection id: a close "request complete" ends a
//! per-request connection; a reset (the pod went away) happens while the client runs its
//! next request, so it belongs to the request in progress.
//!
//! Invariants: plain data out, no sentences: names, IPs, rules and enums the UI translates;
//! work is bounded by the window of the newest `limit` requests; any event order is accepted
//! (events of an unknown request are skipped), nothing panics.

use super::TrafficError;
use crate::cluster::SimEvent;
use crate::proxy::RouteDecision;
use crate::time::SimTime;
use std::collections::BTreeMap;

/// The DNS step of a request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DnsStep {
    pub name: String,
    /// Empty: the name did not resolve.
    pub addresses: Vec<String>,
    /// Answered from the client's own cache: no query went to CoreDNS.
    pub cached: bool,
    /// CoreDNS's rcode for the last query of the lookup (`NOERROR`, `NXDOMAIN`, ...);
    /// `None` when the answer came from the cache.
    pub rcode: Option<String>,
}

/// One connection attempt of a request (several for the "all" strategy).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hop {
    /// `None` for a connection attempt that left no connection event (no route to host).
    pub connection: Option<u64>,
    /// The address dialled: a Service VIP or a pod IP.
    pub dst_ip: Option<String>,
    /// kube-proxy's decision, when a rule matched the address.
    pub proxy: Option<RouteDecision>,
    /// A new TCP connection was opened by this request.
    pub opened: bool,
    /// The request went over a long-lived connection opened by an earlier request.
    pub reused: bool,
    /// Opened by this request and left open for the next ones (keep-alive).
    pub kept_open: bool,
    /// The pod that answered, `ns/name`, its address and node.
    pub pod: Option<String>,
    pub pod_ip: Option<String>,
    pub node: Option<String>,
    pub latency_ms: Option<u64>,
    pub error: Option<TrafficError>,
}

/// What happened to a long-lived connection while a request ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionNote {
    /// Reset because the pod behind it went away (deleted, restarted, not serving).
    Reset { connection: u64, pod: Option<String> },
}

/// One request, as the log prints it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestSummary {
    pub request: u64,
    pub at: SimTime,
    /// The client's pod.
    pub namespace: String,
    pub pod: String,
    pub target: String,
    pub port: i32,
    /// `None` when the target is an IP address (nothing to resolve).
    pub dns: Option<DnsStep>,
    pub hops: Vec<Hop>,
    pub notes: Vec<ConnectionNote>,
    /// The request-level error (the name did not resolve).
    pub error: Option<TrafficError>,
}

impl RequestSummary {
    /// Every connection attempt answered and nothing failed.
    pub fn succeeded(&self) -> bool {
        self.error.is_none() && !self.hops.is_empty() && self.hops.iter().all(|h| h.error.is_none() && h.pod.is_some())
    }
    /// Something failed (resolution or a connection).
    pub fn failed(&self) -> bool {
        self.error.is_some() || self.hops.iter().any(|h| h.error.is_some())
    }
}

/// The newest `limit` requests in `events`, newest first.
pub fn requests(events: &[SimEvent], limit: usize) -> Vec<RequestSummary> {
    if limit == 0 {
        return Vec::new();
    }
    // The window starts at the `limit`-th newest `RequestSent`.
    let mut start = 0;
    let mut seen = 0;
    for (i, e) in events.iter().enumerate().rev() {
        if matches!(e, SimEvent::RequestSent { .. }) {
            seen += 1;
            if seen == limit {
                start = i;
                break;
            }
        }
    }
    let mut out: Vec<RequestSummary> = Vec::new();
    let mut index: BTreeMap<u64, usize> = BTreeMap::new();
    // Connection id → (request that opened it, pod behind it), for closes.
    let mut conns: BTreeMap<u64, (u64, Option<String>)> = BTreeMap::new();
    // The last DNS rcode seen since the current request began.
    let mut rcode: Option<String> = None;
    for e in events.get(start..).unwrap_or(&[]) {
        match e {
            SimEvent::RequestSent { at, request, namespace, pod, target, port } => {
                rcode = None;
                index.insert(*request, out.len());
                out.push(RequestSummary {
                    request: *request,
                    at: *at,
                    namespace: namespace.clone(),
                    pod: pod.clone(),
                    target: target.clone(),
                    port: *port,
                    ..Default::default()
                });
            }
            SimEvent::DnsQueried { query, .. } => rcode = Some(query.rcode.as_str().to_string()),
            SimEvent::NameResolved { request, name, addresses, cached, .. } => {
                if let Some(r) = index.get(request).and_then(|i| out.get_mut(*i)) {
                    r.dns = Some(DnsStep {
                        name: name.clone(),
                        addresses: addresses.clone(),
                        cached: *cached,
                        rcode: if *cached { None } else { rcode.take() },
                    });
                }
            }
            SimEvent::ProxyDecided { request, connection, decision, .. } => {
                if let Some(r) = index.get(request).and_then(|i| out.get_mut(*i)) {
                    r.hops.push(Hop {
                        connection: Some(*connection),
                        proxy: Some(decision.clone()),
                        ..Default::default()
                    });
                }
            }
            SimEvent::ConnectionOpened { request, connection, dst_ip, backend, .. } => {
                let pod = format!("{}/{}", backend.namespace, backend.pod);
                conns.insert(*connection, (*request, Some(pod.clone())));
                if let Some(r) = index.get(request).and_then(|i| out.get_mut(*i)) {
                    let hop = hop_for(r, *connection);
                    hop.dst_ip = Some(dst_ip.clone());
                    hop.opened = true;
                    hop.kept_open = true;
                    hop.pod = Some(pod);
                    hop.pod_ip = Some(backend.ip.clone());
                    hop.node = backend.node.clone();
                }
            }
            SimEvent::ResponseReceived { request, connection, namespace, pod, latency_ms, .. } => {
                if let Some(r) = index.get(request).and_then(|i| out.get_mut(*i)) {
                    let known = r.hops.iter().any(|h| h.connection == Some(*connection));
                    let hop = hop_for(r, *connection);
                    if !known {
                        hop.reused = true;
                    }
                    hop.pod = Some(format!("{namespace}/{pod}"));
                    hop.latency_ms = Some(*latency_ms);
                }
            }
            SimEvent::RequestFailed { request, error, .. } => {
                if let Some(r) = index.get(request).and_then(|i| out.get_mut(*i)) {
                    match error {
                        TrafficError::CouldNotResolve { .. } => r.error = Some(error.clone()),
                        _ => {
                            // The attempt that has neither an answer nor an error yet: connect
                            // emits the decision (if any) before the failure.
                            match r.hops.iter_mut().rev().find(|h| h.pod.is_none() && h.error.is_none()) {
                                Some(h) => {
                                    if h.dst_ip.is_none() {
                                        h.dst_ip = error_ip(error);
                                    }
                                    h.error = Some(error.clone());
                                }
                                None => r.hops.push(Hop {
                                    dst_ip: error_ip(error),
                                    error: Some(error.clone()),
                                    ..Default::default()
                                }),
                            }
                        }
                    }
                }
            }
            SimEvent::ConnectionClosed { connection, reason, .. } => {
                let opener = conns.get(connection).cloned();
                if reason == "request complete" {
                    if let Some(r) = opener.and_then(|(req, _)| index.get(&req)).and_then(|i| out.get_mut(*i)) {
                        if let Some(h) = r.hops.iter_mut().find(|h| h.connection == Some(*connection)) {
                            h.kept_open = false;
                        }
                    }
                } else if reason.starts_with("connection reset") {
                    // Resets happen at the start of the client's next request: the newest one.
                    if let Some(r) = out.last_mut() {
                        r.notes.push(ConnectionNote::Reset { connection: *connection, pod: opener.and_then(|o| o.1) });
                    }
                }
            }
            _ => {}
        }
    }
    out.reverse();
    out
}

/// The hop of `connection` in `r`, added if the request has none yet.
fn hop_for(r: &mut RequestSummary, connection: u64) -> &mut Hop {
    let i = match r.hops.iter().position(|h| h.connection == Some(connection)) {
        Some(i) => i,
        None => {
            r.hops.push(Hop { connection: Some(connection), ..Default::default() });
            r.hops.len() - 1
        }
    };
    &mut r.hops[i]
}

fn error_ip(e: &TrafficError) -> Option<String> {
    match e {
        TrafficError::Refused { ip, .. } | TrafficError::TimedOut { ip, .. } | TrafficError::NoRoute { ip, .. } => {
            Some(ip.clone())
        }
        TrafficError::CouldNotResolve { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Deployment, Kind};
    use crate::cluster::config::ProxyMode;
    use crate::scenario::SEED_001;
    use crate::traffic::{add_client, ClientSpec, ConnectionMode, DnsCaching};
    use crate::Lab;

    /// The default scenario with its traffic clients stopped, and one client of our own.
    fn lab_with(spec: ClientSpec) -> (Lab, u64) {
        let mut lab = SEED_001.start(1);
        lab.cluster.traffic.clients.clear();
        let id = add_client(&mut lab.cluster, spec);
        (lab, id)
    }

    fn newest(lab: &Lab, n: usize) -> Vec<RequestSummary> {
        requests(&lab.cluster.log, n)
    }

    fn vip(lab: &Lab) -> String {
        lab.cluster
            .get::<crate::api::Service>("default", "normal-service")
            .and_then(|s| s.spec.cluster_ip.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_clusterip_request_resolves_then_goes_through_kube_proxy_to_a_pod() {
        let (mut lab, _) = lab_with(ClientSpec::new("default", "client", "normal-service", 80));
        lab.cluster.advance(100);
        let log = newest(&lab, 10);
        assert_eq!(log.len(), 1, "{log:#?}");
        let r = &log[0];
        assert_eq!(
            (r.namespace.as_str(), r.pod.as_str(), r.target.as_str(), r.port),
            ("default", "client", "normal-service", 80)
        );
        let dns = r.dns.clone().unwrap_or_default();
        assert_eq!(dns.addresses, vec![vip(&lab)]);
        assert!(!dns.cached);
        assert_eq!(dns.rcode.as_deref(), Some("NOERROR"));
        assert_eq!(r.hops.len(), 1);
        let h = &r.hops[0];
        assert_eq!(h.dst_ip.as_deref(), Some(vip(&lab).as_str()));
        let d = h.proxy.clone().expect("kube-proxy decided");
        assert_eq!(d.mode, ProxyMode::Iptables);
        assert!(d.chains.iter().any(|c| c.starts_with("KUBE-SEP-")), "{:?}", d.chains);
        assert!(h.pod.as_deref().is_some_and(|p| p.starts_with("default/api-deployment-")), "{h:?}");
        assert!(h.pod_ip.as_deref().is_some_and(|ip| ip.starts_with("10.244.")), "{h:?}");
        assert!(h.latency_ms.is_some() && h.opened && !h.kept_open && !h.reused);
        assert!(r.succeeded() && !r.failed());
    }

    #[test]
    fn a_headless_request_goes_straight_to_a_pod_without_kube_proxy() {
        let (mut lab, _) = lab_with(ClientSpec::new("default", "client", "headless-service", 3000));
        lab.cluster.advance(100);
        let r = newest(&lab, 1).remove(0);
        assert_eq!(r.dns.as_ref().map(|d| d.addresses.len()), Some(5));
        assert_eq!(r.hops.len(), 1);
        assert!(r.hops[0].proxy.is_none(), "{r:#?}");
        assert_eq!(r.hops[0].dst_ip, r.hops[0].pod_ip, "dialled the pod IP itself");
        assert!(r.succeeded());
    }

    #[test]
    fn a_cached_answer_is_marked_and_has_no_rcode() {
        let (mut lab, _) = lab_with(ClientSpec::new("default", "client", "headless-service", 3000));
        lab.cluster.advance(1_100);
        let log = newest(&lab, 10);
        assert_eq!(log.len(), 2, "newest first: {log:#?}");
        assert!(log[0].request > log[1].request);
        assert!(log[0].dns.as_ref().is_some_and(|d| d.cached && d.rcode.is_none()));
        assert!(log[1].dns.as_ref().is_some_and(|d| !d.cached));
    }

    #[test]
    fn scaled_to_zero_the_clusterip_is_rejected_and_the_headless_name_does_not_resolve() {
        let mut lab = SEED_001.start(1);
        lab.cluster.traffic.clients.clear();
        if let Some(d) = lab.cluster.get_mut::<Deployment>("default", "api-deployment") {
            d.spec.replicas = 0;
            d.metadata.generation += 1;
        }
        lab.cluster.advance(40_000);
        let mut spec = ClientSpec::new("default", "client", "headless-service", 3000);
        spec.dns = DnsCaching::NoCache;
        add_client(&mut lab.cluster, ClientSpec::new("default", "client", "normal-service", 80));
        add_client(&mut lab.cluster, spec);
        lab.cluster.advance(100);
        let log = newest(&lab, 2);
        let normal = log.iter().find(|r| r.target == "normal-service").expect("normal");
        let hop = normal.hops.first().expect("one attempt");
        assert!(matches!(hop.error, Some(TrafficError::Refused { .. })), "{normal:#?}");
        let d = hop.proxy.clone().expect("kube-proxy decided");
        assert_eq!(d.verdict, crate::proxy::Verdict::Reject);
        assert!(d.rule.contains("has no endpoints") && d.rule.contains("-j REJECT"), "{}", d.rule);
        assert!(normal.failed() && !normal.succeeded());
        let headless = log.iter().find(|r| r.target == "headless-service").expect("headless");
        assert!(headless.hops.is_empty());
        assert!(matches!(headless.error, Some(TrafficError::CouldNotResolve { .. })));
        let dns = headless.dns.clone().unwrap_or_default();
        assert!(dns.addresses.is_empty());
        assert_eq!(dns.rcode.as_deref(), Some("NXDOMAIN"), "{dns:?}");
    }

    #[test]
    fn an_unknown_name_is_nxdomain() {
        let (mut lab, _) = lab_with(ClientSpec::new("default", "client", "no-such-service", 80));
        lab.cluster.advance(100);
        let r = newest(&lab, 1).remove(0);
        assert_eq!(r.dns.as_ref().and_then(|d| d.rcode.as_deref()), Some("NXDOMAIN"));
        assert_eq!(r.error, Some(TrafficError::CouldNotResolve { host: "no-such-service".into() }));
    }

    #[test]
    fn keep_alive_reuses_its_connection_and_a_deleted_pod_resets_it() {
        let mut spec = ClientSpec::new("default", "client", "headless-service", 3000);
        spec.connection = ConnectionMode::KeepAlive;
        // No cache: after the reset the client re-resolves (a cached answer would dial the
        // gone pod's IP: no route to host, as a stale cache does).
        spec.dns = DnsCaching::NoCache;
        let (mut lab, _) = lab_with(spec);
        lab.cluster.advance(2_100);
        let log = newest(&lab, 3);
        assert_eq!(log.len(), 3);
        let first = &log[2];
        assert!(first.hops[0].opened && first.hops[0].kept_open, "{first:#?}");
        let pod = first.hops[0].pod.clone().unwrap_or_default();
        for r in &log[..2] {
            assert!(r.hops[0].reused && !r.hops[0].opened, "{r:#?}");
            assert_eq!(r.hops[0].pod.as_deref(), Some(pod.as_str()));
            assert!(r.dns.is_none(), "a single open connection needs no lookup");
        }
        let (ns, name) = pod.split_once('/').unwrap_or_default();
        crate::controllers::delete_object(&mut lab.cluster, Kind::Pod, ns, name, Some(0));
        lab.cluster.advance(1_000);
        let log = newest(&lab, 5);
        let reset = log.iter().find(|r| !r.notes.is_empty()).expect("a request saw the reset");
        assert!(matches!(&reset.notes[0], ConnectionNote::Reset { pod: Some(p), .. } if *p == pod), "{reset:#?}");
        assert!(reset.hops[0].opened && reset.hops[0].pod.as_deref() != Some(pod.as_str()), "{reset:#?}");
    }

    #[test]
    fn the_all_strategy_fans_one_request_out_to_every_pod() {
        let mut spec = ClientSpec::new("default", "client", "headless-service", 3000);
        spec.strategy = crate::traffic::Strategy::All;
        let (mut lab, _) = lab_with(spec);
        lab.cluster.advance(100);
        let r = newest(&lab, 1).remove(0);
        assert_eq!(r.hops.len(), 5, "{r:#?}");
        let mut pods: Vec<String> = r.hops.iter().filter_map(|h| h.pod.clone()).collect();
        pods.sort();
        pods.dedup();
        assert_eq!(pods.len(), 5, "five different pods answered: {pods:?}");
        assert!(r.succeeded());
    }

    #[test]
    fn the_window_is_bounded_and_any_event_order_is_accepted() {
        let (mut lab, _) = lab_with(ClientSpec::new("default", "client", "normal-service", 80));
        lab.cluster.advance(10_000);
        assert_eq!(newest(&lab, 4).len(), 4);
        assert!(newest(&lab, 0).is_empty());
        let mut shuffled = lab.cluster.log.clone();
        shuffled.reverse();
        let _ = requests(&shuffled, 40);
        let orphan: Vec<SimEvent> =
            lab.cluster.log.iter().filter(|e| !matches!(e, SimEvent::RequestSent { .. })).cloned().collect();
        assert!(requests(&orphan, 40).is_empty());
    }
}
