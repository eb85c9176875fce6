//! Flights: the visual path of each recent request, as data, for the cluster view's dots.
//!
//! A request is a run of [`SimEvent`]s tied by its request id (`RequestSent`, `NameResolved`,
//! `ProxyDecided`, `ConnectionOpened`, `ResponseReceived` / `RequestFailed`). [`flights`]
//! turns the newest of them into [`Flight`]s: the legs a packet travels, in order. For a
//! ClusterIP Service: client → CoreDNS (the query), CoreDNS → client (the answer: the VIP),
//! client → Service (the VIP, where kube-proxy's rules DNAT), Service → pod, pod → client.
//! For a headless Service DNS answers pod IPs, so the request goes client → pod directly.
//! An answer from the client's own DNS cache asks nobody: no DNS legs. A failure ends the
//! flight at the leg where it happens: NXDOMAIN after the DNS answer, kube-proxy's REJECT
//! (no ready endpoint: "connection refused") or DROP at the Service, a stale address that
//! no pod holds any more at that [`Place::Address`].
//!
//! In the simulation a whole request happens within one 100 ms tick (its events share one
//! `at`); real packets take well under a millisecond. The dots are a picture of that instant,
//! slowed down: the legs play one after another from `at`, each [`LEG_MS`] of *simulated*
//! time long, so [`Flight::dot_at`] is a pure function of simulated time: pausing freezes
//! the dots, 5× speed plays them 5× faster, and nothing depends on the frame rate.
//!
//! Invariants: reads the log and the store only; scans only the newest events (it stops at
//! the first event older than the longest flight) and returns at most [`MAX_FLIGHTS`]
//! flights, newest first, so the cost per frame is bounded however long the log grows.

use super::TrafficError;
use crate::api::Pod;
use crate::cluster::{Cluster, SimEvent};
use crate::proxy::Verdict;
use crate::time::SimTime;
use std::collections::BTreeMap;

/// Simulated milliseconds one leg takes on screen.
pub const LEG_MS: u64 = 120;
/// A failed flight's dot stays at the failing place this long, so its label can be read.
pub const FAIL_HOLD_MS: u64 = 2 * LEG_MS;
/// At most this many legs per flight (a client that fans out to every answer would
/// otherwise draw a very long flight; the event log still has every connection).
pub const MAX_LEGS: usize = 12;
/// At most this many flights are returned (the newest).
pub const MAX_FLIGHTS: usize = 40;
/// The longest a flight can be on screen: older requests are not scanned.
pub const WINDOW_MS: u64 = MAX_LEGS as u64 * LEG_MS + FAIL_HOLD_MS;

/// A place a dot travels between.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// A pod (namespace, name).
    Pod(String, String),
    /// A Service's box, where its virtual IP is (namespace, name).
    Service(String, String),
    /// CoreDNS, behind kube-dns's ClusterIP.
    CoreDns,
    /// An address no pod holds (a stale DNS answer, an address outside the cluster).
    Address(String),
}

/// What travels along a leg.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegKind {
    DnsQuery,
    DnsAnswer,
    Request,
    Response,
}

/// One hop of a flight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leg {
    pub from: Place,
    pub to: Place,
    pub kind: LegKind,
}

/// How the request ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The pod (namespace, name) that answered (the last one, for a fan-out).
    Served { pod: (String, String) },
    /// Failed at the end of leg `at_leg` (an index into `legs`).
    Failed { error: TrafficError, at_leg: usize },
    /// Neither yet (only a request whose events were cut off by the scan).
    Unknown,
}

/// One request's visual path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flight {
    pub request: u64,
    /// When the request happened: its first leg starts here.
    pub at: SimTime,
    /// The pod that sent it (namespace, name).
    pub client: (String, String),
    /// What the client asked for (`normal-service`, an IP).
    pub target: String,
    pub legs: Vec<Leg>,
    pub outcome: Outcome,
}

