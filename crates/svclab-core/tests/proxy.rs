//! kube-proxy: chain names, rule text, endpoint selection and load balancing (spec §6).

use svclab_core::apply::apply_text;
use svclab_core::cluster::config::ProxyMode;
use svclab_core::proxy::{self, hash, iptables, Verdict};
use svclab_core::time::SimTime;
use svclab_core::{Cluster, ClusterConfig};

fn cluster(mode: ProxyMode, yaml: &str) -> Cluster {
    let cfg = ClusterConfig { kube_proxy_mode: mode, ..Default::default() };
    let mut c = Cluster::new(cfg, 42);
    if !yaml.is_empty() {
        let report = apply_text(&mut c, yaml, "test.yaml", "default");
        assert!(report.ok(), "{}", report.output());
    }
    c.advance(20_000);
    c
}

/// A selector-less Service whose EndpointSlice is written by hand, so each endpoint's node
/// and conditions are exactly what the case needs.
fn manual(extra_spec: &str, endpoints: &[(&str, &str, &str)]) -> String {
    let mut eps = String::new();
    for (ip, node, conditions) in endpoints {
        eps.push_str(&format!("- addresses: [\"{ip}\"]\n  nodeName: {node}\n  conditions: {conditions}\n"));
    }
    let eps_yaml = if endpoints.is_empty() { "endpoints: []\n".to_string() } else { format!("endpoints:\n{eps}") };
    format!(
        "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - name: http
    port: 80
    targetPort: 8080
{extra_spec}---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-manual
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
ports:
- name: http
  port: 8080
  protocol: TCP
{eps_yaml}"
    )
}

/// Hand-written endpoints: (IP, nodeName, conditions).
type Eps<'a> = Vec<(&'a str, &'a str, &'a str)>;

const READY: &str = "{ready: true}";
const TERMINATING_SERVING: &str = "{ready: false, serving: true, terminating: true}";
const TERMINATING_NOT_SERVING: &str = "{ready: false, serving: false, terminating: true}";

fn vip(c: &Cluster, name: &str) -> String {
    c.get::<svclab_core::api::Service>("default", name).and_then(|s| s.spec.cluster_ip.clone()).unwrap_or_default()
}

fn route_from(c: &mut Cluster, node: &str, ip: &str, port: i32) -> proxy::RouteDecision {
    let now = c.now();
    proxy::route(c, Some(node), ip, port, "TCP", "10.244.1.200", now)
}

fn picked(d: &proxy::RouteDecision) -> Option<String> {
    match &d.verdict {
        Verdict::Dnat { ip, port, .. } => Some(format!("{ip}:{port}")),
        _ => None,
    }
}

#[test]
fn chain_name_hashes_match_spec_vectors() {
    // spec §6.2 and §6.4: verified against kube-proxy's own tests.
    for (input, proto, want) in [
        ("ns1/svc1:p80", "tcp", "XPGD46QRK7WJZT7O"),
        ("kube-system/kube-dns:dns", "udp", "TCOU7JCQXEZGVUNU"),
        ("default/kubernetes:https", "tcp", "NPX46M4PTMTKRN6Y"),
        // The protocol is lower-cased before hashing.
        ("ns1/svc1:p80", "TCP", "XPGD46QRK7WJZT7O"),
    ] {
        assert_eq!(hash::port_proto_hash(input, proto), want, "{input}{proto}");
    }
    assert_eq!(hash::service_chain("KUBE-SVC-", "ns1/svc1:p80", "TCP"), "KUBE-SVC-XPGD46QRK7WJZT7O");
    assert_eq!(hash::nft_hash("ns3/svc3/tcp/p80"), "4AT6LBPK");
}

