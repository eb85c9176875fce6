//! Verbs that act on running things or report on the cluster: `exec`, `logs`, `wait`,
//! `rollout`, `cluster-info`, `api-resources`. `wait` and `rollout status` block in real
//! kubectl, so here they advance simulated time until their condition holds (or times out).

use super::{resource_kind, selector_matches, Args, Output, Session, Terminal};
use crate::api::*;
use crate::cluster::{Cluster, ObjKey, TICK_MS};

const SHELLS: &[&str] = &["sh", "/bin/sh", "bash", "/bin/bash", "ash", "/bin/ash"];

/// The pod a `POD`, `pod/POD`, `deploy/NAME` or `svc/NAME` argument means (kubectl picks the
/// first pod of a workload's selector).
fn target_pod(c: &Cluster, ns: &str, arg: &str) -> Result<String, Output> {
    let Some((res, name)) = arg.split_once('/') else { return Ok(arg.to_string()) };
    let kind = resource_kind(res)?;
    let not_found =
        || Output::fail(format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.resource()), 1);
    let selector: Labels = match kind {
        Kind::Pod => return Ok(name.to_string()),
        Kind::Deployment => c.get::<Deployment>(ns, name).ok_or_else(not_found)?.spec.selector.match_labels.clone(),
        Kind::StatefulSet => c.get::<StatefulSet>(ns, name).ok_or_else(not_found)?.spec.selector.match_labels.clone(),
        Kind::ReplicaSet => c.get::<ReplicaSet>(ns, name).ok_or_else(not_found)?.spec.selector.match_labels.clone(),
        Kind::Service => c.get::<Service>(ns, name).ok_or_else(not_found)?.spec.selector.clone().unwrap_or_default(),
        _ => {
            return Err(Output::fail(
                format!("error: cannot attach to {}: selector for {} not implemented\n", kind.name(), kind.name()),
                1,
            ))
        }
    };
    let running =
        c.pods_matching(ns, &selector).find(|p| p.status.phase == PodPhase::Running).map(|p| p.metadata.name.clone());
    let any = c.pods_matching(ns, &selector).next().map(|p| p.metadata.name.clone());
    running.or(any).ok_or_else(|| Output::fail(format!("error: no pods found for {}/{name}\n", kind.qualified()), 1))
}

/// The container a `-c` flag picks, or the first one (kubectl says which when there are more).
fn pick_container<'a>(p: &'a Pod, args: &Args) -> Result<(&'a Container, String), Output> {
    match args.value(&["-c", "--container"]) {
        Some(name) => p.spec.containers.iter().find(|c| c.name == name).map(|c| (c, String::new())).ok_or_else(|| {
            Output::fail(format!("error: unable to upgrade connection: container not found (\"{name}\")\n"), 1)
        }),
        None => {
            let Some(first) = p.spec.containers.first() else {
                return Err(Output::fail(format!("error: pod {} has no containers\n", p.metadata.name), 1));
            };
            let note = if p.spec.containers.len() > 1 {
                let all: Vec<&str> = p.spec.containers.iter().map(|c| c.name.as_str()).collect();
                format!("Defaulted container \"{}\" out of: {}\n", first.name, all.join(", "))
            } else {
                String::new()
            };
            Ok((first, note))
        }
    }
}

