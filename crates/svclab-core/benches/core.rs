//! Controller cost: apply Deployments (+ one Service over all their pods) and reconcile until
//! every pod is Ready, and one reconcile pass and one tick at steady state, at 50, 500 and
//! 5,000 pods. A Deployment holds at most 1,000 replicas (`validation::MAX_REPLICAS`), so
//! 5,000 pods are five Deployments; the lab's page holds at most 2,000 pods
//! (`cluster::MAX_PODS`), so these clusters raise `ClusterConfig::max_pods` through the core
//! API, and use 49 workers (the 50-node limit) for the kubelet's 110 pods per node.
//! Run: `cargo bench -p svclab-core` (add `-- --measurement-time 5` for a quick pass).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use svclab_core::api::*;
use svclab_core::apply::apply_text;
use svclab_core::{Cluster, ClusterConfig};

pub fn manifests(pods: usize) -> String {
    let deployments = pods.div_ceil(1000);
    let mut out = String::new();
    for d in 0..deployments {
        let replicas = pods / deployments;
        out.push_str(&format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web{d}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: web\n      part: p{d}\n  template:\n    metadata:\n      labels:\n        app: web\n        part: p{d}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n        ports:\n        - name: http\n          containerPort: 80\n---\n"
        ));
    }
    out.push_str("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: http\n");
    out
}

/// Enough workers for the kubelet's 110 pods per node (one per 100 pods, plus one, at most
/// the lab's 49), and room for the pods.
pub fn config(pods: usize) -> ClusterConfig {
    let workers = "- role: worker\n".repeat((pods / 100 + 1).min(ClusterConfig::MAX_NODES - 1));
    let (mut cfg, diags) = ClusterConfig::from_kind_yaml(&format!(
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n{workers}"
    ));
    assert!(diags.is_empty());
    cfg.max_pods = cfg.max_pods.max(pods + 1000);
    cfg
}

fn ready_pods(c: &Cluster) -> usize {
    c.list::<Pod>(Some("default")).filter(|p| p.status.ready).count()
}

fn to_ready(c: &mut Cluster, n: usize) {
    let r = apply_text(c, &manifests(n), "bench.yaml", "default");
    assert!(r.ok(), "{}", r.output());
    let mut guard = 0;
    while ready_pods(c) < n && guard < 600 {
        c.advance(svclab_core::cluster::TICK_MS);
        guard += 1;
    }
    assert_eq!(ready_pods(c), n);
}

fn bench(cr: &mut Criterion) {
    for n in [50usize, 500, 5_000] {
        let base = Cluster::new(config(n), 1);
        let mut g = cr.benchmark_group(format!("{n}_pods"));
        g.sample_size(10);
        g.bench_function("apply_and_reconcile_to_ready", |b| {
            b.iter_batched(|| base.clone(), |mut c| to_ready(&mut c, n), BatchSize::LargeInput)
        });
        let mut steady = base.clone();
        to_ready(&mut steady, n);
        // Let the status writes of the last transitions settle.
        steady.advance(2_000);
        g.bench_function("steady_state_reconcile_pass", |b| {
            b.iter_batched(
                || steady.clone(),
                |mut c| {
                    c.settle();
                    c
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function("steady_state_tick", |b| {
            b.iter_batched(
                || steady.clone(),
                |mut c| {
                    c.advance(svclab_core::cluster::TICK_MS);
                    c
                },
                BatchSize::LargeInput,
            )
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
