//! Controllers, pod lifecycle, scheduling and node failure, checked end to end on a kind-like
//! cluster: apply manifests, advance simulated time, look at the store and the events.

use svclab_core::api::*;
use svclab_core::apply::apply_text;
use svclab_core::controllers;
use svclab_core::{Cluster, ClusterConfig};

fn cluster() -> Cluster {
    Cluster::new(ClusterConfig::default(), 1)
}

fn apply(c: &mut Cluster, yaml: &str) {
    let r = apply_text(c, yaml, "test.yaml", "default");
    assert!(r.ok(), "{}", r.output());
    c.settle();
}

fn deployment(name: &str, replicas: i32, image: &str, extra_spec: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n{extra_spec}  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: app\n        image: {image}\n        ports:\n        - containerPort: 80\n"
    )
}

fn pods<'a>(c: &'a Cluster, prefix: &'a str) -> Vec<&'a Pod> {
    c.list::<Pod>(Some("default")).filter(|p| p.metadata.name.starts_with(prefix)).collect()
}

fn events(c: &Cluster, name_prefix: &str) -> Vec<String> {
    c.kube_events
        .iter()
        .filter(|e| e.name.starts_with(name_prefix))
        .map(|e| format!("{} {}: {}", e.type_, e.reason, e.message))
        .collect()
}

/// kubectl's STATUS column: the one rule `kubectl get` and the page use.
fn status(p: &Pod) -> String {
    svclab_core::view::pod_status(p)
}

// ---------------------------------------------------------------------------------------------
// Deployment → ReplicaSet → Pods, rolling update, Recreate, history, restart, status

#[test]
fn deployment_creates_rs_with_revision_and_owner_refs() {
    let mut c = cluster();
    apply(&mut c, &deployment("web", 3, "nginx:1.25", ""));
    c.advance(5_000);
    let d = c.get::<Deployment>("default", "web").unwrap();
    assert_eq!(d.metadata.annotations.get("deployment.kubernetes.io/revision").map(String::as_str), Some("1"));
    let rss: Vec<&ReplicaSet> = c.list::<ReplicaSet>(Some("default")).collect();
    assert_eq!(rss.len(), 1);
    let rs = rss[0];
    assert_eq!(rs.metadata.controller().unwrap().uid, d.metadata.uid);
    assert_eq!(rs.metadata.annotations["deployment.kubernetes.io/revision"], "1");
    let ps = pods(&c, "web-");
    assert_eq!(ps.len(), 3);
    for p in &ps {
        assert_eq!(p.metadata.controller().unwrap().uid, rs.metadata.uid);
        assert!(p.status.ready, "{}", p.metadata.name);
    }
    assert_eq!(
        controllers::rollout_status(&c, "default", "web"),
        (true, "deployment \"web\" successfully rolled out".into())
    );
}

#[test]
fn fenceposts_round_like_kubernetes() {
    let cases = [
        (10, None, None, (3, 2)),
        (4, None, None, (1, 1)),
        (1, None, None, (1, 0)),
        (5, Some(IntOrString::Int(0)), Some(IntOrString::Int(0)), (0, 1)),
        (5, Some(IntOrString::Str("50%".into())), Some(IntOrString::Str("50%".into())), (3, 2)),
    ];
    for (replicas, surge, unavail, want) in cases {
        let d = Deployment {
            spec: DeploymentSpec { replicas, max_surge: surge, max_unavailable: unavail, ..Default::default() },
            ..Default::default()
        };
        assert_eq!(controllers::deployment::fenceposts(&d), want, "replicas {replicas}");
    }
}

