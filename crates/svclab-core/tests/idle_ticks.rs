//! Idle ticks: `Cluster::advance` passes over ticks where nothing is due
//! (`controllers::next_wake`) instead of running them. A cluster built that way must equal,
//! as JSON of the whole `Cluster` (store, timeline, events, controller state, work counter),
//! one that runs every tick (`Cluster::new_every_tick`): at boot, for every scenario and its
//! traffic, under random command logs, and when a work budget stops time.

use proptest::prelude::*;
use svclab_core::api::*;
use svclab_core::apply::apply_text;
use svclab_core::controllers;
use svclab_core::{scenario, Cluster, ClusterConfig, Lab};

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

fn snapshot(c: &Cluster) -> String {
    serde_json::to_string(c).expect("cluster serializes")
}

/// Both clusters for `seed`: (skipping idle ticks, running every tick).
fn pair(seed: u64) -> (Cluster, Cluster) {
    (Cluster::new(ClusterConfig::default(), seed), Cluster::new_every_tick(ClusterConfig::default(), seed))
}

#[test]
fn booting_skips_idle_ticks_and_equals_running_them_all() {
    for seed in [0, 1, 2, 42] {
        let (fast, plain) = pair(seed);
        assert_eq!(snapshot(&fast), snapshot(&plain), "seed {seed}");
        assert_eq!(fast.work(), plain.work());
    }
}

/// Every built-in scenario as the page starts it (`Lab::start`: manifests, 5 s, traffic
/// clients), then two minutes of traffic and a scale-down.
#[test]
fn every_scenario_starts_and_runs_the_same_either_way() {
    for sc in scenario::ALL {
        for seed in [1, 7] {
            let fast = Lab::start(seed, sc);
            let mut plain = Lab::on(Cluster::new_every_tick(ClusterConfig::default(), seed));
            let _ = apply_text(&mut plain.cluster, sc.manifests, "scenario.yaml", "default");
            plain.cluster.advance(5_000);
            sc.start_traffic(&mut plain);
            assert_eq!(snapshot(&fast.cluster), snapshot(&plain.cluster), "{} seed {seed} at start", sc.id);
            let (mut a, mut b) = (fast, plain);
            for lab in [&mut a, &mut b] {
                lab.cluster.advance(120_000);
                let _ = lab.input("kubectl scale deployment --all --replicas=1");
                let _ = lab.input("sleep 45");
            }
            assert_eq!(snapshot(&a.cluster), snapshot(&b.cluster), "{} seed {seed} later", sc.id);
        }
    }
}

#[test]
fn a_work_budget_stops_time_at_the_same_tick() {
    for units in [0, 1, 5, 50, 500] {
        let (mut fast, mut plain) = pair(3);
        for c in [&mut fast, &mut plain] {
            c.set_budget(Some(units));
            c.advance(600_000);
            c.set_budget(None);
        }
        assert_eq!(fast.now(), plain.now(), "budget {units}");
        assert_eq!(snapshot(&fast), snapshot(&plain), "budget {units}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_command_logs_give_the_same_cluster(seed in any::<u64>(), ops in prop::collection::vec(op(), 0..14)) {
        let (mut a, mut b) = pair(seed);
        for o in &ops {
            run(&mut a, o);
            run(&mut b, o);
            prop_assert_eq!(snapshot(&a), snapshot(&b), "after {:?}", o);
        }
    }
}
