//! The simulated world outside the cluster: what CoreDNS's `forward` plugin gets back, and the
//! `hosts` plugin's inline entries.
//!
//! The lab has no network, so the "internet" is a fixed table. The addresses are simulated
//! (chosen to look like the real ones at the time of writing; they are not looked up):
//! `example.com` 93.184.215.14 / 2606:2800:21f:cb07:6820:80da:af6b:8b2c,
//! `kubernetes.io` 147.75.40.148 / 2604:1380:4641:c500::1, `google.com` 142.250.72.14 /
//! 2607:f8b0:4005:80b::200e. Every other name is NXDOMAIN. Forwarded answers are not
//! authoritative and carry the recursion-available flag, as a recursive resolver's do.

use super::corefile::HostsPlugin;
use super::{DnsResponse, RData, RType, Rcode, Record};

/// (name, IPv4, IPv6) of the simulated internet.
pub const WELL_KNOWN: &[(&str, &str, &str)] = &[
    ("example.com.", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
    ("www.example.com.", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
    ("kubernetes.io.", "147.75.40.148", "2604:1380:4641:c500::1"),
    ("google.com.", "142.250.72.14", "2607:f8b0:4005:80b::200e"),
    ("www.google.com.", "142.250.72.4", "2607:f8b0:4005:80b::2004"),
];

/// TTL of forwarded answers: the `cache 30` plugin caps what it serves at 30 s.
pub const UPSTREAM_TTL: u32 = 30;

fn root_soa() -> Record {
    Record {
        name: ".".into(),
        ttl: UPSTREAM_TTL,
        data: RData::Soa {
            mname: "a.root-servers.net.".into(),
            rname: "nstld.verisign-grs.com.".into(),
            serial: 2026010100,
            refresh: 1800,
            retry: 900,
            expire: 604800,
            minimum: 86400,
        },
    }
}

/// What the upstream resolver answers for `name` (lower case, fully qualified); `owner` is
/// the name as asked (case echoed).
pub fn forward(name: &str, owner: &str, qtype: RType) -> DnsResponse {
    let mut r = DnsResponse { authoritative: false, recursion_available: true, ..DnsResponse::empty(Rcode::NoError) };
    let Some((_, v4, v6)) = WELL_KNOWN.iter().find(|(n, _, _)| *n == name) else {
        r.rcode = Rcode::NxDomain;
        r.authority.push(root_soa());
        return r;
    };
    if matches!(qtype, RType::A | RType::ANY) {
        r.answers.push(Record { name: owner.into(), ttl: UPSTREAM_TTL, data: RData::A((*v4).into()) });
    }
    if matches!(qtype, RType::AAAA | RType::ANY) {
        r.answers.push(Record { name: owner.into(), ttl: UPSTREAM_TTL, data: RData::AAAA((*v6).into()) });
    }
    if r.answers.is_empty() {
        r.authority.push(root_soa());
    }
    r
}

/// The `hosts` plugin: `Some` answer when the name is listed (or has other-family entries:
/// NODATA), `None` when it is not listed.
pub fn hosts(h: &HostsPlugin, name: &str, owner: &str, qtype: RType) -> Option<DnsResponse> {
    let listed: Vec<&String> = h.entries.iter().filter(|(n, _)| n == name).map(|(_, ip)| ip).collect();
    if let Some(ip) = super::kubernetes::reverse_ip(name) {
        // hosts also answers PTR for its addresses.
        let names: Vec<&String> = h.entries.iter().filter(|(_, a)| *a == ip).map(|(n, _)| n).collect();
        if names.is_empty() {
            return None;
        }
        let mut r = DnsResponse::empty(Rcode::NoError);
        if qtype == RType::PTR {
            r.answers = names
                .into_iter()
                .map(|n| Record { name: owner.into(), ttl: h.ttl, data: RData::Ptr(n.clone()) })
                .collect();
        }
        return Some(r);
    }
    if listed.is_empty() {
        return None;
    }
    let mut r = DnsResponse::empty(Rcode::NoError);
    for ip in listed {
        let v6 = ip.contains(':');
        let want = match qtype {
            RType::A => !v6,
            RType::AAAA => v6,
            RType::ANY => true,
            _ => false,
        };
        if want {
            let data = if v6 { RData::AAAA(ip.clone()) } else { RData::A(ip.clone()) };
            r.answers.push(Record { name: owner.into(), ttl: h.ttl, data });
        }
    }
    Some(r)
}
