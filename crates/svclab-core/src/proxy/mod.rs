//! kube-proxy: how a packet to a Service address reaches a pod (spec §6).
//!
//! The lab keeps no rule tables of its own. Every query rebuilds what kube-proxy on one node
//! would program from the API objects ([`service_ports`]: Services × EndpointSlices), so the
//! rules are always in sync with the cluster. On top of that model:
//! - [`route`] decides one new connection (which rule matched, which endpoint, or
//!   REJECT / DROP / no match), as the node's rules would;
//! - [`iptables`], [`ipvs`] and [`nftables`] render the rules as `iptables-save`,
//!   `ipvsadm -Ln` and `nft list ruleset` print them.
//!
//! Invariants: the only state is [`ProxyState`] (session-affinity entries and IPVS round-robin
//! cursors), plain ordered data inside the [`Cluster`]; randomness comes from the cluster's
//! seeded RNG; endpoints are ordered by their `IP:port` string as kube-proxy's endpoints cache
//! orders them (spec §6.1), so chain contents and choices are reproducible.

pub mod hash;
pub mod iptables;
pub mod ipvs;
pub mod nftables;

use crate::api::*;
use crate::cluster::config::ProxyMode;
use crate::cluster::Cluster;
use crate::net::Cidr;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The mode kube-proxy runs in: the `mode:` of the `kube-system/kube-proxy` ConfigMap's
/// `config.conf` when it names a known mode, else the cluster config's `kubeProxyMode`.
pub fn mode(c: &Cluster) -> ProxyMode {
    let from_cm = c.get::<ConfigMap>("kube-system", "kube-proxy").and_then(|cm| {
        cm.data.values().flat_map(|text| text.lines()).find_map(|l| {
            let v = l.strip_prefix("mode:")?.trim().trim_matches(|ch| ch == '"' || ch == '\'');
            ProxyMode::parse(v)
        })
    });
    from_cm.unwrap_or(c.config.kube_proxy_mode)
}

/// Switch kube-proxy's mode as an admin does: `kubectl edit cm kube-proxy -n kube-system`,
/// change `mode:` in `config.conf`, restart the kube-proxy pods. The lab rebuilds the rules
/// from the API objects on every query, so the restart is implicit: the next connection (and
/// `iptables-save`, `ipvsadm -Ln`, `nft list ruleset`) sees the new mode. The write goes
/// through [`Cluster::put`], so the ConfigMap's resourceVersion moves like any update. A
/// missing ConfigMap (an admin deleted it) is recreated with the bootstrap's shape.
pub fn set_mode(c: &mut Cluster, mode: ProxyMode) {
    let mut cm = c.get::<ConfigMap>("kube-system", "kube-proxy").cloned().unwrap_or_else(|| {
        let mut m = ConfigMap::default();
        m.metadata.namespace = "kube-system".into();
        m.metadata.name = "kube-proxy".into();
        m.metadata.labels.insert("app".into(), "kube-proxy".into());
        m
    });
    let text = cm.data.get("config.conf").cloned().unwrap_or_else(|| {
        format!(
            "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: {}\n",
            c.config.pod_subnet
        )
    });
    let mut replaced = false;
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| {
            if !replaced && l.starts_with("mode:") {
                replaced = true;
                format!("mode: {}", mode.as_str())
            } else {
                l.to_string()
            }
        })
        .collect();
    if !replaced {
        lines.push(format!("mode: {}", mode.as_str()));
    }
    let mut out = lines.join("\n");
    out.push('\n');
    cm.data.insert("config.conf".into(), out);
    // Other keys (a hand-written ConfigMap) must not contradict the new mode: `mode()` reads
    // the first `mode:` line of any key.
    for (k, v) in cm.data.iter_mut() {
        if k != "config.conf" && v.lines().any(|l| l.starts_with("mode:")) {
            *v = v
                .lines()
                .map(|l| if l.starts_with("mode:") { format!("mode: {}", mode.as_str()) } else { l.to_string() })
                .collect::<Vec<_>>()
                .join("\n");
        }
    }
    c.put(Object::ConfigMap(cm));
}

/// One endpoint of one Service port, as kube-proxy's endpoints cache holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyEndpoint {
    pub ip: String,
    pub port: i32,
    pub node: Option<String>,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    /// `targetRef` when it names a Pod: (namespace, name).
    pub pod: Option<(String, String)>,
}

