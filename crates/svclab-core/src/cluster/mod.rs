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
pub mod state;
mod store;

pub use config::ClusterConfig;
pub use events::{KubeEvent, SimEvent};
use store::{KeyParts, KeyRef};
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

/// The most pods the lab's cluster holds (a lab limit, said as such in every refusal): every
/// pod is simulated in memory and visited by the controllers each tick, so this bounds the
/// work of one command (see the `limits` benchmark). Five 1000-replica Deployments would
/// otherwise be 5,000 pods.
pub const MAX_PODS: usize = 2000;

/// Why the API server refuses to create a pod past [`MAX_PODS`]: the tail of `pods "x" is
/// forbidden: ...`, as admission (a ResourceQuota) words a refusal.
pub fn pod_limit_detail(max_pods: usize) -> String {
    format!("Service Lab runs at most {max_pods} pods (a lab limit: every pod is simulated in memory)")
}

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

/// The cluster's state. Closed: outside the core it is read through accessors and changed
/// only through the core's commands (`Lab::act`, `apply`, the terminal, `advance`), so every
/// change is an action the journal can replay.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cluster {
    pub(crate) config: ClusterConfig,
    pub(crate) now: SimTime,
    /// The seeded generator's state (fastrand's `Rng` is rebuilt from it on each use so the
    /// cluster stays plain data and serializes).
    rng_state: u64,
    /// Serialized as a list of objects (JSON maps need string keys); keys are rebuilt on load.
    #[serde(with = "objects_as_list")]
    objects: BTreeMap<ObjKey, Object>,
    /// `kubectl get events`.
    pub(crate) kube_events: Vec<KubeEvent>,
    /// Everything that happened, past tense, for the UI's timeline and log: the newest
    /// [`LOG_KEEP`] events at least, oldest first.
    pub(crate) log: Vec<SimEvent>,
    next_uid: u64,
    resource_version: u64,
    /// The store's resourceVersion when the controllers last ran: [`Cluster::advance`]
    /// reconciles first only when something wrote since.
    #[serde(default)]
    settled_at: u64,
    /// Per-controller private state (pod-IP cursors, backoff timers, ...).
    pub(crate) ctl: state::ControllerState,
    /// kube-proxy's kernel-side state: session affinity, IPVS round robin (spec §6).
    #[serde(default)]
    pub(crate) proxy: state::ProxyState,
    /// Requests, hit counters and the client programs running in pods.
    #[serde(default)]
    pub(crate) traffic: state::TrafficState,
    /// CoreDNS's running configuration and log (see `dns::reload`).
    #[serde(default)]
    pub(crate) dns: state::DnsState,
    /// Timeline events ever emitted and ticks ever run: part of [`Cluster::work`].
    #[serde(default)]
    emitted: u64,
    /// The running command's work budget: `(work at its start, units allowed)`.
    #[serde(skip)]
    budget: Option<(u64, u64)>,
    /// A replay's time limit ([`Cluster::set_deadline`]) and whether time reached it.
    #[serde(skip)]
    deadline: Option<(SimTime, bool)>,
    /// Run idle ticks instead of passing over them (the reference for tests, see
    /// `Cluster::new_every_tick`); not part of the state.
    #[serde(skip)]
    pub(crate) every_tick: bool,
    /// No `kubectl get events` entry expires before this time (a lower bound: the oldest
    /// `last` plus the TTL), so recording an event does not scan them all. Derived, not state:
    /// zero (check at the next record) after a copy or a load.
    #[serde(skip)]
    events_expire_at: SimTime,
    /// How many pods the store holds (`None`: not counted yet, after a load), for
    /// [`Cluster::pod_room`] without walking the pods per created pod.
    #[serde(skip)]
    pod_count: Option<usize>,
}

/// The work one terminal command may make the simulation do, in [`Cluster::work`] units
/// (store writes, timeline events and ticks): the backstop behind the lab's other limits (pods,
/// replicas, nodes, 10 minutes per command), so a combination nobody foresaw ends the command
/// with a message instead of freezing the page. `sleep 600` with 1000 replicas (780 Pending)
/// costs about 7,000 units (6,000 ticks and the writes); 300,000 is roughly a second of work.
pub const WORK_BUDGET: u64 = 300_000;

