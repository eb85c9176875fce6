//! A pod's STATUS as `kubectl get pods` prints it: the one rule for the terminal and the page.

use crate::api::{ContainerState, Pod, PodPhase};

/// kubectl's STATUS column for a pod (printers.go `printPod`): `Terminating` once deletion
/// started, the pod's reason (`Evicted`, `NodeLost`), a waiting container's reason
/// (`ContainerCreating`, `ImagePullBackOff`, `CrashLoopBackOff`), a terminated container's
/// reason while the pod is not Running, else the phase.
pub fn pod_status(p: &Pod) -> String {
    if p.metadata.deletion_timestamp.is_some() {
        return "Terminating".into();
    }
    if let Some(r) = &p.status.reason {
        return r.clone();
    }
    for cs in &p.status.container_statuses {
        match &cs.state {
            ContainerState::Waiting(reason) => return reason.clone(),
            ContainerState::Terminated(_, reason) if p.status.phase != PodPhase::Running => return reason.clone(),
            _ => {}
        }
    }
    p.status.phase.as_str().into()
}