impl ProxyEndpoint {
    /// `IP:port` (`[IP]:port` for IPv6), kube-proxy's endpoint string.
    pub fn endpoint_string(&self) -> String {
        host_port(&self.ip, self.port)
    }
}

/// `IP:port`, bracketing IPv6.
pub fn host_port(ip: &str, port: i32) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// One Service port as kube-proxy sees it: the addresses it answers on and its endpoints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServicePortInfo {
    pub namespace: String,
    pub name: String,
    /// `""` for an unnamed port.
    pub port_name: String,
    /// `TCP`, `UDP`, `SCTP`.
    pub protocol: String,
    pub port: i32,
    pub node_port: Option<i32>,
    pub cluster_ips: Vec<String>,
    pub external_ips: Vec<String>,
    pub load_balancer_ips: Vec<String>,
    pub internal_local: bool,
    pub external_local: bool,
    /// ClientIP session affinity timeout in seconds.
    pub affinity_seconds: Option<i64>,
    /// Sorted by endpoint string (spec §6.1).
    pub endpoints: Vec<ProxyEndpoint>,
    /// `loadBalancerSourceRanges`, trimmed (kube-proxy `LoadBalancerSourceRanges`), for
    /// LoadBalancer Services only.
    #[serde(default)]
    pub source_ranges: Vec<String>,
    /// `healthCheckNodePort` (LoadBalancer, externalTrafficPolicy Local).
    #[serde(default)]
    pub health_check_node_port: Option<i32>,
}

impl ServicePortInfo {
    /// `servicePortName`: `ns/name:portName`, or `ns/name` for an unnamed port (spec §6.2).
    pub fn service_port_name(&self) -> String {
        if self.port_name.is_empty() {
            format!("{}/{}", self.namespace, self.name)
        } else {
            format!("{}/{}:{}", self.namespace, self.name, self.port_name)
        }
    }
    pub fn protocol_lower(&self) -> String {
        self.protocol.to_ascii_lowercase()
    }
    /// Reachable from outside the cluster: NodePort/LoadBalancer or external IPs.
    pub fn externally_accessible(&self) -> bool {
        self.node_port.is_some() || !self.external_ips.is_empty() || !self.load_balancer_ips.is_empty()
    }
    pub fn svc_chain(&self) -> String {
        hash::service_chain("KUBE-SVC-", &self.service_port_name(), &self.protocol)
    }
    pub fn svl_chain(&self) -> String {
        hash::service_chain("KUBE-SVL-", &self.service_port_name(), &self.protocol)
    }
    pub fn ext_chain(&self) -> String {
        hash::service_chain("KUBE-EXT-", &self.service_port_name(), &self.protocol)
    }
    pub fn fw_chain(&self) -> String {
        hash::service_chain("KUBE-FW-", &self.service_port_name(), &self.protocol)
    }
    /// Whether a source may reach the load-balancer IPs (kube-proxy's KUBE-FW chain): no
    /// ranges, a source in one of them, or — when a range holds the node's own address — the
    /// LB IP itself as source (a VIP looping back on the node, proxier.go `allowFromNode`).
    pub fn source_allowed(&self, src: &str, node_ip: Option<&str>) -> bool {
        if self.source_ranges.is_empty() {
            return true;
        }
        let in_ranges = |ip: &str| {
            ip.parse::<std::net::IpAddr>()
                .is_ok_and(|a| self.source_ranges.iter().filter_map(|r| Cidr::parse(r)).any(|c| c.contains(a)))
        };
        in_ranges(src) || (node_ip.is_some_and(in_ranges) && self.load_balancer_ips.iter().any(|i| i == src))
    }
    pub fn sep_chain(&self, ep: &ProxyEndpoint) -> String {
        hash::endpoint_chain(&self.service_port_name(), &self.protocol, &ep.endpoint_string())
    }
    /// Key of per-service state (affinity, round robin).
    fn state_key(&self) -> String {
        format!("{}/{}", self.service_port_name(), self.protocol_lower())
    }
}

/// Every Service port kube-proxy programs, in (namespace, name, port) order. Headless and
/// ExternalName Services get no rules (spec §6.1), nor do Services without a cluster IP yet.
pub fn service_ports(c: &Cluster) -> Vec<ServicePortInfo> {
    c.list::<Service>(None).flat_map(|svc| ports_of(c, svc)).collect()
}