impl Flight {
    pub fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed { .. })
    }

    /// How long the flight is on screen, in simulated ms.
    pub fn duration_ms(&self) -> u64 {
        self.legs.len() as u64 * LEG_MS + if self.failed() { FAIL_HOLD_MS } else { 0 }
    }

    /// Where the dot is at simulated time `t_ms` (which may include the fraction of a tick
    /// not yet run): the leg it is on and how far along it (0..=1); `None` before the
    /// request and after the flight.
    pub fn dot_at(&self, t_ms: f64) -> Option<(usize, f64)> {
        let start = self.at.millis() as f64;
        if self.legs.is_empty() || t_ms < start {
            return None;
        }
        let since = t_ms - start;
        if since >= self.duration_ms() as f64 {
            return None;
        }
        let leg = (since / LEG_MS as f64).floor() as usize;
        if leg >= self.legs.len() {
            // A failed flight holding at its failing place.
            return Some((self.legs.len() - 1, 1.0));
        }
        Some((leg, (since - leg as f64 * LEG_MS as f64) / LEG_MS as f64))
    }
}

/// The pod that holds `ip` now, if any.
fn pod_at(c: &Cluster, ip: &str) -> Option<(String, String)> {
    c.list::<Pod>(None)
        .find(|p| p.status.pod_ip.as_deref() == Some(ip) || p.status.pod_ips.iter().any(|i| i == ip))
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
}

/// `ns/svc:port` (a [`crate::proxy::RouteDecision`]'s `service`) → the Service's place.
fn service_place(s: &str) -> Option<Place> {
    let (ns, rest) = s.split_once('/')?;
    let name = rest.split(':').next().unwrap_or(rest);
    Some(Place::Service(ns.to_string(), name.to_string()))
}

/// The address a failure names.
fn error_ip(e: &TrafficError) -> Option<&str> {
    match e {
        TrafficError::CouldNotResolve { .. } => None,
        TrafficError::Refused { ip, .. } | TrafficError::TimedOut { ip, .. } | TrafficError::NoRoute { ip, .. } => {
            Some(ip)
        }
    }
}

/// Build one flight from its events, oldest first (the first is `RequestSent`).
fn build(c: &Cluster, events: &[&SimEvent]) -> Option<Flight> {
    let (at, request, client, target) = match events.first()? {
        SimEvent::RequestSent { at, request, namespace, pod, target, .. } => {
            (*at, *request, (namespace.clone(), pod.clone()), target.clone())
        }
        _ => return None,
    };
    let me = Place::Pod(client.0.clone(), client.1.clone());
    let mut legs: Vec<Leg> = Vec::new();
    let mut outcome = Outcome::Unknown;
    // Where the current connection's packet is: at the Service box after kube-proxy matched it.
    let mut at_service: Option<Place> = None;
    let push = |legs: &mut Vec<Leg>, from: Place, to: Place, kind: LegKind| {
        if legs.len() < MAX_LEGS {
            legs.push(Leg { from, to, kind });
        }
    };
    for e in &events[1..] {
        match e {
            SimEvent::NameResolved { cached: false, .. } => {
                push(&mut legs, me.clone(), Place::CoreDns, LegKind::DnsQuery);
                push(&mut legs, Place::CoreDns, me.clone(), LegKind::DnsAnswer);
            }
            SimEvent::ProxyDecided { decision, .. } => {
                let Some(svc) = decision.service.as_deref().and_then(service_place) else { continue };
                push(&mut legs, me.clone(), svc.clone(), LegKind::Request);
                if let Verdict::Dnat { ip, pod, .. } = &decision.verdict {
                    let to = match pod {
                        Some((ns, name)) => Place::Pod(ns.clone(), name.clone()),
                        None => pod_at(c, ip).map(|(ns, n)| Place::Pod(ns, n)).unwrap_or(Place::Address(ip.clone())),
                    };
                    push(&mut legs, svc.clone(), to, LegKind::Request);
                }
                at_service = Some(svc);
            }
            SimEvent::ConnectionOpened { backend, .. } => {
                let pod = Place::Pod(backend.namespace.clone(), backend.pod.clone());
                if at_service.take().is_none() {
                    push(&mut legs, me.clone(), pod, LegKind::Request);
                }
            }
            SimEvent::ResponseReceived { namespace, pod, .. } => {
                let from = Place::Pod(namespace.clone(), pod.clone());
                // A reused keep-alive connection opens nothing in this request: draw the request too.
                if legs.last().is_none_or(|l| l.to != from || l.kind != LegKind::Request) {
                    push(&mut legs, me.clone(), from.clone(), LegKind::Request);
                }
                push(&mut legs, from, me.clone(), LegKind::Response);
                outcome = Outcome::Served { pod: (namespace.clone(), pod.clone()) };
            }
            SimEvent::RequestFailed { error, .. } => {
                match (at_service.take(), error_ip(error)) {
                    // REJECT / DROP: the client→Service leg is the last one. A DNAT to a pod
                    // that refuses: the Service→pod leg is.
                    (Some(_), _) => {}
                    (None, Some(ip)) => {
                        let to = pod_at(c, ip).map(|(ns, n)| Place::Pod(ns, n)).unwrap_or(Place::Address(ip.into()));
                        push(&mut legs, me.clone(), to, LegKind::Request);
                    }
                    // NXDOMAIN: fails at the client, once the answer is back.
                    (None, None) => {}
                }
                if legs.is_empty() {
                    return None;
                }
                outcome = Outcome::Failed { error: error.clone(), at_leg: legs.len() - 1 };
                break;
            }
            _ => {}
        }
    }
    Some(Flight { request, at, client, target, legs, outcome })
}

