//! DaemonSets end to end on the kind-like cluster (kind-control-plane, kind-worker,
//! kind-worker2): which nodes run a daemon pod, the status counts, a stopped node, a deleted
//! pod, and the API server's decode and validation errors for DaemonSet manifests.

use svclab_core::api::*;
use svclab_core::apply::apply_text;
use svclab_core::controllers;
use svclab_core::{Cluster, ClusterConfig};

fn cluster() -> Cluster {
    // Bootstrapping is slow in debug builds: clone one fresh cluster per case.
    static FRESH: std::sync::OnceLock<Cluster> = std::sync::OnceLock::new();
    FRESH.get_or_init(|| Cluster::new(ClusterConfig::default(), 1)).clone()
}

/// A DaemonSet `name` with `extra` lines inserted in its pod spec (indented 6 spaces).
fn daemonset(name: &str, extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: {name}\nspec:\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n{extra}      containers:\n      - name: agent\n        image: busybox:1.36\n        command: [\"sleep\", \"infinity\"]\n"
    )
}

fn apply(c: &mut Cluster, yaml: &str) {
    let r = apply_text(c, yaml, "ds.yaml", "default");
    assert!(r.ok(), "{}", r.output());
    c.advance(10_000);
}

/// Nodes running a live (not terminating) pod of the set, sorted.
fn nodes_of(c: &Cluster, ns: &str, ds: &str) -> Vec<String> {
    let mut v: Vec<String> = c
        .list::<Pod>(Some(ns))
        .filter(|p| p.metadata.controller().is_some_and(|o| o.kind == "DaemonSet" && o.name == ds))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter_map(|p| p.spec.node_name.clone())
        .collect();
    v.sort();
    v
}

#[test]
fn daemonset_runs_one_pod_per_eligible_node() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("no toleration: workers only", "", &["kind-worker", "kind-worker2"]),
        (
            "control-plane toleration: every node",
            "      tolerations:\n      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n        effect: NoSchedule\n",
            &["kind-control-plane", "kind-worker", "kind-worker2"],
        ),
        (
            "operator Exists without a key tolerates every taint",
            "      tolerations:\n      - operator: Exists\n",
            &["kind-control-plane", "kind-worker", "kind-worker2"],
        ),
        (
            "a toleration for another effect does not help",
            "      tolerations:\n      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n        effect: NoExecute\n",
            &["kind-worker", "kind-worker2"],
        ),
        (
            "nodeSelector picks one node",
            "      nodeSelector:\n        kubernetes.io/hostname: kind-worker2\n",
            &["kind-worker2"],
        ),
        ("nodeSelector matching no node", "      nodeSelector:\n        disk: ssd\n", &[]),
    ];
    for (what, extra, want) in cases {
        let mut c = cluster();
        apply(&mut c, &daemonset("agent", extra));
        assert_eq!(nodes_of(&c, "default", "agent"), *want, "{what}");
        let ds = c.get::<DaemonSet>("default", "agent").expect("stored");
        let n = want.len() as i32;
        let st = &ds.status;
        assert_eq!(
            (st.desired_number_scheduled, st.current_number_scheduled, st.number_ready, st.updated_number_scheduled),
            (n, n, n, n),
            "{what}"
        );
        assert_eq!(st.number_available, n, "{what}");
        for p in c.list::<Pod>(Some("default")).filter(|p| p.metadata.name.starts_with("agent-")) {
            let suffix = &p.metadata.name["agent-".len()..];
            assert_eq!(suffix.len(), 5, "{what}: generateName suffix of {}", p.metadata.name);
            assert_eq!(p.metadata.controller().map(|o| o.uid.as_str()), Some(ds.metadata.uid.as_str()), "{what}");
        }
    }
}

