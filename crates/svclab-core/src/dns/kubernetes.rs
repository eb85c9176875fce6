//! CoreDNS's `kubernetes` plugin (spec §4): names under the cluster zone answered from
//! Services and EndpointSlices, reverse lookups under in-addr.arpa / ip6.arpa, pod records,
//! the zone apex (SOA, NS) and `dns-version`.
//!
//! Invariants: a pure function of the cluster and the plugin's settings (no RNG: shuffling is
//! `loadbalance`'s job, in [`super::query`]); names are matched case-insensitively and every
//! owner name echoes the query's case (spec §4.2); a name that exists without records of the
//! asked type is NODATA (NOERROR + SOA), a name that does not exist NXDOMAIN (spec §4.3).
//! Endpoint lists are borrowed from the store, not cloned, so a headless Service with
//! thousands of endpoints costs one pass per query.

use super::corefile::KubernetesPlugin;
use super::{DnsResponse, RData, RType, Rcode, Record};
use crate::api::*;
use crate::cluster::Cluster;
use std::collections::BTreeSet;
use std::net::IpAddr;

/// The TTL of `dns-version.<zone>` TXT (SPEC §2.1: 28800).
const DNS_VERSION_TTL: u32 = 28800;
/// The schema version the plugin implements (kubernetes/dns specification 1.1.0).
const SCHEMA_VERSION: &str = "1.1.0";

/// One ready endpoint address of a Service, borrowed from its EndpointSlice.
#[derive(Clone, Copy, Debug)]
pub struct DnsEndpoint<'a> {
    pub endpoint: &'a Endpoint,
    pub ip: &'a str,
    pub ports: &'a [EndpointPort],
}

impl DnsEndpoint<'_> {
    pub fn name(&self, k: &KubernetesPlugin) -> String {
        endpoint_name(self.endpoint, self.ip, k)
    }
}

/// CoreDNS's `endpointHostname` (spec §4.5): the `hostname` field, else (with
/// `endpoint_pod_names`) the pod name when shorter than 64, else the dashed IP (`10-244-1-5`;
/// IPv6 compressed with `:`→`-`, and a trailing `0` added when it would end in `-`).
pub fn endpoint_name(ep: &Endpoint, ip: &str, k: &KubernetesPlugin) -> String {
    if let Some(h) = ep.hostname.as_ref().filter(|h| !h.is_empty()) {
        return h.to_ascii_lowercase();
    }
    if k.endpoint_pod_names {
        if let Some(r) = ep.target_ref.as_ref().filter(|r| !r.name.is_empty() && r.name.len() < 64) {
            return r.name.to_ascii_lowercase();
        }
    }
    let mut d = crate::net::dashed(&crate::net::canonical(ip).unwrap_or_else(|| ip.to_string()));
    if d.ends_with('-') {
        d.push('0');
    }
    d
}

/// Every ready endpoint address of a Service across its EndpointSlices (spec §4.5: only ready
/// addresses are published; `publishNotReadyAddresses` makes the controller mark all ready).
/// Not deduplicated: an address in two slices appears twice; records are deduplicated.
pub fn ready_endpoints<'a>(c: &'a Cluster, svc: &Service) -> Vec<DnsEndpoint<'a>> {
    let mut out = Vec::new();
    for slice in c.list::<EndpointSlice>(Some(&svc.metadata.namespace)) {
        if slice.metadata.labels.get("kubernetes.io/service-name") != Some(&svc.metadata.name) {
            continue;
        }
        for ep in slice.endpoints.iter().filter(|e| e.conditions.is_ready()) {
            for ip in &ep.addresses {
                out.push(DnsEndpoint { endpoint: ep, ip, ports: &slice.ports });
            }
        }
    }
    out
}

/// One thing a name stands for (CoreDNS's `msg.Service`): an address or a CNAME target,
/// with the port and what SRV records point at. Borrowed from the store: the SRV target name
/// of an endpoint is only built when an SRV answer needs it.
#[derive(Clone, Debug)]
struct Item<'a> {
    host: std::borrow::Cow<'a, str>,
    /// -1: no port (headless Service without ports), no SRV.
    port: i32,
    target: Target<'a>,
}

#[derive(Clone, Debug)]
enum Target<'a> {
    /// `<svc>.<ns>.svc.<zone>` (ClusterIP) or nothing (ExternalName).
    Fixed(std::rc::Rc<str>),
    /// `<endpoint name>.<svc>.<ns>.svc.<zone>`.
    Endpoint(&'a Endpoint, std::rc::Rc<str>),
}

