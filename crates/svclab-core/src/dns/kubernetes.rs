//! CoreDNS's `kubernetes` plugin (spec §4): names under the cluster zone answered from
//! Services and EndpointSlices, reverse lookups under in-addr.arpa / ip6.arpa.

use super::{fqdn, DnsResponse, RData, RType, Rcode, Record};
use crate::api::*;
use crate::cluster::Cluster;
use std::net::IpAddr;

/// The plugin's settings (from the Corefile's `kubernetes` block).
#[derive(Clone, Debug, PartialEq)]
pub struct PluginConfig {
    pub zone: String,
    pub ttl: u32,
    /// `disabled` | `insecure` | `verified`.
    pub pods: String,
    pub endpoint_pod_names: bool,
}

impl PluginConfig {
    /// kubeadm's defaults for the cluster's domain.
    pub fn for_cluster(c: &Cluster) -> Self {
        PluginConfig { zone: fqdn(&c.config.dns_domain), ttl: 30, pods: "insecure".into(), endpoint_pod_names: false }
    }
}

/// A ready-to-serve endpoint of a Service: its DNS name label and address.
#[derive(Clone, Debug, PartialEq)]
pub struct DnsEndpoint {
    pub name: String,
    pub ip: String,
    pub ready: bool,
    pub ports: Vec<EndpointPort>,
}

/// CoreDNS's `endpointHostname`: the `hostname` field, else (with `endpoint_pod_names`) the
/// pod name, else the dashed IP (`10-244-1-5`; IPv6 compressed with `:`→`-`, and a trailing
/// `0` added when it would end in `-`).
pub fn endpoint_name(ep: &Endpoint, ip: &str, cfg: &PluginConfig) -> String {
    if let Some(h) = ep.hostname.as_ref().filter(|h| !h.is_empty()) {
        return h.clone();
    }
    if cfg.endpoint_pod_names {
        if let Some(r) = ep.target_ref.as_ref().filter(|r| !r.name.is_empty() && r.name.len() < 64) {
            return r.name.clone();
        }
    }
    let mut d = crate::net::dashed(&crate::net::canonical(ip).unwrap_or_else(|| ip.to_string()));
    if d.ends_with('-') {
        d.push('0');
    }
    d
}

/// Every endpoint of a Service across its EndpointSlices (dedup by IP; the ready one wins).
pub fn service_endpoints(c: &Cluster, svc: &Service, cfg: &PluginConfig) -> Vec<DnsEndpoint> {
    let mut out: Vec<DnsEndpoint> = Vec::new();
    for slice in c.list::<EndpointSlice>(Some(&svc.metadata.namespace)) {
        if slice.metadata.labels.get("kubernetes.io/service-name") != Some(&svc.metadata.name) {
            continue;
        }
        for ep in &slice.endpoints {
            let ready = ep.conditions.is_ready();
            for ip in &ep.addresses {
                let name = endpoint_name(ep, ip, cfg);
                match out.iter_mut().find(|e| e.ip == *ip) {
                    Some(e) => e.ready |= ready,
                    None => out.push(DnsEndpoint { name, ip: ip.clone(), ready, ports: slice.ports.clone() }),
                }
            }
        }
    }
    out
}

fn addr_record(name: &str, ttl: u32, ip: &str) -> Record {
    let data = if ip.contains(':') { RData::AAAA(ip.to_string()) } else { RData::A(ip.to_string()) };
    Record { name: name.to_string(), ttl, data }
}

fn soa(cfg: &PluginConfig, c: &Cluster) -> Record {
    Record {
        name: cfg.zone.clone(),
        ttl: cfg.ttl.min(300),
        data: RData::Soa {
            mname: format!("ns.dns.{}", cfg.zone),
            rname: format!("hostmaster.{}", cfg.zone),
            serial: 1_767_225_600u32.wrapping_add(c.now.secs() as u32),
            refresh: 7200,
            retry: 1800,
            expire: 86400,
            minimum: cfg.ttl,
        },
    }
}

fn negative(rcode: Rcode, cfg: &PluginConfig, c: &Cluster) -> DnsResponse {
    let mut r = DnsResponse::empty(rcode);
    r.authority.push(soa(cfg, c));
    r
}