/// `kubectl exec [-it] POD [-c C] -- CMD...`.
pub fn exec(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let ns = args.namespace(term).to_string();
    let Some(target) = args.positional.first() else {
        return Output::fail("error: expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command\nSee 'kubectl exec -h' for help and examples\n", 1);
    };
    if args.positional.len() > 1 {
        return Output::fail("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n", 1);
    }
    if args.command.is_empty() {
        return Output::fail("error: you must specify at least one command for the container\n", 1);
    }
    let pod_name = match target_pod(c, &ns, target) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let Some(pod) = c.get::<Pod>(&ns, &pod_name).cloned() else {
        return Output::fail(format!("Error from server (NotFound): pods \"{pod_name}\" not found\n"), 1);
    };
    let (container, note) = match pick_container(&pod, args) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let running =
        pod.status.container_statuses.iter().any(|s| s.name == container.name && s.state == ContainerState::Running);
    if pod.status.phase == PodPhase::Succeeded || pod.status.phase == PodPhase::Failed {
        return Output::fail(
            format!(
                "error: cannot exec into a container in a completed pod; current phase is {}\n",
                pod.status.phase.as_str()
            ),
            1,
        );
    }
    if !running {
        return Output::fail(
            format!("error: unable to upgrade connection: container not found (\"{}\")\n", container.name),
            1,
        );
    }
    let session = Session { namespace: ns, pod: pod_name, image: container.image.clone(), remove_on_exit: false };
    let interactive = args.has(&["-i", "--stdin", "-it", "-ti"]);
    let cmd = &args.command;
    let first = cmd.first().map(String::as_str).unwrap_or("");
    // busybox images have no bash: the container runtime refuses to start it.
    let busybox = matches!(
        crate::shell::tools::toolset(&container.image),
        crate::shell::tools::Toolset::Busybox128 | crate::shell::tools::Toolset::BusyboxNew
    );
    if busybox && matches!(first, "bash" | "/bin/bash") {
        return not_in_path(first, &note);
    }
    if SHELLS.contains(&first) && cmd.len() == 1 {
        if interactive {
            term.push_session(session);
        }
        return Output::ok(note);
    }
    // `sh -c 'LINE'` runs LINE through the shell; anything else is one command.
    let mut out = if SHELLS.contains(&first) && cmd.get(1).map(String::as_str) == Some("-c") {
        let line = cmd.get(2).cloned().unwrap_or_default();
        term.run_line_in(c, session, &line)
    } else {
        let out = term.run_words_in(c, session, cmd);
        // A program the image does not have is the runtime's error, not the shell's.
        if out.exit_code == 127 && out.text.ends_with(": not found\n") {
            return not_in_path(first, &note);
        }
        out
    };
    out.text.insert_str(0, &note);
    if out.exit_code != 0 {
        out.text.push_str(&format!("command terminated with exit code {}\n", out.exit_code));
    }
    out
}

/// The container runtime's answer to exec'ing a program that is not in the image.
fn not_in_path(program: &str, note: &str) -> Output {
    Output::fail(
        format!("{note}OCI runtime exec failed: exec failed: unable to start container process: exec: \"{program}\": executable file not found in $PATH: unknown\ncommand terminated with exit code 126\n"),
        126,
    )
}

/// `kubectl logs POD`. The lab does not run application code, so a running container has
/// no log lines (an honest empty log rather than invented output); a waiting one gives the
/// API server's error.
pub fn logs(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let ns = args.namespace(term).to_string();
    // `-f` (follow) and `-p` (previous) are switches for logs; the generic parser took the
    // next word as their value.
    let target =
        args.positional.first().map(String::as_str).or_else(|| args.value(&["-f", "--follow", "-p", "--previous"]));
    let Some(target) = target else {
        return Output::fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n", 1);
    };
    let pod_name = match target_pod(c, &ns, target) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let Some(pod) = c.get::<Pod>(&ns, &pod_name) else {
        return Output::fail(format!("Error from server (NotFound): pods \"{pod_name}\" not found\n"), 1);
    };
    let (container, note) = match pick_container(pod, args) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let state = pod.status.container_statuses.iter().find(|s| s.name == container.name).map(|s| s.state.clone());
    match state {
        Some(ContainerState::Waiting(reason)) => Output::fail(
            format!("Error from server (BadRequest): container \"{}\" in pod \"{pod_name}\" is waiting to start: {reason}\n", container.name),
            1,
        ),
        None => Output::fail(
            format!("Error from server (BadRequest): container \"{}\" in pod \"{pod_name}\" is waiting to start: ContainerCreating\n", container.name),
            1,
        ),
        Some(_) => Output::ok(note),
    }
}

/// Whether a condition holds for an object (`Ready`, `Available`, `delete`).
fn condition_met(c: &Cluster, kind: Kind, ns: &str, name: &str, cond: &str) -> Option<bool> {
    let cond = cond.to_ascii_lowercase();
    if cond == "delete" {
        return Some(!c.exists(&ObjKey::new(kind, ns, name)));
    }
    let obj = c.get_object(&ObjKey::new(kind, ns, name))?;
    Some(match (obj, cond.as_str()) {
        (Object::Pod(p), "ready" | "containersready") => p.status.ready,
        (Object::Pod(p), "podscheduled") => p.status.scheduled,
        (Object::Pod(p), "initialized") => p.status.scheduled,
        (Object::Deployment(d), "available") => d.status.available_replicas >= d.spec.replicas,
        (Object::Deployment(d), "progressing") => d.status.updated_replicas >= 0,
        (Object::StatefulSet(s), "ready") => s.status.ready_replicas >= s.spec.replicas,
        (Object::Node(n), "ready") => n.ready,
        _ => false,
    })
}