impl Target<'_> {
    fn name(&self, ip: &str, k: &KubernetesPlugin) -> String {
        match self {
            Target::Fixed(t) => t.to_string(),
            Target::Endpoint(ep, suffix) => format!("{}.{suffix}", endpoint_name(ep, ip, k)),
        }
    }
}

/// A question in the plugin's terms.
struct Q<'a> {
    c: &'a Cluster,
    k: &'a KubernetesPlugin,
    /// Lower-case fully qualified name and zone.
    name: String,
    zone: String,
    /// The name as asked (fully qualified), for owner names.
    owner: String,
    qtype: RType,
}

impl Q<'_> {
    /// The zone as written in the query (its case echoed, spec §4.2).
    fn zone_owner(&self) -> String {
        let cut = self.owner.len().saturating_sub(self.zone.len());
        self.owner.get(cut..).filter(|z| z.eq_ignore_ascii_case(&self.zone)).unwrap_or(&self.zone).to_string()
    }

    fn soa(&self) -> Record {
        let z = self.zone_owner();
        soa_record(self.c, self.k, &z, &z)
    }

    fn nodata(&self) -> DnsResponse {
        let mut r = DnsResponse::empty(Rcode::NoError);
        r.authority.push(self.soa());
        r
    }

    fn nxdomain(&self) -> DnsResponse {
        let mut r = DnsResponse::empty(Rcode::NxDomain);
        r.authority.push(self.soa());
        r
    }

    fn forward_zone(&self) -> String {
        self.k
            .zones
            .iter()
            .find(|z| !z.ends_with("in-addr.arpa.") && !z.ends_with("ip6.arpa."))
            .cloned()
            .unwrap_or_else(|| self.zone.clone())
    }

    fn namespace_ok(&self, ns: &str) -> bool {
        self.k.exposes_namespace(ns) && self.c.namespace_exists(ns)
    }
}

/// `<zone> SOA ns.dns.<zone> hostmaster.<zone> <serial> 7200 1800 86400 <ttl>`, TTL
/// min(ttl, 300) (spec §4.3). `zone` is spelled as the query spelled it: CoreDNS builds the
/// SOA from the request's zone, so `dig Cluster.local SOA` names `ns.dns.Cluster.local.`
/// (plugin/kubernetes handler_case_test.go `TestPreserveCase`). The serial is the simulated Unix time (CoreDNS uses the time of
/// the last API change; the lab's clock stands in for it).
pub fn soa_record(c: &Cluster, k: &KubernetesPlugin, owner: &str, zone: &str) -> Record {
    Record {
        name: owner.to_string(),
        ttl: k.ttl.min(300),
        data: RData::Soa {
            mname: format!("ns.dns.{zone}"),
            rname: format!("hostmaster.{zone}"),
            serial: (crate::time::EPOCH_UNIX_SECS + c.now.secs()) as u32,
            refresh: 7200,
            retry: 1800,
            expire: 86400,
            minimum: k.ttl,
        },
    }
}

fn addr_record(name: &str, ttl: u32, ip: &str) -> Record {
    let data = if ip.contains(':') { RData::AAAA(ip.to_string()) } else { RData::A(ip.to_string()) };
    Record { name: name.to_string(), ttl, data }
}

/// Whether an address (as stored: a valid IP string) answers A or AAAA. A `:` marks IPv6;
/// no parse, as this runs once per endpoint.
fn family_matches(qtype: RType, ip: &str) -> bool {
    match qtype {
        RType::A => !ip.contains(':') && !ip.is_empty(),
        RType::AAAA => ip.contains(':'),
        _ => false,
    }
}

