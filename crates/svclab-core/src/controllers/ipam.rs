//! IP address management: node pod CIDRs (/24 per node, like kind's kindnet with host-local
//! IPAM), pod IPs, and Service ClusterIPs from the service range with its static and dynamic
//! bands (spec §2: dynamic allocation prefers the upper band).

use crate::api::*;
use crate::cluster::Cluster;
use crate::net::Cidr;
use std::collections::BTreeSet;
use std::net::IpAddr;

/// The service CIDRs, primary family first.
pub fn service_cidrs(c: &Cluster) -> Vec<Cidr> {
    c.config.service_subnet.split(',').filter_map(|s| Cidr::parse(s.trim())).collect()
}

pub fn pod_cidrs(c: &Cluster) -> Vec<Cidr> {
    c.config.pod_subnet.split(',').filter_map(|s| Cidr::parse(s.trim())).collect()
}

/// Size of the lower static band: `min(max(16, size/16), 256)`.
pub fn static_band(cidr: &Cidr) -> u128 {
    (cidr.size() / 16).clamp(16, 256)
}

fn used_cluster_ips(c: &Cluster) -> BTreeSet<String> {
    c.list::<Service>(None).flat_map(|s| s.spec.cluster_ips.iter().cloned()).collect()
}

/// Why a requested ClusterIP cannot be had, in the API server's words.
#[derive(Debug, Clone, PartialEq)]
pub enum AllocError {
    NotInRange { ip: String, cidr: String },
    Taken { ip: String },
    Full,
}

impl AllocError {
    pub fn message(&self) -> String {
        match self {
            AllocError::NotInRange { ip, cidr } => format!(
                "failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is {cidr}"
            ),
            AllocError::Taken { ip } => format!("failed to allocate IP {ip}: provided IP is already allocated"),
            AllocError::Full => "range is full".to_string(),
        }
    }
}

/// Allocate a ClusterIP in `cidr`: the requested one if in range and free, otherwise a random
/// free address from the dynamic (upper) band, falling back to the static band.
pub fn allocate_cluster_ip(c: &mut Cluster, cidr: &Cidr, requested: Option<&str>) -> Result<String, AllocError> {
    let used = used_cluster_ips(c);
    if let Some(req) = requested {
        let ip: Option<IpAddr> = req.parse().ok();
        let in_range =
            ip.is_some_and(|ip| cidr.offset(ip).is_some_and(|o| o > 0 && (cidr.is_ipv6() || o + 1 < cidr.size())));
        if !in_range {
            return Err(AllocError::NotInRange { ip: req.to_string(), cidr: cidr.to_string() });
        }
        let canon = ip.map(|i| i.to_string()).unwrap_or_default();
        if used.contains(&canon) {
            return Err(AllocError::Taken { ip: canon });
        }
        return Ok(canon);
    }
    let size = cidr.size().min(1 << 24);
    // Usable offsets exclude the network address (and IPv4 broadcast).
    let last = if cidr.is_ipv6() { size - 1 } else { size - 2 };
    let band = static_band(cidr).min(last);
    for (lo, hi) in [(band + 1, last), (1, band.min(last))] {
        if lo > hi {
            continue;
        }
        let span = hi - lo + 1;
        let start = c.with_rng(|r| r.u64(..)) as u128 % span;
        for i in 0..span.min(4096) {
            let off = lo + (start + i) % span;
            if let Some(ip) = cidr.nth(off) {
                let s = ip.to_string();
                if !used.contains(&s) {
                    return Ok(s);
                }
            }
        }
    }
    Err(AllocError::Full)
}

/// The next pod IP(s) on a node: host-local style, continuing after the last one handed
/// out and never returning an IP a live pod holds. `.1` is the node's gateway.
pub fn allocate_pod_ips(c: &mut Cluster, node: &str) -> Vec<String> {
    let held: BTreeSet<String> = c.list::<Pod>(None).flat_map(|p| p.status.pod_ips.iter().cloned()).collect();
    let Some(n) = c.get::<Node>("", node) else { return Vec::new() };
    let ranges: Vec<Cidr> = n.pod_cidrs.iter().filter_map(|s| Cidr::parse(s)).collect();
    let mut out = Vec::new();
    for r in ranges {
        let key = format!("{node}/{r}");
        let size = r.size().min(1 << 16);
        let mut cursor = c.ctl.pod_ip_cursor.get(&key).copied().unwrap_or(1);
        for _ in 0..size {
            cursor += 1;
            if cursor >= size - 1 {
                cursor = 2;
            }
            if let Some(ip) = r.nth(cursor) {
                let s = ip.to_string();
                if !held.contains(&s) {
                    out.push(s);
                    break;
                }
            }
        }
        c.ctl.pod_ip_cursor.insert(key, cursor);
    }
    out
}
