//! A DNS query against one headless Service with 5,000 ready endpoints (50 EndpointSlices of
//! 100): the cost of CoreDNS's `kubernetes` plugin path in the lab, per query.
//! Run: `cargo bench -p svclab-core --bench dns`.

use criterion::{criterion_group, criterion_main, Criterion};
use svclab_core::api::*;
use svclab_core::dns::{self, DnsClient, RType};
use svclab_core::{Cluster, ClusterConfig};

fn big_headless() -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default(), 1);
    let mut svc = Service::default();
    svc.metadata.name = "big".into();
    svc.metadata.namespace = "default".into();
    svc.spec.cluster_ip = Some("None".into());
    svc.spec.cluster_ips = vec!["None".into()];
    svc.spec.ports = vec![ServicePort {
        name: Some("http".into()),
        protocol: "TCP".into(),
        port: 80,
        target_port: IntOrString::Int(8080),
        node_port: None,
        app_protocol: None,
    }];
    c.put(Object::Service(svc));
    for s in 0..50u32 {
        let mut slice = EndpointSlice { address_type: "IPv4".into(), ..Default::default() };
        slice.metadata.name = format!("big-{s:02}");
        slice.metadata.namespace = "default".into();
        slice.metadata.labels.insert("kubernetes.io/service-name".into(), "big".into());
        slice.ports = vec![EndpointPort {
            name: Some("http".into()),
            port: Some(8080),
            protocol: Some("TCP".into()),
            app_protocol: None,
        }];
        for i in 0..100u32 {
            let n = s * 100 + i;
            slice.endpoints.push(Endpoint {
                addresses: vec![format!("10.244.{}.{}", n / 250, n % 250 + 2)],
                conditions: EndpointConditions { ready: Some(true), ..Default::default() },
                ..Default::default()
            });
        }
        c.put(Object::EndpointSlice(slice));
    }
    c
}

fn bench(cr: &mut Criterion) {
    let mut c = big_headless();
    let client = DnsClient::default();
    assert_eq!(dns::query(&mut c, &client, "big.default.svc.cluster.local.", RType::A).answers.len(), 5000);
    cr.bench_function("dns_headless_5000_endpoints_A", |b| {
        // The timeline bounds itself (`LOG_KEEP`, trimmed in halves), as in a long session.
        b.iter(|| dns::query(&mut c, &client, "big.default.svc.cluster.local.", RType::A))
    });
    let cf = dns::active_corefile(&c);
    cr.bench_function("dns_headless_5000_endpoints_A_serve_only", |b| {
        b.iter(|| dns::serve(&c, &cf, "big.default.svc.cluster.local.", RType::A))
    });
    cr.bench_function("dns_headless_5000_endpoints_SRV", |b| {
        b.iter(|| dns::serve(&c, &cf, "_http._tcp.big.default.svc.cluster.local.", RType::SRV))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