#[test]
fn kube_system_daemonsets_are_real_owners_of_their_pods() {
    let c = cluster();
    let nodes = c.list::<Node>(None).count() as i32;
    for (name, node_selector) in [("kindnet", ""), ("kube-proxy", "kubernetes.io/os=linux")] {
        let ds = c.get::<DaemonSet>("kube-system", name).expect("DaemonSet stored");
        assert_eq!(ds.status.desired_number_scheduled, nodes, "{name}");
        assert_eq!(ds.status.number_ready, nodes, "{name}");
        let sel: Vec<String> = ds.spec.template.spec.node_selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(sel.join(","), node_selector, "{name}");
        let owned: Vec<&Pod> = c
            .list::<Pod>(Some("kube-system"))
            .filter(|p| p.metadata.controller().is_some_and(|o| o.uid == ds.metadata.uid))
            .collect();
        assert_eq!(owned.len() as i32, nodes, "{name}: one pod per node, owned by the stored DaemonSet");
        assert!(owned.iter().all(|p| p.spec.host_network), "{name}");
    }
}

#[test]
fn stopped_node_keeps_its_daemon_pod_but_is_not_desired() {
    let mut c = cluster();
    apply(&mut c, &daemonset("agent", ""));
    assert!(controllers::stop_node(&mut c, "kind-worker"));
    c.advance(400_000);
    // The pod stays (daemon pods tolerate unreachable:NoExecute) and counts as misscheduled.
    assert_eq!(nodes_of(&c, "default", "agent"), ["kind-worker", "kind-worker2"]);
    let st = c.get::<DaemonSet>("default", "agent").map(|d| d.status.clone()).unwrap_or_default();
    assert_eq!((st.desired_number_scheduled, st.number_misscheduled), (1, 1));
    // kindnet and kube-proxy tolerate every taint: the stopped node is still desired.
    for name in ["kindnet", "kube-proxy"] {
        let st = c.get::<DaemonSet>("kube-system", name).map(|d| d.status.clone()).unwrap_or_default();
        assert_eq!((st.desired_number_scheduled, st.number_misscheduled), (3, 0), "{name}");
    }
    assert!(controllers::start_node(&mut c, "kind-worker"));
    c.advance(10_000);
    let st = c.get::<DaemonSet>("default", "agent").map(|d| d.status.clone()).unwrap_or_default();
    assert_eq!((st.desired_number_scheduled, st.number_misscheduled, st.number_ready), (2, 0, 2));
}

#[test]
fn deleted_daemon_pod_is_replaced_on_the_same_node_with_a_new_name() {
    let mut c = cluster();
    apply(&mut c, &daemonset("agent", ""));
    let old = c
        .list::<Pod>(Some("default"))
        .find(|p| p.spec.node_name.as_deref() == Some("kind-worker"))
        .map(|p| p.metadata.name.clone())
        .expect("pod on kind-worker");
    controllers::delete_object(&mut c, Kind::Pod, "default", &old, None);
    c.advance(5_000);
    let on_worker: Vec<&Pod> = c
        .list::<Pod>(Some("default"))
        .filter(|p| p.spec.node_name.as_deref() == Some("kind-worker") && p.metadata.deletion_timestamp.is_none())
        .collect();
    assert_eq!(on_worker.len(), 1);
    assert_ne!(on_worker[0].metadata.name, old);
    assert!(on_worker[0].metadata.name.starts_with("agent-"));
}

#[test]
fn template_change_rolls_one_node_at_a_time() {
    let mut c = cluster();
    apply(&mut c, &daemonset("agent", ""));
    let changed = daemonset("agent", "").replace("busybox:1.36", "busybox:1.37");
    let r = apply_text(&mut c, &changed, "ds.yaml", "default");
    assert!(r.ok(), "{}", r.output());
    c.advance(200);
    let terminating = c.list::<Pod>(Some("default")).filter(|p| p.metadata.deletion_timestamp.is_some()).count();
    assert_eq!(terminating, 1, "maxUnavailable 1: one old pod at a time");
    c.advance(120_000);
    let images: Vec<String> =
        c.list::<Pod>(Some("default")).map(|p| p.spec.containers[0].image.clone()).collect::<Vec<_>>();
    assert_eq!(images, ["busybox:1.37", "busybox:1.37"]);
    let st = c.get::<DaemonSet>("default", "agent").map(|d| d.status.clone()).unwrap_or_default();
    assert_eq!((st.updated_number_scheduled, st.number_available), (2, 2));
}