#[test]
fn rolling_update_respects_surge_and_unavailable_and_keeps_history() {
    let mut c = cluster();
    apply(&mut c, &deployment("web", 4, "nginx:1.25", ""));
    c.advance(10_000);
    apply(&mut c, &deployment("web", 4, "nginx:1.26", ""));
    // maxSurge 1, maxUnavailable 1 for 4 replicas: never more than 5 active pods, never
    // fewer than 3 available.
    let mut saw_progress = false;
    for _ in 0..300 {
        c.advance(100);
        let active: Vec<&Pod> =
            pods(&c, "web-").into_iter().filter(|p| p.metadata.deletion_timestamp.is_none()).collect();
        assert!(active.len() <= 5, "surge exceeded: {}", active.len());
        let ready =
            pods(&c, "web-").iter().filter(|p| p.status.ready && p.metadata.deletion_timestamp.is_none()).count();
        assert!(ready >= 3, "unavailable exceeded: {ready} ready");
        let (done, msg) = controllers::rollout_status(&c, "default", "web");
        if !done {
            saw_progress = true;
            assert!(msg.starts_with("Waiting for deployment \"web\" rollout to finish: "), "{msg}");
        }
    }
    assert!(saw_progress);
    c.advance(60_000);
    let mut rss: Vec<&ReplicaSet> = c.list::<ReplicaSet>(Some("default")).collect();
    rss.sort_by_key(|r| r.metadata.annotations["deployment.kubernetes.io/revision"].clone());
    assert_eq!(rss.len(), 2, "old ReplicaSet kept as history");
    assert_eq!(rss[0].spec.replicas, 0);
    assert_eq!(rss[1].spec.replicas, 4);
    assert_eq!(rss[1].metadata.annotations["deployment.kubernetes.io/revision"], "2");
    let d = c.get::<Deployment>("default", "web").unwrap();
    assert_eq!(d.metadata.annotations["deployment.kubernetes.io/revision"], "2");
    assert!(pods(&c, "web-").iter().all(|p| p.spec.containers[0].image == "nginx:1.26"));
    assert_eq!(controllers::rollout_status(&c, "default", "web").1, "deployment \"web\" successfully rolled out");
    let ev = events(&c, "web");
    assert!(ev.iter().any(|e| e.contains("ScalingReplicaSet: Scaled down replica set web-")), "{ev:#?}");
}

#[test]
fn rollout_status_messages_match_kubectl() {
    let mut c = cluster();
    apply(&mut c, &deployment("x", 5, "nginx:1.25", ""));
    let (done, msg) = controllers::rollout_status(&c, "default", "x");
    assert!(!done);
    assert!(
        msg == "Waiting for deployment \"x\" rollout to finish: 0 of 5 updated replicas are available..."
            || msg == "Waiting for deployment \"x\" rollout to finish: 0 out of 5 new replicas have been updated...",
        "{msg}"
    );
    c.advance(500);
    c.advance(2_500);
    let (_, msg) = controllers::rollout_status(&c, "default", "x");
    assert!(msg.contains("updated replicas are available...") || msg.contains("successfully"), "{msg}");
}

#[test]
fn recreate_strategy_stops_old_pods_first() {
    let mut c = cluster();
    let strategy = "  strategy:\n    type: Recreate\n";
    apply(&mut c, &deployment("r", 2, "nginx:1.25", strategy));
    c.advance(10_000);
    apply(&mut c, &deployment("r", 2, "nginx:1.26", strategy));
    for _ in 0..400 {
        c.advance(100);
        let images: std::collections::BTreeSet<&str> =
            pods(&c, "r-").iter().map(|p| p.spec.containers[0].image.as_str()).collect();
        assert!(images.len() <= 1, "old and new pods together: {images:?}");
    }
    assert!(pods(&c, "r-").iter().all(|p| p.spec.containers[0].image == "nginx:1.26" && p.status.ready));
}

#[test]
fn rollout_restart_rolls_a_new_replicaset() {
    let mut c = cluster();
    apply(&mut c, &deployment("w", 2, "nginx:1.25", ""));
    c.advance(10_000);
    let before: Vec<String> = pods(&c, "w-").iter().map(|p| p.metadata.name.clone()).collect();
    assert_eq!(controllers::rollout_restart(&mut c, "default", "w"), Ok("deployment.apps/w restarted".into()));
    assert!(controllers::rollout_restart(&mut c, "default", "nope").is_err());
    c.advance(90_000);
    let after: Vec<&Pod> = pods(&c, "w-");
    assert_eq!(after.len(), 2);
    assert!(after.iter().all(|p| !before.contains(&p.metadata.name)));
    assert!(after.iter().all(|p| p.metadata.annotations.contains_key("kubectl.kubernetes.io/restartedAt")));
    assert_eq!(c.list::<ReplicaSet>(Some("default")).count(), 2);
}

