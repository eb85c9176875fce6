//! Determinism: the same seed and the same command log give the same cluster (compared as
//! JSON of the whole `Cluster`) and the same timeline, on every run; and no sequence of
//! commands panics the controllers. A command log replays to the same state ([`replay`]).

use proptest::prelude::*;
use svclab_core::api::*;
use svclab_core::apply::apply_text;
use svclab_core::controllers;
use svclab_core::{Cluster, ClusterConfig};

const MANIFESTS: [&str; 5] = [
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n        ports:\n        - name: http\n          containerPort: 80\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.26\n        ports:\n        - name: http\n          containerPort: 80\n        readinessProbe:\n          httpGet:\n            path: /\n            port: 80\n          periodSeconds: 2\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: http\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  selector:\n    app: db\n  ports:\n  - port: 5432\n",
    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 2\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n        image: postgres:16\n",
];

/// One command of the log.
#[derive(Clone, Debug)]
enum Op {
    Apply(usize),
    Scale(i32),
    DeletePod(usize),
    FailReadiness(usize, bool),
    StopNode(usize),
    StartNode(usize),
    Advance(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..MANIFESTS.len()).prop_map(Op::Apply),
        (0..6i32).prop_map(Op::Scale),
        (0..8usize).prop_map(Op::DeletePod),
        ((0..8usize), any::<bool>()).prop_map(|(i, b)| Op::FailReadiness(i, b)),
        (0..3usize).prop_map(Op::StopNode),
        (0..3usize).prop_map(Op::StartNode),
        (0..20_000u64).prop_map(Op::Advance),
    ]
}

fn nth_pod(c: &Cluster, i: usize) -> Option<String> {
    let pods: Vec<String> = c.list::<Pod>(Some("default")).map(|p| p.metadata.name.clone()).collect();
    if pods.is_empty() {
        None
    } else {
        Some(pods[i % pods.len()].clone())
    }
}

fn nth_node(c: &Cluster, i: usize) -> String {
    let nodes: Vec<String> = c.list::<Node>(None).map(|n| n.metadata.name.clone()).collect();
    nodes[i % nodes.len()].clone()
}

fn run(c: &mut Cluster, op: &Op) {
    match op {
        Op::Apply(i) => {
            apply_text(c, MANIFESTS[*i], "m.yaml", "default");
            c.settle();
        }
        Op::Scale(n) => {
            if let Some(d) = c.get_mut::<Deployment>("default", "web") {
                d.spec.replicas = *n;
                d.metadata.generation += 1;
            }
            c.settle();
        }
        Op::DeletePod(i) => {
            if let Some(p) = nth_pod(c, *i) {
                controllers::delete_object(c, Kind::Pod, "default", &p, None);
            }
        }
        Op::FailReadiness(i, b) => {
            if let Some(p) = nth_pod(c, *i) {
                controllers::set_readiness_failed(c, "default", &p, *b);
            }
        }
        Op::StopNode(i) => {
            let n = nth_node(c, *i);
            controllers::stop_node(c, &n);
        }
        Op::StartNode(i) => {
            let n = nth_node(c, *i);
            controllers::start_node(c, &n);
        }
        Op::Advance(ms) => c.advance(*ms),
    }
}

/// Replay a command log from a seed.
fn replay(seed: u64, ops: &[Op]) -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default(), seed);
    for o in ops {
        run(&mut c, o);
    }
    c
}

fn snapshot(c: &Cluster) -> String {
    serde_json::to_string(c).expect("cluster serializes")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn same_seed_and_commands_same_cluster(seed in any::<u64>(), ops in prop::collection::vec(op(), 0..14)) {
        let a = replay(seed, &ops);
        let b = replay(seed, &ops);
        prop_assert_eq!(snapshot(&a), snapshot(&b));
        prop_assert_eq!(&a.log(), &b.log());
        prop_assert_eq!(&a.kube_events(), &b.kube_events());
    }
}

#[test]
fn a_snapshot_round_trips_and_continues_identically() {
    let ops =
        [Op::Apply(0), Op::Apply(2), Op::Advance(5_000), Op::Apply(1), Op::FailReadiness(1, true), Op::Advance(3_000)];
    let mut a = replay(42, &ops);
    // Restore from the JSON snapshot and continue: same as continuing the original.
    let mut b: Cluster = serde_json::from_str(&snapshot(&a)).expect("snapshot restores");
    for c in [&mut a, &mut b] {
        run(c, &Op::StopNode(1));
        run(c, &Op::Advance(60_000));
    }
    assert_eq!(snapshot(&a), snapshot(&b));
}

#[test]
fn different_seeds_give_different_names() {
    let ops = [Op::Apply(0), Op::Advance(3_000)];
    assert_ne!(snapshot(&replay(1, &ops)), snapshot(&replay(2, &ops)));
}
