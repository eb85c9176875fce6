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
/// out and never returning an IP a live pod holds. `.1` is the node's gateway. One address
/// per pod CIDR of the node, so dual-stack nodes give one IPv4 and one IPv6 address.
pub fn allocate_pod_ips(c: &mut Cluster, node: &str) -> Vec<String> {
    let mut held: BTreeSet<String> = c
        .list::<Pod>(None)
        .filter(|p| !matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed) && !p.spec.host_network)
        .flat_map(|p| p.status.pod_ips.iter().cloned())
        .collect();
    allocate_pod_ips_excluding(c, node, &mut held)
}

/// [`allocate_pod_ips`] with the set of held IPs computed once by the caller (the kubelet
/// starts many pods per pass); the new IPs are added to `held`.
pub fn allocate_pod_ips_excluding(c: &mut Cluster, node: &str, held: &mut BTreeSet<String>) -> Vec<String> {
    let Some(n) = c.get::<Node>("", node) else { return Vec::new() };
    let ranges: Vec<Cidr> = n.pod_cidrs.iter().filter_map(|s| Cidr::parse(s)).collect();
    let mut out = Vec::new();
    for r in ranges {
        let key = format!("{node}/{r}");
        let size = r.size().min(1 << 16);
        if size < 4 {
            continue;
        }
        let mut cursor = c.ctl.pod_ip_cursor.get(&key).copied().unwrap_or(1);
        for _ in 0..size {
            cursor += 1;
            if cursor >= size - 1 {
                cursor = 2;
            }
            if let Some(ip) = r.nth(cursor) {
                let s = ip.to_string();
                if !held.contains(&s) {
                    held.insert(s.clone());
                    out.push(s);
                    break;
                }
            }
        }
        c.ctl.pod_ip_cursor.insert(key, cursor);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Dual-stack Service IPs (spec §2; KEP-563): ipFamilyPolicy × ipFamilies × the cluster's ranges.

/// A Service allocation error: the field and the API server's message after `Invalid value: ...: `.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIpError {
    pub field: String,
    /// The value as the API server shows it (Go-quoted).
    pub value: String,
    pub detail: String,
}

/// What [`allocate_service_ips`] settled on.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIps {
    pub cluster_ips: Vec<String>,
    pub ip_families: Vec<IpFamily>,
    pub ip_family_policy: String,
}

fn family_of(c: &Cidr) -> IpFamily {
    if c.is_ipv6() {
        IpFamily::IPv6
    } else {
        IpFamily::IPv4
    }
}

/// The families a Service gets: `SingleStack` (default) takes `ipFamilies[0]` or the
/// cluster's primary family; `PreferDualStack` takes both when the cluster has both;
/// `RequireDualStack` needs both. Requested families must be configured on the cluster.
pub fn service_families(
    c: &Cluster,
    policy: Option<&str>,
    requested: &[IpFamily],
) -> Result<(Vec<IpFamily>, String), ServiceIpError> {
    let cidrs = service_cidrs(c);
    let configured: Vec<IpFamily> = cidrs.iter().map(family_of).collect();
    let policy = policy.unwrap_or("SingleStack").to_string();
    for (i, f) in requested.iter().enumerate() {
        if !configured.contains(f) {
            return Err(ServiceIpError {
                field: format!("spec.ipFamilies[{i}]"),
                value: format!("\"{}\"", f.as_str()),
                detail: "not configured on this cluster".into(),
            });
        }
    }
    let mut order: Vec<IpFamily> = requested.to_vec();
    for f in &configured {
        if !order.contains(f) {
            order.push(*f);
        }
    }
    let fams = match policy.as_str() {
        "RequireDualStack" => {
            if configured.len() < 2 {
                return Err(ServiceIpError {
                    field: "spec.ipFamilyPolicy".into(),
                    value: "\"RequireDualStack\"".into(),
                    detail: "this cluster is not configured for dual-stack services".into(),
                });
            }
            order
        }
        "PreferDualStack" => order,
        _ => {
            if requested.len() > 1 {
                return Err(ServiceIpError {
                    field: "spec.ipFamilies".into(),
                    value: format!(
                        "[]core.IPFamily{{{}}}",
                        requested.iter().map(|f| format!("\"{}\"", f.as_str())).collect::<Vec<_>>().join(", ")
                    ),
                    detail: "when multiple IP families are specified, IP family policy must be PreferDualStack or RequireDualStack".into(),
                });
            }
            order.into_iter().take(1).collect()
        }
    };
    Ok((fams, policy))
}

