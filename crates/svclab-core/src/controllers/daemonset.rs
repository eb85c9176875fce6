//! DaemonSet controller (pkg/controller/daemon): one pod per eligible node.
//!
//! * A node should run a daemon pod (`NodeShouldRunDaemonPod`) when it matches the template's
//!   `nodeSelector` and its taints are tolerated: the control plane's
//!   `node-role.kubernetes.io/control-plane:NoSchedule` only with a matching toleration in the
//!   template; a stopped node (`node.kubernetes.io/unreachable:NoSchedule`) is not *desired*
//!   any more unless the template tolerates that taint, but its pod keeps running there (the
//!   controller's default tolerations include `unreachable:NoExecute`), so it counts as
//!   misscheduled rather than being deleted.
//! * Pods are named `<ds>-<5 chars>` (`generateName`); the suffix is derived from the set and
//!   the node rather than drawn from the cluster's RNG, so that creating the kube-system
//!   DaemonSets at bootstrap does not shift every generated name that follows.
//! * The pod is bound to its node by the controller: `spec.nodeName` is set at creation (the
//!   lab's PodSpec has no `affinity`, so the `matchFields metadata.name` node affinity the
//!   real controller writes cannot be expressed; the effect, one pod on exactly that node, is
//!   the same).
//! * A missing pod is created; a Failed pod is deleted and replaced; extra pods on a node are
//!   deleted (oldest kept); a pod on a node that should no longer run it is deleted.
//! * RollingUpdate (default): when the template changes (`controller-revision-hash`), old pods
//!   are deleted while the number of unavailable daemon pods stays within `maxUnavailable`
//!   (default 1); `maxSurge` is not modelled. `OnDelete`: old pods are replaced only when
//!   deleted by hand.
//! * Status as `updateDaemonSetStatus`: desired / current / misscheduled per node, ready,
//!   updated and available pods.
//!
//! Cost: pods are grouped by owning DaemonSet once per pass (O(pods)).

use crate::api::*;
use crate::cluster::Cluster;
use crate::names::pod_template_hash;
use std::collections::BTreeMap;

pub const REVISION_LABEL: &str = "controller-revision-hash";
pub const GENERATION_LABEL: &str = "pod-template-generation";
const CONTROL_PLANE_TAINT_KEY: &str = "node-role.kubernetes.io/control-plane";
const UNREACHABLE_TAINT_KEY: &str = "node.kubernetes.io/unreachable";

/// The template's hash, as the pods' `controller-revision-hash` label.
pub fn revision_hash(ds: &DaemonSet) -> String {
    let t = &ds.spec.template;
    let dump = format!(
        "{}|{}|{}",
        labels_hash_dump(&t.metadata.labels),
        labels_hash_dump(&t.metadata.annotations),
        t.spec.full_hash_dump()
    );
    pod_template_hash(&dump, 0)
}

/// `(shouldRun, shouldContinueRunning)` for a node (`NodeShouldRunDaemonPod`).
pub fn node_should_run(ds: &DaemonSet, node: &Node) -> (bool, bool) {
    let spec = &ds.spec.template.spec;
    if !map_selector_matches(&spec.node_selector, &node.metadata.labels) {
        return (false, false);
    }
    // kind taints the control plane only when there are workers; the scheduler models the
    // taint through `Node::control_plane` the same way (scheduler.rs).
    let tolerates = |key: &str| spec.tolerations.iter().any(|t| t.tolerates(key, "", "NoSchedule"));
    if node.control_plane && !tolerates(CONTROL_PLANE_TAINT_KEY) {
        return (false, false);
    }
    // A stopped node carries `unreachable:NoSchedule` (node lifecycle controller): only a
    // template that tolerates it (kindnet's and kube-proxy's `operator: Exists`) still wants
    // the node.
    if !node.ready && !tolerates(UNREACHABLE_TAINT_KEY) {
        return (false, true);
    }
    (true, true)
}

fn tainted_control_plane(nodes: &[Node]) -> bool {
    nodes.iter().any(|n| !n.control_plane)
}

pub fn reconcile(c: &mut Cluster) {
    let mut by_owner: BTreeMap<String, Vec<Pod>> = BTreeMap::new();
    for p in c.list::<Pod>(None) {
        if let Some(o) = p.metadata.controller().filter(|o| o.kind == "DaemonSet") {
            by_owner.entry(o.uid.clone()).or_default().push(p.clone());
        }
    }
    let mut nodes: Vec<Node> = c.list::<Node>(None).cloned().collect();
    // A single-node cluster's control plane has no NoSchedule taint (kind removes it).
    if !tainted_control_plane(&nodes) {
        for n in &mut nodes {
            n.control_plane = false;
        }
    }
    for (ns, name) in c.names::<DaemonSet>(None) {
        let Some(ds) = c.get::<DaemonSet>(&ns, &name).cloned() else { continue };
        let pods = by_owner.remove(&ds.metadata.uid).unwrap_or_default();
        sync(c, &ds, &nodes, pods);
    }
}