/// The Service ports of one Service (none for headless and ExternalName Services).
fn ports_of(c: &Cluster, svc: &Service) -> Vec<ServicePortInfo> {
    let mut out = Vec::new();
    if svc.is_headless() || svc.spec.type_ == ServiceType::ExternalName {
        return out;
    }
    let cluster_ips: Vec<String> = if svc.spec.cluster_ips.is_empty() {
        svc.spec.cluster_ip.iter().filter(|ip| !ip.is_empty() && *ip != "None").cloned().collect()
    } else {
        svc.spec.cluster_ips.clone()
    };
    if cluster_ips.is_empty() {
        return out;
    }
    let ns = &svc.metadata.namespace;
    let slices: Vec<&EndpointSlice> = c
        .list::<EndpointSlice>(Some(ns))
        .filter(|s| s.metadata.labels.get("kubernetes.io/service-name") == Some(&svc.metadata.name))
        .collect();
    let externally = matches!(svc.spec.type_, ServiceType::NodePort | ServiceType::LoadBalancer)
        || !svc.spec.external_ips.is_empty();
    let affinity_seconds =
        (svc.spec.session_affinity == "ClientIP").then(|| svc.spec.session_affinity_timeout_seconds.unwrap_or(10800));
    for sp in &svc.spec.ports {
        let port_name = sp.name.clone().unwrap_or_default();
        let protocol = if sp.protocol.is_empty() { "TCP".to_string() } else { sp.protocol.clone() };
        let mut eps: BTreeMap<String, ProxyEndpoint> = BTreeMap::new();
        for slice in &slices {
            let Some(ep_port) = slice.ports.iter().find(|p| {
                p.name.clone().unwrap_or_default() == port_name
                    && p.protocol.as_deref().unwrap_or("TCP").eq_ignore_ascii_case(&protocol)
            }) else {
                continue;
            };
            let Some(port) = ep_port.port else { continue };
            for e in &slice.endpoints {
                for ip in &e.addresses {
                    let pe = ProxyEndpoint {
                        ip: ip.clone(),
                        port,
                        node: e.node_name.clone(),
                        ready: e.conditions.is_ready(),
                        serving: e.conditions.is_serving(),
                        terminating: e.conditions.is_terminating(),
                        pod: e
                            .target_ref
                            .as_ref()
                            .filter(|r| r.kind == "Pod")
                            .map(|r| (r.namespace.clone(), r.name.clone())),
                    };
                    eps.entry(pe.endpoint_string()).or_insert(pe);
                }
            }
        }
        out.push(ServicePortInfo {
            namespace: ns.clone(),
            name: svc.metadata.name.clone(),
            port_name,
            protocol,
            port: sp.port,
            node_port: sp
                .node_port
                .filter(|_| matches!(svc.spec.type_, ServiceType::NodePort | ServiceType::LoadBalancer)),
            cluster_ips: cluster_ips.clone(),
            external_ips: svc.spec.external_ips.clone(),
            load_balancer_ips: if svc.spec.type_ == ServiceType::LoadBalancer {
                svc.status.load_balancer_ingress.clone()
            } else {
                Vec::new()
            },
            internal_local: svc.spec.internal_traffic_policy.as_deref() == Some("Local"),
            external_local: externally && svc.spec.external_traffic_policy.as_deref() == Some("Local"),
            affinity_seconds,
            endpoints: eps.into_values().collect(),
            source_ranges: if svc.spec.type_ == ServiceType::LoadBalancer {
                svc.spec.load_balancer_source_ranges.iter().map(|r| r.trim().to_string()).collect()
            } else {
                Vec::new()
            },
            health_check_node_port: svc.spec.health_check_node_port,
        });
    }
    out
}

/// The endpoint sets one node uses for one Service port (code: pkg/proxy/topology.go
/// `CategorizeEndpoints`, spec §6.1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Categorized {
    /// For Cluster policy: ready endpoints, else serving-and-terminating ones.
    pub cluster: Vec<ProxyEndpoint>,
    /// For Local policy: this node's ready endpoints, else its serving-and-terminating ones.
    pub local: Vec<ProxyEndpoint>,
    /// Any usable (ready, or serving and terminating) endpoint anywhere.
    pub has_any: bool,
}