fn parse_timeout(s: &str) -> Option<u64> {
    // kubectl wait: "negative means wait for a week", capped like any long wait below.
    if let Some(rest) = s.strip_prefix('-') {
        return parse_timeout(rest).map(|_| crate::shell::MAX_ADVANCE_MS);
    }
    let (num, mult) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60_000)
    } else if let Some(n) = s.strip_suffix('h') {
        (n, 3_600_000)
    } else {
        (s, 1000)
    };
    // At most MAX_ADVANCE_MS of simulated time per command (see there).
    num.parse::<u64>().ok().map(|n| n.saturating_mul(mult).min(crate::shell::MAX_ADVANCE_MS))
}

/// `kubectl wait --for=condition=Ready pod/x [--timeout=30s]`, also `-l`, `--all` and
/// `--for=delete`. Simulated time advances until every object meets the condition.
pub fn wait(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let ns = args.namespace(term).to_string();
    let Some(for_) = args.value(&["--for"]) else {
        return Output::fail("error: --for must be set\n", 1);
    };
    let cond = if for_ == "delete" {
        "delete".to_string()
    } else if let Some(cnd) = for_.strip_prefix("condition=") {
        cnd.split('=').next().unwrap_or(cnd).to_string()
    } else {
        return Output::fail(format!("error: unrecognized condition: \"{for_}\"\n"), 1);
    };
    let timeout = match args.value(&["--timeout"]) {
        None => 30_000,
        Some(t) => match parse_timeout(t) {
            Some(ms) => ms,
            None => {
                return Output::fail(
                    format!("error: invalid argument \"{t}\" for \"--timeout\" flag: time: invalid duration \"{t}\"\n"),
                    1,
                )
            }
        },
    };
    let selector = args.value(&["-l", "--selector"]);
    let mut list: Vec<(Kind, String)> = Vec::new();
    let mut pos = args.positional.iter();
    while let Some(first) = pos.next() {
        if let Some((res, name)) = first.split_once('/') {
            match resource_kind(res) {
                Ok(k) => list.push((k, name.to_string())),
                Err(e) => return e,
            }
            continue;
        }
        let kind = match resource_kind(first) {
            Ok(k) => k,
            Err(e) => return e,
        };
        let names: Vec<String> = pos.by_ref().cloned().collect();
        if names.is_empty() {
            list.extend(
                c.objects()
                    .filter(|o| o.kind() == kind && (!kind.namespaced() || o.meta().namespace == ns))
                    .filter(|o| selector_matches(selector, &o.meta().labels))
                    .map(|o| (kind, o.meta().name.clone())),
            );
        }
        list.extend(names.into_iter().map(|n| (kind, n)));
    }
    if list.is_empty() {
        if args.positional.is_empty() {
            return Output::fail("error: resource(s) were provided, but no name was specified\n", 1);
        }
        return Output::fail("error: no matching resources found\n", 1);
    }
    // kubectl resolves every object before waiting: a missing one is an error at once.
    let missing: Vec<&(Kind, String)> = list.iter().filter(|(k, n)| !c.exists(&ObjKey::new(*k, &ns, n))).collect();
    if let Some((k, n)) = missing.first() {
        return Output::fail(format!("Error from server (NotFound): {} \"{n}\" not found\n", k.resource()), 1);
    }
    let mut out = Output::default();
    let deadline = c.now.plus_millis(timeout);
    for (kind, name) in list {
        loop {
            match condition_met(c, kind, &ns, &name, &cond) {
                None => {
                    out.text
                        .push_str(&format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.resource()));
                    out.exit_code = 1;
                    break;
                }
                Some(true) => {
                    out.text.push_str(&format!("{}/{name} condition met\n", kind.qualified()));
                    break;
                }
                Some(false) if c.now >= deadline || c.out_of_budget() => {
                    out.text.push_str(&format!(
                        "error: timed out waiting for the condition on {}/{name}\n",
                        kind.resource()
                    ));
                    out.exit_code = 1;
                    break;
                }
                Some(false) => c.advance(TICK_MS),
            }
        }
    }
    out
}