#[test]
fn revision_history_limit_deletes_oldest_replicasets() {
    let mut c = cluster();
    let extra = "  revisionHistoryLimit: 1\n";
    for v in ["1.21", "1.22", "1.23", "1.24"] {
        apply(&mut c, &deployment("h", 1, &format!("nginx:{v}"), extra));
        c.advance(60_000);
    }
    let revs: Vec<String> = c
        .list::<ReplicaSet>(Some("default"))
        .map(|r| r.metadata.annotations["deployment.kubernetes.io/revision"].clone())
        .collect();
    let mut revs = revs;
    revs.sort();
    assert_eq!(revs, ["3", "4"]);
}

// ---------------------------------------------------------------------------------------------
// Pod lifecycle

fn pod_yaml(name: &str, image: &str, command: &str, restart: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  restartPolicy: {restart}\n  containers:\n  - name: c\n    image: {image}\n{command}"
    )
}

#[test]
fn container_exit_cases() {
    // (command block, restartPolicy, status after 3 s, status after 90 s, restarts ≥)
    let cases = [
        ("    command: [\"sh\", \"-c\", \"exit 1\"]\n", "Never", "Error", "Error", 0),
        ("    command: [\"true\"]\n", "Never", "Completed", "Completed", 0),
        ("    command: [\"echo\", \"hi\"]\n", "OnFailure", "Completed", "Completed", 0),
        ("    command: [\"false\"]\n", "OnFailure", "", "CrashLoopBackOff", 2),
        ("    command: [\"sh\", \"-c\", \"exit 1\"]\n", "Always", "", "CrashLoopBackOff", 3),
        ("    command: [\"sleep\", \"infinity\"]\n", "Always", "Running", "Running", 0),
        ("", "Always", "", "CrashLoopBackOff", 2),
    ];
    for (i, (cmd, restart, early, late, restarts)) in cases.iter().enumerate() {
        let mut c = cluster();
        let name = format!("p{i}");
        apply(&mut c, &pod_yaml(&name, "busybox:1.36", cmd, restart));
        c.advance(3_000);
        let p = c.get::<Pod>("default", &name).unwrap();
        if !early.is_empty() {
            assert_eq!(status(p), *early, "case {i} early");
        }
        c.advance(87_000);
        let p = c.get::<Pod>("default", &name).unwrap();
        assert_eq!(status(p), *late, "case {i} late");
        let rc = p.status.container_statuses[0].restart_count;
        assert!(rc >= *restarts, "case {i}: {rc} restarts");
        if *late == "CrashLoopBackOff" {
            let ev = events(&c, &name);
            assert!(
                ev.iter().any(|e| e.starts_with(&format!(
                    "Warning BackOff: Back-off restarting failed container c in pod {name}_default("
                ))),
                "{ev:#?}"
            );
        }
    }
}

#[test]
fn crash_loop_backoff_doubles_and_caps() {
    let mut c = cluster();
    apply(&mut c, &pod_yaml("crash", "busybox:1.36", "    command: [\"false\"]\n", "Always"));
    // Restarts at ~0 (immediate), +10 s, +20 s, +40 s, +80 s, +160 s, +300 s, +300 s ...
    let mut last = 0;
    let mut restart_times = Vec::new();
    for _ in 0..(20 * 60 * 10) {
        c.advance(100);
        let rc = c.get::<Pod>("default", "crash").unwrap().status.container_statuses[0].restart_count;
        if rc != last {
            restart_times.push(c.now.millis());
            last = rc;
        }
    }
    let gaps: Vec<u64> = restart_times.windows(2).map(|w| (w[1] - w[0] + 500) / 1000).collect();
    assert!(gaps.len() >= 6, "{gaps:?}");
    assert_eq!(&gaps[..6], &[10, 20, 40, 80, 160, 300], "{gaps:?}");
    assert!(gaps[6..].iter().all(|g| *g == 300), "{gaps:?}");
}

