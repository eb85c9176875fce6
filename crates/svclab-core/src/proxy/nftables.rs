//! `nft list ruleset` of one node in nftables mode (spec §6.4): table `ip kube-proxy`,
//! a `service-ips` verdict map from `IP . proto . port` to per-service chains, random choice
//! with `numgen random mod n vmap`, and `no-endpoint-services` for REJECT/DROP. Chain names
//! carry `base32(sha256(name))[:8]` (code: pkg/proxy/nftables/proxier.go).

use super::{categorize, hash, ProxyEndpoint, ServicePortInfo};
use crate::cluster::Cluster;

fn base_name(sp: &ServicePortInfo) -> String {
    format!("{}/{}/{}/{}", sp.namespace, sp.name, sp.protocol_lower(), sp.port_name)
}

/// `service-<H8>-ns/svc/proto/portName`.
pub fn service_chain(sp: &ServicePortInfo) -> String {
    let b = base_name(sp);
    format!("service-{}-{b}", hash::nft_hash(&b))
}

/// `external-<H8>-ns/svc/proto/portName`.
pub fn external_chain(sp: &ServicePortInfo) -> String {
    let b = base_name(sp);
    format!("external-{}-{b}", hash::nft_hash(&b))
}

/// `endpoint-<H8>-ns/svc/proto/portName__IP/port`.
pub fn endpoint_chain(sp: &ServicePortInfo, ep: &ProxyEndpoint) -> String {
    let b = format!("{}__{}/{}", base_name(sp), ep.ip, ep.port);
    format!("endpoint-{}-{b}", hash::nft_hash(&b))
}