#[test]
fn iptables_save_shows_the_real_chain_layout() {
    let c = cluster(
        ProxyMode::Iptables,
        &manual(
            "",
            &[
                ("10.244.1.5", "kind-worker", READY),
                ("10.244.2.5", "kind-worker2", READY),
                ("10.244.2.6", "kind-worker2", READY),
            ],
        ),
    );
    let ip = vip(&c, "web");
    let text = iptables::save(&c, "kind-worker", Some("nat")).unwrap_or_default();
    let svc = hash::service_chain("KUBE-SVC-", "default/web:http", "tcp");
    let sep = |ep: &str| hash::endpoint_chain("default/web:http", "tcp", ep);
    for want in [
        "*nat\n".to_string(),
        ":KUBE-MARK-MASQ - [0:0]\n".to_string(),
        ":KUBE-POSTROUTING - [0:0]\n".to_string(),
        format!(":{svc} - [0:0]\n"),
        "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n".to_string(),
        format!("-A KUBE-SERVICES -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d {ip} --dport 80 -j {svc}\n"),
        format!("-A {svc} -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d {ip} --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ\n"),
        format!("-A {svc} -m comment --comment \"default/web:http -> 10.244.1.5:8080\" -m statistic --mode random --probability 0.3333333333 -j {}\n", sep("10.244.1.5:8080")),
        format!("-A {svc} -m comment --comment \"default/web:http -> 10.244.2.5:8080\" -m statistic --mode random --probability 0.5000000000 -j {}\n", sep("10.244.2.5:8080")),
        format!("-A {svc} -m comment --comment \"default/web:http -> 10.244.2.6:8080\" -j {}\n", sep("10.244.2.6:8080")),
        format!("-A {} -m comment --comment default/web:http -s 10.244.1.5 -j KUBE-MARK-MASQ\n", sep("10.244.1.5:8080")),
        format!("-A {} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080\n", sep("10.244.1.5:8080")),
        // kube-dns is there too, with its verified hash.
        "KUBE-SVC-TCOU7JCQXEZGVUNU".to_string(),
        "COMMIT\n".to_string(),
    ] {
        assert!(text.contains(&want), "missing {want:?} in\n{text}");
    }
    assert!(!text.contains("*filter"), "-t nat shows only the nat table");
    assert!(iptables::save(&c, "kind-worker", None).unwrap_or_default().contains("*filter\n"));
    assert!(iptables::save(&c, "kind-worker", Some("bogus")).is_err());
}

#[test]
fn iptables_choice_is_uniform() {
    // 3 endpoints, 30,000 connections: each endpoint's share must be within ±0.03 of 1/3.
    // The share's standard deviation is sqrt((1/3)(2/3)/30000) ≈ 0.0027, so the bound is
    // 11 standard deviations: a correct implementation fails it with probability < 1e-27
    // for any seed, while a skewed rule set (e.g. 1/3, 1/3, rest ⇒ 0.33/0.22/0.44) fails it.
    let mut c = cluster(
        ProxyMode::Iptables,
        &manual(
            "",
            &[
                ("10.244.1.5", "kind-worker", READY),
                ("10.244.2.5", "kind-worker2", READY),
                ("10.244.2.6", "kind-worker2", READY),
            ],
        ),
    );
    let ip = vip(&c, "web");
    let mut counts = std::collections::BTreeMap::new();
    let n = 30_000;
    for _ in 0..n {
        let d = route_from(&mut c, "kind-worker", &ip, 80);
        *counts.entry(picked(&d).unwrap_or_default()).or_insert(0u32) += 1;
    }
    assert_eq!(counts.len(), 3, "{counts:?}");
    for (ep, k) in &counts {
        let share = f64::from(*k) / f64::from(n);
        assert!((share - 1.0 / 3.0).abs() <= 0.03, "{ep}: {share}");
    }
}

#[test]
fn ipvs_is_exact_round_robin() {
    let mut c = cluster(
        ProxyMode::Ipvs,
        &manual(
            "",
            &[
                ("10.244.1.5", "kind-worker", READY),
                ("10.244.2.5", "kind-worker2", READY),
                ("10.244.2.6", "kind-worker2", READY),
            ],
        ),
    );
    let ip = vip(&c, "web");
    let got: Vec<String> = (0..7).filter_map(|_| picked(&route_from(&mut c, "kind-worker", &ip, 80))).collect();
    let order = ["10.244.1.5:8080", "10.244.2.5:8080", "10.244.2.6:8080"];
    let want: Vec<String> = (0..7).map(|i| order[i % 3].to_string()).collect();
    assert_eq!(got, want);
    let listing = proxy::ipvs::list(&c, "kind-worker");
    assert!(listing.starts_with("IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"));
    assert!(
        listing.contains(&format!(
            "TCP  {ip}:80 rr\n  -> 10.244.1.5:8080              Masq    1      0          0         \n"
        )),
        "{listing}"
    );
}

