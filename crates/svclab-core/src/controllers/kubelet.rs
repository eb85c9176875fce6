//! The kubelet: runs the pods bound to its node through their lifecycle, with the events the
//! real kubelet records (`Pulling`, `Pulled`, `Created`, `Started`, `Killing`, `Unhealthy`,
//! `BackOff`, `Failed`).
//!
//! Lifecycle of one pod: Pending (`ContainerCreating`: sandbox and IP from the node's pod
//! CIDR at once) → image pull (or `already present on machine`) → container created and
//! started → Running → Ready when the readiness probe passes (no probe ⇒ Ready once all
//! containers run). Containers whose command ends (`true`, `false`, `sh -c 'exit 1'`,
//! `echo hi`, `sleep 5`) terminate; `restartPolicy` decides between Succeeded/Failed and a
//! restart with CrashLoopBackOff (10 s, 20 s, 40 s … capped at 5 min; the first restart is
//! immediate, as the kubelet's backoff only starts after it).
//!
//! Images (the lab's deterministic stand-in for a registry):
//! * "cannot be pulled" ([`image_pull_error`]): a tag `doesnotexist`/`nonexistent`/`notfound`,
//!   or a repository path containing `invalid`, `doesnotexist` or `nonexistent`, or a private
//!   registry host (`private.`, `registry.example.com`). Pulls fail with ErrImagePull, then
//!   ImagePullBackOff with the same backoff as crashes.
//! * a string that is not an image reference (upper case, spaces, empty) ⇒ `InvalidImageName`.
//! * "present on the node" = an image some pod already ran on that node (the node's image
//!   cache); `imagePullPolicy: Never` with an image not present ⇒ `ErrImageNeverPull`.
//!
//! Nothing runs on a stopped node: its kubelet neither probes nor finishes terminations
//! (see `nodelifecycle`).
//!
//! Terminating pods keep their Ready condition during the grace period (the EndpointSlice
//! shows `ready: false, serving: <ready>, terminating: true`, spec §3) and are removed when
//! it ends; the lab does not model an early exit on SIGTERM.

use crate::api::*;
use crate::cluster::{Cluster, ObjKey, SimEvent};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Sandbox creation plus start of a container whose image is on the node.
pub const CONTAINER_START_MS: u64 = 1_500;
/// How long pulling an image takes in the lab.
pub const IMAGE_PULL_MS: u64 = 1_000;
/// Default `terminationGracePeriodSeconds`.
pub const DEFAULT_GRACE_SECONDS: i64 = 30;
/// Crash and image-pull backoff: 10 s doubling, capped at 5 min (kubelet `MaxContainerBackOff`).
pub const BACKOFF_INITIAL_MS: u64 = 10_000;
pub const BACKOFF_MAX_MS: u64 = 300_000;
/// ErrImagePull shows until the kubelet's next sync reports ImagePullBackOff.
pub const PULL_BACKOFF_REPORT_MS: u64 = 2_000;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ProbeState {
    pub next_probe: SimTime,
    pub successes: i64,
    pub failures: i64,
}

/// Where one container is in its lifecycle (kubelet-private state).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Stage {
    /// Image pull in progress until the time given.
    Pulling(SimTime),
    /// Pull failed at `failed_at`; retried at `retry_at`. `shown_backoff`: ImagePullBackOff
    /// reported (the kubelet's next sync after the failure, a couple of seconds later).
    PullBackOff { failed_at: SimTime, retry_at: SimTime, shown_backoff: bool },
    /// The image can never be had (`ErrImageNeverPull`, `InvalidImageName`): stuck.
    Stuck,
    /// Container being created; started at the time given.
    Creating(SimTime),
    /// Running; exits at the time given with the code given (`None`: runs until stopped).
    Running(Option<(SimTime, i32)>),
    /// Exited; restarted at the time given (`None`: never, per restartPolicy).
    Exited { restart_at: Option<SimTime> },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ContainerRuntime {
    pub stage: Stage,
    /// Next crash backoff (0 before the first restart).
    pub crash_backoff_ms: u64,
    pub pull_backoff_ms: u64,
}