pub fn categorize(sp: &ServicePortInfo, node: Option<&str>, family_of: Option<&str>) -> Categorized {
    let eps: Vec<&ProxyEndpoint> =
        sp.endpoints.iter().filter(|e| family_of.is_none_or(|ip| IpFamily::of(ip) == IpFamily::of(&e.ip))).collect();
    let usable = |e: &&ProxyEndpoint| e.ready || (e.serving && e.terminating);
    let pick = |local_only: bool| -> Vec<ProxyEndpoint> {
        let is_local = |e: &&&ProxyEndpoint| !local_only || (node.is_some() && e.node.as_deref() == node);
        let ready: Vec<ProxyEndpoint> =
            eps.iter().filter(is_local).filter(|e| e.ready).map(|e| (**e).clone()).collect();
        if !ready.is_empty() {
            return ready;
        }
        eps.iter().filter(is_local).filter(|e| e.serving && e.terminating).map(|e| (**e).clone()).collect()
    };
    Categorized { cluster: pick(false), local: pick(true), has_any: eps.iter().any(usable) }
}

// -------------------------------------------------------------------------------------------
// State

/// One ClientIP affinity entry: like the `recent` module's list (iptables) or an IPVS
/// persistence template, it remembers the endpoint and when it was last used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffinityEntry {
    pub endpoint: String,
    pub last_used: SimTime,
}

/// kube-proxy's (kernel's) state that outlives one packet. Plain ordered data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProxyState {
    /// `servicePortName/proto` → client IP → affinity entry.
    pub affinity: BTreeMap<String, BTreeMap<String, AffinityEntry>>,
    /// IPVS round robin: virtual server (`proto/IP:port`) → the real server picked last.
    pub rr_last: BTreeMap<String, String>,
}

// -------------------------------------------------------------------------------------------
// Routing

/// Where the packet went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Destination-NATed to an endpoint.
    Dnat { ip: String, port: i32, pod: Option<(String, String)>, node: Option<String> },
    /// Rejected with ICMP port unreachable: the client sees "connection refused".
    Reject,
    /// Silently dropped: the client times out.
    Drop,
    /// No kube-proxy rule matched; the packet goes on to its original destination.
    NoMatch,
}

/// One kube-proxy decision for a new connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteDecision {
    pub mode: ProxyMode,
    /// The node whose rules handled the packet.
    pub node: Option<String>,
    /// `ns/svc:port` of the matched Service port.
    pub service: Option<String>,
    /// The rule that decided, in the mode's own syntax.
    pub rule: String,
    /// Chains (iptables/nftables) or virtual server (ipvs) traversed, in order.
    pub chains: Vec<String>,
    pub verdict: Verdict,
}

/// Which address of the Service the packet was sent to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    ClusterIp,
    ExternalIp,
    LoadBalancerIp,
    NodePort,
}

fn in_cidrs(list: &str, ip: &str) -> bool {
    let Ok(addr) = ip.parse::<std::net::IpAddr>() else { return false };
    list.split(',').filter_map(|s| Cidr::parse(s.trim())).any(|c| c.contains(addr))
}

/// True if `ip` is a pod address (in the cluster's pod CIDR).
pub fn is_pod_ip(c: &Cluster, ip: &str) -> bool {
    in_cidrs(&c.config.pod_subnet, ip)
}

/// The node that owns an address (InternalIP).
pub fn node_of_ip(c: &Cluster, ip: &str) -> Option<String> {
    c.list::<Node>(None).find(|n| n.addresses.iter().any(|a| a == ip)).map(|n| n.metadata.name.clone())
}

