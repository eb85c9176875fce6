//! `nft list ruleset` of one node in nftables mode (spec §6.4): table `ip kube-proxy`,
//! a `service-ips` verdict map from `IP . proto . port` (cluster, external and load-balancer
//! IPs) to per-service chains, random choice with `numgen random mod n vmap`,
//! `no-endpoint-services` / `no-endpoint-nodeports` for REJECT/DROP, `firewall-ips` for
//! `loadBalancerSourceRanges`, `affinity-*` sets for ClientIP affinity. Chain names carry
//! `base32(sha256(name))[:8]` (code: pkg/proxy/nftables/proxier.go; layout and rule text as
//! in its proxier_test.go `baseRules` and `TestOverallNFTablesRules`). Only `no-endpoint-*`
//! elements carry comments, as kube-proxy writes them.

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

/// `local-<H8>-ns/svc/proto/portName`: the Local-policy chain.
pub fn local_chain(sp: &ServicePortInfo) -> String {
    let b = base_name(sp);
    format!("local-{}-{b}", hash::nft_hash(&b))
}

/// `firewall-<H8>-ns/svc/proto/portName`: the loadBalancerSourceRanges chain.
pub fn firewall_chain(sp: &ServicePortInfo) -> String {
    let b = base_name(sp);
    format!("firewall-{}-{b}", hash::nft_hash(&b))
}

/// `affinity-<H8>-ns/svc/proto/portName__IP/port`: the endpoint's ClientIP affinity set.
pub fn affinity_set(sp: &ServicePortInfo, ep: &ProxyEndpoint) -> String {
    let c = endpoint_chain(sp, ep);
    format!("affinity-{}", c.strip_prefix("endpoint-").unwrap_or(&c))
}