#[test]
fn client_ip_affinity_pins_and_expires() {
    let spec = "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 10\n";
    for mode in [ProxyMode::Iptables, ProxyMode::Ipvs, ProxyMode::Nftables] {
        let mut c = cluster(
            mode,
            &manual(
                spec,
                &[
                    ("10.244.1.5", "kind-worker", READY),
                    ("10.244.2.5", "kind-worker2", READY),
                    ("10.244.2.6", "kind-worker2", READY),
                ],
            ),
        );
        let ip = vip(&c, "web");
        let first = picked(&route_from(&mut c, "kind-worker", &ip, 80));
        for _ in 0..50 {
            c.advance(100);
            let d = route_from(&mut c, "kind-worker", &ip, 80);
            assert_eq!(picked(&d), first, "{mode:?}: pinned");
        }
        if mode == ProxyMode::Iptables {
            let d = route_from(&mut c, "kind-worker", &ip, 80);
            assert!(d.rule.contains("--rcheck --seconds 10 --reap"), "{}", d.rule);
        }
        // Idle longer than the timeout: the entry has expired and the pick is fresh.
        c.advance(11_000);
        let later = c.now();
        let d = proxy::route(&mut c, Some("kind-worker"), &ip, 80, "TCP", "10.244.1.200", later);
        assert!(!d.rule.contains("--rcheck") && !d.rule.contains("@affinity"), "{mode:?}: {}", d.rule);
        // Another client is not pinned by the first one's entry.
        let other = proxy::route(&mut c, Some("kind-worker"), &ip, 80, "TCP", "10.244.2.99", later);
        assert!(!other.rule.contains("--rcheck"), "{}", other.rule);
    }
}

#[test]
fn endpoint_selection_follows_spec_6_1() {
    // (case, extra spec, endpoints, from node, want verdict, want endpoint)
    type Case<'a> = (&'a str, &'a str, Eps<'a>, &'a str, &'a str, Option<&'a str>);
    let cases: Vec<Case> = vec![
        ("no endpoints: REJECT", "", vec![], "kind-worker", "reject", None),
        (
            "terminating fallback: serving+terminating used when none is ready",
            "",
            vec![
                ("10.244.1.5", "kind-worker", TERMINATING_NOT_SERVING),
                ("10.244.2.5", "kind-worker2", TERMINATING_SERVING),
            ],
            "kind-worker",
            "dnat",
            Some("10.244.2.5:8080"),
        ),
        (
            "ready endpoints win over terminating ones",
            "",
            vec![("10.244.1.5", "kind-worker", TERMINATING_SERVING), ("10.244.2.5", "kind-worker2", READY)],
            "kind-worker",
            "dnat",
            Some("10.244.2.5:8080"),
        ),
        (
            "only not-serving endpoints: REJECT",
            "",
            vec![("10.244.1.5", "kind-worker", TERMINATING_NOT_SERVING)],
            "kind-worker",
            "reject",
            None,
        ),
        (
            "internalTrafficPolicy Local, no local endpoint: DROP",
            "  internalTrafficPolicy: Local\n",
            vec![("10.244.2.5", "kind-worker2", READY)],
            "kind-worker",
            "drop",
            None,
        ),
        (
            "internalTrafficPolicy Local picks the local endpoint",
            "  internalTrafficPolicy: Local\n",
            vec![("10.244.1.5", "kind-worker", READY), ("10.244.2.5", "kind-worker2", READY)],
            "kind-worker2",
            "dnat",
            Some("10.244.2.5:8080"),
        ),
        (
            "internalTrafficPolicy Local, no endpoints at all: REJECT",
            "  internalTrafficPolicy: Local\n",
            vec![],
            "kind-worker",
            "reject",
            None,
        ),
    ];
    for mode in [ProxyMode::Iptables, ProxyMode::Ipvs, ProxyMode::Nftables] {
        for (name, spec, eps, node, want, want_ep) in &cases {
            let mut c = cluster(mode, &manual(spec, eps));
            let ip = vip(&c, "web");
            for _ in 0..10 {
                let d = route_from(&mut c, node, &ip, 80);
                let got = match d.verdict {
                    Verdict::Dnat { .. } => "dnat",
                    Verdict::Reject => "reject",
                    Verdict::Drop => "drop",
                    Verdict::NoMatch => "none",
                };
                assert_eq!(got, *want, "{mode:?} {name}: {d:?}");
                assert_eq!(picked(&d).as_deref(), *want_ep, "{mode:?} {name}");
            }
        }
    }
}