#[test]
fn image_pull_failures() {
    let cases = [
        ("nginx:doesnotexist", "ErrImagePull", "ImagePullBackOff"),
        ("example/invalid-image", "ErrImagePull", "ImagePullBackOff"),
        ("Nginx", "InvalidImageName", "InvalidImageName"),
    ];
    for (image, first, later) in cases {
        let mut c = cluster();
        apply(&mut c, &pod_yaml("img", image, "", "Always"));
        c.advance(1_200);
        let p = c.get::<Pod>("default", "img").unwrap();
        assert_eq!(status(p), first, "{image}");
        assert_eq!(p.status.phase, PodPhase::Pending);
        c.advance(4_000);
        let p = c.get::<Pod>("default", "img").unwrap();
        assert_eq!(status(p), later, "{image}");
        let ev = events(&c, "img");
        if first == "ErrImagePull" {
            assert!(ev.contains(&format!("Normal Pulling: Pulling image \"{image}\"")), "{ev:#?}");
            assert!(ev.iter().any(|e| e.starts_with(&format!("Warning Failed: Failed to pull image \"{image}\": "))));
            assert!(ev.contains(&"Warning Failed: Error: ErrImagePull".to_string()));
            assert!(ev.contains(&format!("Normal BackOff: Back-off pulling image \"{image}\"")), "{ev:#?}");
            assert!(ev.contains(&"Warning Failed: Error: ImagePullBackOff".to_string()));
        }
    }
}

#[test]
fn image_never_pull_needs_the_image_on_the_node() {
    let mut c = cluster();
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: np\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    imagePullPolicy: Never\n";
    apply(&mut c, yaml);
    c.advance(3_000);
    let p = c.get::<Pod>("default", "np").unwrap();
    assert_eq!(status(p), "ErrImageNeverPull");
    let ev = events(&c, "np");
    assert!(
        ev.contains(
            &"Warning ErrImageNeverPull: Container image \"nginx:1.25\" is not present with pull policy of Never"
                .to_string()
        ),
        "{ev:#?}"
    );
    // The toolbox image is on every node: Never works for it.
    let toolbox_node = c.get::<Pod>("lab", "toolbox").unwrap().spec.node_name.clone().unwrap();
    let yaml2 = yaml
        .replace("name: np", "name: np2")
        .replace("nginx:1.25", svclab_core::controllers::TOOLBOX_IMAGE)
        .replace("  containers:", &format!("  nodeName: {toolbox_node}\n  containers:"));
    apply(&mut c, &yaml2);
    c.advance(3_000);
    assert_eq!(status(c.get::<Pod>("default", "np2").unwrap()), "Running");
}

#[test]
fn pod_lifecycle_events_in_kubelet_words() {
    let mut c = cluster();
    apply(&mut c, &pod_yaml("life", "nginx:1.25", "", "Always"));
    assert_eq!(status(c.get::<Pod>("default", "life").unwrap()), "ContainerCreating");
    c.advance(3_000);
    let p = c.get::<Pod>("default", "life").unwrap();
    assert_eq!(status(p), "Running");
    assert!(p.status.ready);
    let node = p.spec.node_name.clone().unwrap();
    let ev = events(&c, "life");
    assert_eq!(
        ev,
        [
            format!("Normal Scheduled: Successfully assigned default/life to {node}"),
            "Normal Pulling: Pulling image \"nginx:1.25\"".into(),
            "Normal Pulled: Successfully pulled image \"nginx:1.25\" in 1s (1s including waiting)".into(),
            "Normal Created: Created container: c".into(),
            "Normal Started: Started container c".into(),
        ]
    );
    controllers::delete_object(&mut c, Kind::Pod, "default", "life", None);
    c.advance(1_000);
    let p = c.get::<Pod>("default", "life").unwrap();
    assert_eq!(status(p), "Terminating");
    assert!(events(&c, "life").contains(&"Normal Killing: Stopping container c".to_string()));
    c.advance(29_500);
    assert!(c.get::<Pod>("default", "life").is_none(), "gone after the 30 s grace period");
}

