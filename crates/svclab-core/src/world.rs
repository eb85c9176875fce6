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

    /// Advance simulated time by `ms`. The controllers and the traffic clients run at every
    /// multiple of [`TICK_MS`] of simulated time that is passed, whatever the chunks: advancing
    /// a+b is advancing a, then b (the action journal merges advances and a page's frames
    /// cut time anywhere). A write since the last tick (a command) is reconciled first.
    ///
    /// A terminal command's work budget ([`Cluster::set_budget`]) ends the advance early: time
    /// stops at the last tick that fit, and the command says why.
    ///
    /// A replay's deadline ([`Cluster::set_deadline`]) cuts it the same way, at the deadline.
    pub fn advance(&mut self, ms: u64) {
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