impl Cluster {
    /// A cluster with nothing in it yet ([`Cluster::new`], in `crate::world`, bootstraps it).
    pub(crate) fn empty(config: ClusterConfig, seed: u64) -> Self {
        Cluster {
            config,
            now: SimTime::ZERO,
            rng_state: seed ^ 0x5eed_1ab5_c0de_0001,
            objects: BTreeMap::new(),
            kube_events: Vec::new(),
            log: Vec::new(),
            next_uid: 1,
            resource_version: 1,
            settled_at: 0,
            ctl: Default::default(),
            proxy: Default::default(),
            traffic: Default::default(),
            dns: Default::default(),
            emitted: 0,
            budget: None,
            deadline: None,
            every_tick: false,
            events_expire_at: SimTime::ZERO,
            pod_count: Some(0),
        }
    }

    /// Whether nothing wrote to the store since the controllers last ran.
    pub(crate) fn is_settled(&self) -> bool {
        self.resource_version == self.settled_at
    }

    /// The controllers have just run: remember the store's resourceVersion.
    pub(crate) fn mark_settled(&mut self) {
        self.settled_at = self.resource_version;
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

    /// Run `f` as an observer outside the simulation, on a copy: what the UI looks at (its
    /// pinned answers) neither appears in the logs nor changes what happens next — a run is
    /// the same whatever the learner happened to look at. By construction (`&self`): nothing
    /// `f` does reaches this cluster. The copy starts with empty logs (a look has no history
    /// to keep) so looking stays cheap however long the run.
    pub fn observe<T>(&self, f: impl FnOnce(&mut Cluster) -> T) -> T {
        // Every field listed (no `..`): a new field must be decided on here.
        let mut copy = Cluster {
            config: self.config.clone(),
            now: self.now,
            rng_state: self.rng_state,
            objects: self.objects.clone(),
            kube_events: Vec::new(),
            log: Vec::new(),
            next_uid: self.next_uid,
            resource_version: self.resource_version,
            settled_at: self.settled_at,
            ctl: self.ctl.clone(),
            proxy: self.proxy.clone(),
            traffic: self.traffic.clone(),
            dns: state::DnsState { log: Vec::new(), ..self.dns.clone() },
            // The look's own work is counted on the copy and forgotten with it; a running
            // command's budget does not limit a look.
            emitted: self.emitted,
            budget: None,
            deadline: None,
            every_tick: self.every_tick,
            events_expire_at: SimTime::ZERO,
            pod_count: self.pod_count,
        };
        f(&mut copy)
    }

    // ---------------------------------------------------------------------------------------
    // Reading (for the page, the CLI and tests; the core's own code reads the fields)

    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// Simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Everything that happened, oldest first (the newest [`LOG_KEEP`] at least).
    pub fn log(&self) -> &[SimEvent] {
        &self.log
    }

    /// Every recorded `kubectl get events` entry, expired ones included (see [`Cluster::events`]).
    pub fn kube_events(&self) -> &[KubeEvent] {
        &self.kube_events
    }

    /// Controllers' private bookkeeping.
    pub fn ctl(&self) -> &state::ControllerState {
        &self.ctl
    }

    /// kube-proxy's kernel-side state (session affinity, IPVS round robin).
    pub fn proxy(&self) -> &state::ProxyState {
        &self.proxy
    }

    /// Traffic clients, hit counters and ids.
    pub fn traffic(&self) -> &state::TrafficState {
        &self.traffic
    }

    /// CoreDNS's running configuration and log.
    pub fn dns(&self) -> &state::DnsState {
        &self.dns
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
        self.objects.get(&KeyRef::new(T::KIND, namespace, name) as &dyn KeyParts).and_then(T::from_object)
    }

    pub fn get_mut<T: Resource>(&mut self, namespace: &str, name: &str) -> Option<&mut T> {
        self.resource_version += 1;
        let rv = self.resource_version;
        let obj = self.objects.get_mut(&KeyRef::new(T::KIND, namespace, name) as &dyn KeyParts)?;
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
        let is_new = !self.objects.contains_key(&key);
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
        if key.kind == Kind::Pod && is_new {
            *self.pods_counted() += 1;
        }
        self.objects.insert(key.clone(), obj);
        &self.objects[&key]
    }

    /// Remove an object at once (after any grace period has been handled by the caller).
    pub fn remove(&mut self, key: &ObjKey) -> Option<Object> {
        self.resource_version += 1;
        if key.kind == Kind::Pod && self.objects.contains_key(key) {
            *self.pods_counted() -= 1;
        }
        self.objects.remove(key)
    }

    /// The pod count, counted once after a load.
    fn pods_counted(&mut self) -> &mut usize {
        let objects = &self.objects;
        self.pod_count.get_or_insert_with(|| objects.range(ObjKey::kind_range(Kind::Pod)).count())
    }

    /// The store's resourceVersion: bumped by every write, so a controller that depends only
    /// on the store can skip a pass when it has not moved.
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    /// Is there room for one more pod under the cluster's limit (`config.max_pods`, [`MAX_PODS`])? If not, the refusal's text for a pod
    /// named `name`: `pods "name" is forbidden: ...`.
    pub fn pod_room(&self, name: &str) -> Result<(), String> {
        let pods = self.pod_count.unwrap_or_else(|| self.objects.range(ObjKey::kind_range(Kind::Pod)).count());
        if pods < self.config.max_pods {
            Ok(())
        } else {
            Err(format!("pods \"{name}\" is forbidden: {}", pod_limit_detail(self.config.max_pods)))
        }
    }

    pub fn exists(&self, key: &ObjKey) -> bool {
        self.objects.contains_key(key)
    }

    pub fn namespace_exists(&self, ns: &str) -> bool {
        self.exists(&ObjKey::new(Kind::Namespace, "", ns))
    }

    // ---------------------------------------------------------------------------------------
    // Time

    /// Work done so far: store writes, timeline events and ticks (deterministic, unlike a clock).
    pub fn work(&self) -> u64 {
        self.resource_version + self.emitted
    }

    /// Start a command's work budget of `units` (see [`WORK_BUDGET`]); `None` lifts it.
    pub fn set_budget(&mut self, units: Option<u64>) {
        self.budget = units.map(|u| (self.work(), u));
    }

    /// Has the running command used up its budget? Then [`Cluster::advance`] lets no more
    /// time pass, and every loop that waits on time must end.
    pub fn out_of_budget(&self) -> bool {
        self.over_work_budget() || self.deadline_reached()
    }

    /// The running command's work budget is used up (the deadline apart).
    pub(crate) fn over_work_budget(&self) -> bool {
        self.budget.is_some_and(|(start, units)| self.work().saturating_sub(start) > units)
    }

    /// A time limit for a replay (`Lab::replay_bounded`): [`Cluster::advance`] lets no time
    /// pass beyond it and every loop that waits on time ends there, as when out of budget.
    /// `None` lifts it.
    pub fn set_deadline(&mut self, at: Option<SimTime>) {
        self.deadline = at.map(|at| (at, false));
    }

    /// Whether an advance was cut at the deadline since it was set (time reaching it exactly
    /// is not a cut).
    pub fn deadline_reached(&self) -> bool {
        self.deadline.is_some_and(|(_, reached)| reached)
    }

    /// The time an advance of `ms` may reach: the deadline, if it would pass it (remembered).
    pub(crate) fn advance_end(&mut self, ms: u64) -> SimTime {
        let end = self.now.plus_millis(ms);
        match &mut self.deadline {
            Some((at, reached)) if end > *at => {
                *reached = true;
                (*at).max(self.now)
            }
            _ => end,
        }
    }

    /// One more tick ran (counted as work, see [`Cluster::work`]).
    pub(crate) fn count_tick(&mut self) {
        self.emitted += 1;
    }

    /// `n` idle ticks passed (counted as work as if they ran).
    pub(crate) fn count_ticks(&mut self, n: u64) {
        self.emitted += n;
    }

    /// How many more ticks the running command's budget lets start (`None`: no budget): a
    /// tick starts while the work done stays within the budget ([`Cluster::out_of_budget`]).
    pub(crate) fn budget_left(&self) -> Option<u64> {
        self.budget.map(|(start, units)| (units + 1).saturating_sub(self.work().saturating_sub(start)))
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
        if now >= self.events_expire_at {
            if self.kube_events.iter().any(|e| now.since(e.last) > EVENT_TTL_MS) {
                self.kube_events.retain(|e| now.since(e.last) <= EVENT_TTL_MS);
            }
            // The next check: when the oldest `last` expires (it only moves on).
            let oldest = self.kube_events.iter().map(|e| e.last).min().unwrap_or(now);
            self.events_expire_at = oldest.plus_millis(EVENT_TTL_MS + 1);
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
        self.emitted += 1;
        self.log.push(event);
        trim_oldest(&mut self.log, LOG_KEEP);
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
