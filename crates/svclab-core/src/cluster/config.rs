//! Cluster settings, read from a kind `Cluster` config (kind.x-k8s.io/v1alpha4) as
//! `kind create cluster --config FILE` does. The defaults are kind's: one control-plane node
//! plus two workers here (kind's own default is one node; the lab wants traffic to spread),
//! services 10.96.0.0/12, pods 10.244.0.0/16, IPv4, kube-proxy in iptables mode.

use crate::diag::{Diagnostic, Pos};
use crate::yaml::{parse_documents, scalar_text, NodeKind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeConfig {
    pub name: String,
    pub control_plane: bool,
    pub labels: std::collections::BTreeMap<String, String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IpFamilyMode {
    Ipv4,
    Ipv6,
    Dual,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProxyMode {
    Iptables,
    Ipvs,
    Nftables,
}

impl ProxyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyMode::Iptables => "iptables",
            ProxyMode::Ipvs => "ipvs",
            ProxyMode::Nftables => "nftables",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "iptables" | "" => ProxyMode::Iptables,
            "ipvs" => ProxyMode::Ipvs,
            "nftables" => ProxyMode::Nftables,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterConfig {
    pub name: String,
    pub nodes: Vec<NodeConfig>,
    pub ip_family: IpFamilyMode,
    /// Comma-separated for dual stack, as kind writes it (`10.244.0.0/16,fd00:10:244::/56`).
    pub pod_subnet: String,
    pub service_subnet: String,
    pub kube_proxy_mode: ProxyMode,
    /// `networking.dnsDomain` from a kubeadm ClusterConfiguration patch.
    pub dns_domain: String,
    /// The API server's `--service-node-port-range`.
    pub node_port_range: (i32, i32),
    /// The pool LoadBalancer Services take external IPs from (cloud-provider-kind style).
    pub load_balancer_pool: String,
    /// Whether a load-balancer controller runs (cloud-provider-kind). Without one, a
    /// LoadBalancer Service's EXTERNAL-IP stays `<pending>`, as on a bare kind cluster.
    #[serde(default = "yes")]
    pub cloud_provider_kind: bool,
    /// The most pods this cluster holds: the lab's limit [`crate::cluster::MAX_PODS`]. Not
    /// read from a kind config (a learner cannot raise it); a caller of the core API (the
    /// scale benchmarks, at 5,000 pods) may set it.
    #[serde(default = "lab_max_pods")]
    pub max_pods: usize,
}

fn yes() -> bool {
    true
}

fn lab_max_pods() -> usize {
    crate::cluster::MAX_PODS
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            name: "kind".into(),
            nodes: vec![
                NodeConfig { name: "kind-control-plane".into(), control_plane: true, labels: Default::default() },
                NodeConfig { name: "kind-worker".into(), control_plane: false, labels: Default::default() },
                NodeConfig { name: "kind-worker2".into(), control_plane: false, labels: Default::default() },
            ],
            ip_family: IpFamilyMode::Ipv4,
            pod_subnet: "10.244.0.0/16".into(),
            service_subnet: "10.96.0.0/12".into(),
            kube_proxy_mode: ProxyMode::Iptables,
            dns_domain: "cluster.local".into(),
            node_port_range: (30000, 32767),
            load_balancer_pool: "172.18.0.0/16".into(),
            cloud_provider_kind: true,
            max_pods: crate::cluster::MAX_PODS,
        }
    }
}

impl ClusterConfig {
    /// Read a kind `Cluster` config. Never fails: problems come back as diagnostics and the
    /// defaults stand in for what could not be read.
    /// The most nodes a kind config may ask for (a lab limit, said as such): every node is
    /// simulated, with its kube-proxy and its share of the pod limit.
    pub const MAX_NODES: usize = 50;

    pub fn from_kind_yaml(text: &str) -> (ClusterConfig, Vec<Diagnostic>) {
        let mut cfg = ClusterConfig::default();
        let (docs, mut diags) = parse_documents(text);
        let Some(root) = docs.iter().find_map(|d| d.root.as_ref()) else {
            return (cfg, diags);
        };
        let kind = root.get("kind").map(scalar_text).unwrap_or_default();
        if kind != "Cluster" {
            diags.push(Diagnostic::error(
                "kind.config",
                root.pos,
                format!("ERROR: failed to create cluster: unknown kind \"{kind}\", expected kind: Cluster"),
            ));
            return (cfg, diags);
        }
        if let Some(n) = root.get("name") {
            cfg.name = scalar_text(n);
        }
        if let Some(NodeKind::Seq(nodes)) = root.get("nodes").map(|n| &n.kind) {
            if nodes.len() > Self::MAX_NODES {
                diags.push(Diagnostic::error(
                    "kind.config",
                    root.get("nodes").map_or(root.pos, |n| n.key_or_pos()),
                    format!(
                        "ERROR: failed to create cluster: Service Lab runs at most {} nodes (a lab limit: every node is simulated in memory); the config asks for {}",
                        Self::MAX_NODES,
                        nodes.len()
                    ),
                ));
                return (cfg, diags);
            }
            let (mut cp, mut w) = (0, 0);
            cfg.nodes.clear();
            for n in nodes {
                let role = n.get("role").map(scalar_text).unwrap_or_else(|| "control-plane".into());
                let control_plane = role == "control-plane";
                if role != "control-plane" && role != "worker" {
                    diags.push(Diagnostic::error(
                        "kind.config",
                        n.pos,
                        format!("ERROR: failed to create cluster: unknown role \"{role}\""),
                    ));
                }
                // kind names nodes <cluster>-control-plane, -control-plane2, -worker, -worker2 ...
                let (base, idx) = if control_plane {
                    cp += 1;
                    ("control-plane", cp)
                } else {
                    w += 1;
                    ("worker", w)
                };
                let suffix = if idx == 1 { String::new() } else { idx.to_string() };
                let labels = n.get("labels").map(|l| l.string_map()).unwrap_or_default();
                cfg.nodes.push(NodeConfig { name: format!("{}-{base}{suffix}", cfg.name), control_plane, labels });
            }
        } else {
            // kind's default is a single control-plane node.
            cfg.nodes = vec![NodeConfig {
                name: format!("{}-control-plane", cfg.name),
                control_plane: true,
                labels: Default::default(),
            }];
        }
        if let Some(net) = root.get("networking") {
            if let Some(f) = net.get("ipFamily") {
                cfg.ip_family = match scalar_text(f).as_str() {
                    "ipv6" => IpFamilyMode::Ipv6,
                    "dual" => IpFamilyMode::Dual,
                    "ipv4" => IpFamilyMode::Ipv4,
                    other => {
                        diags.push(Diagnostic::error(
                            "kind.config",
                            f.pos,
                            format!("ERROR: failed to create cluster: invalid ipFamily: {other}"),
                        ));
                        IpFamilyMode::Ipv4
                    }
                };
                // kind's defaults per family.
                match cfg.ip_family {
                    IpFamilyMode::Ipv6 => {
                        cfg.pod_subnet = "fd00:10:244::/56".into();
                        cfg.service_subnet = "fd00:10:96::/112".into();
                        cfg.load_balancer_pool = "fc00:f853:ccd:e793::/64".into();
                    }
                    IpFamilyMode::Dual => {
                        cfg.pod_subnet = "10.244.0.0/16,fd00:10:244::/56".into();
                        cfg.service_subnet = "10.96.0.0/16,fd00:10:96::/112".into();
                        cfg.load_balancer_pool = "172.18.0.0/16,fc00:f853:ccd:e793::/64".into();
                    }
                    IpFamilyMode::Ipv4 => {}
                }
            }
            if let Some(s) = net.get("podSubnet") {
                cfg.pod_subnet = scalar_text(s);
            }
            if let Some(s) = net.get("serviceSubnet") {
                cfg.service_subnet = scalar_text(s);
            }
            if let Some(m) = net.get("kubeProxyMode") {
                match ProxyMode::parse(&scalar_text(m)) {
                    Some(p) => cfg.kube_proxy_mode = p,
                    None => diags.push(Diagnostic::error(
                        "kind.config",
                        m.pos,
                        format!("ERROR: failed to create cluster: invalid kubeProxyMode: {}", scalar_text(m)),
                    )),
                }
            }
        }
        let pod_subnet_pos = root.get("networking").and_then(|n| n.get("podSubnet")).map_or(Pos::default(), |n| n.pos);
        for subnet in cfg.service_subnet.split(',').chain(cfg.pod_subnet.split(',')) {
            if crate::net::Cidr::parse(subnet.trim()).is_none() {
                diags.push(Diagnostic::error(
                    "kind.config",
                    pod_subnet_pos,
                    format!("ERROR: failed to create cluster: invalid CIDR: {subnet}"),
                ));
            }
        }
        for subnet in cfg.pod_subnet.split(',').map(str::trim) {
            // kubeadm's ValidatePodSubnetNodeMask: each node gets a /24 (IPv4) or /64 (IPv6)
            // of the pod subnet, which must hold at least one and at most 2^16 of them.
            let Some(cidr) = crate::net::Cidr::parse(subnet) else { continue };
            let node_mask: u8 = if cidr.is_ipv6() { 64 } else { 24 };
            let detail = if cidr.prefix > node_mask {
                format!(
                    "the size of pod subnet with mask {} is smaller than the size of node subnet with mask {node_mask}",
                    cidr.prefix
                )
            } else if node_mask - cidr.prefix > 16 {
                format!("pod subnet mask ({}) and node-mask ({node_mask}) difference is greater than 16", cidr.prefix)
            } else {
                continue;
            };
            diags.push(Diagnostic::error(
                "kind.config",
                pod_subnet_pos,
                format!("ERROR: failed to create cluster: failed to init node with kubeadm: networking.podSubnet: Invalid value: \"{subnet}\": {detail}"),
            ));
        }
        // kubeadmConfigPatches: strings holding kubeadm YAML documents.
        if let Some(NodeKind::Seq(patches)) = root.get("kubeadmConfigPatches").map(|n| &n.kind) {
            for p in patches {
                let (pdocs, _) = parse_documents(&scalar_text(p));
                for d in pdocs.iter().filter_map(|d| d.root.as_ref()) {
                    if let Some(dom) = d.get("networking").and_then(|n| n.get("dnsDomain")) {
                        cfg.dns_domain = scalar_text(dom);
                    }
                    if let Some(range) = d
                        .get("apiServer")
                        .and_then(|a| a.get("extraArgs"))
                        .and_then(|e| e.get("service-node-port-range"))
                    {
                        let r = scalar_text(range);
                        if let Some((a, b)) =
                            r.split_once('-').and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
                        {
                            cfg.node_port_range = (a, b);
                        }
                    }
                }
            }
        }
        if diags.iter().any(|d| d.is_error()) {
            let kept = ClusterConfig::default();
            return (kept, diags);
        }
        (cfg, diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_config_nodes_and_networking() {
        let (cfg, diags) = ClusterConfig::from_kind_yaml(
            "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\nnetworking:\n  serviceSubnet: 10.0.0.0/16\n  kubeProxyMode: ipvs\nkubeadmConfigPatches:\n- |\n  kind: ClusterConfiguration\n  networking:\n    dnsDomain: corp.local\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let names: Vec<_> = cfg.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["kind-control-plane", "kind-worker", "kind-worker2"]);
        assert_eq!(cfg.service_subnet, "10.0.0.0/16");
        assert_eq!(cfg.kube_proxy_mode, ProxyMode::Ipvs);
        assert_eq!(cfg.dns_domain, "corp.local");
    }

    #[test]
    fn no_nodes_means_one_control_plane() {
        let (cfg, _) = ClusterConfig::from_kind_yaml("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n");
        assert_eq!(cfg.nodes.len(), 1);
    }
}