impl ContainerRuntime {
    /// Does this container have something to do at `now`?
    fn due(&self, now: SimTime) -> bool {
        match &self.stage {
            Stage::Pulling(t) | Stage::Creating(t) => now >= *t,
            Stage::PullBackOff { failed_at, retry_at, shown_backoff } => {
                now >= *retry_at || (!shown_backoff && now.since(*failed_at) >= PULL_BACKOFF_REPORT_MS)
            }
            Stage::Running(Some((t, _))) | Stage::Exited { restart_at: Some(t) } => now >= *t,
            Stage::Stuck | Stage::Running(None) | Stage::Exited { restart_at: None } => false,
        }
    }
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
    let running: Vec<String> = p
        .spec
        .containers
        .iter()
        .zip(p.status.container_statuses.iter())
        .filter(|(_, s)| s.state == ContainerState::Running)
        .map(|(ct, _)| ct.name.clone())
        .collect();
    for cn in running {
        c.record(Kind::Pod, ns, name, "Normal", "Killing", format!("Stopping container {cn}"));
    }
}

/// The UI's "fail readiness": the pod's readiness probe starts failing (or passing again).
/// It turns not-ready after failureThreshold × periodSeconds of its probe (default 3 × 10 s)
/// and ready again after successThreshold periods. Returns false if there is no such pod.
pub fn set_readiness_failed(c: &mut Cluster, ns: &str, pod: &str, failed: bool) -> bool {
    if c.get::<Pod>(ns, pod).is_none() {
        return false;
    }
    let key = super::pod_key(ns, pod);
    if failed {
        c.ctl.readiness_failed.insert(key);
    } else {
        c.ctl.readiness_failed.remove(&key);
    }
    true
}

/// The API server's defaulting of `imagePullPolicy`: `Always` for `:latest` or no tag.
pub fn effective_pull_policy(ct: &Container) -> String {
    if let Some(p) = &ct.image_pull_policy {
        return p.clone();
    }
    let tag = ct.image.rsplit_once(':').filter(|(_, t)| !t.contains('/')).map(|(_, t)| t);
    if tag.is_none_or(|t| t == "latest") { "Always" } else { "IfNotPresent" }.into()
}

/// Is `image` a syntactically valid reference (docker's reference grammar, simplified:
/// lower-case path components of `[a-z0-9._-]` separated by `/`, an optional `:tag` and
/// `@sha256:` digest; the registry host may have upper case and a port)?
pub fn is_valid_image_reference(image: &str) -> bool {
    if image.is_empty() || image.chars().any(|c| c.is_whitespace()) {
        return false;
    }
    let (name, _digest) = match image.split_once('@') {
        Some((n, d)) => {
            if !d.starts_with("sha256:") {
                return false;
            }
            (n, Some(d))
        }
        None => (image, None),
    };
    let (path, tag) = match name.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => (p, Some(t)),
        _ => (name, None),
    };
    if let Some(t) = tag {
        let ok = !t.is_empty()
            && t.len() <= 128
            && t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            && !t.starts_with(['.', '-']);
        if !ok {
            return false;
        }
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 1 && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost") {
        parts.remove(0);
    }
    !parts.is_empty()
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
                && p.starts_with(|c: char| c.is_ascii_alphanumeric())
                && p.ends_with(|c: char| c.is_ascii_alphanumeric())
        })
}

/// The fully qualified form containerd reports (`nginx` → `docker.io/library/nginx:latest`).
pub fn qualified_image(image: &str) -> String {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), t.to_string()),
        _ => (image.to_string(), "latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or("");
    let full = if name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost") {
        name
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    format!("{full}:{tag}")
}

/// Why an image cannot be pulled (the text after `Failed to pull image "<img>": `), or `None`
/// if it can. The lab's registry rule is documented in the module header.
pub fn image_pull_error(image: &str) -> Option<String> {
    let (path, tag) = match image.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => (p, t),
        _ => (image, "latest"),
    };
    let missing_tag = matches!(tag, "doesnotexist" | "nonexistent" | "notfound");
    let missing_repo = ["invalid", "doesnotexist", "nonexistent"].iter().any(|w| path.contains(w));
    let private = path.starts_with("private.") || path.starts_with("registry.example.com/");
    let q = qualified_image(image);
    if private {
        return Some(format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image \"{q}\": failed to resolve reference \"{q}\": pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials"
        ));
    }
    if missing_repo {
        return Some(format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image \"{q}\": failed to resolve reference \"{q}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        ));
    }
    if missing_tag {
        return Some(format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{q}\": failed to resolve reference \"{q}\": {q}: not found"
        ));
    }
    None
}

/// What a container's process does when started: runs until stopped, or exits after some
/// milliseconds with an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    Runs,
    Exits { after_ms: u64, code: i32 },
}