/// `nft list ruleset` text for `node`.
pub fn list_ruleset(c: &Cluster, node: &str) -> String {
    let cluster_cidr = c.config.pod_subnet.split(',').next().unwrap_or("").trim().to_string();
    let mut service_ips: Vec<String> = Vec::new();
    let mut nodeports: Vec<String> = Vec::new();
    let mut no_endpoints: Vec<String> = Vec::new();
    let mut chains: Vec<(String, Vec<String>)> = Vec::new();
    for sp in super::service_ports(c) {
        let Some(cip) = sp.cluster_ips.iter().find(|i| !i.contains(':')).cloned() else { continue };
        let cat = categorize(&sp, Some(node), Some(&cip));
        let p = sp.protocol_lower();
        let spn = sp.service_port_name();
        let eps = if sp.internal_local { &cat.local } else { &cat.cluster };
        let svc = service_chain(&sp);
        if eps.is_empty() {
            let verdict = if sp.internal_local && cat.has_any { "drop" } else { "goto reject-chain" };
            no_endpoints.push(format!("{cip} . {p} . {} comment \"{spn}\" : {verdict}", sp.port));
            continue;
        }
        service_ips.push(format!("{cip} . {p} . {} comment \"{spn}\" : goto {svc}", sp.port));
        if let Some(np) = sp.node_port {
            let ext = external_chain(&sp);
            nodeports.push(format!("{p} . {np} comment \"{spn}\" : goto {ext}"));
            chains.push((ext, vec![format!("jump mark-for-masquerade"), format!("goto {svc}")]));
        }
        let mut rules =
            vec![format!("ip daddr {cip} {p} dport {} ip saddr != {cluster_cidr} jump mark-for-masquerade", sp.port)];
        let n = eps.len();
        let elems: Vec<String> =
            eps.iter().enumerate().map(|(i, e)| format!("{i} : goto {}", endpoint_chain(&sp, e))).collect();
        rules.push(format!("numgen random mod {n} vmap {{ {} }}", elems.join(", ")));
        chains.push((svc, rules));
        for e in eps {
            chains.push((
                endpoint_chain(&sp, e),
                vec![
                    format!("ip saddr {} jump mark-for-masquerade", e.ip),
                    format!("meta l4proto {p} dnat to {}", e.endpoint_string()),
                ],
            ));
        }
    }
    chains.sort();
    let service_cidr = c.config.service_subnet.split(',').find(|s| !s.contains(':')).unwrap_or("").trim().to_string();
    let mut cluster_ips: Vec<String> = super::service_ports(c)
        .iter()
        .flat_map(|sp| sp.cluster_ips.iter().filter(|i| !i.contains(':')).cloned())
        .collect();
    cluster_ips.sort();
    cluster_ips.dedup();
    let mut out = String::from("table ip kube-proxy {\n\tcomment \"rules for kube-proxy\"\n");
    out.push_str("\n\tset cluster-ips {\n\t\ttype ipv4_addr\n\t\tcomment \"Active ClusterIPs\"\n");
    if !cluster_ips.is_empty() {
        out.push_str(&format!("\t\telements = {{ {} }}\n", cluster_ips.join(", ")));
    }
    out.push_str("\t}\n");
    let node_ips: Vec<String> = c
        .get::<crate::api::Node>("", node)
        .map(|n| n.addresses.iter().filter(|a| !a.contains(':')).cloned().collect())
        .unwrap_or_default();
    out.push_str("\n\tset nodeport-ips {\n\t\ttype ipv4_addr\n\t\tcomment \"IPs that accept NodePort traffic\"\n");
    if !node_ips.is_empty() {
        out.push_str(&format!("\t\telements = {{ {} }}\n", node_ips.join(", ")));
    }
    out.push_str("\t}\n");
    let map = |out: &mut String, name: &str, ty: &str, comment: &str, elems: &[String]| {
        out.push_str(&format!("\n\tmap {name} {{\n\t\ttype {ty} : verdict\n\t\tcomment \"{comment}\"\n"));
        if !elems.is_empty() {
            out.push_str(&format!("\t\telements = {{ {} }}\n", elems.join(",\n\t\t\t     ")));
        }
        out.push_str("\t}\n");
    };
    map(
        &mut out,
        "no-endpoint-services",
        "ipv4_addr . inet_proto . inet_service",
        "vmap to drop or reject packets to services with no endpoints",
        &no_endpoints,
    );
    map(
        &mut out,
        "service-ips",
        "ipv4_addr . inet_proto . inet_service",
        "ClusterIP, ExternalIP and LoadBalancer IP traffic",
        &service_ips,
    );
    map(&mut out, "service-nodeports", "inet_proto . inet_service", "NodePort traffic", &nodeports);
    let check_ips = [
        "ip daddr @cluster-ips reject comment \"Reject traffic to invalid ports of ClusterIPs\"".to_string(),
        format!("ip daddr {service_cidr} drop comment \"Drop traffic to unallocated ClusterIPs\""),
    ];
    let fixed: [(&str, &[&str]); 10] = [
        ("cluster-ips-check", &[]),
        (
            "filter-prerouting",
            &[
                "type filter hook prerouting priority dstnat - 10; policy accept;",
                "ct state new jump service-endpoints-check",
                "ct state new jump cluster-ips-check",
            ],
        ),
        ("nat-output", &["type nat hook output priority dstnat; policy accept;", "jump services"]),
        ("nat-postrouting", &["type nat hook postrouting priority srcnat; policy accept;", "jump masquerading"]),
        ("nat-prerouting", &["type nat hook prerouting priority dstnat; policy accept;", "jump services"]),
        ("service-endpoints-check", &["ip daddr . meta l4proto . th dport vmap @no-endpoint-services"]),
        ("mark-for-masquerade", &["mark set mark or 0x4000"]),
        ("masquerading", &["mark and 0x4000 == 0 return", "mark set mark xor 0x4000", "masquerade fully-random"]),
        ("reject-chain", &["reject"]),
        (
            "services",
            &[
                "ip daddr . meta l4proto . th dport vmap @service-ips",
                "ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports",
            ],
        ),
    ];
    let mut all: Vec<(String, Vec<String>)> =
        fixed.iter().map(|(n, r)| (n.to_string(), r.iter().map(|s| s.to_string()).collect())).collect();
    if let Some(first) = all.first_mut() {
        first.1 = check_ips.to_vec();
    }
    all.extend(chains);
    for (name, rules) in all {
        out.push_str(&format!("\n\tchain {name} {{\n"));
        for r in rules {
            out.push_str(&format!("\t\t{r}\n"));
        }
        out.push_str("\t}\n");
    }
    out.push_str("}\n");
    out
}