/// The flights of the newest requests still on screen at `c.now` (those within
/// [`WINDOW_MS`]), newest first, at most [`MAX_FLIGHTS`].
pub fn flights(c: &Cluster) -> Vec<Flight> {
    let cutoff = c.now.millis().saturating_sub(WINDOW_MS);
    let mut by_request: BTreeMap<u64, Vec<&SimEvent>> = BTreeMap::new();
    let mut order: Vec<u64> = Vec::new();
    for e in c.log.iter().rev() {
        if at_of(e).is_some_and(|at| at.millis() < cutoff) {
            break;
        }
        let Some(id) = request_of(e) else { continue };
        if !order.contains(&id) && !by_request.contains_key(&id) {
            if order.len() >= MAX_FLIGHTS {
                break;
            }
            order.push(id);
        }
        by_request.entry(id).or_default().push(e);
    }
    order
        .into_iter()
        .filter_map(|id| {
            let mut evs = by_request.remove(&id)?;
            evs.reverse();
            build(c, &evs)
        })
        .collect()
}

fn request_of(e: &SimEvent) -> Option<u64> {
    match e {
        SimEvent::RequestSent { request, .. }
        | SimEvent::NameResolved { request, .. }
        | SimEvent::ProxyDecided { request, .. }
        | SimEvent::ConnectionOpened { request, .. }
        | SimEvent::ResponseReceived { request, .. }
        | SimEvent::RequestFailed { request, .. } => Some(*request),
        _ => None,
    }
}