/// nft's duration text (`10800s` prints as `3h`).
fn nft_duration(secs: i64) -> String {
    let mut s = secs.max(0);
    let mut out = String::new();
    for (unit, len) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if s >= len {
            out.push_str(&format!("{}{unit}", s / len));
            s %= len;
        }
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

/// `endpoint-<H8>-ns/svc/proto/portName__IP/port`.
pub fn endpoint_chain(sp: &ServicePortInfo, ep: &ProxyEndpoint) -> String {
    let b = format!("{}__{}/{}", base_name(sp), ep.ip, ep.port);
    format!("endpoint-{}-{b}", hash::nft_hash(&b))
}

/// `nft list ruleset` text for `node`.
pub fn list_ruleset(c: &Cluster, node: &str) -> String {
    let cluster_cidr = c.config.pod_subnet.split(',').next().unwrap_or("").trim().to_string();
    let node_ip: Option<String> =
        c.get::<crate::api::Node>("", node).and_then(|n| n.addresses.iter().find(|a| !a.contains(':')).cloned());
    let mut service_ips: Vec<String> = Vec::new();
    let mut nodeports: Vec<String> = Vec::new();
    let mut no_endpoints: Vec<String> = Vec::new();
    let mut no_endpoint_nodeports: Vec<String> = Vec::new();
    let mut firewall_ips: Vec<String> = Vec::new();
    let mut sets: Vec<(String, i64)> = Vec::new();
    let mut chains: Vec<(String, Vec<String>)> = Vec::new();
    for sp in super::service_ports(c) {
        let Some(cip) = sp.cluster_ips.iter().find(|i| !i.contains(':')).cloned() else { continue };
        let cat = categorize(&sp, Some(node), Some(&cip));
        let p = sp.protocol_lower();
        let spn = sp.service_port_name();
        let (svc, local, ext, fw) = (service_chain(&sp), local_chain(&sp), external_chain(&sp), firewall_chain(&sp));
        let internal_eps = if sp.internal_local { &cat.local } else { &cat.cluster };
        let external_eps = if sp.external_local { &cat.local } else { &cat.cluster };
        let internal_chain = if sp.internal_local { &local } else { &svc };
        let external_policy_chain = if sp.external_local { &local } else { &svc };
        let has_endpoints = !cat.cluster.is_empty() || !cat.local.is_empty();
        let uses_cluster = !sp.internal_local || (sp.externally_accessible() && !sp.external_local);
        let uses_local = sp.internal_local || sp.external_local;
        // kube-proxy's no-endpoint verdict: DROP when the Service has endpoints but none for
        // this traffic policy, else REJECT.
        let no_ep = |has: bool| if has { "drop" } else { "goto reject-chain" };
        if internal_eps.is_empty() {
            no_endpoints.push(format!(
                "{cip} . {p} . {} comment \"{spn}\" : {}",
                sp.port,
                no_ep(sp.internal_local && cat.has_any)
            ));
        } else {
            service_ips.push(format!("{cip} . {p} . {} : goto {internal_chain}", sp.port));
        }
        if sp.externally_accessible() {
            let lb_ips: Vec<&String> = sp.load_balancer_ips.iter().filter(|i| !i.contains(':')).collect();
            let ext_ips: Vec<&String> = sp.external_ips.iter().filter(|i| !i.contains(':')).collect();
            let uses_fw = has_endpoints && !lb_ips.is_empty() && !sp.source_ranges.is_empty();
            if has_endpoints {
                for ip in ext_ips.iter().chain(&lb_ips) {
                    service_ips.push(format!("{ip} . {p} . {} : goto {ext}", sp.port));
                }
                if let Some(np) = sp.node_port {
                    nodeports.push(format!("{p} . {np} : goto {ext}"));
                }
                let mut rules = Vec::new();
                if sp.external_local {
                    rules.push(format!("ip saddr {cluster_cidr} goto {svc} comment \"short-circuit pod traffic\""));
                    rules.push(
                        "fib saddr type local jump mark-for-masquerade comment \"masquerade local traffic\"".into(),
                    );
                    rules.push(format!("fib saddr type local goto {svc} comment \"short-circuit local traffic\""));
                } else {
                    rules.push("jump mark-for-masquerade".into());
                }
                if !external_eps.is_empty() {
                    rules.push(format!("goto {external_policy_chain}"));
                }
                chains.push((ext.clone(), rules));
            }
            if external_eps.is_empty() {
                for ip in ext_ips.iter().chain(&lb_ips) {
                    no_endpoints.push(format!("{ip} . {p} . {} comment \"{spn}\" : {}", sp.port, no_ep(has_endpoints)));
                }
                if let Some(np) = sp.node_port {
                    no_endpoint_nodeports.push(format!("{p} . {np} comment \"{spn}\" : {}", no_ep(has_endpoints)));
                }
            }
            if uses_fw {
                let mut sources: Vec<String> = sp.source_ranges.clone();
                if node_ip.as_deref().is_some_and(|n| sp.source_allowed(n, None)) {
                    sources.extend(lb_ips.iter().map(|s| s.to_string()));
                }
                chains.push((fw.clone(), vec![format!("ip saddr != {{ {} }} drop", sources.join(", "))]));
                for ip in &lb_ips {
                    firewall_ips.push(format!("{ip} . {p} . {} : goto {fw}", sp.port));
                }
            }
        }
        // Policy chains: the cluster-IP masquerade rule opens the internal one.
        let mut policy_chain = |name: &str, eps: &[ProxyEndpoint], internal: bool| {
            let mut rules = Vec::new();
            if internal {
                rules.push(format!("ip daddr {cip} ip saddr != {cluster_cidr} jump mark-for-masquerade"));
            }
            if sp.affinity_seconds.is_some() {
                for e in eps {
                    rules.push(format!("ip saddr @{} goto {}", affinity_set(&sp, e), endpoint_chain(&sp, e)));
                }
            }
            let elems: Vec<String> =
                eps.iter().enumerate().map(|(i, e)| format!("{i} : goto {}", endpoint_chain(&sp, e))).collect();
            rules.push(format!("numgen random mod {} vmap {{ {} }}", eps.len(), elems.join(", ")));
            chains.push((name.to_string(), rules));
        };
        if uses_cluster && !cat.cluster.is_empty() {
            policy_chain(&svc, &cat.cluster, !sp.internal_local);
        }
        if uses_local && !cat.local.is_empty() {
            policy_chain(&local, &cat.local, sp.internal_local);
        }
        let mut eps: Vec<&ProxyEndpoint> = Vec::new();
        if uses_cluster {
            eps.extend(cat.cluster.iter());
        }
        if uses_local {
            eps.extend(cat.local.iter().filter(|e| !uses_cluster || !cat.cluster.contains(e)));
        }
        for e in eps {
            let mut rules = vec![format!("ip saddr {} jump mark-for-masquerade", e.ip)];
            if let Some(t) = sp.affinity_seconds {
                let set = affinity_set(&sp, e);
                rules.push(format!("update @{set} {{ ip saddr }}"));
                sets.push((set, t));
            }
            rules.push(format!("meta l4proto {p} dnat to {}", e.endpoint_string()));
            chains.push((endpoint_chain(&sp, e), rules));
        }
    }
    chains.sort();
    chains.dedup_by(|a, b| a.0 == b.0);
    sets.sort();
    sets.dedup();
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
    for (name, timeout) in &sets {
        out.push_str(&format!(
            "\n\tset {name} {{\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n\t\ttimeout {}\n\t}}\n",
            nft_duration(*timeout)
        ));
    }
    let map = |out: &mut String, name: &str, ty: &str, comment: &str, elems: &[String]| {
        out.push_str(&format!("\n\tmap {name} {{\n\t\ttype {ty} : verdict\n\t\tcomment \"{comment}\"\n"));
        if !elems.is_empty() {
            out.push_str(&format!("\t\telements = {{ {} }}\n", elems.join(",\n\t\t\t     ")));
        }
        out.push_str("\t}\n");
    };
    let addr3 = "ipv4_addr . inet_proto . inet_service";
    map(&mut out, "firewall-ips", addr3, "destinations that are subject to LoadBalancerSourceRanges", &firewall_ips);
    map(
        &mut out,
        "no-endpoint-nodeports",
        "inet_proto . inet_service",
        "vmap to drop or reject packets to service nodeports with no endpoints",
        &no_endpoint_nodeports,
    );
    map(
        &mut out,
        "no-endpoint-services",
        addr3,
        "vmap to drop or reject packets to services with no endpoints",
        &no_endpoints,
    );
    map(&mut out, "service-ips", addr3, "ClusterIP, ExternalIP and LoadBalancer IP traffic", &service_ips);
    map(&mut out, "service-nodeports", "inet_proto . inet_service", "NodePort traffic", &nodeports);
    let check_ips = vec![
        "ip daddr @cluster-ips reject comment \"Reject traffic to invalid ports of ClusterIPs\"".to_string(),
        format!("ip daddr {{ {service_cidr} }} drop comment \"Drop traffic to unallocated ClusterIPs\""),
    ];
    let fixed: [(&str, &[&str]); 16] = [
        ("cluster-ips-check", &[]),
        (
            "filter-forward",
            &[
                "type filter hook forward priority filter; policy accept;",
                "ct state new jump service-endpoints-check",
                "ct state new jump cluster-ips-check",
            ],
        ),
        (
            "filter-input",
            &[
                "type filter hook input priority filter; policy accept;",
                "ct state new jump nodeport-endpoints-check",
                "ct state new jump service-endpoints-check",
            ],
        ),
        (
            "filter-output",
            &[
                "type filter hook output priority filter; policy accept;",
                "ct state new jump service-endpoints-check",
                "ct state new jump cluster-ips-check",
            ],
        ),
        (
            "filter-output-pre-dnat",
            &["type filter hook output priority dstnat - 10; policy accept;", "ct state new jump firewall-check"],
        ),
        (
            "filter-prerouting-pre-dnat",
            &["type filter hook prerouting priority dstnat - 10; policy accept;", "ct state new jump firewall-check"],
        ),
        ("firewall-check", &["ip daddr . meta l4proto . th dport vmap @firewall-ips"]),
        ("mark-for-masquerade", &["mark set mark or 0x4000"]),
        ("masquerading", &["mark and 0x4000 == 0 return", "mark set mark xor 0x4000", "masquerade fully-random"]),
        ("nat-output", &["type nat hook output priority dstnat; policy accept;", "jump services"]),
        ("nat-postrouting", &["type nat hook postrouting priority srcnat; policy accept;", "jump masquerading"]),
        ("nat-prerouting", &["type nat hook prerouting priority dstnat; policy accept;", "jump services"]),
        ("nodeport-endpoints-check", &["ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports"]),
        ("reject-chain", &["comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\"", "reject"]),
        ("service-endpoints-check", &["ip daddr . meta l4proto . th dport vmap @no-endpoint-services"]),
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
        first.1 = check_ips;
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