/// Answer one question for a name inside one of the plugin's zones (`zone`, lower case), as
/// CoreDNS would before `loadbalance`. ExternalName CNAMEs are returned unfollowed; the
/// server ([`super::serve`]) follows them.
pub fn answer(c: &Cluster, k: &KubernetesPlugin, zone: &str, qname: &str, qtype: RType) -> DnsResponse {
    let mut owner = qname.to_string();
    if !owner.ends_with('.') {
        owner.push('.');
    }
    let q = Q { c, k, name: owner.to_ascii_lowercase(), zone: zone.to_string(), owner, qtype };
    if matches!(qtype, RType::AXFR | RType::IXFR) {
        return DnsResponse::empty(Rcode::Refused);
    }
    if q.zone.ends_with("in-addr.arpa.") || q.zone.ends_with("ip6.arpa.") {
        return reverse(&q);
    }
    let rest = q.name.strip_suffix(&q.zone).unwrap_or("");
    let labels: Vec<&str> = rest.split('.').filter(|l| !l.is_empty()).collect();
    match labels.as_slice() {
        [] => apex(&q),
        ["dns-version"] => {
            if qtype == RType::TXT {
                let mut r = DnsResponse::empty(Rcode::NoError);
                r.answers.push(Record {
                    name: q.owner.clone(),
                    ttl: DNS_VERSION_TTL,
                    data: RData::Txt(SCHEMA_VERSION.into()),
                });
                r
            } else {
                q.nodata()
            }
        }
        ["svc"] | ["pod"] => q.nodata(),
        // `<ns>.pod.<zone>`: findPods' empty pod name: NODATA for an exposed, existing
        // namespace, NXDOMAIN otherwise and whenever pods are disabled (kubernetes.go).
        [ns, "pod"] => {
            if q.k.pods != "disabled" && q.namespace_ok(ns) {
                q.nodata()
            } else {
                q.nxdomain()
            }
        }
        [ns, "svc"] => {
            if q.namespace_ok(ns) {
                q.nodata()
            } else {
                q.nxdomain()
            }
        }
        [.., "pod"] => pod_records(&q, &labels),
        [prefix @ .., svc, ns, "svc"] => service_records(&q, prefix, svc, ns),
        _ => q.nxdomain(),
    }
}

/// The zone apex: SOA, and NS naming the Service in front of CoreDNS with its ClusterIP as
/// glue (spec §4.3, kubernetes_apex_test).
fn apex(q: &Q) -> DnsResponse {
    let mut r = DnsResponse::empty(Rcode::NoError);
    match q.qtype {
        RType::SOA => r.answers.push(q.soa()),
        RType::NS => {
            let (ns_name, glue) = dns_service(q.c, &q.zone_owner());
            r.answers.push(Record { name: q.owner.clone(), ttl: q.k.ttl, data: RData::Ns(ns_name.clone()) });
            r.additional.extend(glue.iter().map(|ip| addr_record(&ns_name, q.k.ttl, ip)));
        }
        _ => return q.nodata(),
    }
    r
}

/// The Service whose endpoints hold CoreDNS's pods (`kube-dns`), and its ClusterIPs; else
/// `ns.dns.<zone>` without glue (CoreDNS's fallback, ns.go).
fn dns_service(c: &Cluster, zone: &str) -> (String, Vec<String>) {
    let coredns_ips: BTreeSet<&str> = c
        .list::<Pod>(Some("kube-system"))
        .filter(|p| p.metadata.labels.get("k8s-app").map(String::as_str) == Some("kube-dns"))
        .flat_map(|p| p.status.pod_ips.iter().map(String::as_str))
        .collect();
    for s in c.list::<Service>(None) {
        if s.is_headless() || s.spec.cluster_ips.is_empty() {
            continue;
        }
        if ready_endpoints(c, s).iter().any(|e| coredns_ips.contains(e.ip)) {
            return (format!("{}.{}.svc.{zone}", s.metadata.name, s.metadata.namespace), s.spec.cluster_ips.clone());
        }
    }
    (format!("ns.dns.{zone}"), Vec::new())
}

/// CoreDNS's wildcard port/protocol match: empty, `*` and `any` match everything; otherwise
/// case-insensitive equality (so unnamed ports never match `_name`, spec §4.4).
fn port_match(want: &str, have: &str) -> bool {
    want.is_empty() || want == "*" || want == "any" || want.eq_ignore_ascii_case(have)
}

