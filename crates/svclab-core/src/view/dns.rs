//! DNS as the page shows it: the typed answer to a pinned name (the response records, not
//! parsed tool output) and the key that moves exactly when any answer may change.
//!
//! Invariants: [`dns_answer`] looks as an observer ([`Cluster::observe`]): no DNS log entry,
//! the RNG and the run untouched. [`dns_generation`] is a pure function of everything CoreDNS
//! and a pod's resolver read (Services, EndpointSlices, pods' names, IPs, hostnames and DNS
//! settings, the Corefile ConfigMap and what CoreDNS runs, the upstream records the Corefile's
//! `hosts`/`forward` reach); when it is unchanged, every answer is unchanged.

use crate::api::{ConfigMap, EndpointSlice, Object, Pod, Service};
use crate::cluster::Cluster;
use crate::dns::{resolver, DnsClient, RData, RType, Rcode, Record};
use crate::yaml::to_json;

/// A pinned name's answer from a pod, as `nslookup NAME` there asks it: A, then AAAA, each
/// through the pod's search list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DnsAnswer {
    /// The name as asked.
    pub name: String,
    /// The FQDN that answered (after the search list), if any did.
    pub fqdn: Option<String>,
    /// The answer records (CNAMEs, then A, then AAAA), in CoreDNS's order.
    pub records: Vec<Record>,
    /// NOERROR when any candidate answered; otherwise the last candidate's rcode.
    pub rcode: Option<Rcode>,
    /// The busybox `nslookup` text the pod's shell prints, for the answer's terminal view.
    pub text: String,
}

impl DnsAnswer {
    /// The addresses (A and AAAA records), in order.
    pub fn addresses(&self) -> Vec<String> {
        self.records
            .iter()
            .filter_map(|r| match &r.data {
                RData::A(ip) | RData::AAAA(ip) => Some(ip.clone()),
                _ => None,
            })
            .collect()
    }
}

/// `name` as the pod `namespace/pod` resolves it, looked at without changing the run. An
/// IP is answered as itself (no lookup), as resolvers do.
pub fn dns_answer(c: &mut Cluster, namespace: &str, pod: &str, name: &str) -> DnsAnswer {
    c.observe(|c| {
        let text = {
            let mut t = crate::shell::Terminal::in_pod(c, namespace, pod);
            t.input(c, &format!("nslookup {name}")).unwrap_or_default().text
        };
        let mut out = DnsAnswer { name: name.to_string(), text, ..Default::default() };
        let Some(p) = c.get::<Pod>(namespace, pod).cloned() else { return out };
        if name.parse::<std::net::IpAddr>().is_ok() {
            let data = if name.contains(':') { RData::AAAA(name.into()) } else { RData::A(name.into()) };
            out.records.push(Record { name: name.into(), ttl: 0, data });
            out.rcode = Some(Rcode::NoError);
            return out;
        }
        let rc = resolver::resolv_conf(c, &p);
        let client =
            DnsClient { namespace: namespace.into(), pod: pod.into(), ip: p.status.pod_ip.clone().unwrap_or_default() };
        for qtype in [RType::A, RType::AAAA] {
            let l = resolver::lookup(c, &client, &rc, name, qtype);
            if l.name.is_some() {
                out.fqdn = out.fqdn.or(l.name);
                out.rcode = Some(Rcode::NoError);
                for r in l.response.answers {
                    if !out.records.contains(&r) {
                        out.records.push(r);
                    }
                }
            } else if out.rcode != Some(Rcode::NoError) {
                out.rcode = Some(l.response.rcode);
            }
        }
        out
    })
}

/// FNV-1a, 64 bit: a stable hash (the same on every platform and run), no dependencies.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn add(&mut self, s: &str) {
        for b in s.bytes().chain(std::iter::once(0xff)) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn add_opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.add(s),
            None => self.add("\u{0}none"),
        }
    }
}

/// The DNS generation: a key over every input of a DNS answer (see the module invariants).
/// The page keys its pinned answers on it, so they refresh after a Service, slice, pod,
/// Corefile or ExternalName change and stay put otherwise.
pub fn dns_generation(c: &Cluster) -> u64 {
    let mut h = Fnv::new();
    for s in c.list::<Service>(None) {
        h.add(&s.metadata.namespace);
        h.add(&s.metadata.name);
        let encoded = crate::encode::encode(&Object::Service(s.clone()));
        h.add(&encoded.get("spec").map(to_json).unwrap_or_default());
    }
    for es in c.list::<EndpointSlice>(None) {
        h.add(&es.metadata.namespace);
        h.add(&es.metadata.name);
        let encoded = crate::encode::encode(&Object::EndpointSlice(es.clone()));
        h.add(&encoded.get("metadata").and_then(|m| m.get("labels")).map(to_json).unwrap_or_default());
        for key in ["addressType", "endpoints", "ports"] {
            h.add(&encoded.get(key).map(to_json).unwrap_or_default());
        }
    }
    for p in c.list::<Pod>(None) {
        h.add(&p.metadata.namespace);
        h.add(&p.metadata.name);
        h.add_opt(p.status.pod_ip.as_deref());
        for ip in &p.status.pod_ips {
            h.add(ip);
        }
        h.add_opt(p.spec.hostname.as_deref());
        h.add_opt(p.spec.subdomain.as_deref());
        h.add_opt(p.spec.dns_policy.as_deref());
        h.add(if p.spec.host_network { "hostNetwork" } else { "podNetwork" });
        h.add_opt(p.spec.node_name.as_deref());
        match &p.spec.dns_config {
            Some(d) => {
                for v in d.nameservers.iter().chain(&d.searches) {
                    h.add(v);
                }
                for (k, v) in &d.options {
                    h.add(k);
                    h.add_opt(v.as_deref());
                }
            }
            None => h.add("\u{0}no-dns-config"),
        }
    }
    // The Corefile: the ConfigMap (reloaded at the next query) and what CoreDNS runs now.
    // Upstream records come from the Corefile's `hosts` entries and the fixed table of
    // `dns::upstream`, so they move with it.
    let corefile = c.get::<ConfigMap>("kube-system", "coredns").and_then(|cm| cm.data.get("Corefile"));
    h.add_opt(corefile.map(String::as_str));
    h.add_opt(c.dns.active.as_deref());
    h.add(&c.config.dns_domain);
    h.0
}