#[test]
fn external_traffic_policy_local_drops_external_traffic_without_local_endpoints() {
    let spec = "  type: NodePort\n  externalTrafficPolicy: Local\n";
    let yaml = manual(spec, &[("10.244.2.5", "kind-worker2", READY)])
        .replace("targetPort: 8080\n", "targetPort: 8080\n    nodePort: 30080\n");
    let mut c = cluster(ProxyMode::Iptables, &yaml);
    let node_ip = |c: &Cluster, n: &str| {
        c.get::<svclab_core::api::Node>("", n).and_then(|n| n.addresses.first().cloned()).unwrap_or_default()
    };
    let (w1, w2) = (node_ip(&c, "kind-worker"), node_ip(&c, "kind-worker2"));
    let now = c.now();
    // From outside the cluster to a node without a local endpoint: dropped.
    let d = proxy::route(&mut c, None, &w1, 30080, "TCP", "192.168.1.10", now);
    assert_eq!(d.verdict, Verdict::Drop, "{d:?}");
    // To the node that has one: served locally.
    let d = proxy::route(&mut c, None, &w2, 30080, "TCP", "192.168.1.10", now);
    assert_eq!(picked(&d).as_deref(), Some("10.244.2.5:8080"), "{d:?}");
    assert!(
        d.chains.iter().any(|ch| ch.starts_with("KUBE-NODEPORTS"))
            && d.chains.iter().any(|ch| ch.starts_with("KUBE-SVL-")),
        "{:?}",
        d.chains
    );
    // Pod traffic to the external address short-circuits to the cluster chain.
    let d = proxy::route(&mut c, Some("kind-worker"), &w1, 30080, "TCP", "10.244.1.7", now);
    assert_eq!(picked(&d).as_deref(), Some("10.244.2.5:8080"), "{d:?}");
}

#[test]
fn nodeport_from_outside_reaches_a_pod() {
    let yaml = manual("  type: NodePort\n", &[("10.244.2.5", "kind-worker2", READY)])
        .replace("targetPort: 8080\n", "targetPort: 8080\n    nodePort: 30080\n");
    let mut c = cluster(ProxyMode::Iptables, &yaml);
    let w1 = c
        .get::<svclab_core::api::Node>("", "kind-worker")
        .and_then(|n| n.addresses.first().cloned())
        .unwrap_or_default();
    let d = proxy::route(&mut c, None, &w1, 30080, "TCP", "192.168.1.10", SimTime(0));
    assert_eq!(picked(&d).as_deref(), Some("10.244.2.5:8080"));
    assert_eq!(d.node.as_deref(), Some("kind-worker"));
    let text = iptables::save(&c, "kind-worker", Some("nat")).unwrap_or_default();
    let ext = hash::service_chain("KUBE-EXT-", "default/web:http", "tcp");
    assert!(
        text.contains(&format!(
            "-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 -j {ext}\n"
        )),
        "{text}"
    );
}

#[test]
fn headless_and_external_name_services_get_no_rules() {
    let yaml = "apiVersion: v1
kind: Service
metadata:
  name: headless
spec:
  clusterIP: None
  selector:
    app: x
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: ext
spec:
  type: ExternalName
  externalName: example.com
";
    let c = cluster(ProxyMode::Iptables, yaml);
    let ports = proxy::service_ports(&c);
    assert!(ports.iter().all(|p| p.name != "headless" && p.name != "ext"));
    let text = iptables::save(&c, "kind-worker", None).unwrap_or_default();
    assert!(!text.contains("default/headless") && !text.contains("default/ext"));
    assert!(!proxy::nftables::list_ruleset(&c, "kind-worker").contains("default/headless"));
}

