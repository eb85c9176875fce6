//! The pod resolver (spec §5): resolv.conf per dnsPolicy and dnsConfig, the search list and
//! ndots, as `cat /etc/resolv.conf` shows it (containerd's layout: search, nameserver,
//! options).

use svclab_core::api::{Pod, PodDnsConfig};
use svclab_core::dns::resolver::{lookup, resolv_conf};
use svclab_core::dns::{DnsClient, RType, Rcode};
use svclab_core::{Cluster, ClusterConfig};

fn pod(ns: &str, policy: Option<&str>, host_network: bool, cfg: Option<PodDnsConfig>) -> Pod {
    let mut p = Pod::default();
    p.metadata.name = "p".into();
    p.metadata.namespace = ns.into();
    p.spec.dns_policy = policy.map(str::to_string);
    p.spec.host_network = host_network;
    p.spec.dns_config = cfg;
    p
}

fn opts(o: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    o.iter().map(|(n, v)| (n.to_string(), v.map(str::to_string))).collect()
}

#[test]
fn resolv_conf_follows_dns_policy_and_dns_config() {
    let c = Cluster::new(ClusterConfig::default(), 3);
    let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cases: Vec<(Pod, &str)> = vec![
        // ClusterFirst is the default.
        (
            pod("test", None, false, None),
            "search test.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
        ),
        // hostNetwork + ClusterFirst falls back to the node's resolver (Default).
        (pod("test", Some("ClusterFirst"), true, None), "nameserver 172.18.0.1\n"),
        (
            pod("test", Some("ClusterFirstWithHostNet"), true, None),
            "search test.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
        ),
        (pod("test", Some("Default"), false, None), "nameserver 172.18.0.1\n"),
        // The spec's dnsPolicy None example (dns-pod-service.md).
        (
            pod(
                "test",
                Some("None"),
                false,
                Some(PodDnsConfig {
                    nameservers: strs(&["192.0.2.1"]),
                    searches: strs(&["ns1.svc.cluster-domain.example", "my.dns.search.suffix"]),
                    options: opts(&[("ndots", Some("2")), ("edns0", None)]),
                }),
            ),
            "search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 192.0.2.1\noptions ndots:2 edns0\n",
        ),
        // ClusterFirst + dnsConfig: appended, deduplicated, options overridden.
        (
            pod(
                "test",
                None,
                false,
                Some(PodDnsConfig {
                    nameservers: strs(&["10.96.0.10", "1.1.1.1", "8.8.8.8", "9.9.9.9"]),
                    searches: strs(&["svc.cluster.local", "corp.example"]),
                    options: opts(&[("ndots", Some("1")), ("timeout", Some("2"))]),
                }),
            ),
            "search test.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\nnameserver 1.1.1.1\nnameserver 8.8.8.8\noptions ndots:1 timeout:2\n",
        ),
    ];
    for (p, want) in cases {
        assert_eq!(resolv_conf(&c, &p).render(), want, "{:?} {:?}", p.spec.dns_policy, p.spec.dns_config);
    }
}

#[test]
fn search_list_is_capped_at_32_domains() {
    let c = Cluster::new(ClusterConfig::default(), 3);
    let many: Vec<String> = (0..40).map(|i| format!("d{i}.example")).collect();
    let p = pod(
        "test",
        Some("None"),
        false,
        Some(PodDnsConfig { nameservers: vec!["192.0.2.1".into()], searches: many, options: vec![] }),
    );
    assert_eq!(resolv_conf(&c, &p).searches.len(), 32);
}

#[test]
fn short_names_resolve_through_the_search_list_as_the_spec_describes() {
    // spec §5: from namespace `test`, `data.prod` is tried as data.prod.test.svc.cluster.local
    // (NXDOMAIN) and then data.prod.svc.cluster.local (hit).
    let mut c = Cluster::new(ClusterConfig::default(), 3);
    let yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: test\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: data\n  namespace: prod\nspec:\n  clusterIP: 10.96.7.7\n  ports:\n  - port: 5432\n";
    assert!(svclab_core::apply::apply_text(&mut c, yaml, "y", "default").ok());
    let rc = resolv_conf(&c, &pod("test", None, false, None));
    let l = lookup(&mut c, &DnsClient::default(), &rc, "data.prod", RType::A);
    assert_eq!(
        l.tried,
        vec![
            ("data.prod.test.svc.cluster.local".to_string(), Rcode::NxDomain),
            ("data.prod.svc.cluster.local".to_string(), Rcode::NoError)
        ]
    );
    assert_eq!(l.response.addresses(), ["10.96.7.7"]);
    // `data` alone from `test` only tries test's names, then the bare name, and fails.
    let l = lookup(&mut c, &DnsClient::default(), &rc, "data", RType::A);
    assert_eq!(l.name, None);
    assert_eq!(l.tried.len(), 4);
    // A trailing dot skips the search list.
    let l = lookup(&mut c, &DnsClient::default(), &rc, "data.prod.svc.cluster.local.", RType::A);
    assert_eq!(l.tried.len(), 1);
}

#[test]
fn set_hostname_as_fqdn_longer_than_64_is_refused_with_the_kubelets_words() {
    let c = Cluster::new(ClusterConfig::default(), 3);
    let mut p = pod("a-rather-long-namespace-name", None, false, None);
    p.spec.hostname = Some("a-long-hostname".into());
    p.spec.subdomain = Some("a-long-subdomain".into());
    p.spec.set_hostname_as_fqdn = Some(true);
    let fqdn = "a-long-hostname.a-long-subdomain.a-rather-long-namespace-name.svc.cluster.local";
    assert_eq!(
        svclab_core::dns::resolver::fqdn_too_long(&c, &p),
        Some(format!("Failed to create pod sandbox: failed to construct FQDN from pod hostname and cluster domain, FQDN {fqdn} is too long (64 characters is the max, {} characters requested)", fqdn.len()))
    );
    p.spec.set_hostname_as_fqdn = None;
    assert_eq!(svclab_core::dns::resolver::fqdn_too_long(&c, &p), None);
}