fn active(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_none() && !matches!(p.status.phase, PodPhase::Failed | PodPhase::Succeeded)
}

fn sync(c: &mut Cluster, ds: &DaemonSet, nodes: &[Node], pods: Vec<Pod>) {
    let hash = revision_hash(ds);
    let mut on_node: BTreeMap<String, Vec<Pod>> = BTreeMap::new();
    for p in pods {
        on_node.entry(p.spec.node_name.clone().unwrap_or_default()).or_default().push(p);
    }

    for n in nodes {
        let node = &n.metadata.name;
        let (should_run, should_continue) = node_should_run(ds, n);
        let here = on_node.get(node).cloned().unwrap_or_default();
        for p in here.iter().filter(|p| p.status.phase == PodPhase::Failed && p.metadata.deletion_timestamp.is_none()) {
            delete(c, ds, &p.metadata.name);
        }
        let mut running: Vec<&Pod> = here.iter().filter(|p| active(p)).collect();
        if should_run && running.is_empty() {
            create_pod(c, ds, node, &hash);
        } else if !should_continue {
            for p in &running {
                delete(c, ds, &p.metadata.name);
            }
        } else if running.len() > 1 {
            // Keep the oldest (`podsShouldBeOnNode`).
            running.sort_by_key(|p| (p.metadata.creation_timestamp, p.metadata.name.clone()));
            for p in running.iter().skip(1) {
                delete(c, ds, &p.metadata.name);
            }
        }
    }
    // Pods on nodes that no longer exist.
    for (node, here) in &on_node {
        if !nodes.iter().any(|n| &n.metadata.name == node) {
            for p in here.iter().filter(|p| active(p)) {
                delete(c, ds, &p.metadata.name);
            }
        }
    }

    if ds.spec.update_strategy == "RollingUpdate" {
        rolling_update(c, ds, nodes, &hash);
    }
    update_status(c, ds, nodes, &hash);
}

/// Delete old-revision pods while the unavailable count stays within `maxUnavailable`
/// (`rollingUpdate`; unavailable = a desired node without an available daemon pod).
fn rolling_update(c: &mut Cluster, ds: &DaemonSet, nodes: &[Node], hash: &str) {
    let ns = &ds.metadata.namespace;
    let desired: Vec<&Node> = nodes.iter().filter(|n| node_should_run(ds, n).0).collect();
    // Percentages round up for DaemonSets (`unavailableCount`), and at least one pod moves.
    let max_unavailable = match &ds.spec.max_unavailable {
        Some(v) => super::deployment::scaled_value(Some(v), desired.len() as i32, true).max(1),
        None => 1,
    };
    let mine: Vec<Pod> = owned(c, ds);
    let mut unavailable = 0;
    let mut old: Vec<(bool, String)> = Vec::new();
    for n in &desired {
        let here: Vec<&Pod> = mine
            .iter()
            .filter(|p| p.spec.node_name.as_deref() == Some(n.metadata.name.as_str()) && active(p))
            .collect();
        let available = here.iter().any(|p| available(p, ds, c));
        if !available {
            unavailable += 1;
        }
        for p in here.iter().filter(|p| p.metadata.labels.get(REVISION_LABEL).map(String::as_str) != Some(hash)) {
            old.push((available, p.metadata.name.clone()));
        }
    }
    // Unavailable old pods go first: deleting them costs nothing.
    old.sort();
    for (was_available, pod) in old {
        if was_available {
            if unavailable >= max_unavailable {
                break;
            }
            unavailable += 1;
        }
        if c.get::<Pod>(ns, &pod).is_some_and(|p| p.metadata.deletion_timestamp.is_none()) {
            delete(c, ds, &pod);
        }
    }
}

fn available(p: &Pod, ds: &DaemonSet, c: &Cluster) -> bool {
    super::replicaset::is_available(p, ds.spec.min_ready_seconds, c.now)
}

fn owned(c: &Cluster, ds: &DaemonSet) -> Vec<Pod> {
    c.list::<Pod>(Some(&ds.metadata.namespace))
        .filter(|p| p.metadata.controller().is_some_and(|o| o.uid == ds.metadata.uid))
        .cloned()
        .collect()
}

