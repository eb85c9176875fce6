//! Routing throughput: 10,000 new connections to a ClusterIP through kube-proxy's decision
//! (`proxy::route`), and 10,000 full requests (connect, respond, hit counters, events).

use criterion::{criterion_group, criterion_main, Criterion};
use svclab_core::apply::apply_text;
use svclab_core::traffic::{self, Source};
use svclab_core::{Cluster, ClusterConfig};

const APP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 3
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: eddiehale/hellonodeapi
        ports:
        - containerPort: 3000
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
  - port: 80
    targetPort: 3000
";

fn setup() -> (Cluster, String, Source) {
    let mut c = Cluster::new(ClusterConfig::default(), 1);
    let _ = apply_text(&mut c, APP, "bench.yaml", "default");
    c.advance(20_000);
    let vip = c
        .get::<svclab_core::api::Service>("default", "api")
        .and_then(|s| s.spec.cluster_ip.clone())
        .unwrap_or_default();
    let src = Source::of_pod(&c, "lab", "toolbox").unwrap_or(Source {
        namespace: "lab".into(),
        pod: "toolbox".into(),
        ip: "10.244.1.9".into(),
        node: None,
    });
    (c, vip, src)
}

fn bench(cr: &mut Criterion) {
    let (base, vip, src) = setup();
    cr.bench_function("route_10k_clusterip_iptables", |b| {
        b.iter(|| {
            let mut c = base.clone();
            for _ in 0..10_000 {
                let now = c.now();
                std::hint::black_box(svclab_core::proxy::route(
                    &mut c,
                    src.node.as_deref(),
                    &vip,
                    80,
                    "TCP",
                    &src.ip,
                    now,
                ));
            }
        })
    });
    cr.bench_function("request_10k_clusterip", |b| {
        b.iter(|| {
            let mut c = base.clone();
            for _ in 0..10_000 {
                let id = traffic::begin_request(&mut c, &src, "api", 80);
                let _ = std::hint::black_box(traffic::request_once(&mut c, id, &src, &vip, 80));
            }
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
