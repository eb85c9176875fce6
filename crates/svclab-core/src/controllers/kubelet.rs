//! The kubelet: starts the containers of pods bound to its node (IP from the node's pod
//! CIDR), runs readiness probes on their schedule, and finishes terminations after the grace
//! period. A pod without a readiness probe is Ready as soon as its containers run.

use crate::api::*;
use crate::cluster::{Cluster, ObjKey, SimEvent};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

/// Sandbox creation plus image pull of a cached image.
pub const CONTAINER_START_MS: u64 = 1_500;
/// Default `terminationGracePeriodSeconds`.
pub const DEFAULT_GRACE_SECONDS: i64 = 30;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ProbeState {
    pub next_probe: SimTime,
    pub successes: i64,
    pub failures: i64,
}

/// Mark a pod for deletion (Terminating). `grace` overrides the pod's grace period.
pub fn begin_termination(c: &mut Cluster, ns: &str, name: &str, grace: Option<i64>) {
    let now = c.now;
    let Some(p) = c.get_mut::<Pod>(ns, name) else { return };
    if p.metadata.deletion_timestamp.is_some() {
        return;
    }
    let g = grace.or(p.spec.termination_grace_period_seconds).unwrap_or(DEFAULT_GRACE_SECONDS).max(0);
    p.metadata.deletion_timestamp = Some(now.plus_millis(g as u64 * 1000));
    p.metadata.deletion_grace_period_seconds = Some(g);
    // The Ready condition stays as it was while the containers shut down: the endpoint
    // becomes `ready: false, serving: <ready>, terminating: true` (spec §3).
    let containers: Vec<String> = p.spec.containers.iter().map(|c| c.name.clone()).collect();
    for cn in containers {
        c.record(Kind::Pod, ns, name, "Normal", "Killing", format!("Stopping container {cn}"));
    }
}

pub fn reconcile(c: &mut Cluster) {
    let now = c.now;
    let keys: Vec<(String, String)> = c
        .list::<Pod>(None)
        .filter(|p| p.status.scheduled)
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    for (ns, name) in keys {
        let Some(pod) = c.get::<Pod>(&ns, &name).cloned() else { continue };
        let key = super::pod_key(&ns, &name);
        // Termination: gone once the grace period has passed.
        if let Some(deadline) = pod.metadata.deletion_timestamp {
            if now >= deadline {
                c.remove(&ObjKey::new(Kind::Pod, &ns, &name));
                c.ctl.probes.remove(&key);
                c.ctl.readiness_failed.remove(&key);
                c.emit(SimEvent::PodTerminated { at: now, namespace: ns.clone(), name: name.clone() });
            }
            continue;
        }
        match pod.status.phase {
            PodPhase::Pending => {
                let Some(started) = pod.status.start_time else {
                    if let Some(p) = c.get_mut::<Pod>(&ns, &name) {
                        p.status.start_time = Some(now);
                        p.status.container_statuses = p
                            .spec
                            .containers
                            .iter()
                            .map(|ct| ContainerStatus {
                                name: ct.name.clone(),
                                state: ContainerState::Waiting("ContainerCreating".into()),
                                ..Default::default()
                            })
                            .collect();
                    }
                    continue;
                };
                if now.since(started) < CONTAINER_START_MS {
                    continue;
                }
                let node = pod.spec.node_name.clone().unwrap_or_default();
                let ips = if pod.spec.host_network {
                    c.get::<Node>("", &node).map(|n| n.addresses.clone()).unwrap_or_default()
                } else {
                    super::ipam::allocate_pod_ips(c, &node)
                };
                let host_ip = c.get::<Node>("", &node).and_then(|n| n.addresses.first().cloned());
                for ct in &pod.spec.containers {
                    c.record(
                        Kind::Pod,
                        &ns,
                        &name,
                        "Normal",
                        "Pulled",
                        format!("Container image \"{}\" already present on machine", ct.image),
                    );
                    c.record(Kind::Pod, &ns, &name, "Normal", "Created", format!("Created container: {}", ct.name));
                    c.record(Kind::Pod, &ns, &name, "Normal", "Started", format!("Started container {}", ct.name));
                }
                if let Some(p) = c.get_mut::<Pod>(&ns, &name) {
                    p.status.phase = PodPhase::Running;
                    p.status.pod_ip = ips.first().cloned();
                    p.status.pod_ips = ips.clone();
                    p.status.host_ip = host_ip;
                    for cs in &mut p.status.container_statuses {
                        cs.state = ContainerState::Running;
                        cs.started_at = Some(now);
                    }
                }
                let initial = pod
                    .spec
                    .containers
                    .iter()
                    .filter_map(|c| c.readiness_probe.as_ref())
                    .map(|p| p.initial_delay_seconds)
                    .max()
                    .unwrap_or(0);
                c.ctl.probes.insert(
                    key.clone(),
                    ProbeState { next_probe: now.plus_millis(initial as u64 * 1000), ..Default::default() },
                );
                c.emit(SimEvent::PodScheduled {
                    at: now,
                    namespace: ns.clone(),
                    name: name.clone(),
                    node,
                    ip: ips.first().cloned().unwrap_or_default(),
                });
            }
            PodPhase::Running => probe(c, &pod, &key),
            _ => {}
        }
    }
}

