//! `ipvsadm -Ln` of one node in IPVS mode (spec §6.3): one virtual server per ClusterIP:port,
//! per node IP:nodePort, external IP and load-balancer IP; real servers are the endpoints
//! the node uses, forwarding `Masq`, weight 1; scheduler `rr` (kube-proxy's default).
//! Column layout from ipvsadm's `print_service_entry` (`"  -> %-28s %-7s %-6d %-10u %-10u"`).

use super::{categorize, host_port, ServicePortInfo};
use crate::api::Node;
use crate::cluster::Cluster;
use std::collections::BTreeMap;

/// One virtual server and its real servers.
#[derive(Clone, Debug, PartialEq)]
pub struct VirtualServer {
    pub protocol: String,
    pub address: String,
    pub port: i32,
    pub persistent: Option<i64>,
    pub real_servers: Vec<String>,
}

/// The node's virtual servers, ordered by protocol and address.
pub fn virtual_servers(c: &Cluster, node: &str) -> Vec<VirtualServer> {
    let node_ips: Vec<String> = c.get::<Node>("", node).map(|n| n.addresses.clone()).unwrap_or_default();
    let mut out: BTreeMap<(String, String), VirtualServer> = BTreeMap::new();
    let mut add = |sp: &ServicePortInfo, ip: &str, port: i32, external: bool| {
        let cat = categorize(sp, Some(node), Some(ip));
        let local = if external { sp.external_local } else { sp.internal_local };
        let eps = if local { &cat.local } else { &cat.cluster };
        let vs = VirtualServer {
            protocol: sp.protocol.clone(),
            address: ip.to_string(),
            port,
            persistent: sp.affinity_seconds,
            real_servers: eps.iter().map(|e| e.endpoint_string()).collect(),
        };
        out.insert((sp.protocol.clone(), host_port(ip, port)), vs);
    };
    for sp in super::service_ports(c) {
        for ip in &sp.cluster_ips {
            add(&sp, ip, sp.port, false);
        }
        for ip in sp.external_ips.iter().chain(sp.load_balancer_ips.iter()) {
            add(&sp, ip, sp.port, true);
        }
        if let Some(np) = sp.node_port {
            for ip in &node_ips {
                add(&sp, ip, np, true);
            }
        }
    }
    out.into_values().collect()
}

/// `ipvsadm -Ln` text.
pub fn list(c: &Cluster, node: &str) -> String {
    let mut out = String::from(
        "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n",
    );
    for vs in virtual_servers(c, node) {
        out.push_str(&format!("{}  {} rr", vs.protocol, host_port(&vs.address, vs.port)));
        if let Some(t) = vs.persistent {
            out.push_str(&format!(" persistent {t}"));
        }
        out.push('\n');
        for rs in &vs.real_servers {
            out.push_str(&format!("  -> {:<28} {:<7} {:<6} {:<10} {:<10}\n", rs, "Masq", 1, 0, 0));
        }
    }
    out
}
