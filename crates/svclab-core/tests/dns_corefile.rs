//! CoreDNS configured from the `kube-system/coredns` ConfigMap: plugin options change the
//! answers, an edited ConfigMap is reloaded, a broken one is refused and the old one kept.

use svclab_core::apply::apply_text;
use svclab_core::dns::{self, RType, Rcode};
use svclab_core::{Cluster, ClusterConfig};

fn cluster() -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default(), 7);
    let report = apply_text(&mut c, include_str!("fixtures/dns/handler.yaml"), "handler.yaml", "default");
    assert!(report.ok(), "{report:?}");
    c.settle();
    c
}

fn set_corefile(c: &mut Cluster, corefile: &str) {
    let body: String = corefile.lines().map(|l| format!("    {l}\n")).collect();
    let yaml = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: |\n{body}"
    );
    let report = apply_text(c, &yaml, "coredns.yaml", "default");
    assert!(report.ok(), "{report:?}");
    c.advance(100);
}

fn ask(c: &mut Cluster, name: &str, t: RType) -> (Rcode, Vec<String>) {
    let r = dns::query(c, &Default::default(), name, t);
    let mut v: Vec<String> =
        r.answers.iter().map(|a| format!("{} {} {}", a.ttl, a.rtype().as_str(), a.rdata_text())).collect();
    v.sort();
    (r.rcode, v)
}

fn block(kubernetes_options: &str, extra: &str) -> String {
    format!(".:53 {{\n    errors\n    kubernetes cluster.local in-addr.arpa ip6.arpa {{\n{kubernetes_options}\n    }}\n{extra}\n    forward . /etc/resolv.conf\n}}\n")
}

#[test]
fn plugin_options_change_the_answers() {
    // (kubernetes options, question, expected rcode, expected answers)
    let cases: &[(&str, &str, RType, Rcode, &[&str])] = &[
        // Plugin defaults: pods disabled, ttl 5.
        ("", "172-0-0-9.testns.pod.cluster.local.", RType::A, Rcode::NxDomain, &[]),
        ("", "svc1.testns.svc.cluster.local.", RType::A, Rcode::NoError, &["5 A 10.96.100.1"]),
        ("ttl 60", "svc1.testns.svc.cluster.local.", RType::A, Rcode::NoError, &["60 A 10.96.100.1"]),
        // pods verified: only IPs of existing pods in that namespace.
        ("pods verified", "172-0-0-9.testns.pod.cluster.local.", RType::A, Rcode::NxDomain, &[]),
        ("pods insecure", "172-0-0-9.testns.pod.cluster.local.", RType::A, Rcode::NoError, &["5 A 172.0.0.9"]),
        // `<ns>.pod.<zone>` (coredns kubernetes.go findPods, empty pod name): NODATA for an
        // existing namespace, NXDOMAIN for a missing one or with pods disabled.
        ("pods insecure", "testns.pod.cluster.local.", RType::A, Rcode::NoError, &[]),
        ("pods verified", "testns.pod.cluster.local.", RType::A, Rcode::NoError, &[]),
        ("pods verified", "nons.pod.cluster.local.", RType::A, Rcode::NxDomain, &[]),
        ("", "testns.pod.cluster.local.", RType::A, Rcode::NxDomain, &[]),
        // ignore empty_service: a ClusterIP Service without ready endpoints is NXDOMAIN.
        ("ignore empty_service", "svcempty.testns.svc.cluster.local.", RType::A, Rcode::NxDomain, &[]),
        ("ignore empty_service", "svc1.testns.svc.cluster.local.", RType::A, Rcode::NoError, &["5 A 10.96.100.1"]),
        // namespaces: only the listed ones are exposed.
        ("namespaces default", "svc1.testns.svc.cluster.local.", RType::A, Rcode::NxDomain, &[]),
        ("namespaces testns", "svc1.testns.svc.cluster.local.", RType::A, Rcode::NoError, &["5 A 10.96.100.1"]),
    ];
    for (opts, q, t, rcode, want) in cases {
        let mut c = cluster();
        set_corefile(&mut c, &block(&format!("        {opts}"), ""));
        assert_eq!(dns::config_status(&c), Ok(()));
        let (got_rcode, got) = ask(&mut c, q, *t);
        assert_eq!(got_rcode, *rcode, "{opts}: {q}");
        assert_eq!(got, *want, "{opts}: {q}");
    }
}