#[test]
fn daemonset_manifest_errors_read_like_the_api_server() {
    let cases: &[(&str, String, &str)] = &[
        (
            "unknown fields are strict decoding errors",
            daemonset("a", "      tolerations:\n      - key: x\n        oper: Exists\n").replace("spec:\n  selector", "spec:\n  replicas: 2\n  selector"),
            "Error from server (BadRequest): error when creating \"ds.yaml\": DaemonSet in version \"v1\" cannot be handled as a DaemonSet: strict decoding error: unknown field \"spec.replicas\", unknown field \"spec.template.spec.tolerations[0].oper\"\n",
        ),
        (
            "selector must match the template labels",
            daemonset("a", "").replace("        app: a\n    spec", "        app: b\n    spec"),
            "The DaemonSet \"a\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`\n",
        ),
        (
            "an empty selector is invalid",
            daemonset("a", "").replace("  selector:\n    matchLabels:\n      app: a\n", "  selector: {}\n"),
            "The DaemonSet \"a\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset\n",
        ),
        (
            "restartPolicy must be Always",
            daemonset("a", "      restartPolicy: OnFailure\n"),
            "The DaemonSet \"a\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"\n",
        ),
        (
            "maxUnavailable 0 needs a surge",
            daemonset("a", "").replace("spec:\n  selector", "spec:\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 0\n  selector"),
            "The DaemonSet \"a\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0\n",
        ),
        (
            "maxUnavailable as a string must be a percentage",
            daemonset("a", "").replace("spec:\n  selector", "spec:\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: \"1\"\n  selector"),
            "The DaemonSet \"a\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"1\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')\n",
        ),
        (
            "percentages stop at 100%",
            daemonset("a", "").replace("spec:\n  selector", "spec:\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 150%\n  selector"),
            "The DaemonSet \"a\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%\n",
        ),
        (
            "maxSurge and maxUnavailable are exclusive",
            daemonset("a", "").replace("spec:\n  selector", "spec:\n  updateStrategy:\n    rollingUpdate:\n      maxSurge: 1\n  selector"),
            "The DaemonSet \"a\" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero\n",
        ),
        (
            "unknown strategy types are reported with the whole strategy",
            daemonset("a", "").replace("spec:\n  selector", "spec:\n  updateStrategy:\n    type: Sometimes\n  selector"),
            "The DaemonSet \"a\" is invalid: spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:\"Sometimes\", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: \"OnDelete\", \"RollingUpdate\"\n",
        ),
        (
            "minReadySeconds may not be negative",
            daemonset("a", "").replace("spec:\n  selector", "spec:\n  minReadySeconds: -1\n  selector"),
            "The DaemonSet \"a\" is invalid: spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0\n",
        ),
    ];
    for (what, yaml, want) in cases {
        let mut c = cluster();
        let r = apply_text(&mut c, yaml, "ds.yaml", "default");
        assert!(!r.ok(), "{what}");
        assert_eq!(r.output(), *want, "{what}");
        assert!(c.get::<DaemonSet>("default", "a").is_none(), "{what}: nothing stored");
    }
}

#[test]
fn daemonset_selector_is_immutable() {
    let mut c = cluster();
    apply(&mut c, &daemonset("a", ""));
    let changed = daemonset("a", "")
        .replace("      app: a\n  template", "      app: a\n      tier: x\n  template")
        .replace("        app: a\n    spec", "        app: a\n        tier: x\n    spec");
    let r = apply_text(&mut c, &changed, "ds.yaml", "default");
    assert!(!r.ok());
    assert!(r.output().contains("spec.selector: Invalid value: "), "{}", r.output());
    assert!(r.output().contains("field is immutable"), "{}", r.output());
}

#[test]
fn single_node_cluster_runs_daemon_pods_on_its_untainted_control_plane() {
    let (config, diags) = ClusterConfig::from_kind_yaml(
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let mut c = Cluster::new(config, 1);
    apply(&mut c, &daemonset("agent", ""));
    assert_eq!(nodes_of(&c, "default", "agent"), ["kind-control-plane"]);
    for name in ["kindnet", "kube-proxy"] {
        assert_eq!(nodes_of(&c, "kube-system", name), ["kind-control-plane"], "{name}");
    }
}