/// How long `rollout status` watches before giving up (kubectl's default is no timeout; a
/// script needs an end): 10 minutes of simulated time.
const ROLLOUT_WATCH_MS: u64 = 600_000;

/// `kubectl rollout status|restart deployment/NAME` (and statefulsets).
pub fn rollout(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let ns = args.namespace(term).to_string();
    let words: Vec<&str> = args.positional.iter().map(String::as_str).collect();
    let (sub, res, name) = match words.as_slice() {
        [sub, r] if r.contains('/') => {
            let (a, b) = r.split_once('/').unwrap_or_default();
            (*sub, a, b)
        }
        [sub, r, n] => (*sub, *r, *n),
        [sub] if matches!(*sub, "status" | "restart" | "history" | "undo" | "pause" | "resume") => {
            return Output::fail(
                format!(
                    "error: required resource not specified\nSee 'kubectl rollout {sub} -h' for help and examples\n"
                ),
                1,
            )
        }
        _ => {
            return Output::fail(
                "error: Required resource not specified.\nUse \"kubectl rollout status|restart TYPE/NAME\".\n",
                1,
            )
        }
    };
    let kind = match resource_kind(res) {
        Ok(k) => k,
        Err(e) => return e,
    };
    if !c.exists(&ObjKey::new(kind, &ns, name)) {
        return Output::fail(format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.resource()), 1);
    }
    if !matches!(kind, Kind::Deployment | Kind::StatefulSet | Kind::DaemonSet) {
        return Output::fail(
            format!(
                "error: no {} has been implemented for {{{} {}}}\n",
                if sub == "status" { "status viewer" } else { "restarter" },
                kind.api_version(),
                kind.name()
            ),
            1,
        );
    }
    // DaemonSetStatusViewer: only RollingUpdate sets have a rollout to watch.
    if sub == "status" && c.get::<DaemonSet>(&ns, name).is_some_and(|d| d.spec.update_strategy != "RollingUpdate") {
        return Output::fail("error: rollout status is only available for RollingUpdate strategy type\n", 1);
    }
    match sub {
        "restart" => rollout_restart(c, kind, &ns, name),
        "status" => {
            let timeout = match args.value(&["--timeout"]).map(parse_timeout) {
                None => ROLLOUT_WATCH_MS,
                Some(Some(0)) => ROLLOUT_WATCH_MS,
                Some(Some(ms)) => ms,
                Some(None) => return Output::fail("error: invalid argument for \"--timeout\" flag\n", 1),
            };
            rollout_status(c, kind, &ns, name, timeout)
        }
        other => Output::fail(format!("error: unknown command \"{other}\" for \"kubectl rollout\"\n"), 1),
    }
}

/// kubectl's restart: stamp the pod template with `kubectl.kubernetes.io/restartedAt`, which
/// changes the template and so makes the controller roll the pods (polymorphichelpers
/// objectrestarter.go). The rollout itself is the workload controller's job.
fn rollout_restart(c: &mut Cluster, kind: Kind, ns: &str, name: &str) -> Output {
    let stamp = crate::time::rfc3339(c.now);
    let key = "kubectl.kubernetes.io/restartedAt".to_string();
    match kind {
        Kind::Deployment => {
            return match crate::controllers::rollout_restart(c, ns, name) {
                Ok(line) => Output::ok(format!("{line}\n")),
                Err(e) => Output::fail(format!("{e}\n"), 1),
            };
        }
        Kind::DaemonSet => {
            if let Some(d) = c.get_mut::<DaemonSet>(ns, name) {
                d.spec.template.metadata.annotations.insert(key, stamp);
                d.metadata.generation += 1;
            }
        }
        _ => {
            if let Some(s) = c.get_mut::<StatefulSet>(ns, name) {
                s.spec.template.metadata.annotations.insert(key, stamp);
                s.metadata.generation += 1;
            }
        }
    }
    Output::ok(format!("{}/{name} restarted\n", kind.qualified()))
}