/// Images whose default command is a shell that exits at once without a terminal.
fn is_shell_image(image: &str) -> bool {
    let repo = image.rsplit('/').next().unwrap_or(image);
    let repo = repo.split([':', '@']).next().unwrap_or(repo);
    matches!(repo, "busybox" | "alpine" | "ubuntu" | "debian" | "centos" | "fedora")
}

fn is_shell(word: &str) -> bool {
    matches!(word.rsplit('/').next().unwrap_or(word), "sh" | "bash" | "ash" | "zsh")
}

/// The lab's model of a container process (documented rule): the command (`command` +
/// `args`, or the image's default) is read as a small shell script. `exit N` ends with N;
/// `false` sets 1, `true`/`echo`/`printf`/`cat`/`nslookup`/`wget`/… set 0; `sleep N` waits
/// N seconds (`infinity` or a loop such as `while true` or `tail -f` runs forever); any
/// other program (a server: nginx, node, python app …) runs until stopped. A shell with
/// stdin attached (`kubectl run -it`) runs until the session ends.
pub fn container_behaviour(ct: &Container) -> Behaviour {
    let mut words: Vec<String> = ct.command.iter().chain(ct.args.iter()).cloned().collect();
    if words.is_empty() {
        if is_shell_image(&ct.image) && !ct.stdin {
            return Behaviour::Exits { after_ms: 0, code: 0 };
        }
        return Behaviour::Runs;
    }
    let script = if is_shell(&words[0]) {
        match words.iter().position(|w| w == "-c") {
            Some(i) => words.get(i + 1).cloned().unwrap_or_default(),
            None if ct.stdin => return Behaviour::Runs,
            None => return Behaviour::Exits { after_ms: 0, code: 0 },
        }
    } else {
        words.iter_mut().for_each(|w| {
            if w.contains(' ') {
                *w = format!("'{w}'")
            }
        });
        words.join(" ")
    };
    run_script(&script)
}

fn run_script(script: &str) -> Behaviour {
    if script.contains("while true") || script.contains("while :") || script.contains("tail -f") {
        return Behaviour::Runs;
    }
    let mut elapsed = 0u64;
    let mut code = 0;
    for stmt in script.split([';', '\n']).flat_map(|s| s.split("&&")) {
        let words: Vec<&str> = stmt.split_whitespace().collect();
        let Some(first) = words.first() else { continue };
        let prog = first.rsplit('/').next().unwrap_or(first);
        match prog {
            "exit" => {
                let n = words.get(1).and_then(|w| w.trim_matches(['\'', '"']).parse::<i32>().ok()).unwrap_or(code);
                return Behaviour::Exits { after_ms: elapsed, code: n.rem_euclid(256) };
            }
            "false" => code = 1,
            "sleep" => {
                let arg = words.get(1).map(|w| w.trim_matches(['\'', '"'])).unwrap_or("");
                match arg.trim_end_matches('s').parse::<f64>() {
                    Ok(s) if (0.0..1e7).contains(&s) => elapsed += (s * 1000.0) as u64,
                    _ => return Behaviour::Runs,
                }
                code = 0;
            }
            "true" | "echo" | "printf" | "cat" | "ls" | "env" | "date" | "hostname" | "nslookup" | "wget" | "curl"
            | "dig" | "ping" | "id" | "pwd" | "uname" | "touch" | "mkdir" | "rm" | "cp" | "mv" | "test" | "[" => {
                code = 0
            }
            _ => return Behaviour::Runs,
        }
    }
    Behaviour::Exits { after_ms: elapsed, code }
}

fn next_backoff(current: u64) -> u64 {
    if current == 0 {
        BACKOFF_INITIAL_MS
    } else {
        (current * 2).min(BACKOFF_MAX_MS)
    }
}

/// Free/held pod IPs, computed once per pass (finished pods release theirs).
fn held_ips(c: &Cluster) -> BTreeSet<String> {
    c.list::<Pod>(None)
        .filter(|p| !matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed) && !p.spec.host_network)
        .flat_map(|p| p.status.pod_ips.iter().cloned())
        .collect()
}

