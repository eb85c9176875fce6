//! kube-proxy, round two: the cases of kubernetes pkg/proxy/iptables/proxier_test.go
//! (`TestOverallIPTablesRules`, `TestLoadBalancer`, `TestInternalTrafficPolicy`) and
//! pkg/proxy/nftables/proxier_test.go (`TestOverallNFTablesRules`) that the lab got wrong:
//! loadBalancerSourceRanges, externalTrafficPolicy Local without local endpoints, the
//! health-check node port, internalTrafficPolicy Local masquerading, session affinity's
//! argument order and sets, `service-ips` elements for external and LB IPs.

use svclab_core::api::Service;
use svclab_core::apply::apply_text;
use svclab_core::cluster::config::ProxyMode;
use svclab_core::proxy::{self, iptables, nftables, Verdict};
use svclab_core::{Cluster, ClusterConfig};

fn cluster(mode: ProxyMode, yaml: &str) -> Cluster {
    let cfg = ClusterConfig { kube_proxy_mode: mode, ..Default::default() };
    let mut c = Cluster::new(cfg, 42);
    let report = apply_text(&mut c, yaml, "test.yaml", "default");
    assert!(report.ok(), "{}", report.output());
    c.advance(20_000);
    c
}

/// A selector-less Service (extra spec lines given) with one hand-written ready endpoint on
/// `node`.
fn svc(name: &str, extra_spec: &str, ep_ip: &str, node: &str) -> String {
    format!(
        "apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
{extra_spec}  ports:
  - name: p80
    port: 80
    targetPort: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: {name}-manual
  labels:
    kubernetes.io/service-name: {name}
addressType: IPv4
ports:
- name: p80
  port: 80
  protocol: TCP
endpoints:
- addresses: [\"{ep_ip}\"]
  nodeName: {node}
  conditions: {{ready: true}}
---
"
    )
}

fn lb_ip(c: &Cluster, name: &str) -> String {
    c.get::<Service>("default", name).and_then(|s| s.status.load_balancer_ingress.first().cloned()).expect("LB IP")
}

fn svc_port(c: &Cluster, name: &str) -> proxy::ServicePortInfo {
    proxy::service_ports(c).into_iter().find(|sp| sp.name == name).expect("service port")
}

/// svc5 of TestOverallIPTablesRules: LoadBalancer, Cluster policy, source range
/// " 203.0.113.0/25" (space-padded, accepted), ClientIP affinity.
const SVC5: &str =
    "  type: LoadBalancer\n  loadBalancerSourceRanges: [\" 203.0.113.0/25\"]\n  sessionAffinity: ClientIP\n";

#[test]
fn load_balancer_source_ranges_build_a_firewall_chain_and_drop_other_sources() {
    let c = cluster(ProxyMode::Iptables, &svc("svc5", SVC5, "10.244.1.9", "kind-worker"));
    let sp = svc_port(&c, "svc5");
    let (fw, ext) = (sp.fw_chain(), sp.ext_chain());
    let lb = lb_ip(&c, "svc5");
    let save = iptables::save(&c, "kind-worker", None).expect("save");
    for want in [
        format!(":{fw} - [0:0]"),
        format!("-A KUBE-SERVICES -m comment --comment \"default/svc5:p80 loadbalancer IP\" -m tcp -p tcp -d {lb} --dport 80 -j {fw}"),
        format!("-A {fw} -m comment --comment \"default/svc5:p80 loadbalancer IP\" -s 203.0.113.0/25 -j {ext}"),
        format!("-A {fw} -m comment --comment \"other traffic to default/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL\""),
        format!("-A KUBE-PROXY-FIREWALL -m comment --comment \"default/svc5:p80 traffic not accepted by {fw}\" -m tcp -p tcp -d {lb} --dport 80 -j DROP"),
    ] {
        assert!(save.lines().any(|l| l == want), "missing {want}\n{save}");
    }
    // Affinity in kube-proxy's argument order: `recent --set` before the protocol match.
    let sep = save.lines().find(|l| l.contains("default/svc5:p80 -m") && l.contains("-j DNAT")).expect("sep");
    assert!(
        sep.contains(" -m recent --name KUBE-SEP-")
            && sep.contains(" --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.9:80"),
        "{sep}"
    );
    // The traffic simulation follows: TestLoadBalancer's packet flows.
    let mut c = c;
    let now = c.now;
    let allowed = proxy::route(&mut c, None, &lb, 80, "TCP", "203.0.113.2", now);
    assert!(matches!(allowed.verdict, Verdict::Dnat { .. }), "{allowed:?}");
    let blocked = proxy::route(&mut c, None, &lb, 80, "TCP", "203.0.113.130", now);
    assert_eq!(blocked.verdict, Verdict::Drop, "{blocked:?}");
    assert!(blocked.rule.starts_with("-A KUBE-PROXY-FIREWALL"), "{}", blocked.rule);
}

#[test]
fn source_ranges_are_validated_like_the_api_server() {
    let mut c = Cluster::new(ClusterConfig::default(), 1);
    let bad = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: [\"nonsense\"]\n  ports:\n  - port: 80\n";
    let r = apply_text(&mut c, bad, "x.yaml", "default");
    assert_eq!(
        r.output(),
        "The Service \"x\" is invalid: spec.LoadBalancerSourceRanges[0]: Invalid value: \"nonsense\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)\n"
    );
    let not_lb = bad.replace("type: LoadBalancer", "type: ClusterIP").replace("\"nonsense\"", "\"10.0.0.0/8\"");
    let r = apply_text(&mut c, &not_lb, "x.yaml", "default");
    assert_eq!(r.output(), "The Service \"x\" is invalid: spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'\n");
}

/// svc2 of TestOverallIPTablesRules: LoadBalancer with externalTrafficPolicy Local, an
/// external IP, and its only endpoint on another node: every external destination is
/// DROPped in KUBE-EXTERNAL-SERVICES, KUBE-EXT has no jump to an undeclared KUBE-SVL, and
/// the health-check node port is ACCEPTed in the filter table's KUBE-NODEPORTS.
#[test]
fn external_traffic_policy_local_without_local_endpoints_drops_every_external_destination() {
    let spec = "  type: LoadBalancer\n  externalTrafficPolicy: Local\n  externalIPs: [192.168.99.22]\n";
    let c = cluster(ProxyMode::Iptables, &svc("svc2", spec, "10.244.2.9", "kind-worker2"));
    let sp = svc_port(&c, "svc2");
    let lb = lb_ip(&c, "svc2");
    let np = sp.node_port.expect("node port");
    let hc = sp.health_check_node_port.expect("health check node port allocated");
    let save = iptables::save(&c, "kind-worker", None).expect("save");
    for want in [
        "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"default/svc2:p80 has no local endpoints\" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP".to_string(),
        format!("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"default/svc2:p80 has no local endpoints\" -m tcp -p tcp -d {lb} --dport 80 -j DROP"),
        format!("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"default/svc2:p80 has no local endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport {np} -j DROP"),
        format!("-A KUBE-NODEPORTS -m comment --comment \"default/svc2:p80 health check node port\" -m tcp -p tcp --dport {hc} -j ACCEPT"),
    ] {
        assert!(save.lines().any(|l| l == want), "missing {want}\n{save}");
    }
    // Every jump target is a declared chain (iptables-restore would reject the ruleset).
    let declared: Vec<&str> =
        save.lines().filter_map(|l| l.strip_prefix(':')).filter_map(|l| l.split(' ').next()).collect();
    for l in save.lines().filter(|l| l.starts_with("-A ")) {
        if let Some(target) = l.split(" -j ").nth(1).and_then(|t| t.split(' ').next()) {
            let builtin = ["ACCEPT", "DROP", "REJECT", "RETURN", "DNAT", "MARK", "MASQUERADE", "KUBE-MARK-MASQ"];
            assert!(builtin.contains(&target) || declared.contains(&target), "undeclared {target} in {l}");
        }
    }
    // nftables: drop elements in no-endpoint-services and no-endpoint-nodeports.
    let nft = cluster(ProxyMode::Nftables, &svc("svc2", spec, "10.244.2.9", "kind-worker2"));
    let (lb, np) = (lb_ip(&nft, "svc2"), svc_port(&nft, "svc2").node_port.expect("np"));
    let rules = nftables::list_ruleset(&nft, "kind-worker");
    for want in [
        format!("{lb} . tcp . 80 comment \"default/svc2:p80\" : drop"),
        "192.168.99.22 . tcp . 80 comment \"default/svc2:p80\" : drop".to_string(),
        format!("tcp . {np} comment \"default/svc2:p80\" : drop"),
        "fib saddr type local jump mark-for-masquerade comment \"masquerade local traffic\"".to_string(),
    ] {
        assert!(rules.contains(&want), "missing {want}\n{rules}");
    }
}

/// TestInternalTrafficPolicy: with internalTrafficPolicy Local the cluster-IP masquerade rule
/// for off-cluster sources opens KUBE-SVL (the internal traffic chain), not KUBE-SVC.
#[test]
fn internal_traffic_policy_local_masquerades_in_the_local_chain() {
    let c = cluster(ProxyMode::Iptables, &svc("itp", "  internalTrafficPolicy: Local\n", "10.244.1.9", "kind-worker"));
    let sp = svc_port(&c, "itp");
    let svl = iptables::chain_rules(&c, "kind-worker", &sp.svl_chain());
    let cip = &sp.cluster_ips[0];
    assert_eq!(
        svl.first().map(String::as_str),
        Some(format!("-A {} -m comment --comment \"default/itp:p80 cluster IP\" -m tcp -p tcp -d {cip} --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ", sp.svl_chain()).as_str()),
        "{svl:?}"
    );
}

/// TestOverallNFTablesRules svc5: the LB IP is a `service-ips` element (to the external
/// chain, no comment) and a `firewall-ips` element; the firewall chain drops other sources;
/// affinity sets are declared, read in the service chain and updated in the endpoint chain.
#[test]
fn nftables_service_ips_firewall_and_affinity() {
    let c = cluster(ProxyMode::Nftables, &svc("svc5", SVC5, "10.244.1.9", "kind-worker"));
    let sp = svc_port(&c, "svc5");
    let lb = lb_ip(&c, "svc5");
    let rules = nftables::list_ruleset(&c, "kind-worker");
    let (ext, fw) = (nftables::external_chain(&sp), nftables::firewall_chain(&sp));
    let ep = &sp.endpoints[0];
    let (epc, set) = (nftables::endpoint_chain(&sp, ep), nftables::affinity_set(&sp, ep));
    for want in [
        format!("{lb} . tcp . 80 : goto {ext}"),
        format!("{lb} . tcp . 80 : goto {fw}"),
        format!("chain {fw} {{\n\t\tip saddr != {{ 203.0.113.0/25 }} drop\n\t}}"),
        format!("set {set} {{\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n\t\ttimeout 3h\n\t}}"),
        format!("ip saddr @{set} goto {epc}"),
        format!("update @{set} {{ ip saddr }}"),
        format!("ip daddr {} ip saddr != 10.244.0.0/16 jump mark-for-masquerade", sp.cluster_ips[0]),
    ] {
        assert!(rules.contains(&want), "missing {want}\n{rules}");
    }
    // Comments only on no-endpoint-* elements.
    let service_ips = rules.split("map service-ips {").nth(1).and_then(|r| r.split("\n\t}").next()).unwrap_or("");
    assert!(!service_ips.contains("comment \"default/"), "{service_ips}");
}