/// The items a `<prefix>.<svc>.<ns>.svc.<zone>` name stands for (CoreDNS `findServices`);
/// `None`: the name does not exist.
fn find_services<'a>(q: &Q<'a>, prefix: &[&str], svc: &str, ns: &str) -> Option<(Vec<Item<'a>>, bool)> {
    if !q.namespace_ok(ns) {
        return None;
    }
    let s = q.c.get::<Service>(ns, svc)?;
    let (endpoint, port, proto) = match prefix {
        [] => ("", "", ""),
        [ep] => (*ep, "", ""),
        [p, pr] => ("", p.strip_prefix('_').unwrap_or(p), pr.strip_prefix('_').unwrap_or(pr)),
        _ => return None, // three or more labels: "too long" (spec §4.2)
    };
    // Targets: the object names (lower case) and the zone as the query spelled it
    // (handler_case_test.go: `_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL.` SRV → target
    // `svc1.testns.svc.cLuStEr.LoCaL.`, its glue under the same name).
    let zone = &q.zone_owner();
    if s.spec.type_ == ServiceType::ExternalName {
        // Only the bare name, and only a DNS name (an IP-looking externalName is not served).
        let target = s.spec.external_name.as_deref().unwrap_or("");
        if !prefix.is_empty() || target.is_empty() || target.trim_end_matches('.').parse::<IpAddr>().is_ok() {
            return None;
        }
        let mut t = target.to_ascii_lowercase();
        if !t.ends_with('.') {
            t.push('.');
        }
        return Some((vec![Item { host: t.into(), port: -1, target: Target::Fixed("".into()) }], true));
    }
    let mut items = Vec::new();
    if s.is_headless() || !endpoint.is_empty() {
        let suffix: std::rc::Rc<str> = format!("{svc}.{ns}.svc.{zone}").into();
        for e in ready_endpoints(q.c, s) {
            // The endpoint's name is only computed when the question names an endpoint.
            if !endpoint.is_empty() && e.name(q.k) != endpoint {
                continue;
            }
            let target = Target::Endpoint(e.endpoint, suffix.clone());
            if e.ports.is_empty() {
                if port.is_empty() && proto.is_empty() {
                    items.push(Item { host: e.ip.into(), port: -1, target });
                }
                continue;
            }
            for p in e.ports {
                let pname = p.name.as_deref().unwrap_or("");
                let pproto = p.protocol.as_deref().unwrap_or("TCP");
                if port_match(port, pname) && port_match(proto, pproto) {
                    items.push(Item { host: e.ip.into(), port: p.port.unwrap_or(-1), target: target.clone() });
                }
            }
        }
    } else {
        // ClusterIP: answered regardless of endpoints unless `ignore empty_service` (§4.4).
        if q.k.ignore_empty_service && ready_endpoints(q.c, s).is_empty() {
            return None;
        }
        let target: std::rc::Rc<str> = format!("{svc}.{ns}.svc.{zone}").into();
        for p in &s.spec.ports {
            if port_match(port, p.name.as_deref().unwrap_or("")) && port_match(proto, &p.protocol) {
                for ip in &s.spec.cluster_ips {
                    items.push(Item { host: ip.as_str().into(), port: p.port, target: Target::Fixed(target.clone()) });
                }
            }
        }
    }
    if items.is_empty() {
        return None;
    }
    Some((items, false))
}

fn service_records(q: &Q, prefix: &[&str], svc: &str, ns: &str) -> DnsResponse {
    let Some((items, is_cname)) = find_services(q, prefix, svc, ns) else { return q.nxdomain() };
    let ttl = q.k.ttl;
    let mut r = DnsResponse::empty(Rcode::NoError);
    if is_cname {
        // ExternalName (spec §4.6): CNAME for A/AAAA/CNAME queries, nothing else.
        if matches!(q.qtype, RType::A | RType::AAAA | RType::CNAME) {
            if let Some(it) = items.first() {
                r.answers.push(Record { name: q.owner.clone(), ttl, data: RData::Cname(it.host.to_string()) });
            }
            return r;
        }
        return q.nodata();
    }
    match q.qtype {
        RType::A | RType::AAAA => {
            // Dedup by numeric address: integer compares instead of string compares, which
            // dominated the 5,000-endpoint benchmark.
            let mut seen: BTreeSet<u128> = BTreeSet::new();
            let mut seen_text: BTreeSet<&str> = BTreeSet::new();
            for it in &items {
                if !family_matches(q.qtype, &it.host) {
                    continue;
                }
                let fresh = match it.host.parse::<IpAddr>() {
                    Ok(IpAddr::V4(v4)) => seen.insert(u32::from(v4) as u128),
                    Ok(IpAddr::V6(v6)) => seen.insert(u128::from(v6)),
                    Err(_) => seen_text.insert(it.host.as_ref()),
                };
                if fresh {
                    r.answers.push(addr_record(&q.owner, ttl, &it.host));
                }
            }
        }
        RType::SRV => {
            // Weight = floor(100 / N), N counted before dedup, at least 1 (spec §4.5).
            let with_port: Vec<&Item> = items.iter().filter(|i| i.port >= 0).collect();
            let weight = ((100 / with_port.len().max(1)) as u16).max(1);
            // Targets are built once; the dedup sets borrow them.
            let targets: Vec<String> = with_port.iter().map(|it| it.target.name(&it.host, q.k)).collect();
            let mut seen: BTreeSet<(&str, i32)> = BTreeSet::new();
            let mut extra: BTreeSet<(&str, &str)> = BTreeSet::new();
            for (it, target) in with_port.iter().zip(&targets) {
                if seen.insert((target, it.port)) {
                    r.answers.push(Record {
                        name: q.owner.clone(),
                        ttl,
                        data: RData::Srv { priority: 0, weight, port: it.port as u16, target: target.clone() },
                    });
                }
                if extra.insert((target, it.host.as_ref())) {
                    r.additional.push(addr_record(target, ttl, &it.host));
                }
            }
        }
        _ => {}
    }
    if r.answers.is_empty() {
        return q.nodata();
    }
    r
}