/// kube-proxy's decision for a new connection from `client_ip` (on `client_node`, or from
/// outside the cluster when `None`) to `dst_ip:dst_port/proto`, at `now`. Updates the
/// affinity and round-robin state and draws from the cluster's RNG as the kernel would.
pub fn route(
    c: &mut Cluster,
    client_node: Option<&str>,
    dst_ip: &str,
    dst_port: i32,
    proto: &str,
    client_ip: &str,
    now: SimTime,
) -> RouteDecision {
    let mode = mode(c);
    // A NodePort is handled by the node that owns the destination address.
    let dst_node = node_of_ip(c, dst_ip);
    // Only Services that own the address (or a node port, for node addresses) can match;
    // building the others' endpoint lists would be wasted work on every connection.
    let ports: Vec<ServicePortInfo> = c
        .list::<Service>(None)
        .filter(|svc| {
            svc.spec.cluster_ip.as_deref() == Some(dst_ip)
                || svc.spec.cluster_ips.iter().any(|i| i == dst_ip)
                || svc.spec.external_ips.iter().any(|i| i == dst_ip)
                || svc.status.load_balancer_ingress.iter().any(|i| i == dst_ip)
                || (dst_node.is_some() && svc.spec.ports.iter().any(|p| p.node_port == Some(dst_port)))
        })
        .flat_map(|svc| ports_of(c, svc))
        .collect();
    let mut matched: Option<(&ServicePortInfo, Entry)> = None;
    for sp in &ports {
        if !sp.protocol.eq_ignore_ascii_case(proto) {
            continue;
        }
        let entry = if sp.port == dst_port && sp.cluster_ips.iter().any(|i| i == dst_ip) {
            Entry::ClusterIp
        } else if sp.port == dst_port && sp.external_ips.iter().any(|i| i == dst_ip) {
            Entry::ExternalIp
        } else if sp.port == dst_port && sp.load_balancer_ips.iter().any(|i| i == dst_ip) {
            Entry::LoadBalancerIp
        } else if dst_node.is_some() && sp.node_port == Some(dst_port) {
            Entry::NodePort
        } else {
            continue;
        };
        matched = Some((sp, entry));
        break;
    }
    let base_node = client_node.map(str::to_string);
    let Some((sp, entry)) = matched else {
        return no_service_match(c, mode, base_node, dst_ip, dst_port, proto, &ports);
    };
    let sp = sp.clone();
    // Which node's rules see the packet: the destination node for NodePorts; for external
    // clients of an LB IP, a node the load balancer picks (cloud LBs spread over healthy nodes).
    let node = match entry {
        Entry::NodePort => dst_node.clone(),
        Entry::LoadBalancerIp | Entry::ExternalIp if client_node.is_none() => {
            let nodes: Vec<String> = c
                .list::<Node>(None)
                .filter(|n| n.ready)
                .filter(|n| {
                    !sp.external_local || !categorize(&sp, Some(&n.metadata.name), Some(dst_ip)).local.is_empty()
                })
                .map(|n| n.metadata.name.clone())
                .collect();
            if nodes.is_empty() {
                None
            } else {
                let i = c.with_rng(|r| r.usize(..nodes.len()));
                nodes.get(i).cloned()
            }
        }
        _ => base_node.clone(),
    };
    let cat = categorize(&sp, node.as_deref(), Some(dst_ip));
    // External traffic from pods or from the node itself short-circuits to the cluster chain
    // (KUBE-EXT "pod traffic for ... external destinations", spec §6.1).
    let from_inside = is_pod_ip(c, client_ip) || client_node.is_some();
    let (eps, policy_local) = match entry {
        Entry::ClusterIp => {
            if sp.internal_local {
                (cat.local.clone(), true)
            } else {
                (cat.cluster.clone(), false)
            }
        }
        _ => {
            if sp.external_local && !from_inside {
                (cat.local.clone(), true)
            } else {
                // internalTrafficPolicy does not apply to external destinations, even from pods.
                (cat.cluster.clone(), false)
            }
        }
    };
    let spn = sp.service_port_name();
    let mut decision = RouteDecision {
        mode,
        node: node.clone(),
        service: Some(spn.clone()),
        rule: String::new(),
        chains: Vec::new(),
        verdict: Verdict::NoMatch,
    };
    // loadBalancerSourceRanges: a new connection to an LB IP from outside the ranges passes
    // KUBE-FW without a DNAT and is dropped by the filter table's KUBE-PROXY-FIREWALL
    // (nftables: the `firewall-check` chain's `ip saddr != { ... } drop`). Only when the
    // Service has endpoints: without, the REJECT below answers first.
    let has_endpoints = !cat.cluster.is_empty() || !cat.local.is_empty();
    if entry == Entry::LoadBalancerIp && has_endpoints {
        let node_ip = node
            .as_deref()
            .and_then(|n| c.get::<Node>("", n))
            .and_then(|n| n.addresses.iter().find(|a| !a.contains(':')).cloned());
        if !sp.source_allowed(client_ip, node_ip.as_deref()) {
            decision.verdict = Verdict::Drop;
            let p = sp.protocol_lower();
            match mode {
                ProxyMode::Iptables | ProxyMode::Ipvs => {
                    decision.chains = vec!["KUBE-SERVICES".into(), sp.fw_chain(), "KUBE-PROXY-FIREWALL".into()];
                    decision.rule = format!(
                        "-A KUBE-PROXY-FIREWALL -m comment --comment \"{spn} traffic not accepted by {}\" -m {p} -p {p} -d {dst_ip} --dport {dst_port} -j DROP",
                        sp.fw_chain()
                    );
                }
                ProxyMode::Nftables => {
                    decision.chains = vec!["firewall-check".into(), nftables::firewall_chain(&sp)];
                    decision.rule = format!("ip saddr != {{ {} }} drop", sp.source_ranges.join(", "));
                }
            }
            return decision;
        }
    }
    if eps.is_empty() {
        let (verdict, what) = if policy_local && cat.has_any {
            (Verdict::Drop, "has no local endpoints")
        } else {
            (Verdict::Reject, "has no endpoints")
        };
        decision.verdict = verdict;
        let target = if decision.verdict == Verdict::Drop { "DROP" } else { "REJECT" };
        let p = sp.protocol_lower();
        match mode {
            ProxyMode::Iptables => {
                let (chain, matcher) = if entry == Entry::NodePort {
                    ("KUBE-EXTERNAL-SERVICES", format!("-m addrtype --dst-type LOCAL -m {p} -p {p} --dport {dst_port}"))
                } else if entry == Entry::ClusterIp {
                    ("KUBE-SERVICES", format!("-m {p} -p {p} -d {dst_ip} --dport {dst_port}"))
                } else {
                    ("KUBE-EXTERNAL-SERVICES", format!("-m {p} -p {p} -d {dst_ip} --dport {dst_port}"))
                };
                decision.chains = vec![chain.to_string()];
                decision.rule = format!("-A {chain} -m comment --comment \"{spn} {what}\" {matcher} -j {target}");
            }
            ProxyMode::Nftables => {
                decision.chains = vec!["filter-forward".into(), "service-endpoints-check".into()];
                decision.rule = format!(
                    "ip daddr . meta l4proto . th dport vmap @no-endpoint-services {{ {dst_ip} . {p} . {dst_port} comment \"{spn}\" : goto {} }}",
                    if decision.verdict == Verdict::Drop { "drop" } else { "reject-chain" }
                );
            }
            ProxyMode::Ipvs => {
                let vs = format!("{}  {}", sp.protocol, host_port(dst_ip, dst_port));
                decision.chains = vec![vs.clone()];
                decision.rule = format!("{vs} rr (no real servers: {spn} {what})");
            }
        }
        return decision;
    }
    let state_key = sp.state_key();
    // ClientIP affinity first (spec §6.2: the `recent --rcheck` rules precede the random ones).
    let mut chosen: Option<(usize, bool)> = None;
    if let Some(timeout) = sp.affinity_seconds {
        // `--reap`: forget entries idle longer than the timeout, so the state stays bounded.
        let limit = (timeout.max(0) as u64) * 1000;
        if let Some(m) = c.proxy.affinity.get_mut(&state_key) {
            m.retain(|_, e| now.since(e.last_used) <= limit);
        }
        if let Some(entry) = c.proxy.affinity.get(&state_key).and_then(|m| m.get(client_ip)) {
            let fresh = now.since(entry.last_used) <= (timeout.max(0) as u64) * 1000;
            if fresh {
                if let Some(i) = eps.iter().position(|e| e.endpoint_string() == entry.endpoint) {
                    chosen = Some((i, true));
                }
            }
        }
    }
    let n = eps.len();
    let vs_key = format!("{}/{}", sp.protocol_lower(), host_port(dst_ip, dst_port));
    let (idx, sticky) = match chosen {
        Some(x) => x,
        None => {
            let i = match mode {
                ProxyMode::Iptables => c.with_rng(|r| {
                    // Rule i of n matches with probability 1/(n-i); the last is unconditional.
                    (0..n).find(|i| *i + 1 == n || r.f64() < 1.0 / (n - i) as f64).unwrap_or(n - 1)
                }),
                ProxyMode::Nftables => c.with_rng(|r| r.usize(..n)),
                ProxyMode::Ipvs => {
                    let last = c.proxy.rr_last.get(&vs_key);
                    match last.and_then(|l| eps.iter().position(|e| &e.endpoint_string() == l)) {
                        Some(p) => (p + 1) % n,
                        None => {
                            // The previous pick left the list: continue after where it sat in order.
                            last.map(|l| eps.iter().position(|e| e.endpoint_string() > *l).unwrap_or(0)).unwrap_or(0)
                        }
                    }
                }
            };
            (i, false)
        }
    };
    let Some(ep) = eps.get(idx).cloned() else { return decision };
    if mode == ProxyMode::Ipvs {
        c.proxy.rr_last.insert(vs_key, ep.endpoint_string());
    }
    if sp.affinity_seconds.is_some() {
        c.proxy
            .affinity
            .entry(state_key)
            .or_default()
            .insert(client_ip.to_string(), AffinityEntry { endpoint: ep.endpoint_string(), last_used: now });
    }
    describe_dnat(&mut decision, &sp, entry, policy_local, &eps, idx, sticky, dst_ip, dst_port);
    decision.verdict = Verdict::Dnat { ip: ep.ip.clone(), port: ep.port, pod: ep.pod.clone(), node: ep.node.clone() };
    decision
}