/// When an event happened (`None` only for a variant this module does not know yet).
fn at_of(e: &SimEvent) -> Option<SimTime> {
    match e {
        SimEvent::ObjectApplied { at, .. }
        | SimEvent::ObjectDeleted { at, .. }
        | SimEvent::PodScheduled { at, .. }
        | SimEvent::PodBecameReady { at, .. }
        | SimEvent::PodBecameNotReady { at, .. }
        | SimEvent::PodTerminated { at, .. }
        | SimEvent::EndpointSliceChanged { at, .. }
        | SimEvent::DnsQueried { at, .. }
        | SimEvent::RequestSent { at, .. }
        | SimEvent::NameResolved { at, .. }
        | SimEvent::ProxyDecided { at, .. }
        | SimEvent::ConnectionOpened { at, .. }
        | SimEvent::ConnectionClosed { at, .. }
        | SimEvent::ResponseReceived { at, .. }
        | SimEvent::RequestFailed { at, .. } => Some(*at),
        // Events added later to the timeline: not a reason to stop scanning.
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// The newest finished flight of each client pod and target: what reduced motion shows as a
/// static highlight (the pod that served it, or a red marker where it failed).
pub fn latest_per_client(flights: &[Flight]) -> Vec<&Flight> {
    let mut seen: Vec<(&(String, String), &str)> = Vec::new();
    let mut out = Vec::new();
    for f in flights {
        if matches!(f.outcome, Outcome::Unknown) {
            continue;
        }
        let key = (&f.client, f.target.as_str());
        if !seen.contains(&key) {
            seen.push(key);
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::SEED_001;
    use crate::Lab;

    /// The default scenario with its two clients (normal-service:80, headless-service:3000).
    fn lab() -> Lab {
        let mut lab = SEED_001.start(7);
        SEED_001.start_traffic(&mut lab);
        lab
    }

    fn newest<'a>(fs: &'a [Flight], target: &str) -> &'a Flight {
        fs.iter().find(|f| f.target == target).unwrap_or_else(|| panic!("no flight to {target} in {fs:#?}"))
    }

    fn kinds(f: &Flight) -> Vec<LegKind> {
        f.legs.iter().map(|l| l.kind).collect()
    }

    fn client() -> Place {
        Place::Pod("default".into(), "client".into())
    }

    #[test]
    fn clusterip_request_goes_through_coredns_then_the_service_to_a_pod() {
        let mut lab = lab();
        lab.cluster.advance(100);
        let fs = flights(&lab.cluster);
        let f = newest(&fs, "normal-service");
        use LegKind::*;
        assert_eq!(kinds(f), [DnsQuery, DnsAnswer, Request, Request, Response]);
        assert_eq!(f.legs[0].from, client());
        assert_eq!(f.legs[0].to, Place::CoreDns);
        assert_eq!(f.legs[1].to, client());
        assert_eq!(f.legs[2].to, Place::Service("default".into(), "normal-service".into()));
        let Outcome::Served { pod } = &f.outcome else { panic!("{f:#?}") };
        assert!(pod.1.starts_with("api-deployment-"), "{pod:?}");
        assert_eq!(f.legs[3].to, Place::Pod(pod.0.clone(), pod.1.clone()));
        assert_eq!(f.legs[4].from, f.legs[3].to);
        assert_eq!(f.legs[4].to, client());
    }

    #[test]
    fn headless_request_goes_straight_to_a_pod() {
        let mut lab = lab();
        lab.cluster.advance(100);
        let fs = flights(&lab.cluster);
        let f = newest(&fs, "headless-service");
        use LegKind::*;
        assert_eq!(kinds(f), [DnsQuery, DnsAnswer, Request, Response]);
        let Outcome::Served { pod } = &f.outcome else { panic!("{f:#?}") };
        assert_eq!(f.legs[2].from, client());
        assert_eq!(f.legs[2].to, Place::Pod(pod.0.clone(), pod.1.clone()));
        assert!(!f.legs.iter().any(|l| matches!(l.to, Place::Service(..))), "{f:#?}");
    }

    #[test]
    fn a_cached_answer_skips_the_dns_legs() {
        let mut lab = lab();
        // The first request resolves (30 s TTL), the next one a second later uses the cache.
        lab.cluster.advance(1100);
        let fs = flights(&lab.cluster);
        let f = newest(&fs, "normal-service");
        use LegKind::*;
        assert_eq!(kinds(f), [Request, Request, Response], "{f:#?}");
        assert_eq!(f.legs[0].from, client());
    }

    #[test]
    fn scaled_to_zero_the_clusterip_request_is_refused_at_the_service() {
        let mut lab = lab();
        lab.cluster.advance(100);
        lab.input("kubectl scale deployment api-deployment --replicas=0");
        lab.cluster.advance(40_000); // pods gone, slices empty, caches expired
        let fs = flights(&lab.cluster);
        let f = newest(&fs, "normal-service");
        let Outcome::Failed { error, at_leg } = &f.outcome else { panic!("{f:#?}") };
        assert!(matches!(error, TrafficError::Refused { .. }), "{error:?}");
        assert_eq!(f.legs[*at_leg].to, Place::Service("default".into(), "normal-service".into()));
        assert_eq!(*at_leg, f.legs.len() - 1);
    }

    #[test]
    fn a_name_that_does_not_resolve_fails_after_the_dns_answer() {
        let mut lab = lab();
        lab.cluster.advance(100);
        lab.input("kubectl delete service headless-service");
        lab.cluster.advance(40_000);
        let fs = flights(&lab.cluster);
        let f = newest(&fs, "headless-service");
        use LegKind::*;
        assert_eq!(kinds(f), [DnsQuery, DnsAnswer], "{f:#?}");
        assert!(matches!(f.outcome, Outcome::Failed { error: TrafficError::CouldNotResolve { .. }, at_leg: 1 }));
    }

    #[test]
    fn a_stale_cached_address_fails_at_that_address() {
        let mut lab = lab();
        lab.cluster.advance(100);
        // The headless client caches pod IPs for 30 s: remove every pod at once before that
        // runs out: the cached IPs now belong to no pod.
        lab.input("kubectl scale deployment api-deployment --replicas=0");
        lab.input("kubectl delete pods -l app=api --grace-period=0 --force");
        lab.cluster.advance(2_000);
        let fs = flights(&lab.cluster);
        let f = newest(&fs, "headless-service");
        let Outcome::Failed { error, at_leg } = &f.outcome else { panic!("{f:#?}") };
        assert!(matches!(error, TrafficError::NoRoute { .. }), "{error:?}");
        assert!(matches!(f.legs[*at_leg].to, Place::Address(_)), "{f:#?}");
    }

    #[test]
    fn the_dot_is_a_function_of_simulated_time() {
        let mut lab = lab();
        lab.cluster.advance(100);
        let fs = flights(&lab.cluster);
        let f = newest(&fs, "normal-service");
        let t0 = f.at.millis() as f64;
        assert_eq!(f.dot_at(t0 - 1.0), None);
        assert_eq!(f.dot_at(t0), Some((0, 0.0)));
        assert_eq!(f.dot_at(t0 + LEG_MS as f64 * 2.5), Some((2, 0.5)));
        assert_eq!(f.dot_at(t0 + f.duration_ms() as f64), None);
        assert_eq!(f.duration_ms(), 5 * LEG_MS);
    }

    #[test]
    fn a_failed_dot_holds_at_the_failing_place() {
        let f = Flight {
            request: 1,
            at: SimTime(1000),
            client: ("default".into(), "client".into()),
            target: "x".into(),
            legs: vec![Leg { from: client(), to: Place::CoreDns, kind: LegKind::DnsQuery }],
            outcome: Outcome::Failed { error: TrafficError::CouldNotResolve { host: "x".into() }, at_leg: 0 },
        };
        assert_eq!(f.dot_at(1000.0 + LEG_MS as f64 + 1.0), Some((0, 1.0)));
        assert_eq!(f.dot_at(1000.0 + (LEG_MS + FAIL_HOLD_MS) as f64), None);
    }

    #[test]
    fn only_recent_requests_are_drawn_and_at_most_the_cap() {
        let mut lab = lab();
        lab.cluster.advance(10_000);
        let fs = flights(&lab.cluster);
        let now = lab.cluster.now.millis();
        assert!(fs.iter().all(|f| f.at.millis() + WINDOW_MS >= now), "{fs:#?}");
        assert!(!fs.is_empty());
        // Newest first.
        assert!(fs.windows(2).all(|w| w[0].request > w[1].request));
        for _ in 0..60 {
            lab.exec("default", "client", "wget -q -O - normal-service");
        }
        assert_eq!(flights(&lab.cluster).len(), MAX_FLIGHTS);
    }

    #[test]
    fn the_same_seed_gives_the_same_flights() {
        let run = || {
            let mut lab = lab();
            lab.cluster.advance(3_300);
            flights(&lab.cluster)
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn reduced_motion_keeps_the_newest_outcome_of_each_client() {
        let mut lab = lab();
        lab.cluster.advance(100);
        let fs = flights(&lab.cluster);
        let latest = latest_per_client(&fs);
        assert_eq!(latest.len(), 2, "{latest:#?}");
    }
}