#[test]
fn readiness_probe_timing_and_injected_failure() {
    // (probe block, ms until Ready)
    let probe = "    readinessProbe:\n      exec:\n        command: [\"true\"]\n      initialDelaySeconds: 5\n      periodSeconds: 2\n      successThreshold: 2\n      failureThreshold: 2\n";
    let mut c = cluster();
    apply(&mut c, &pod_yaml("rp", "nginx:1.25", probe, "Always"));
    c.advance(6_000);
    assert!(!c.get::<Pod>("default", "rp").unwrap().status.ready, "first success at 5 s after start, needs two");
    c.advance(3_000);
    assert!(c.get::<Pod>("default", "rp").unwrap().status.ready);
    assert!(controllers::set_readiness_failed(&mut c, "default", "rp", true));
    c.advance(2_100);
    assert!(c.get::<Pod>("default", "rp").unwrap().status.ready, "one failure is not enough");
    c.advance(2_000);
    assert!(!c.get::<Pod>("default", "rp").unwrap().status.ready, "two failures × 2 s");
    assert!(events(&c, "rp").contains(&"Warning Unhealthy: Readiness probe failed: ".to_string()));
    controllers::set_readiness_failed(&mut c, "default", "rp", false);
    c.advance(4_100);
    assert!(c.get::<Pod>("default", "rp").unwrap().status.ready, "two successes × 2 s");

    // No probe: ready once running; injected failure takes the default 3 × 10 s.
    apply(&mut c, &pod_yaml("np", "nginx:1.25", "", "Always"));
    c.advance(3_000);
    assert!(c.get::<Pod>("default", "np").unwrap().status.ready);
    controllers::set_readiness_failed(&mut c, "default", "np", true);
    c.advance(20_000);
    assert!(c.get::<Pod>("default", "np").unwrap().status.ready);
    c.advance(10_500);
    assert!(!c.get::<Pod>("default", "np").unwrap().status.ready);
    assert!(!controllers::set_readiness_failed(&mut c, "default", "missing", true));
}

#[test]
fn failing_exec_probe_never_ready_and_http_message() {
    let mut c = cluster();
    let exec = "    readinessProbe:\n      exec:\n        command: [\"false\"]\n";
    apply(&mut c, &pod_yaml("bad", "nginx:1.25", exec, "Always"));
    c.advance(40_000);
    let p = c.get::<Pod>("default", "bad").unwrap();
    assert_eq!(status(p), "Running");
    assert!(!p.status.ready);
    let http = "    readinessProbe:\n      httpGet:\n        path: /\n        port: 80\n";
    apply(&mut c, &pod_yaml("h", "nginx:1.25", http, "Always"));
    c.advance(5_000);
    controllers::set_readiness_failed(&mut c, "default", "h", true);
    c.advance(31_000);
    assert!(!c.get::<Pod>("default", "h").unwrap().status.ready);
    assert!(events(&c, "h")
        .contains(&"Warning Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503".to_string()));
}

// ---------------------------------------------------------------------------------------------
// Scheduler and nodes

#[test]
fn unsatisfiable_node_selector_is_pending_with_failed_scheduling() {
    let mut c = cluster();
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: sel\nspec:\n  nodeSelector:\n    disk: ssd\n  containers:\n  - name: c\n    image: nginx\n";
    apply(&mut c, yaml);
    c.advance(5_000);
    let p = c.get::<Pod>("default", "sel").unwrap();
    assert_eq!(status(p), "Pending");
    let ev = events(&c, "sel");
    assert_eq!(
        ev,
        ["Warning FailedScheduling: 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."]
    );
}