pub fn reconcile(c: &mut Cluster) {
    let now = c.now;
    let ready_nodes: BTreeSet<String> =
        c.list::<Node>(None).filter(|n| n.ready).map(|n| n.metadata.name.clone()).collect();
    // Only pods with something due this tick are visited (a steady-state pass touches no
    // pod): a termination deadline, a first start, a container timer, or a readiness probe.
    // Timers are found by walking the kubelet's own maps (a time comparison each), not by
    // looking each pod up in them: with a thousand pods the lookups cost most of a tick.
    // The set is ordered by (namespace, name), the store's order, so pods are visited as
    // before.
    let on_ready_node =
        |p: &Pod| p.status.scheduled && p.spec.node_name.as_ref().is_some_and(|n| ready_nodes.contains(n));
    let mut due: BTreeSet<(String, String)> = BTreeSet::new();
    // The walk over every pod finds first starts and termination deadlines: needed only when
    // the store moved (a pod bound, a node back) or the earliest deadline it saw has come.
    let moved = super::store_moved(c, "kubelet");
    let scan = moved || c.ctl.kubelet_quiet_until.is_none_or(|t| now >= t);
    let mut next_deadline = SimTime(u64::MAX);
    for p in c.list::<Pod>(None).filter(|_| scan) {
        if !p.status.scheduled {
            continue;
        }
        if let Some(d) = p.metadata.deletion_timestamp.filter(|d| now < *d) {
            next_deadline = next_deadline.min(d);
        }
        let visit = match p.metadata.deletion_timestamp {
            Some(deadline) => now >= deadline,
            None => !matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed) && p.status.start_time.is_none(),
        };
        if visit && on_ready_node(p) {
            due.insert((p.metadata.namespace.clone(), p.metadata.name.clone()));
        }
    }
    let timers = c
        .ctl
        .runtime
        .iter()
        .filter(|(_, rts)| rts.iter().any(|r| r.due(now)))
        .map(|(k, _)| k)
        .chain(c.ctl.probes.iter().filter(|(_, st)| now >= st.next_probe).map(|(k, _)| k));
    for key in timers {
        let Some((ns, name)) = key.split_once('/') else { continue };
        let Some(p) = c.get::<Pod>(ns, name) else { continue };
        let live = p.metadata.deletion_timestamp.is_none()
            && !matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed)
            && p.status.start_time.is_some();
        if live && on_ready_node(p) {
            due.insert((ns.to_string(), name.to_string()));
        }
    }
    if scan {
        c.ctl.kubelet_quiet_until = Some(next_deadline);
    }
    let keys = due;
    let mut held: Option<BTreeSet<String>> = None;
    for (ns, name) in keys {
        let key = super::pod_key(&ns, &name);
        let (deadline, started) = match c.get::<Pod>(&ns, &name) {
            Some(p) => (p.metadata.deletion_timestamp, p.status.start_time.is_some()),
            None => continue,
        };
        // Termination: gone once the grace period has passed.
        if let Some(deadline) = deadline {
            if now >= deadline {
                c.remove(&ObjKey::new(Kind::Pod, &ns, &name));
                c.ctl.forget_pod(&key);
                c.emit(SimEvent::PodTerminated { at: now, namespace: ns.clone(), name: name.clone() });
            }
            continue;
        }
        if !started {
            let held = held.get_or_insert_with(|| held_ips(c));
            start_pod(c, &ns, &name, held);
            continue;
        }
        if c.ctl.runtime.get(&key).is_some_and(|rts| rts.iter().any(|r| r.due(now))) {
            step_containers(c, &ns, &name, &key);
        }
        probe(c, &ns, &name, &key);
    }
}