/// Answer one question as CoreDNS would, before `loadbalance` shuffles it.
pub fn answer(c: &Cluster, qname: &str, qtype: RType) -> DnsResponse {
    let cfg = PluginConfig::for_cluster(c);
    let name = fqdn(qname);
    if name.ends_with(".in-addr.arpa.") || name.ends_with(".ip6.arpa.") {
        return reverse(c, &name, &cfg);
    }
    let Some(rest) = name.strip_suffix(&cfg.zone) else {
        // Outside the cluster zone: forwarded upstream (the simulated internet knows nothing).
        return DnsResponse { authoritative: false, ..DnsResponse::empty(Rcode::NxDomain) };
    };
    let labels: Vec<&str> = rest.trim_end_matches('.').split('.').filter(|l| !l.is_empty()).collect();
    let mut answer = DnsResponse::empty(Rcode::NoError);
    match labels.as_slice() {
        [] | ["svc"] | ["pod"] => negative(Rcode::NoError, &cfg, c),
        [ns, "svc"] if c.namespace_exists(ns) => negative(Rcode::NoError, &cfg, c),
        [.., "pod"] => pod_record(c, &labels, qtype, &name, &cfg),
        [prefix @ .., svc, ns, "svc"] => {
            if !c.namespace_exists(ns) {
                return negative(Rcode::NxDomain, &cfg, c);
            }
            let Some(s) = c.get::<Service>(ns, svc) else { return negative(Rcode::NxDomain, &cfg, c) };
            if prefix.len() >= 3 {
                return negative(Rcode::NxDomain, &cfg, c);
            }
            if s.spec.type_ == ServiceType::ExternalName {
                let target = s.spec.external_name.clone().unwrap_or_default();
                if !prefix.is_empty() || target.parse::<IpAddr>().is_ok() {
                    return negative(Rcode::NxDomain, &cfg, c);
                }
                if matches!(qtype, RType::A | RType::AAAA | RType::CNAME | RType::ANY) {
                    answer.answers.push(Record { name: name.clone(), ttl: cfg.ttl, data: RData::Cname(fqdn(&target)) });
                    return answer;
                }
                return negative(Rcode::NoError, &cfg, c);
            }
            let eps = service_endpoints(c, s, &cfg);
            match prefix {
                [] if !s.is_headless() => {
                    for ip in &s.spec.cluster_ips {
                        if want_addr(qtype, ip) {
                            answer.answers.push(addr_record(&name, cfg.ttl, ip));
                        }
                    }
                }
                [] => {
                    let ready: Vec<&DnsEndpoint> = eps.iter().filter(|e| e.ready).collect();
                    if ready.is_empty() {
                        return negative(Rcode::NxDomain, &cfg, c);
                    }
                    for e in ready {
                        if want_addr(qtype, &e.ip) {
                            answer.answers.push(addr_record(&name, cfg.ttl, &e.ip));
                        }
                    }
                }
                [ep] => {
                    let matching: Vec<&DnsEndpoint> =
                        eps.iter().filter(|e| e.ready && e.name.eq_ignore_ascii_case(ep)).collect();
                    if matching.is_empty() {
                        return negative(Rcode::NxDomain, &cfg, c);
                    }
                    for e in matching {
                        if want_addr(qtype, &e.ip) {
                            answer.answers.push(addr_record(&name, cfg.ttl, &e.ip));
                        }
                    }
                }
                _ => return negative(Rcode::NxDomain, &cfg, c),
            }
            if answer.answers.is_empty() {
                return negative(Rcode::NoError, &cfg, c);
            }
            answer
        }
        _ => negative(Rcode::NxDomain, &cfg, c),
    }
}

fn want_addr(qtype: RType, ip: &str) -> bool {
    match qtype {
        RType::A => !ip.contains(':'),
        RType::AAAA => ip.contains(':'),
        RType::ANY => true,
        _ => false,
    }
}