/// `<a-b-c-d>.<ns>.pod.<zone>` (spec §4.7).
fn pod_records(q: &Q, labels: &[&str]) -> DnsResponse {
    let [raw, ns, "pod"] = labels else { return q.nxdomain() };
    if q.k.pods == "disabled" || !q.namespace_ok(ns) {
        return q.nxdomain();
    }
    let ip = if raw.matches('-').count() == 3 && !raw.contains("--") {
        raw.replace('-', ".")
    } else {
        raw.replace('-', ":")
    };
    let Ok(parsed) = ip.parse::<IpAddr>() else { return q.nxdomain() };
    let ip = parsed.to_string();
    if q.k.pods == "verified"
        && !q.c.list::<Pod>(Some(ns)).any(|p| p.metadata.deletion_timestamp.is_none() && p.status.pod_ips.contains(&ip))
    {
        return q.nxdomain();
    }
    if !family_matches(q.qtype, &ip) {
        return q.nodata();
    }
    let mut r = DnsResponse::empty(Rcode::NoError);
    r.answers.push(addr_record(&q.owner, q.k.ttl, &ip));
    r
}

/// The IP a reverse name encodes (`5.1.244.10.in-addr.arpa.` → `10.244.1.5`).
pub fn reverse_ip(name: &str) -> Option<String> {
    let name = name.to_ascii_lowercase();
    if let Some(v4) = name.strip_suffix(".in-addr.arpa.") {
        let mut parts: Vec<&str> = v4.split('.').collect();
        if parts.len() != 4 || parts.iter().any(|p| p.is_empty() || (p.len() > 1 && p.starts_with('0'))) {
            return None;
        }
        parts.reverse();
        return parts.join(".").parse::<IpAddr>().ok().map(|i| i.to_string());
    }
    let v6 = name.strip_suffix(".ip6.arpa.")?;
    let nibbles: Vec<&str> = v6.split('.').collect();
    if nibbles.len() != 32 || nibbles.iter().any(|n| n.len() != 1) {
        return None;
    }
    let hex: String = nibbles.iter().rev().copied().collect();
    let groups: Vec<&str> = (0..8).filter_map(|i| hex.get(i * 4..i * 4 + 4)).collect();
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

/// PTR targets for an IP: a ClusterIP names its Service (first match only, spec §4.4); an
/// endpoint IP names `<endpoint>.<svc>.<ns>.svc.<zone>.` for every Service whose ready
/// endpoints hold it, deduplicated (spec §4.5, reverse_test).
pub fn ptr_targets(c: &Cluster, k: &KubernetesPlugin, zone: &str, ip: &str) -> Vec<String> {
    if let Some(s) = c.list::<Service>(None).find(|s| s.spec.cluster_ips.iter().any(|x| x == ip)) {
        if k.exposes_namespace(&s.metadata.namespace) {
            return vec![format!("{}.{}.svc.{zone}", s.metadata.name, s.metadata.namespace)];
        }
    }
    let mut out: Vec<String> = Vec::new();
    for s in c.list::<Service>(None).filter(|s| k.exposes_namespace(&s.metadata.namespace)) {
        for e in ready_endpoints(c, s) {
            if e.ip == ip {
                let t = format!("{}.{}.{}.svc.{zone}", e.name(k), s.metadata.name, s.metadata.namespace);
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
    }
    out
}

fn reverse(q: &Q) -> DnsResponse {
    let targets = match reverse_ip(&q.name) {
        Some(ip) => ptr_targets(q.c, q.k, &q.forward_zone(), &ip),
        None => Vec::new(),
    };
    if targets.is_empty() {
        return q.nxdomain();
    }
    if q.qtype != RType::PTR {
        return q.nodata();
    }
    let mut r = DnsResponse::empty(Rcode::NoError);
    for t in targets {
        r.answers.push(Record { name: q.owner.clone(), ttl: q.k.ttl, data: RData::Ptr(t) });
    }
    r
}