#[test]
fn verified_pod_records_need_a_pod_with_that_ip() {
    let mut c = cluster();
    set_corefile(&mut c, &block("        pods verified", ""));
    let pod = c
        .list::<svclab_core::api::Pod>(Some("lab"))
        .find_map(|p| p.status.pod_ip.clone())
        .expect("the toolbox pod has an IP");
    let name = format!("{}.lab.pod.cluster.local.", pod.replace('.', "-"));
    assert_eq!(ask(&mut c, &name, RType::A), (Rcode::NoError, vec![format!("5 A {pod}")]));
    let wrong_ns = format!("{}.testns.pod.cluster.local.", pod.replace('.', "-"));
    assert_eq!(ask(&mut c, &wrong_ns, RType::A).0, Rcode::NxDomain);
}

#[test]
fn endpoint_pod_names_names_endpoints_after_their_pods() {
    let mut c = cluster();
    let slice = "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: hdls2-1\n  namespace: testns\n  labels:\n    kubernetes.io/service-name: hdls1\naddressType: IPv4\nendpoints:\n- addresses: [\"172.0.0.40\"]\n  targetRef:\n    kind: Pod\n    namespace: testns\n    name: web-0\nports:\n- name: http\n  protocol: TCP\n  port: 80\n";
    assert!(apply_text(&mut c, slice, "s.yaml", "default").ok());
    assert_eq!(ask(&mut c, "web-0.hdls1.testns.svc.cluster.local.", RType::A).0, Rcode::NxDomain);
    assert_eq!(ask(&mut c, "172-0-0-40.hdls1.testns.svc.cluster.local.", RType::A).0, Rcode::NoError);
    set_corefile(&mut c, &block("        endpoint_pod_names", ""));
    assert_eq!(
        ask(&mut c, "web-0.hdls1.testns.svc.cluster.local.", RType::A),
        (Rcode::NoError, vec!["5 A 172.0.0.40".into()])
    );
}

#[test]
fn hosts_entries_answer_before_the_cluster_and_the_upstream() {
    let mut c = cluster();
    let hosts = "    hosts {\n        10.1.2.3 registry.corp.example\n        fallthrough\n    }";
    set_corefile(&mut c, &block("        pods insecure", hosts));
    assert_eq!(ask(&mut c, "registry.corp.example", RType::A), (Rcode::NoError, vec!["3600 A 10.1.2.3".into()]));
    assert_eq!(ask(&mut c, "svc1.testns.svc.cluster.local.", RType::A).0, Rcode::NoError);
    assert_eq!(ask(&mut c, "example.com.", RType::A), (Rcode::NoError, vec!["30 A 93.184.215.14".into()]));
    // Without fallthrough, hosts answers SERVFAIL for every name it does not list.
    set_corefile(&mut c, &block("", "    hosts {\n        10.1.2.3 registry.corp.example\n    }"));
    assert_eq!(ask(&mut c, "svc1.testns.svc.cluster.local.", RType::A).0, Rcode::ServFail);
}

#[test]
fn without_forward_outside_names_fail_and_without_loadbalance_order_is_stable() {
    let mut c = cluster();
    set_corefile(&mut c, ".:53 {\n    kubernetes cluster.local\n}\n");
    assert_eq!(ask(&mut c, "example.com.", RType::A).0, Rcode::ServFail);
    let first = dns::query(&mut c, &Default::default(), "hdls1.testns.svc.cluster.local.", RType::A).addresses();
    for _ in 0..5 {
        assert_eq!(
            dns::query(&mut c, &Default::default(), "hdls1.testns.svc.cluster.local.", RType::A).addresses(),
            first
        );
    }
}