/// Fill in the rule and chains of a DNAT decision.
#[allow(clippy::too_many_arguments)]
fn describe_dnat(
    d: &mut RouteDecision,
    sp: &ServicePortInfo,
    entry: Entry,
    policy_local: bool,
    eps: &[ProxyEndpoint],
    idx: usize,
    sticky: bool,
    dst_ip: &str,
    dst_port: i32,
) {
    let spn = sp.service_port_name();
    let Some(ep) = eps.get(idx) else { return };
    let n = eps.len();
    match d.mode {
        ProxyMode::Iptables => {
            let svc_chain = if policy_local && entry != Entry::ClusterIp { sp.svl_chain() } else { sp.svc_chain() };
            let sep = sp.sep_chain(ep);
            let mut chains = vec!["KUBE-SERVICES".to_string()];
            if entry == Entry::NodePort {
                chains.push("KUBE-NODEPORTS".into());
            }
            if entry != Entry::ClusterIp {
                chains.push(sp.ext_chain());
            }
            chains.push(svc_chain.clone());
            chains.push(sep.clone());
            d.chains = chains;
            d.rule = if sticky {
                format!(
                    "-A {svc_chain} -m comment --comment \"{spn} -> {}\" -m recent --name {sep} --rcheck --seconds {} --reap -j {sep}",
                    ep.endpoint_string(),
                    sp.affinity_seconds.unwrap_or(10800)
                )
            } else if idx + 1 < n {
                format!(
                    "-A {svc_chain} -m comment --comment \"{spn} -> {}\" -m statistic --mode random --probability {} -j {sep}",
                    ep.endpoint_string(),
                    iptables::probability(n - idx)
                )
            } else {
                format!("-A {svc_chain} -m comment --comment \"{spn} -> {}\" -j {sep}", ep.endpoint_string())
            };
        }
        ProxyMode::Nftables => {
            let svc = nftables::service_chain(sp);
            let epc = nftables::endpoint_chain(sp, ep);
            d.chains = vec!["services".into(), svc.clone(), epc.clone()];
            d.rule = if sticky {
                format!("ip saddr @{} goto {epc}", nftables::affinity_set(sp, ep))
            } else {
                format!("numgen random mod {n} vmap {{ ... {idx} : goto {epc} ... }}")
            };
        }
        ProxyMode::Ipvs => {
            let vs = format!("{}  {}", sp.protocol, host_port(dst_ip, dst_port));
            d.chains = vec![vs.clone()];
            d.rule = match sp.affinity_seconds {
                Some(t) => format!("{vs} rr persistent {t} -> {}", ep.endpoint_string()),
                None => format!("{vs} rr -> {}", ep.endpoint_string()),
            };
        }
    }
}

