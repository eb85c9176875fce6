//! The simulated cluster: the API server's object store, simulated time, the seeded RNG, and
//! the controllers that run when time advances. Everything the UI and the terminal show is
//! read from here; everything they change goes through [`Cluster::apply`], the typed
//! mutators, or [`Cluster::advance`].
//!
//! Invariants: iteration order is the `BTreeMap` key order (kind, namespace, name), so the
//! same seed and the same commands give the same state on every platform; nothing here
//! reads a clock or the OS's randomness.

pub mod config;
mod events;
mod store;

pub use config::ClusterConfig;
pub use events::{KubeEvent, SimEvent};
pub use store::{ObjKey, Resource};

use crate::api::*;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Length of one controller step. Controllers are level-triggered, as in Kubernetes: each
/// step they compare desired and observed state and act.
pub const TICK_MS: u64 = 100;

/// The timeline ([`Cluster::log`]) keeps at least this many of the newest events. Every DNS
/// query and every traffic request appends a few, so a classroom session with clients running
/// would otherwise grow without bound; the UI reads only the newest few hundred.
pub const LOG_KEEP: usize = 5_000;

/// How long `kubectl get events` keeps an event after it last happened: the API server's
/// `--event-ttl` default (1h).
pub const EVENT_TTL_MS: u64 = 60 * 60 * 1000;