fn update_status(c: &mut Cluster, ds: &DaemonSet, nodes: &[Node], hash: &str) {
    let (ns, name) = (ds.metadata.namespace.clone(), ds.metadata.name.clone());
    let mine = owned(c, ds);
    let mut st = DaemonSetStatus { observed_generation: ds.metadata.generation, ..Default::default() };
    for n in nodes {
        let here: Vec<&Pod> = mine
            .iter()
            .filter(|p| {
                p.spec.node_name.as_deref() == Some(n.metadata.name.as_str()) && p.metadata.deletion_timestamp.is_none()
            })
            .collect();
        let (should_run, _) = node_should_run(ds, n);
        let scheduled = !here.is_empty();
        if should_run {
            st.desired_number_scheduled += 1;
            if scheduled {
                st.current_number_scheduled += 1;
                // The newest pod on the node stands for it.
                let Some(p) = here.iter().max_by_key(|p| p.metadata.creation_timestamp) else { continue };
                if p.status.ready {
                    st.number_ready += 1;
                    if available(p, ds, c) {
                        st.number_available += 1;
                    }
                }
                if p.metadata.labels.get(REVISION_LABEL).map(String::as_str) == Some(hash) {
                    st.updated_number_scheduled += 1;
                }
            }
        } else if scheduled {
            st.number_misscheduled += 1;
        }
    }
    st.number_unavailable = st.desired_number_scheduled - st.number_available;
    if c.get::<DaemonSet>(&ns, &name).is_some_and(|d| d.status != st) {
        if let Some(d) = c.get_mut::<DaemonSet>(&ns, &name) {
            d.status = st;
        }
    }
}

fn delete(c: &mut Cluster, ds: &DaemonSet, pod: &str) {
    let (ns, name) = (&ds.metadata.namespace, &ds.metadata.name);
    let failed = c.get::<Pod>(ns, pod).is_some_and(|p| p.status.phase == PodPhase::Failed);
    if failed {
        super::delete_pod_now(c, ns, pod);
    } else {
        super::begin_termination(c, ns, pod, None);
    }
    c.record(Kind::DaemonSet, ns, name, "Normal", "SuccessfulDelete", format!("Deleted pod: {pod}"));
}

/// `AddOrUpdateDaemonPodTolerations`: the tolerations every daemon pod gets, so that node
/// conditions do not evict it (`NoExecute` ones) or keep it off a node (`NoSchedule`).
fn add_daemon_tolerations(spec: &mut PodSpec) {
    let mut wanted = vec![
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if spec.host_network {
        wanted.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    for (key, effect) in wanted {
        let same = |t: &Toleration| t.key.as_deref() == Some(key) && t.effect.as_deref() == Some(effect);
        if !spec.tolerations.iter().any(same) {
            spec.tolerations.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some(effect.into()),
                ..Default::default()
            });
        }
    }
}

/// A 5-character generateName suffix derived from a seed string (kubernetes' alphabet).
pub fn derived_suffix(seed: &str) -> String {
    let mut h = crate::names::fnv32a(seed.as_bytes()) as usize;
    let a = crate::names::ALPHANUMS;
    (0..5)
        .map(|_| {
            let ch = a[h % a.len()] as char;
            h /= a.len();
            ch
        })
        .collect()
}

fn create_pod(c: &mut Cluster, ds: &DaemonSet, node: &str, hash: &str) {
    let (ns, name) = (ds.metadata.namespace.clone(), ds.metadata.name.clone());
    // The first pod for a node keeps the suffix (and UID) the node has always had; a
    // replacement tries further seeds until the name is free.
    let mut attempt = 0u32;
    let pod_name = loop {
        let seed = if attempt == 0 { format!("{name}/{node}") } else { format!("{name}/{node}#{attempt}") };
        let n = format!("{name}-{}", derived_suffix(&seed));
        if c.get::<Pod>(&ns, &n).is_none() {
            break n;
        }
        attempt += 1;
    };
    if let Err(e) = c.pod_room(&pod_name) {
        c.record(Kind::DaemonSet, &ns, &name, "Warning", "FailedCreate", format!("Error creating: {e}"));
        return;
    }
    let uid_seed =
        if attempt == 0 { format!("pod/{ns}/{pod_name}") } else { format!("pod/{ns}/{pod_name}@{}", c.now.0) };
    let mut labels = ds.spec.template.metadata.labels.clone();
    labels.insert(REVISION_LABEL.into(), hash.to_string());
    labels.insert(GENERATION_LABEL.into(), ds.metadata.generation.max(1).to_string());
    let mut spec = ds.spec.template.spec.clone();
    spec.node_name = Some(node.to_string());
    add_daemon_tolerations(&mut spec);
    let pod = Pod {
        metadata: ObjectMeta {
            name: pod_name.clone(),
            generate_name: Some(format!("{name}-")),
            namespace: ns.clone(),
            uid: super::derived_uid(&uid_seed),
            labels,
            annotations: ds.spec.template.metadata.annotations.clone(),
            owner_references: vec![OwnerReference {
                api_version: "apps/v1".into(),
                kind: "DaemonSet".into(),
                name: name.clone(),
                uid: ds.metadata.uid.clone(),
                controller: true,
            }],
            ..Default::default()
        },
        spec,
        status: PodStatus::default(),
    };
    c.put(Object::Pod(pod));
    c.record(Kind::DaemonSet, &ns, &name, "Normal", "SuccessfulCreate", format!("Created pod: {pod_name}"));
}