/// No Service port matched. iptables and IPVS let the packet pass (IPVS answers undeclared
/// ports of a ClusterIP itself, since the address sits on `kube-ipvs0`: refused); nftables
/// rejects undeclared ports of a Service IP and drops unallocated Service-CIDR addresses
/// (spec §6.1, §9.9).
fn no_service_match(
    c: &Cluster,
    mode: ProxyMode,
    node: Option<String>,
    dst_ip: &str,
    dst_port: i32,
    proto: &str,
    ports: &[ServicePortInfo],
) -> RouteDecision {
    let is_service_ip = ports.iter().any(|sp| sp.cluster_ips.iter().any(|i| i == dst_ip));
    let in_service_cidr = in_cidrs(&c.config.service_subnet, dst_ip);
    let p = proto.to_ascii_lowercase();
    let (verdict, rule, chains) = match mode {
        // nftables `cluster-ips-check` chain (code: pkg/proxy/nftables/proxier.go).
        ProxyMode::Nftables if is_service_ip => (
            Verdict::Reject,
            "ip daddr @cluster-ips reject comment \"Reject traffic to invalid ports of ClusterIPs\"".to_string(),
            vec!["filter-prerouting".to_string(), "cluster-ips-check".to_string()],
        ),
        ProxyMode::Nftables if in_service_cidr => (
            Verdict::Drop,
            format!(
                "ip daddr {} drop comment \"Drop traffic to unallocated ClusterIPs\"",
                c.config.service_subnet.split(',').next().unwrap_or("").trim()
            ),
            vec!["filter-prerouting".to_string(), "cluster-ips-check".to_string()],
        ),
        ProxyMode::Ipvs if is_service_ip => (
            Verdict::Reject,
            format!("{dst_ip} is bound to kube-ipvs0 but no virtual server has port {dst_port}/{p}"),
            vec!["kube-ipvs0".to_string()],
        ),
        _ => (Verdict::NoMatch, String::new(), Vec::new()),
    };
    RouteDecision { mode, node, service: None, rule, chains, verdict }
}