/// Sandbox: IP from the node's pod CIDR (or the node's IPs with hostNetwork), then each
/// container's image.
fn start_pod(c: &mut Cluster, ns: &str, name: &str, held: &mut BTreeSet<String>) {
    let now = c.now;
    let Some(pod) = c.get::<Pod>(ns, name).cloned() else { return };
    // spec §5: `setHostnameAsFQDN` with an FQDN over 64 characters fails the sandbox, so the
    // pod never gets an IP and stays `ContainerCreating`. The start time is set (the kubelet
    // has seen the pod) and no runtime is registered, so the pod is not visited again; the
    // real kubelet retries and bumps the event's count, the lab records it once.
    if let Some(message) = crate::dns::resolver::fqdn_too_long(c, &pod) {
        c.record(Kind::Pod, ns, name, "Warning", "FailedCreatePodSandBox", message);
        let statuses = pod
            .spec
            .containers
            .iter()
            .map(|ct| ContainerStatus {
                name: ct.name.clone(),
                state: ContainerState::Waiting("ContainerCreating".into()),
                ..Default::default()
            })
            .collect();
        if let Some(p) = c.get_mut::<Pod>(ns, name) {
            p.status.start_time = Some(now);
            p.status.container_statuses = statuses;
        }
        return;
    }
    let node = pod.spec.node_name.clone().unwrap_or_default();
    let ips = if pod.spec.host_network {
        c.get::<Node>("", &node).map(|n| n.addresses.clone()).unwrap_or_default()
    } else {
        super::ipam::allocate_pod_ips_excluding(c, &node, held)
    };
    let host_ip = c.get::<Node>("", &node).and_then(|n| n.addresses.first().cloned());
    let mut runtimes = Vec::new();
    let mut statuses = Vec::new();
    for ct in &pod.spec.containers {
        let (stage, waiting) = begin_image(c, ns, name, &node, ct);
        runtimes.push(ContainerRuntime { stage, crash_backoff_ms: 0, pull_backoff_ms: 0 });
        statuses.push(ContainerStatus {
            name: ct.name.clone(),
            state: ContainerState::Waiting(waiting),
            ..Default::default()
        });
    }
    c.ctl.runtime.insert(super::pod_key(ns, name), runtimes);
    if let Some(p) = c.get_mut::<Pod>(ns, name) {
        p.status.start_time = Some(now);
        p.status.pod_ip = ips.first().cloned();
        p.status.pod_ips = ips.clone();
        p.status.host_ip = host_ip;
        p.status.container_statuses = statuses;
    }
    c.emit(SimEvent::PodScheduled {
        at: now,
        namespace: ns.into(),
        name: name.into(),
        node,
        ip: ips.first().cloned().unwrap_or_default(),
    });
}

/// Decide how a container's image is had; returns the stage and the waiting reason.
fn begin_image(c: &mut Cluster, ns: &str, pod: &str, node: &str, ct: &Container) -> (Stage, String) {
    let now = c.now;
    let img = ct.image.clone();
    if !is_valid_image_reference(&img) {
        c.record(
            Kind::Pod,
            ns,
            pod,
            "Warning",
            "InspectFailed",
            format!("Failed to apply default image tag \"{img}\": couldn't parse image name \"{img}\": invalid reference format"),
        );
        c.record(Kind::Pod, ns, pod, "Warning", "Failed", "Error: InvalidImageName".into());
        return (Stage::Stuck, "InvalidImageName".into());
    }
    let present = c.ctl.node_images.get(node).is_some_and(|s| s.contains(&img));
    let policy = effective_pull_policy(ct);
    if policy == "Never" && !present {
        c.record(
            Kind::Pod,
            ns,
            pod,
            "Warning",
            "ErrImageNeverPull",
            format!("Container image \"{img}\" is not present with pull policy of Never"),
        );
        c.record(Kind::Pod, ns, pod, "Warning", "Failed", "Error: ErrImageNeverPull".into());
        return (Stage::Stuck, "ErrImageNeverPull".into());
    }
    if present && policy != "Always" {
        c.record(
            Kind::Pod,
            ns,
            pod,
            "Normal",
            "Pulled",
            format!("Container image \"{img}\" already present on machine"),
        );
        return (Stage::Creating(now.plus_millis(CONTAINER_START_MS)), "ContainerCreating".into());
    }
    c.record(Kind::Pod, ns, pod, "Normal", "Pulling", format!("Pulling image \"{img}\""));
    (Stage::Pulling(now.plus_millis(IMAGE_PULL_MS)), "ContainerCreating".into())
}