/// Drop the oldest entries of `list` once it holds twice `keep`, leaving the newest `keep`:
/// amortised O(1) per push, and the list stays a plain `Vec` (slices for readers).
pub fn trim_oldest<T>(list: &mut Vec<T>, keep: usize) {
    if list.len() > 2 * keep {
        let excess = list.len() - keep;
        list.drain(..excess);
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cluster {
    pub config: ClusterConfig,
    pub now: SimTime,
    /// The seeded generator's state (fastrand's `Rng` is rebuilt from it on each use so the
    /// cluster stays plain data and serializes).
    rng_state: u64,
    /// Serialized as a list of objects (JSON maps need string keys); keys are rebuilt on load.
    #[serde(with = "objects_as_list")]
    objects: BTreeMap<ObjKey, Object>,
    /// `kubectl get events`.
    pub kube_events: Vec<KubeEvent>,
    /// Everything that happened, past tense, for the UI's timeline and log: the newest
    /// [`LOG_KEEP`] events at least, oldest first.
    pub log: Vec<SimEvent>,
    next_uid: u64,
    resource_version: u64,
    /// Per-controller private state (pod-IP cursors, backoff timers, ...).
    pub ctl: crate::controllers::ControllerState,
    /// kube-proxy's kernel-side state: session affinity, IPVS round robin (spec §6).
    #[serde(default)]
    pub proxy: crate::proxy::ProxyState,
    /// Requests, hit counters and the client programs running in pods.
    #[serde(default)]
    pub traffic: crate::traffic::TrafficState,
    /// CoreDNS's running configuration and log (see `dns::reload`).
    #[serde(default)]
    pub dns: crate::dns::DnsState,
}

impl Cluster {
    /// A new cluster as `kind create cluster` leaves it: nodes, the default namespaces, the
    /// `kubernetes` and `kube-dns` Services, CoreDNS and kube-proxy in `kube-system`.
    pub fn new(config: ClusterConfig, seed: u64) -> Self {
        let mut c = Cluster {
            config,
            now: SimTime::ZERO,
            rng_state: seed ^ 0x5eed_1ab5_c0de_0001,
            objects: BTreeMap::new(),
            kube_events: Vec::new(),
            log: Vec::new(),
            next_uid: 1,
            resource_version: 1,
            ctl: Default::default(),
            proxy: Default::default(),
            traffic: Default::default(),
            dns: Default::default(),
        };
        crate::controllers::bootstrap(&mut c);
        c
    }

    // ---------------------------------------------------------------------------------------
    // Randomness (seeded, inside the simulation)

    /// Run `f` with the cluster's seeded generator.
    pub fn with_rng<T>(&mut self, f: impl FnOnce(&mut fastrand::Rng) -> T) -> T {
        let mut rng = fastrand::Rng::with_seed(self.rng_state);
        let out = f(&mut rng);
        self.rng_state = rng.u64(..);
        out
    }

    /// Run `f` as an observer outside the simulation: the timeline, CoreDNS's log, the events
    /// and the RNG are as before afterwards, so what the UI looks at (its pinned `nslookup`
    /// answers) neither appears in the logs nor changes what happens next — a run is the
    /// same whatever the learner happened to look at. `f` must not write API objects.
    pub fn observe<T>(&mut self, f: impl FnOnce(&mut Cluster) -> T) -> T {
        let log = std::mem::take(&mut self.log);
        let dns_log = std::mem::take(&mut self.dns.log);
        // A query reloads an edited Corefile: that reload belongs to the run, not to the look.
        let (dns_active, dns_failed) = (self.dns.active.clone(), self.dns.failed.clone());
        let events = std::mem::take(&mut self.kube_events);
        let rng = self.rng_state;
        let out = f(self);
        self.log = log;
        self.dns.log = dns_log;
        self.dns.active = dns_active;
        self.dns.failed = dns_failed;
        self.kube_events = events;
        self.rng_state = rng;
        out
    }

    /// A fresh UID, shaped like the API server's (random v4-style UUID from the seeded RNG).
    pub fn new_uid(&mut self) -> String {
        self.next_uid += 1;
        let (a, b) = self.with_rng(|r| (r.u64(..), r.u64(..)));
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            (a >> 32) as u32,
            (a >> 16) as u16,
            (a as u16) & 0x0fff,
            0x8000 | ((b >> 48) as u16 & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }

    // ---------------------------------------------------------------------------------------
    // The store

    pub fn get<T: Resource>(&self, namespace: &str, name: &str) -> Option<&T> {
        self.objects.get(&ObjKey::new(T::KIND, namespace, name)).and_then(T::from_object)
    }

    pub fn get_mut<T: Resource>(&mut self, namespace: &str, name: &str) -> Option<&mut T> {
        self.resource_version += 1;
        let rv = self.resource_version;
        let obj = self.objects.get_mut(&ObjKey::new(T::KIND, namespace, name))?;
        obj.meta_mut().resource_version = rv;
        T::from_object_mut(obj)
    }

    pub fn get_object(&self, key: &ObjKey) -> Option<&Object> {
        self.objects.get(key)
    }

    /// All objects of a kind, in namespace (`None`: all namespaces), by name.
    pub fn list<T: Resource>(&self, namespace: Option<&str>) -> impl Iterator<Item = &T> + '_ {
        let ns = namespace.map(str::to_string);
        self.objects
            .range(ObjKey::kind_range(T::KIND))
            .filter(move |(k, _)| ns.as_deref().is_none_or(|n| k.namespace == n))
            .filter_map(|(_, o)| T::from_object(o))
    }

    /// Names of all objects of a kind in a namespace (for mutation loops that can't borrow).
    pub fn names<T: Resource>(&self, namespace: Option<&str>) -> Vec<(String, String)> {
        self.list::<T>(namespace).map(|o| (o.meta().namespace.clone(), o.meta().name.clone())).collect()
    }

    pub fn objects(&self) -> impl Iterator<Item = &Object> + '_ {
        self.objects.values()
    }

    /// Store an object as the API server would on create or update: namespace defaulted by
    /// the caller, a uid and creation time on first write, resourceVersion bumped.
    pub fn put(&mut self, mut obj: Object) -> &Object {
        let key = ObjKey::of(&obj);
        self.resource_version += 1;
        let rv = self.resource_version;
        let existing =
            self.objects.get(&key).map(|o| (o.meta().uid.clone(), o.meta().creation_timestamp, o.meta().generation));
        {
            let now = self.now;
            let needs_uid = existing.is_none() && obj.meta().uid.is_empty();
            let uid = if needs_uid { Some(self.new_uid()) } else { None };
            let m = obj.meta_mut();
            m.resource_version = rv;
            match existing {
                Some((uid, created, generation)) => {
                    m.uid = uid;
                    m.creation_timestamp = created;
                    // The stored generation, unless the writer moved it on (a spec change).
                    m.generation = m.generation.max(generation).max(1);
                }
                None => {
                    if let Some(uid) = uid {
                        m.uid = uid;
                    }
                    m.creation_timestamp = now;
                    m.generation = 1;
                }
            }
        }
        self.objects.insert(key.clone(), obj);
        &self.objects[&key]
    }

    /// Remove an object at once (after any grace period has been handled by the caller).
    pub fn remove(&mut self, key: &ObjKey) -> Option<Object> {
        self.resource_version += 1;
        self.objects.remove(key)
    }

    /// The store's resourceVersion: bumped by every write, so a controller that depends only
    /// on the store can skip a pass when it has not moved.
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    pub fn exists(&self, key: &ObjKey) -> bool {
        self.objects.contains_key(key)
    }

    pub fn namespace_exists(&self, ns: &str) -> bool {
        self.exists(&ObjKey::new(Kind::Namespace, "", ns))
    }

    // ---------------------------------------------------------------------------------------
    // Time

    /// Advance simulated time by `ms`, running the controllers every [`TICK_MS`].
    pub fn advance(&mut self, ms: u64) {
        let end = self.now.plus_millis(ms);
        crate::controllers::reconcile(self);
        while self.now < end {
            let step = TICK_MS.min(end.since(self.now));
            self.now = self.now.plus_millis(step);
            crate::controllers::reconcile(self);
            crate::traffic::tick(self);
        }
    }

    /// Run the controllers once without moving time (after a command).
    pub fn settle(&mut self) {
        crate::controllers::reconcile(self);
    }

    /// Record a `kubectl get events` entry and the matching timeline entry.
    pub fn record(&mut self, kind: Kind, namespace: &str, name: &str, type_: &str, reason: &str, message: String) {
        let now = self.now;
        if let Some(e) = self.kube_events.iter_mut().rev().take(20).find(|e| {
            e.kind == kind && e.name == name && e.namespace == namespace && e.reason == reason && e.message == message
        }) {
            e.count += 1;
            e.last = now;
            return;
        }
        // The API server deletes events an hour after their last occurrence (`--event-ttl`);
        // readers skip expired ones ([`Cluster::events`]), this keeps the list bounded.
        if self.kube_events.iter().any(|e| now.since(e.last) > EVENT_TTL_MS) {
            self.kube_events.retain(|e| now.since(e.last) <= EVENT_TTL_MS);
        }
        self.kube_events.push(KubeEvent {
            first: now,
            last: now,
            count: 1,
            namespace: namespace.to_string(),
            kind,
            name: name.to_string(),
            type_: type_.to_string(),
            reason: reason.to_string(),
            message,
        });
    }

    /// The events `kubectl get events` can see: those that happened within the last hour
    /// (`--event-ttl`), whether or not anything was recorded since.
    pub fn events(&self) -> impl Iterator<Item = &KubeEvent> {
        let now = self.now;
        self.kube_events.iter().filter(move |e| now.since(e.last) <= EVENT_TTL_MS)
    }

    pub fn emit(&mut self, event: SimEvent) {
        self.log.push(event);
        trim_oldest(&mut self.log, LOG_KEEP);
    }

    /// Whether the lab made this pod's readiness probe fail (`lab readiness fail`).
    pub fn readiness_failed(&self, namespace: &str, name: &str) -> bool {
        self.ctl.readiness_failed.contains(&crate::controllers::pod_key(namespace, name))
    }

    /// Pods in a namespace whose labels match a Service-style selector map.
    pub fn pods_matching<'a>(&'a self, namespace: &'a str, selector: &'a Labels) -> impl Iterator<Item = &'a Pod> + 'a {
        self.list::<Pod>(Some(namespace)).filter(move |p| map_selector_matches(selector, &p.metadata.labels))
    }
}

/// The store as a plain list in key order, so a [`Cluster`] snapshot is valid JSON.
mod objects_as_list {
    use super::{ObjKey, Object};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(m: &BTreeMap<ObjKey, Object>, s: S) -> Result<S::Ok, S::Error> {
        let v: Vec<&Object> = m.values().collect();
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<ObjKey, Object>, D::Error> {
        let v: Vec<Object> = Vec::deserialize(d)?;
        Ok(v.into_iter().map(|o| (ObjKey::of(&o), o)).collect())
    }
}

/// Namespaced object identity as kubectl prints it: `service/x`.
pub fn display_ref(kind: Kind, name: &str) -> String {
    format!("{}/{}", kind.qualified(), name)
}