#[cfg(test)]
mod set_mode_tests {
    use super::*;
    use crate::scenario::SEED_001;

    fn vip(c: &Cluster) -> String {
        c.get::<Service>("default", "normal-service").and_then(|s| s.spec.cluster_ip.clone()).unwrap_or_default()
    }

    #[test]
    fn set_mode_rewrites_the_configmap_and_route_follows() {
        let mut lab = SEED_001.start(1);
        let c = &mut lab.cluster;
        assert_eq!(mode(c), ProxyMode::Iptables);
        let rv = c.get::<ConfigMap>("kube-system", "kube-proxy").map(|cm| cm.metadata.resource_version);
        set_mode(c, ProxyMode::Ipvs);
        assert_eq!(mode(c), ProxyMode::Ipvs);
        let cm = c.get::<ConfigMap>("kube-system", "kube-proxy").cloned().unwrap_or_default();
        assert_ne!(Some(cm.metadata.resource_version), rv, "the write bumps resourceVersion");
        let conf = cm.data.get("config.conf").cloned().unwrap_or_default();
        assert!(conf.contains("\nmode: ipvs\n") && conf.contains("kind: KubeProxyConfiguration"), "{conf}");
        assert_eq!(conf.matches("mode:").count(), 1, "{conf}");
        let ip = vip(c);
        let now = c.now;
        let d = route(c, Some("kind-worker"), &ip, 80, "TCP", "10.244.1.9", now);
        assert_eq!(d.mode, ProxyMode::Ipvs);
        assert!(d.rule.contains(" rr -> "), "{}", d.rule);
        assert!(matches!(d.verdict, Verdict::Dnat { .. }));

        set_mode(c, ProxyMode::Nftables);
        let d = route(c, Some("kind-worker"), &ip, 80, "TCP", "10.244.1.9", now);
        assert_eq!(d.mode, ProxyMode::Nftables);
        assert!(d.chains.first().is_some_and(|ch| ch == "services"), "{:?}", d.chains);

        set_mode(c, ProxyMode::Iptables);
        let d = route(c, Some("kind-worker"), &ip, 80, "TCP", "10.244.1.9", now);
        assert_eq!(d.mode, ProxyMode::Iptables);
        assert!(d.chains.iter().any(|ch| ch.starts_with("KUBE-SVC-")), "{:?}", d.chains);
    }

    #[test]
    fn the_terminal_agrees_with_the_new_mode() {
        let mut lab = SEED_001.start(1);
        set_mode(&mut lab.cluster, ProxyMode::Ipvs);
        let cm = lab.input("kubectl get cm kube-proxy -n kube-system -o yaml").map(|o| o.text).unwrap_or_default();
        assert!(cm.contains("mode: ipvs"), "{cm}");
        let vip = vip(&lab.cluster);
        let rules = lab.input("ipvsadm -Ln").map(|o| o.text).unwrap_or_default();
        assert!(rules.contains(&format!("TCP  {vip}:80 rr")), "{rules}");
    }

    #[test]
    fn a_deleted_configmap_is_recreated() {
        let mut lab = SEED_001.start(1);
        let key = crate::cluster::ObjKey::new(Kind::ConfigMap, "kube-system", "kube-proxy");
        lab.cluster.remove(&key);
        set_mode(&mut lab.cluster, ProxyMode::Nftables);
        assert_eq!(mode(&lab.cluster), ProxyMode::Nftables);
    }
}