/// Advance every container of a started pod; then derive the pod phase.
fn step_containers(c: &mut Cluster, ns: &str, name: &str, key: &str) {
    let now = c.now;
    let Some(pod) = c.get::<Pod>(ns, name).cloned() else { return };
    let Some(mut rts) = c.ctl.runtime.get(key).cloned() else { return };
    let node = pod.spec.node_name.clone().unwrap_or_default();
    let mut statuses = pod.status.container_statuses.clone();
    statuses.resize_with(pod.spec.containers.len(), Default::default);
    let restart_policy = pod.spec.restart_policy.clone().unwrap_or_else(|| "Always".into());
    let mut changed = false;
    let mut started = false;
    for ((ct, rt), st) in pod.spec.containers.iter().zip(rts.iter_mut()).zip(statuses.iter_mut()) {
        let img = ct.image.clone();
        match rt.stage.clone() {
            Stage::Pulling(until) if now >= until => {
                changed = true;
                match image_pull_error(&img) {
                    Some(why) => {
                        c.record(
                            Kind::Pod,
                            ns,
                            name,
                            "Warning",
                            "Failed",
                            format!("Failed to pull image \"{img}\": {why}"),
                        );
                        c.record(Kind::Pod, ns, name, "Warning", "Failed", "Error: ErrImagePull".into());
                        rt.pull_backoff_ms = next_backoff(rt.pull_backoff_ms);
                        rt.stage = Stage::PullBackOff {
                            failed_at: now,
                            retry_at: now.plus_millis(rt.pull_backoff_ms),
                            shown_backoff: false,
                        };
                        st.state = ContainerState::Waiting("ErrImagePull".into());
                    }
                    None => {
                        let secs = IMAGE_PULL_MS as f64 / 1000.0;
                        c.record(
                            Kind::Pod,
                            ns,
                            name,
                            "Normal",
                            "Pulled",
                            format!("Successfully pulled image \"{img}\" in {secs}s ({secs}s including waiting)"),
                        );
                        c.ctl.node_images.entry(node.clone()).or_default().insert(img.clone());
                        rt.stage = Stage::Creating(now.plus_millis(CONTAINER_START_MS - IMAGE_PULL_MS));
                    }
                }
            }
            Stage::PullBackOff { failed_at, retry_at, shown_backoff } => {
                if now >= retry_at {
                    changed = true;
                    c.record(Kind::Pod, ns, name, "Normal", "Pulling", format!("Pulling image \"{img}\""));
                    rt.stage = Stage::Pulling(now.plus_millis(IMAGE_PULL_MS));
                } else if !shown_backoff && now.since(failed_at) >= PULL_BACKOFF_REPORT_MS {
                    changed = true;
                    c.record(Kind::Pod, ns, name, "Normal", "BackOff", format!("Back-off pulling image \"{img}\""));
                    c.record(Kind::Pod, ns, name, "Warning", "Failed", "Error: ImagePullBackOff".into());
                    rt.stage = Stage::PullBackOff { failed_at, retry_at, shown_backoff: true };
                    st.state = ContainerState::Waiting("ImagePullBackOff".into());
                }
            }
            Stage::Creating(until) if now >= until => {
                changed = true;
                c.record(Kind::Pod, ns, name, "Normal", "Created", format!("Created container: {}", ct.name));
                c.record(Kind::Pod, ns, name, "Normal", "Started", format!("Started container {}", ct.name));
                c.ctl.node_images.entry(node.clone()).or_default().insert(img.clone());
                let exits = match container_behaviour(ct) {
                    Behaviour::Runs => None,
                    Behaviour::Exits { after_ms, code } => Some((now.plus_millis(after_ms.max(super::TICK)), code)),
                };
                rt.stage = Stage::Running(exits);
                started = true;
                st.state = ContainerState::Running;
                st.started_at = Some(now);
            }
            Stage::Running(Some((at, code))) if now >= at => {
                changed = true;
                let reason = if code == 0 { "Completed" } else { "Error" };
                st.state = ContainerState::Terminated(code, reason.into());
                st.ready = false;
                let restart = restart_policy == "Always" || (restart_policy == "OnFailure" && code != 0);
                if restart {
                    let wait = rt.crash_backoff_ms;
                    rt.crash_backoff_ms = next_backoff(rt.crash_backoff_ms);
                    rt.stage = Stage::Exited { restart_at: Some(now.plus_millis(wait.max(super::TICK))) };
                    if wait > 0 {
                        st.state = ContainerState::Waiting("CrashLoopBackOff".into());
                        c.record(
                            Kind::Pod,
                            ns,
                            name,
                            "Warning",
                            "BackOff",
                            format!(
                                "Back-off restarting failed container {} in pod {name}_{ns}({})",
                                ct.name, pod.metadata.uid
                            ),
                        );
                    }
                } else {
                    rt.stage = Stage::Exited { restart_at: None };
                }
            }
            Stage::Exited { restart_at: Some(at) } if now >= at => {
                changed = true;
                st.restart_count += 1;
                c.record(
                    Kind::Pod,
                    ns,
                    name,
                    "Normal",
                    "Pulled",
                    format!("Container image \"{img}\" already present on machine"),
                );
                rt.stage = Stage::Creating(now);
                st.state = ContainerState::Waiting("ContainerCreating".into());
            }
            _ => {}
        }
    }
    if started {
        // A (re)started container's readiness is probed afresh: at once without a probe
        // (Ready as soon as it runs), after initialDelaySeconds with one.
        let initial = pod
            .spec
            .containers
            .iter()
            .filter_map(|c| c.readiness_probe.as_ref())
            .map(|p| p.initial_delay_seconds)
            .max()
            .unwrap_or(0)
            .max(0);
        c.ctl.probes.insert(
            key.to_string(),
            ProbeState { next_probe: now.plus_millis(initial as u64 * 1000), ..Default::default() },
        );
    }
    // A Creating stage that is already due (restart) starts in the same tick.
    if rts.iter().any(|r| matches!(r.stage, Stage::Creating(t) if t <= now)) {
        c.ctl.runtime.insert(key.to_string(), rts);
        if let Some(p) = c.get_mut::<Pod>(ns, name) {
            p.status.container_statuses = statuses;
        }
        return step_containers(c, ns, name, key);
    }
    if !changed {
        return;
    }
    let phase = pod_phase(&rts, &statuses);
    let all_running = statuses.iter().all(|s| s.state == ContainerState::Running);
    c.ctl.runtime.insert(key.to_string(), rts);
    let mut became_not_ready = false;
    if let Some(p) = c.get_mut::<Pod>(ns, name) {
        p.status.container_statuses = statuses;
        p.status.phase = phase;
        if !all_running && p.status.ready {
            p.status.ready = false;
            p.status.ready_since = Some(now);
            became_not_ready = true;
        }
    }
    if became_not_ready {
        c.emit(SimEvent::PodBecameNotReady { at: now, namespace: ns.into(), name: name.into() });
    }
}