/// Allocate a Service's ClusterIPs for its policy and families (requested IPs honoured per
/// family, in order). Keeps [`allocate_cluster_ip`] for each address.
pub fn allocate_service_ips(
    c: &mut Cluster,
    policy: Option<&str>,
    requested_families: &[IpFamily],
    requested_ips: &[String],
) -> Result<ServiceIps, ServiceIpError> {
    let mut fam_req: Vec<IpFamily> = requested_families.to_vec();
    // Requested IPs imply their families when ipFamilies is not set.
    if fam_req.is_empty() {
        fam_req = requested_ips.iter().map(|ip| IpFamily::of(ip)).collect();
    }
    let (fams, policy) = service_families(c, policy, &fam_req)?;
    let cidrs = service_cidrs(c);
    let mut ips = Vec::new();
    for (i, f) in fams.iter().enumerate() {
        let Some(cidr) = cidrs.iter().find(|c| family_of(c) == *f).copied() else { continue };
        let req = requested_ips.get(i).map(String::as_str);
        match allocate_cluster_ip(c, &cidr, req) {
            Ok(ip) => ips.push(ip),
            Err(e) => {
                return Err(ServiceIpError {
                    field: "spec.clusterIPs".into(),
                    value: format!(
                        "[]string{{{}}}",
                        requested_ips.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
                    ),
                    detail: e.message(),
                })
            }
        }
    }
    Ok(ServiceIps { cluster_ips: ips, ip_families: fams, ip_family_policy: policy })
}

// ---------------------------------------------------------------------------------------------
// NodePorts (spec §2: default range 30000-32767; a static lower band and a dynamic upper
// band as the API server's port allocator has since 1.27: band = min(max(16, size/32), 128)).

/// Why a nodePort cannot be had, in the API server's words (after `Invalid value: <p>: `).
#[derive(Debug, Clone, PartialEq)]
pub enum NodePortError {
    NotInRange { port: i32, range: (i32, i32) },
    Taken { port: i32 },
    Full,
}

impl NodePortError {
    pub fn message(&self) -> String {
        match self {
            NodePortError::NotInRange { range, .. } => {
                format!("provided port is not in the valid range. The range of valid ports is {}-{}", range.0, range.1)
            }
            NodePortError::Taken { .. } => "provided port is already allocated".into(),
            NodePortError::Full => "range is full".into(),
        }
    }
}

/// Node ports held by Services (ports and health-check node ports), except `skip` (the
/// Service being updated, whose own ports stay its own).
pub fn used_node_ports(c: &Cluster, skip: Option<(&str, &str)>) -> BTreeSet<i32> {
    c.list::<Service>(None)
        .filter(|s| skip != Some((s.metadata.namespace.as_str(), s.metadata.name.as_str())))
        .flat_map(|s| s.spec.ports.iter().filter_map(|p| p.node_port).chain(s.spec.health_check_node_port))
        .collect()
}

/// Allocate a node port: the requested one if in range and free, else a random free port
/// from the upper (dynamic) band, then the lower band. `taken` are ports already held
/// (from [`used_node_ports`], plus any given to earlier ports of the same Service).
pub fn allocate_node_port(
    c: &mut Cluster,
    requested: Option<i32>,
    taken: &BTreeSet<i32>,
) -> Result<i32, NodePortError> {
    let (lo, hi) = c.config.node_port_range;
    let range = (lo, hi);
    if let Some(p) = requested {
        if p < lo || p > hi {
            return Err(NodePortError::NotInRange { port: p, range });
        }
        if taken.contains(&p) {
            return Err(NodePortError::Taken { port: p });
        }
        return Ok(p);
    }
    if hi < lo {
        return Err(NodePortError::Full);
    }
    let size = (hi - lo + 1) as u64;
    let band = (size / 32).clamp(16, 128).min(size);
    let static_hi = lo as u64 + band - 1;
    for (a, b) in [(static_hi + 1, hi as u64), (lo as u64, static_hi)] {
        if a > b {
            continue;
        }
        let span = b - a + 1;
        let start = c.with_rng(|r| r.u64(..)) % span;
        for i in 0..span {
            let p = (a + (start + i) % span) as i32;
            if !taken.contains(&p) {
                return Ok(p);
            }
        }
    }
    Err(NodePortError::Full)
}

// ---------------------------------------------------------------------------------------------
// LoadBalancer IPs (cloud-provider-kind: each LoadBalancer gets a container on the kind docker
// network, so its address comes from that network after the nodes').

/// The external IP(s) for a LoadBalancer Service: `spec.loadBalancerIP` if set, else the next
/// free address of `config.load_balancer_pool` after the node addresses (IPv6 pools too).
pub fn allocate_load_balancer_ip(c: &Cluster, svc: &Service) -> Option<String> {
    if let Some(ip) = svc.spec.load_balancer_ip.as_deref().filter(|s| !s.is_empty()) {
        return Some(ip.to_string());
    }
    let used: BTreeSet<String> = c
        .list::<Service>(None)
        .flat_map(|s| s.status.load_balancer_ingress.iter().cloned())
        .chain(c.list::<Node>(None).flat_map(|n| n.addresses.iter().cloned()))
        .collect();
    let v6_nodes = c.list::<Node>(None).any(|n| n.addresses.first().is_some_and(|a| a.contains(':')));
    let pools: Vec<Cidr> = c.config.load_balancer_pool.split(',').filter_map(|s| Cidr::parse(s.trim())).collect();
    let pool = pools.iter().find(|p| p.is_ipv6() == v6_nodes).or(pools.first())?;
    // Skip the network address and the gateway (.1), as docker does.
    let nodes = c.list::<Node>(None).count() as u128;
    let limit = pool.size().min(1 << 16);
    (2 + nodes..limit.saturating_sub(1))
        .filter_map(|i| pool.nth(i))
        .map(|ip| ip.to_string())
        .find(|s| !used.contains(s))
}