/// `<a-b-c-d>.<ns>.pod.<zone>` with `pods insecure`: the IP in the name, if it parses.
fn pod_record(c: &Cluster, labels: &[&str], qtype: RType, name: &str, cfg: &PluginConfig) -> DnsResponse {
    if cfg.pods == "disabled" || labels.len() != 3 || !c.namespace_exists(labels[1]) {
        return negative(Rcode::NxDomain, cfg, c);
    }
    let raw = labels[0];
    let ip = if raw.matches('-').count() == 3 && !raw.contains("--") {
        raw.replace('-', ".")
    } else {
        raw.replace('-', ":")
    };
    let Ok(parsed) = ip.parse::<IpAddr>() else { return negative(Rcode::NxDomain, cfg, c) };
    let ip = parsed.to_string();
    if cfg.pods == "verified" && !c.list::<Pod>(Some(labels[1])).any(|p| p.status.pod_ips.contains(&ip)) {
        return negative(Rcode::NxDomain, cfg, c);
    }
    let mut r = DnsResponse::empty(Rcode::NoError);
    if want_addr(qtype, &ip) {
        r.answers.push(addr_record(name, cfg.ttl, &ip));
        r
    } else {
        negative(Rcode::NoError, cfg, c)
    }
}

/// The IP a reverse name encodes (`5.1.244.10.in-addr.arpa.` → `10.244.1.5`).
pub fn reverse_ip(name: &str) -> Option<String> {
    if let Some(v4) = name.strip_suffix(".in-addr.arpa.") {
        let mut parts: Vec<&str> = v4.split('.').collect();
        if parts.len() != 4 {
            return None;
        }
        parts.reverse();
        return parts.join(".").parse::<IpAddr>().ok().map(|i| i.to_string());
    }
    let v6 = name.strip_suffix(".ip6.arpa.")?;
    let nibbles: Vec<&str> = v6.split('.').collect();
    if nibbles.len() != 32 {
        return None;
    }
    let hex: String = nibbles.iter().rev().copied().collect();
    let groups: Vec<String> = hex.as_bytes().chunks(4).map(|g| String::from_utf8_lossy(g).to_string()).collect();
    groups.join(":").parse::<IpAddr>().ok().map(|i| i.to_string())
}

/// The reverse name of an IP (`10.244.1.5` → `5.1.244.10.in-addr.arpa.`).
pub fn reverse_name(ip: &str) -> Option<String> {
    match ip.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            Some(format!("{}.{}.{}.{}.in-addr.arpa.", o[3], o[2], o[1], o[0]))
        }
        IpAddr::V6(v6) => {
            let hex: String = v6.octets().iter().map(|b| format!("{b:02x}")).collect();
            let mut s: Vec<String> = hex.chars().rev().map(|c| c.to_string()).collect();
            s.push("ip6.arpa.".into());
            Some(s.join("."))
        }
    }
}

/// PTR: a ClusterIP names its Service (first match); an endpoint IP names
/// `<endpoint>.<svc>.<ns>.svc.<zone>.` for every Service whose ready endpoints hold it.
fn reverse(c: &Cluster, name: &str, cfg: &PluginConfig) -> DnsResponse {
    let Some(ip) = reverse_ip(name) else { return negative(Rcode::NxDomain, cfg, c) };
    let mut r = DnsResponse::empty(Rcode::NoError);
    if let Some(s) = c.list::<Service>(None).find(|s| s.spec.cluster_ips.contains(&ip)) {
        r.answers.push(Record {
            name: name.to_string(),
            ttl: cfg.ttl,
            data: RData::Ptr(format!("{}.{}.svc.{}", s.metadata.name, s.metadata.namespace, cfg.zone)),
        });
        return r;
    }
    for s in c.list::<Service>(None) {
        for e in service_endpoints(c, s, cfg) {
            if e.ip == ip && e.ready {
                let target = format!("{}.{}.{}.svc.{}", e.name, s.metadata.name, s.metadata.namespace, cfg.zone);
                if !r.answers.iter().any(|a| a.data == RData::Ptr(target.clone())) {
                    r.answers.push(Record { name: name.to_string(), ttl: cfg.ttl, data: RData::Ptr(target) });
                }
            }
        }
    }
    if r.answers.is_empty() {
        return negative(Rcode::NxDomain, cfg, c);
    }
    r
}