#[test]
fn a_broken_corefile_keeps_the_old_one_and_says_why() {
    let mut c = cluster();
    set_corefile(&mut c, &block("        pods insecure\n        ttl 60", ""));
    assert_eq!(ask(&mut c, "svc1.testns.svc.cluster.local.", RType::A).1, ["60 A 10.96.100.1"]);
    set_corefile(&mut c, ".:53 {\n    kubernets cluster.local\n}\n");
    let why = "plugin/reload: Corefile changed but reload failed: /etc/coredns/Corefile:2 - Error during parsing: Unknown directive 'kubernets'";
    assert_eq!(dns::config_status(&c), Err(why.to_string()));
    assert_eq!(c.dns.log.last().map(String::as_str), Some(format!("[ERROR] {why}").as_str()));
    assert!(c.kube_events.iter().any(|e| e.message == why && e.type_ == "Warning"));
    // Still the old configuration.
    assert_eq!(ask(&mut c, "svc1.testns.svc.cluster.local.", RType::A).1, ["60 A 10.96.100.1"]);
    // Fixing it reloads.
    set_corefile(&mut c, &block("        ttl 10", ""));
    assert_eq!(dns::config_status(&c), Ok(()));
    assert_eq!(ask(&mut c, "svc1.testns.svc.cluster.local.", RType::A).1, ["10 A 10.96.100.1"]);
    assert!(c.dns.log.iter().any(|l| l == "[INFO] Reloading complete"));
}

#[test]
fn every_query_is_logged_for_the_ui() {
    let mut c = cluster();
    let before = c.log.len();
    let client = dns::DnsClient { namespace: "lab".into(), pod: "toolbox".into(), ip: "10.244.0.5".into() };
    dns::query(&mut c, &client, "SVC1.testns.svc.cluster.local", RType::A);
    let logged: Vec<&dns::DnsLogEntry> = c.log[before..]
        .iter()
        .filter_map(|e| match e {
            svclab_core::cluster::SimEvent::DnsQueried { query, .. } => Some(query),
            _ => None,
        })
        .collect();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].qname, "svc1.testns.svc.cluster.local.");
    assert_eq!((logged[0].rcode, logged[0].ttl), (Rcode::NoError, Some(30)));
    assert_eq!(logged[0].answers, ["10.96.100.1"]);
    assert_eq!(logged[0].client.pod, "toolbox");
}

#[test]
fn the_log_plugin_logs_each_query_in_corednss_format() {
    let mut c = cluster();
    set_corefile(&mut c, ".:53 {\n    log\n    kubernetes cluster.local\n    forward . /etc/resolv.conf\n}\n");
    let client = dns::DnsClient { namespace: "lab".into(), pod: "toolbox".into(), ip: "10.244.0.5".into() };
    dns::query(&mut c, &client, "kubernetes.default.svc.cluster.local", RType::A);
    let line = c.dns.log.last().cloned().unwrap_or_default();
    // spec §8: `... "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR ... 106 ...s`
    assert!(line.starts_with("[INFO] 10.244.0.5:"), "{line}");
    assert!(
        line.contains(" \"A IN kubernetes.default.svc.cluster.local. udp 54 false 512\" NOERROR qr,aa,rd 106 0.000"),
        "{line}"
    );
    assert!(line.ends_with('s'));
}

#[test]
fn the_most_specific_server_block_serves_a_name() {
    let mut c = cluster();
    set_corefile(
        &mut c,
        "cluster.local:53 {\n    kubernetes\n}\nexample.com:53 {\n    hosts {\n        10.9.9.9 example.com\n    }\n}\n",
    );
    assert_eq!(
        ask(&mut c, "svc1.testns.svc.cluster.local.", RType::A),
        (Rcode::NoError, vec!["5 A 10.96.100.1".into()])
    );
    assert_eq!(ask(&mut c, "example.com.", RType::A), (Rcode::NoError, vec!["3600 A 10.9.9.9".into()]));
    // No block for the root zone: CoreDNS refuses.
    assert_eq!(ask(&mut c, "kubernetes.io.", RType::A).0, Rcode::Refused);
}