/// Pod phase from its containers (kubelet `getPhase`): Pending until every container has
/// started once; Succeeded/Failed when all have exited for good; Running otherwise.
fn pod_phase(rts: &[ContainerRuntime], statuses: &[ContainerStatus]) -> PodPhase {
    let never_started = statuses.iter().any(|s| s.started_at.is_none());
    if never_started {
        return PodPhase::Pending;
    }
    let all_done = rts.iter().all(|r| matches!(r.stage, Stage::Exited { restart_at: None }));
    if all_done {
        let failed = statuses.iter().any(|s| matches!(s.state, ContainerState::Terminated(code, _) if code != 0));
        return if failed { PodPhase::Failed } else { PodPhase::Succeeded };
    }
    PodPhase::Running
}

/// One readiness evaluation if a probe is due. Without a probe the pod is ready while its
/// containers run; readiness failed by hand behaves like a failing probe with the pod's
/// probe timing (or the defaults: every 10 s, 3 failures).
fn probe(c: &mut Cluster, ns: &str, name: &str, key: &str) {
    let now = c.now;
    let Some(pod) = c.get::<Pod>(ns, name) else { return };
    if pod.status.phase != PodPhase::Running {
        return;
    }
    let all_running = pod.status.container_statuses.iter().all(|s| s.state == ContainerState::Running);
    if !all_running {
        return;
    }
    let Some(st) = c.ctl.probes.get(key) else { return };
    if now < st.next_probe {
        return;
    }
    let mut st = st.clone();
    let spec_probe = pod.spec.containers.iter().find_map(|c| c.readiness_probe.clone());
    let forced_fail = c.ctl.readiness_failed.contains(key);
    let probe = spec_probe.clone().unwrap_or_default();
    let pod_ip = pod.status.pod_ip.clone().unwrap_or_default();
    let was_ready = pod.status.ready;
    // Only a failing TCP probe on a named port reads the container (no clone per probe).
    let named_port = |n: &str| -> Option<i32> {
        pod.spec.containers.first()?.ports.iter().find(|cp| cp.name.as_deref() == Some(n)).map(|cp| cp.container_port)
    };
    let tcp_port = match &probe.handler {
        ProbeHandler::TcpSocket { port: IntOrString::Str(n) } => named_port(n),
        _ => None,
    };
    let passed = !forced_fail
        && match &probe.handler {
            ProbeHandler::Exec(cmd) => exec_succeeds(cmd),
            ProbeHandler::HttpGet { .. } | ProbeHandler::TcpSocket { .. } => true,
        };
    if passed {
        st.successes += 1;
        st.failures = 0;
    } else {
        st.failures += 1;
        st.successes = 0;
    }
    st.next_probe = now.plus_millis(probe.period_seconds.max(1) as u64 * 1000);
    let ready = if passed {
        was_ready || st.successes >= probe.success_threshold.max(1)
    } else {
        was_ready && st.failures < probe.failure_threshold.max(1)
    };
    c.ctl.probes.insert(key.to_string(), st);
    if !passed && spec_probe.is_some() {
        let detail = match &probe.handler {
            ProbeHandler::Exec(_) => String::new(),
            ProbeHandler::HttpGet { .. } => "HTTP probe failed with statuscode: 503".into(),
            ProbeHandler::TcpSocket { port } => {
                let p = match port {
                    IntOrString::Int(i) => i.to_string(),
                    IntOrString::Str(n) => tcp_port.map(|p| p.to_string()).unwrap_or_else(|| n.clone()),
                };
                format!("dial tcp {pod_ip}:{p}: connect: connection refused")
            }
        };
        c.record(Kind::Pod, ns, name, "Warning", "Unhealthy", format!("Readiness probe failed: {detail}"));
    }
    if ready != was_ready {
        if let Some(p) = c.get_mut::<Pod>(ns, name) {
            p.status.ready = ready;
            p.status.ready_since = Some(now);
            for cs in &mut p.status.container_statuses {
                cs.ready = ready;
            }
        }
        c.emit(if ready {
            SimEvent::PodBecameReady { at: now, namespace: ns.into(), name: name.into() }
        } else {
            SimEvent::PodBecameNotReady { at: now, namespace: ns.into(), name: name.into() }
        });
    }
}

