//! The world: the cluster store with time passing. Creating a cluster bootstraps it as
//! `kind create cluster` does, and advancing time runs the controllers and the traffic
//! clients. It sits above the store (`crate::cluster`) and the floors that act on it
//! (controllers, DNS, kube-proxy, traffic), so the store names none of them.

use crate::cluster::{Cluster, ClusterConfig, TICK_MS};
use crate::time::SimTime;

impl Cluster {
    /// A new cluster as `kind create cluster` leaves it: nodes, the default namespaces, the
    /// `kubernetes` and `kube-dns` Services, CoreDNS and kube-proxy in `kube-system`.
    pub fn new(config: ClusterConfig, seed: u64) -> Self {
        let mut c = Cluster::empty(config, seed);
        crate::controllers::bootstrap(&mut c);
        c
    }

    /// A cluster as [`Cluster::new`] whose [`Cluster::advance`] runs every tick, idle ones
    /// included (booting it too): the reference that idle-tick skipping is tested against.
    /// Equal to `Cluster::new` in every serialized field.
    #[doc(hidden)]
    pub fn new_every_tick(config: ClusterConfig, seed: u64) -> Self {
        let mut c = Cluster::empty(config, seed);
        c.every_tick = true;
        crate::controllers::bootstrap(&mut c);
        c
    }

    /// Advance simulated time by `ms`. The controllers and the traffic clients run at every
    /// multiple of [`TICK_MS`] of simulated time that is passed, whatever the chunks: advancing
    /// a+b is advancing a, then b (the action journal merges advances and a page's frames
    /// cut time anywhere). A write since the last tick (a command) is reconciled first.
    ///
    /// Idle ticks (nothing due until `controllers::next_wake`) are passed over at once: they
    /// are counted (as work) but not run, with the same result as running them
    /// ([`Cluster::new_every_tick`] builds a cluster that runs them all; `tests/idle_ticks.rs`
    /// compares the two).
    ///
    /// A terminal command's work budget ([`Cluster::set_budget`]) ends the advance early: time
    /// stops at the last tick that fit, and the command says why.
    ///
    /// A replay's deadline ([`Cluster::set_deadline`]) cuts it the same way, at the deadline.
    pub fn advance(&mut self, ms: u64) {
        let skip_idle = !self.every_tick;
        if self.out_of_budget() {
            return;
        }
        let end = self.advance_end(ms);
        if !self.is_settled() {
            self.settle();
        }
        loop {
            let next = (self.now.millis() / TICK_MS + 1) * TICK_MS;
            if next > end.millis() {
                break;
            }
            if self.over_work_budget() {
                return;
            }
            if skip_idle && self.is_settled() {
                let last_tick = end.millis() / TICK_MS * TICK_MS;
                let last_idle = match crate::controllers::next_wake(self) {
                    // Ticks strictly before the wake-up do nothing.
                    Some(w) => w.millis().saturating_sub(1) / TICK_MS * TICK_MS,
                    None => last_tick,
                }
                .min(last_tick);
                if last_idle >= next {
                    let mut idle = (last_idle - next) / TICK_MS + 1;
                    if let Some(left) = self.budget_left() {
                        // As many as would have run before the budget ran out.
                        idle = idle.min(left);
                    }
                    if idle > 0 {
                        self.now = SimTime::ZERO.plus_millis(next + (idle - 1) * TICK_MS);
                        self.count_ticks(idle);
                        continue;
                    }
                }
            }
            self.now = SimTime::ZERO.plus_millis(next);
            self.count_tick();
            crate::controllers::reconcile(self);
            crate::traffic::tick(self);
            self.mark_settled();
        }
        self.now = end;
    }

    /// Run the controllers once without moving time (after a command).
    pub fn settle(&mut self) {
        crate::controllers::reconcile(self);
        self.mark_settled();
    }

    /// Whether the lab made this pod's readiness probe fail (`lab readiness fail`).
    pub fn readiness_failed(&self, namespace: &str, name: &str) -> bool {
        self.ctl.readiness_failed.contains(&crate::controllers::pod_key(namespace, name))
    }
}