/// The line kubectl's status viewer prints for the current state, and whether it is done
/// (polymorphichelpers rollout_status.go).
fn status_line(c: &Cluster, kind: Kind, ns: &str, name: &str) -> Option<(String, bool)> {
    match kind {
        Kind::Deployment => {
            c.get::<Deployment>(ns, name)?;
            let (done, message) = crate::controllers::rollout_status(c, ns, name);
            Some((format!("{message}\n"), done))
        }
        Kind::DaemonSet => {
            // DaemonSetStatusViewer (rollout_status.go).
            let d = c.get::<DaemonSet>(ns, name)?;
            let st = &d.status;
            Some(if d.metadata.generation > st.observed_generation {
                ("Waiting for daemon set spec update to be observed...\n".to_string(), false)
            } else if st.updated_number_scheduled < st.desired_number_scheduled {
                (
                    format!(
                        "Waiting for daemon set \"{name}\" rollout to finish: {} out of {} new pods have been updated...\n",
                        st.updated_number_scheduled, st.desired_number_scheduled
                    ),
                    false,
                )
            } else if st.number_available < st.desired_number_scheduled {
                (
                    format!(
                        "Waiting for daemon set \"{name}\" rollout to finish: {} of {} updated pods are available...\n",
                        st.number_available, st.desired_number_scheduled
                    ),
                    false,
                )
            } else {
                (format!("daemon set \"{name}\" successfully rolled out\n"), true)
            })
        }
        _ => {
            let s = c.get::<StatefulSet>(ns, name)?;
            Some(if s.status.ready_replicas < s.spec.replicas {
                (format!("Waiting for {} pods to be ready...\n", s.spec.replicas - s.status.ready_replicas), false)
            } else {
                (
                    format!(
                        "statefulset rolling update complete {} pods at revision {name}-{}...\n",
                        s.spec.replicas,
                        crate::names::pod_template_hash(&s.spec.template.hash_dump(), 0)
                    ),
                    true,
                )
            })
        }
    }
}

fn rollout_status(c: &mut Cluster, kind: Kind, ns: &str, name: &str, timeout_ms: u64) -> Output {
    let mut out = Output::default();
    let mut last = String::new();
    let deadline = c.now.plus_millis(timeout_ms);
    loop {
        let Some((line, done)) = status_line(c, kind, ns, name) else {
            out.text.push_str(&format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.resource()));
            out.exit_code = 1;
            return out;
        };
        if line != last {
            out.text.push_str(&line);
            last = line;
        }
        if done {
            return out;
        }
        if c.now >= deadline || c.out_of_budget() {
            out.text.push_str("error: timed out waiting for the condition\n");
            out.exit_code = 1;
            return out;
        }
        c.advance(TICK_MS);
    }
}

pub fn cluster_info() -> Output {
    // kind publishes the API server on a random localhost port of the host; the lab uses
    // a fixed one so transcripts are reproducible.
    let server = "https://127.0.0.1:40443";
    Output::ok(format!(
        "Kubernetes control plane is running at {server}\nCoreDNS is running at {server}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    ))
}

/// `kubectl api-resources`: the kinds this lab simulates, in kubectl's columns.
pub fn api_resources(args: &Args) -> Output {
    let mut rows = vec![vec!["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]];
    let table: &[[&str; 5]] = &[
        ["configmaps", "cm", "v1", "true", "ConfigMap"],
        ["endpoints", "ep", "v1", "true", "Endpoints"],
        ["events", "ev", "v1", "true", "Event"],
        ["namespaces", "ns", "v1", "false", "Namespace"],
        ["nodes", "no", "v1", "false", "Node"],
        ["pods", "po", "v1", "true", "Pod"],
        ["services", "svc", "v1", "true", "Service"],
        ["daemonsets", "ds", "apps/v1", "true", "DaemonSet"],
        ["deployments", "deploy", "apps/v1", "true", "Deployment"],
        ["replicasets", "rs", "apps/v1", "true", "ReplicaSet"],
        ["statefulsets", "sts", "apps/v1", "true", "StatefulSet"],
        ["endpointslices", "", "discovery.k8s.io/v1", "true", "EndpointSlice"],
    ];
    let ns_filter = args.value(&["--namespaced"]);
    for r in table {
        if ns_filter.is_some_and(|v| v != r[3]) {
            continue;
        }
        rows.push(r.to_vec());
    }
    if args.value(&["-o", "--output"]) == Some("name") {
        return Output::ok(
            rows[1..]
                .iter()
                .map(|r| {
                    let group = r[2].rsplit_once('/').map(|(g, _)| format!(".{g}")).unwrap_or_default();
                    format!("{}{group}\n", r[0])
                })
                .collect::<String>(),
        );
    }
    let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r.into_iter().map(String::from).collect()).collect();
    Output::ok(super::table::render(&rows))
}