/// One readiness evaluation if a probe is due. Without a probe the pod is ready while its
/// containers run (unless readiness was failed by hand, which behaves like a failing probe
/// with the default period and threshold).
fn probe(c: &mut Cluster, pod: &Pod, key: &str) {
    let now = c.now;
    let spec_probe = pod.spec.containers.iter().find_map(|c| c.readiness_probe.clone());
    let forced_fail = c.ctl.readiness_failed.contains(key);
    let probe = spec_probe.clone().unwrap_or(Probe { period_seconds: 1, failure_threshold: 1, ..Default::default() });
    let Some(st) = c.ctl.probes.get(key).cloned() else { return };
    if now < st.next_probe {
        return;
    }
    let passed = !forced_fail
        && match &probe.handler {
            ProbeHandler::Exec(cmd) => exec_succeeds(cmd),
            ProbeHandler::HttpGet { .. } | ProbeHandler::TcpSocket { .. } => true,
        };
    let mut st = st;
    if passed {
        st.successes += 1;
        st.failures = 0;
    } else {
        st.failures += 1;
        st.successes = 0;
    }
    st.next_probe = now.plus_millis(probe.period_seconds.max(1) as u64 * 1000);
    let was_ready = pod.status.ready;
    let ready = if passed {
        was_ready || st.successes >= probe.success_threshold.max(1)
    } else {
        was_ready && st.failures < probe.failure_threshold.max(1)
    };
    c.ctl.probes.insert(key.to_string(), st);
    if !passed && spec_probe.is_some() {
        let cn = pod.spec.containers.first().map(|c| c.name.clone()).unwrap_or_default();
        let _ = cn;
        c.record(
            Kind::Pod,
            &pod.metadata.namespace,
            &pod.metadata.name,
            "Warning",
            "Unhealthy",
            "Readiness probe failed: ".to_string(),
        );
    }
    if ready != was_ready {
        let (ns, name) = (pod.metadata.namespace.clone(), pod.metadata.name.clone());
        if let Some(p) = c.get_mut::<Pod>(&ns, &name) {
            p.status.ready = ready;
            p.status.ready_since = Some(now);
            for cs in &mut p.status.container_statuses {
                cs.ready = ready;
            }
        }
        c.emit(if ready {
            SimEvent::PodBecameReady { at: now, namespace: ns, name }
        } else {
            SimEvent::PodBecameNotReady { at: now, namespace: ns, name }
        });
    }
}

/// What an exec probe's command does in the simulation: `false` / `exit 1` fail, anything
/// else (`true`, `cat /tmp/healthy`, ...) succeeds.
fn exec_succeeds(cmd: &[String]) -> bool {
    let joined = cmd.join(" ");
    !(cmd.first().is_some_and(|c| c == "false" || c == "/bin/false")
        || joined.contains("exit 1")
        || joined.ends_with(" false"))
}