/// What an exec probe's command does in the simulation: the same model as containers
/// ([`container_behaviour`]): `false` / `exit 1` fail, `true`, `cat /tmp/healthy` … pass.
fn exec_succeeds(cmd: &[String]) -> bool {
    let ct = Container { command: cmd.to_vec(), ..Default::default() };
    !matches!(container_behaviour(&ct), Behaviour::Exits { code, .. } if code != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ct(cmd: &[&str], args: &[&str], image: &str) -> Container {
        Container {
            image: image.into(),
            command: cmd.iter().map(|s| s.to_string()).collect(),
            args: args.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn container_behaviour_cases() {
        let cases: &[(&[&str], &[&str], &str, Behaviour)] = &[
            (&["sh", "-c", "exit 1"], &[], "busybox", Behaviour::Exits { after_ms: 0, code: 1 }),
            (&["false"], &[], "busybox", Behaviour::Exits { after_ms: 0, code: 1 }),
            (&["true"], &[], "busybox", Behaviour::Exits { after_ms: 0, code: 0 }),
            (&["echo", "hi"], &[], "busybox", Behaviour::Exits { after_ms: 0, code: 0 }),
            (&["sh", "-c"], &["echo hi; sleep 5; exit 3"], "busybox", Behaviour::Exits { after_ms: 5000, code: 3 }),
            (&["sleep", "infinity"], &[], "busybox", Behaviour::Runs),
            (&["sleep", "3600"], &[], "busybox", Behaviour::Exits { after_ms: 3_600_000, code: 0 }),
            (&["sh", "-c", "while true; do sleep 1; done"], &[], "busybox", Behaviour::Runs),
            (&[], &[], "busybox:1.28", Behaviour::Exits { after_ms: 0, code: 0 }),
            (&[], &[], "nginx", Behaviour::Runs),
            (&["nginx", "-g", "daemon off;"], &[], "nginx", Behaviour::Runs),
        ];
        for (cmd, args, image, want) in cases {
            assert_eq!(container_behaviour(&ct(cmd, args, image)), *want, "{cmd:?} {args:?} {image}");
        }
    }

    #[test]
    fn image_rules() {
        assert!(is_valid_image_reference("nginx"));
        assert!(is_valid_image_reference("registry.k8s.io/coredns/coredns:v1.11.3"));
        assert!(is_valid_image_reference("localhost:5000/app:1"));
        assert!(!is_valid_image_reference("Nginx"));
        assert!(!is_valid_image_reference("nginx:"));
        assert!(!is_valid_image_reference("my image"));
        assert!(image_pull_error("nginx:doesnotexist").is_some());
        assert!(image_pull_error("invalid/image").is_some());
        assert!(image_pull_error("nginx:1.25").is_none());
        assert_eq!(qualified_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(qualified_image("eddiehale/hellonodeapi"), "docker.io/eddiehale/hellonodeapi:latest");
    }
}
