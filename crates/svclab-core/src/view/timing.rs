//! What is about to happen, with the simulated time left: a failing readiness probe's
//! progress toward Not Ready, a stopped node's countdown to eviction. These move with the
//! clock, so they are apart from the clock-free [`super::Snapshot`]: the page redraws them
//! each tick only while one exists.

use crate::api::Pod;
use crate::cluster::Cluster;
use crate::controllers::nodelifecycle::EVICTION_DELAY_MS;
use std::collections::BTreeMap;

/// Where a pod's readiness probe is: consecutive failures against the failure threshold and
/// the simulated ms until the next probe. Only for pods whose probe is failing (by hand or by
/// its spec) or that just turned not ready.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProbeView {
    pub failures: i64,
    /// `failureThreshold` (at least 1).
    pub threshold: i64,
    /// `periodSeconds`, in ms.
    pub period_ms: u64,
    pub next_in_ms: u64,
    pub ready: bool,
}

impl ProbeView {
    /// Simulated ms until the pod turns Not Ready (0 once it is): the next probe, then one
    /// period per failure still needed to reach the threshold.
    pub fn not_ready_in_ms(&self) -> u64 {
        if !self.ready {
            return 0;
        }
        let more = (self.threshold - self.failures - 1).max(0) as u64;
        self.next_in_ms + more * self.period_ms
    }
}

/// Readiness probe progress of every pod with failures, by `ns/name`.
pub fn probe_progress(c: &Cluster) -> BTreeMap<String, ProbeView> {
    let mut out = BTreeMap::new();
    for (key, st) in &c.ctl().probes {
        let forced = c.ctl().readiness_failed.contains(key);
        if st.failures == 0 && !forced {
            continue;
        }
        let Some((ns, name)) = key.split_once('/') else { continue };
        let Some(pod) = c.get::<Pod>(ns, name) else { continue };
        let probe = pod.spec.containers.iter().find_map(|c| c.readiness_probe.clone()).unwrap_or_default();
        out.insert(
            key.clone(),
            ProbeView {
                failures: st.failures,
                threshold: probe.failure_threshold.max(1),
                period_ms: probe.period_seconds.max(1) as u64 * 1000,
                next_in_ms: st.next_probe.millis().saturating_sub(c.now().millis()),
                ready: pod.status.ready,
            },
        );
    }
    out
}

/// A node the lab stopped: the node lifecycle controller has marked it NotReady and evicts
/// its pods after [`EVICTION_DELAY_MS`] (the lab's shortened `--pod-eviction-timeout`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoppedNodeView {
    pub name: String,
    /// Simulated ms since it went NotReady.
    pub not_ready_for_ms: u64,
    /// Simulated ms until its pods are evicted (0 once they are).
    pub evict_in_ms: u64,
}

/// Every stopped node, by name.
pub fn stopped_nodes(c: &Cluster) -> Vec<StoppedNodeView> {
    c.ctl()
        .node_not_ready_since
        .iter()
        .map(|(node, since)| {
            let gone = c.now().since(*since);
            StoppedNodeView {
                name: node.clone(),
                not_ready_for_ms: gone,
                evict_in_ms: EVICTION_DELAY_MS.saturating_sub(gone),
            }
        })
        .collect()
}