#[test]
fn proxy_mode_comes_from_the_kube_proxy_configmap() {
    let mut c = cluster(ProxyMode::Iptables, "");
    assert_eq!(proxy::mode(&c), ProxyMode::Iptables);
    if let Some(cm) = c.get_mut::<svclab_core::api::ConfigMap>("kube-system", "kube-proxy") {
        for v in cm.data.values_mut() {
            *v = v.replace("mode: iptables", "mode: ipvs");
        }
    }
    assert_eq!(proxy::mode(&c), ProxyMode::Ipvs);
}

#[test]
fn nftables_rejects_undeclared_ports_iptables_lets_them_pass() {
    let yaml = manual("", &[("10.244.2.5", "kind-worker2", READY)]);
    let mut ipt = cluster(ProxyMode::Iptables, &yaml);
    let ip = vip(&ipt, "web");
    assert_eq!(route_from(&mut ipt, "kind-worker", &ip, 81).verdict, Verdict::NoMatch);
    let mut nft = cluster(ProxyMode::Nftables, &yaml);
    assert_eq!(route_from(&mut nft, "kind-worker", &ip, 81).verdict, Verdict::Reject);
    // An unallocated address inside the service CIDR is dropped by nftables.
    assert_eq!(route_from(&mut nft, "kind-worker", "10.96.200.200", 80).verdict, Verdict::Drop);
    let rules = proxy::nftables::list_ruleset(&nft, "kind-worker");
    let chain = format!("service-{}-default/web/tcp/http", hash::nft_hash("default/web/tcp/http"));
    assert!(rules.contains(&format!("chain {chain} {{")), "{rules}");
    assert!(rules.contains("numgen random mod 1 vmap"), "{rules}");
}

#[test]
fn each_mode_shows_its_own_rules() {
    let yaml = manual("", &[("10.244.2.5", "kind-worker2", READY)]);
    // (mode, iptables-save shows, iptables-save must not show)
    for (mode, present, absent) in [
        (ProxyMode::Iptables, "-j KUBE-SVC-", "KUBE-CLUSTER-IP"),
        (ProxyMode::Ipvs, "-m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT", "KUBE-SVC-"),
        (ProxyMode::Nftables, "*nat\n", "KUBE-"),
    ] {
        let c = cluster(mode, &yaml);
        let text = match mode {
            ProxyMode::Iptables => iptables::save(&c, "kind-worker", None),
            ProxyMode::Ipvs => iptables::save_ipvs_mode(&c, None),
            ProxyMode::Nftables => iptables::save_empty(&c, None),
        }
        .unwrap_or_default();
        assert!(text.contains(present), "{mode:?}: {text}");
        assert!(!text.contains(absent), "{mode:?}: {text}");
    }
}

#[test]
fn filter_rules_reject_without_endpoints_and_drop_without_local_ones() {
    // (extra spec, endpoints, node, expected filter rule suffix)
    let cases: Vec<(&str, Eps, &str, &str)> = vec![
        ("", vec![], "kind-worker", "has no endpoints\" -m tcp -p tcp -d {ip} --dport 80 -j REJECT\n"),
        (
            "  internalTrafficPolicy: Local\n",
            vec![("10.244.2.5", "kind-worker2", READY)],
            "kind-worker",
            "has no local endpoints\" -m tcp -p tcp -d {ip} --dport 80 -j DROP\n",
        ),
    ];
    for (spec, eps, node, want) in cases {
        let c = cluster(ProxyMode::Iptables, &manual(spec, &eps));
        let ip = vip(&c, "web");
        let text = iptables::save(&c, node, Some("filter")).unwrap_or_default();
        let rule = format!("-A KUBE-SERVICES -m comment --comment \"default/web:http {}", want.replace("{ip}", &ip));
        assert!(text.contains(&rule), "missing {rule:?} in\n{text}");
        // No nat rules for the Service on this node.
        let nat = iptables::save(&c, node, Some("nat")).unwrap_or_default();
        assert!(!nat.contains("default/web:http cluster IP"), "{nat}");
    }
}