#[test]
fn full_nodes_report_too_many_pods() {
    let mut c = cluster();
    apply(&mut c, &deployment("full", 230, "nginx:1.25", ""));
    c.advance(3_000);
    let pending: Vec<&Pod> = pods(&c, "full-").into_iter().filter(|p| !p.status.scheduled).collect();
    // Two workers × 110 minus the toolbox pod and the system pods already there.
    assert!(!pending.is_empty());
    let ev = events(&c, &pending[0].metadata.name);
    assert_eq!(
        ev,
        ["Warning FailedScheduling: 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Too many pods. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."]
    );
}

#[test]
fn node_name_bypasses_the_scheduler() {
    let mut c = cluster();
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nn\nspec:\n  nodeName: kind-control-plane\n  containers:\n  - name: c\n    image: nginx\n";
    apply(&mut c, yaml);
    c.advance(3_000);
    let p = c.get::<Pod>("default", "nn").unwrap();
    assert_eq!(status(p), "Running");
    assert!(!events(&c, "nn").iter().any(|e| e.contains("Scheduled")));
    apply(&mut c, &yaml.replace("name: nn", "name: nn2").replace("kind-control-plane", "no-such-node"));
    c.advance(3_000);
    assert_eq!(status(c.get::<Pod>("default", "nn2").unwrap()), "Pending");
}

#[test]
fn replicas_spread_across_workers() {
    let mut c = cluster();
    apply(&mut c, &deployment("s", 4, "nginx:1.25", ""));
    c.advance(3_000);
    let mut per_node = std::collections::BTreeMap::new();
    for p in pods(&c, "s-") {
        *per_node.entry(p.spec.node_name.clone().unwrap()).or_insert(0) += 1;
    }
    assert_eq!(per_node.into_iter().collect::<Vec<_>>(), [("kind-worker".into(), 2), ("kind-worker2".into(), 2)]);
}

#[test]
fn stopped_node_pods_are_replaced_elsewhere() {
    let mut c = cluster();
    apply(&mut c, &deployment("n", 4, "nginx:1.25", ""));
    c.advance(5_000);
    assert!(controllers::stop_node(&mut c, "kind-worker"));
    assert!(!c.get::<Node>("", "kind-worker").unwrap().ready);
    let on_w: Vec<String> = pods(&c, "n-")
        .iter()
        .filter(|p| p.spec.node_name.as_deref() == Some("kind-worker"))
        .map(|p| p.metadata.name.clone())
        .collect();
    assert_eq!(on_w.len(), 2);
    for n in &on_w {
        assert!(!c.get::<Pod>("default", n).unwrap().status.ready, "MarkPodsNotReady");
    }
    c.advance(controllers::nodelifecycle::EVICTION_DELAY_MS + 5_000);
    for n in &on_w {
        assert_eq!(status(c.get::<Pod>("default", n).unwrap()), "Terminating");
    }
    let running: Vec<&Pod> =
        pods(&c, "n-").into_iter().filter(|p| p.status.ready && p.metadata.deletion_timestamp.is_none()).collect();
    assert_eq!(running.len(), 4);
    assert!(running.iter().all(|p| p.spec.node_name.as_deref() == Some("kind-worker2")));
    assert!(controllers::start_node(&mut c, "kind-worker"));
    assert!(c.get::<Node>("", "kind-worker").unwrap().ready);
    // The grace period counts from the eviction; the returning kubelet finishes it.
    c.advance(30_000);
    for n in &on_w {
        assert!(c.get::<Pod>("default", n).is_none(), "terminations finish once the kubelet is back");
    }
    let ev = events(&c, "kind-worker");
    assert!(ev.contains(&"Normal NodeNotReady: Node kind-worker status is now: NodeNotReady".to_string()), "{ev:?}");
    assert!(ev.contains(&"Normal NodeReady: Node kind-worker status is now: NodeReady".to_string()), "{ev:?}");
    assert!(!controllers::stop_node(&mut c, "nope"));
}
