//! Cluster DNS: CoreDNS configured by its Corefile ([`corefile`], from the ConfigMap
//! `kube-system/coredns`), its `kubernetes` plugin over the simulated cluster ([`kubernetes`],
//! spec §4), `hosts` and `forward` to a simulated internet ([`upstream`]), the pod-side
//! resolver with its search list ([`resolver`], spec §5), wire sizes ([`wire`]) and a log of
//! every query for the UI.
//!
//! Entry points: [`query`] asks CoreDNS one question from one client pod, shuffles like
//! `loadbalance` when configured and records a [`DnsLogEntry`]; [`resolve`] is the same answer
//! as a pure function (no log, no shuffle); [`resolver::lookup`] applies a pod's resolv.conf
//! on top. [`reload`] picks up ConfigMap edits (called every controller tick and before each
//! query); [`config_status`] tells the UI whether the edited Corefile loaded.
//!
//! Invariants: answers are a function of the cluster, the running Corefile and (for order
//! only) the seeded RNG; the running Corefile is kept as text in [`Cluster::dns`] so the
//! cluster stays serializable.

pub mod corefile;
pub mod kubernetes;
pub mod resolver;
pub mod upstream;
pub mod wire;

use crate::api::{ConfigMap, Kind};
pub use crate::cluster::state::{DnsClient, DnsLogEntry, DnsState, RType, Rcode};
use crate::cluster::{Cluster, SimEvent};
use corefile::Corefile;
use serde::{Deserialize, Serialize};

impl RType {
    pub fn as_str(self) -> &'static str {
        match self {
            RType::A => "A",
            RType::AAAA => "AAAA",
            RType::CNAME => "CNAME",
            RType::PTR => "PTR",
            RType::SRV => "SRV",
            RType::TXT => "TXT",
            RType::SOA => "SOA",
            RType::NS => "NS",
            RType::ANY => "ANY",
            RType::MX => "MX",
            RType::HINFO => "HINFO",
            RType::AXFR => "AXFR",
            RType::IXFR => "IXFR",
        }
    }
    pub fn parse(s: &str) -> Option<RType> {
        Some(match s.to_ascii_uppercase().as_str() {
            "A" => RType::A,
            "AAAA" => RType::AAAA,
            "CNAME" => RType::CNAME,
            "PTR" => RType::PTR,
            "SRV" => RType::SRV,
            "TXT" => RType::TXT,
            "SOA" => RType::SOA,
            "NS" => RType::NS,
            "ANY" => RType::ANY,
            "MX" => RType::MX,
            "HINFO" => RType::HINFO,
            "AXFR" => RType::AXFR,
            "IXFR" => RType::IXFR,
            _ => return None,
        })
    }
}

impl Rcode {
    /// As dig prints it in `status:`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rcode::NoError => "NOERROR",
            Rcode::NxDomain => "NXDOMAIN",
            Rcode::ServFail => "SERVFAIL",
            Rcode::Refused => "REFUSED",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RData {
    A(String),
    AAAA(String),
    Cname(String),
    Ptr(String),
    Srv { priority: u16, weight: u16, port: u16, target: String },
    Txt(String),
    Ns(String),
    Soa { mname: String, rname: String, serial: u32, refresh: u32, retry: u32, expire: u32, minimum: u32 },
}

/// One resource record. Names are fully qualified with the trailing dot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub name: String,
    pub ttl: u32,
    pub data: RData,
}

impl Record {
    pub fn rtype(&self) -> RType {
        match self.data {
            RData::A(_) => RType::A,
            RData::AAAA(_) => RType::AAAA,
            RData::Cname(_) => RType::CNAME,
            RData::Ptr(_) => RType::PTR,
            RData::Srv { .. } => RType::SRV,
            RData::Txt(_) => RType::TXT,
            RData::Ns(_) => RType::NS,
            RData::Soa { .. } => RType::SOA,
        }
    }
    /// The record's data as dig prints it.
    pub fn rdata_text(&self) -> String {
        match &self.data {
            RData::A(ip) | RData::AAAA(ip) => ip.clone(),
            RData::Cname(t) | RData::Ptr(t) | RData::Ns(t) => t.clone(),
            RData::Srv { priority, weight, port, target } => format!("{priority} {weight} {port} {target}"),
            RData::Txt(t) => format!("\"{t}\""),
            RData::Soa { mname, rname, serial, refresh, retry, expire, minimum } => {
                format!("{mname} {rname} {serial} {refresh} {retry} {expire} {minimum}")
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DnsResponse {
    pub rcode: Rcode,
    /// `aa`: CoreDNS's own zones are authoritative; forwarded answers are not.
    pub authoritative: bool,
    /// `ra`: set by the recursive upstream on forwarded answers only (CoreDNS's `kubernetes`
    /// answers leave it clear, hence dig's "recursion requested but not available", spec §8).
    #[serde(default)]
    pub recursion_available: bool,
    pub answers: Vec<Record>,
    pub authority: Vec<Record>,
    pub additional: Vec<Record>,
}

impl DnsResponse {
    pub fn empty(rcode: Rcode) -> Self {
        DnsResponse {
            rcode,
            authoritative: true,
            recursion_available: false,
            answers: Vec::new(),
            authority: Vec::new(),
            additional: Vec::new(),
        }
    }
    /// Addresses in the answer (A and AAAA), in answer order.
    pub fn addresses(&self) -> Vec<String> {
        self.answers
            .iter()
            .filter_map(|r| match &r.data {
                RData::A(ip) | RData::AAAA(ip) => Some(ip.clone()),
                _ => None,
            })
            .collect()
    }
}

/// Make a name fully qualified and lower-case for matching (DNS is case-insensitive).
pub fn fqdn(name: &str) -> String {
    let mut n = name.to_ascii_lowercase();
    if !n.ends_with('.') {
        n.push('.');
    }
    n
}

fn configmap_corefile(c: &Cluster) -> Option<&String> {
    c.get::<ConfigMap>("kube-system", "coredns").and_then(|cm| cm.data.get("Corefile"))
}

/// Would [`reload`] do anything now (the ConfigMap's Corefile is neither the running one nor
/// the one that last failed)? Used to tell an idle tick (`controllers::next_wake`).
pub(crate) fn reload_pending(c: &Cluster) -> bool {
    configmap_corefile(c)
        .is_some_and(|text| c.dns.active.as_ref() != Some(text) && c.dns.failed.as_ref().is_none_or(|(t, _)| t != text))
}

/// The `reload` plugin: pick up an edited `kube-system/coredns` ConfigMap. A Corefile that
/// does not parse is not loaded: CoreDNS keeps serving the old one and logs
/// `plugin/reload: Corefile changed but reload failed: ...`. Real CoreDNS notices the change
/// within its 30 s check interval (plus the kubelet's ConfigMap volume sync); the lab applies
/// it at the next query or controller tick, i.e. at once.
pub fn reload(c: &mut Cluster) {
    let Some(text) = configmap_corefile(c) else { return };
    if c.dns.active.as_ref() == Some(text) || c.dns.failed.as_ref().is_some_and(|(t, _)| t == text) {
        return;
    }
    let text = text.clone();
    match corefile::parse(&text) {
        Ok(_) => {
            if c.dns.active.is_some() {
                use sha2::Digest;
                let sum: String = sha2::Sha512::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
                c.dns.log.push("[INFO] Reloading".into());
                c.dns.log.push(format!("[INFO] plugin/reload: Running configuration SHA512 = {sum}"));
                c.dns.log.push("[INFO] Reloading complete".into());
            }
            c.dns.active = Some(text);
            c.dns.failed = None;
        }
        Err(e) => {
            let line = format!("plugin/reload: Corefile changed but reload failed: {e}");
            c.dns.log.push(format!("[ERROR] {line}"));
            // CoreDNS only logs this; the lab also records it as an event so that
            // `kubectl get events -n kube-system` shows why the edit had no effect.
            c.record(Kind::ConfigMap, "kube-system", "coredns", "Warning", "CorefileReloadFailed", line);
            c.dns.failed = Some((text, e));
        }
    }
}

/// Whether the Corefile in the ConfigMap is the one CoreDNS runs: `Err` with CoreDNS's words
/// when it does not parse (the old configuration stays in force), for the UI.
pub fn config_status(c: &Cluster) -> Result<(), String> {
    let Some(text) = configmap_corefile(c) else {
        return Err("configmaps \"coredns\" not found: CoreDNS keeps its running configuration".into());
    };
    corefile::parse(text).map(|_| ()).map_err(|e| format!("plugin/reload: Corefile changed but reload failed: {e}"))
}

/// The configuration CoreDNS is serving with.
pub fn active_corefile(c: &Cluster) -> Corefile {
    let text = c.dns.active.as_ref().or_else(|| configmap_corefile(c));
    text.and_then(|t| corefile::parse(t).ok())
        .or_else(|| corefile::parse(&corefile::default_corefile(&c.config.dns_domain)).ok())
        .unwrap_or_default()
}

/// What CoreDNS answers, as a pure function of the cluster (no log entry, no shuffling): for
/// the UI's pinned names and for tests.
pub fn resolve(c: &Cluster, qname: &str, qtype: RType) -> DnsResponse {
    serve(c, &active_corefile(c), qname, qtype)
}

/// Depth limit for following CNAME chains (CoreDNS stops loops similarly).
const MAX_CNAME_CHAIN: usize = 8;

/// One question through CoreDNS's plugin chain for the server block that serves the name:
/// `hosts` → `kubernetes` → `forward` (plugin.cfg order, not Corefile order). No shuffling.
pub fn serve(c: &Cluster, cf: &Corefile, qname: &str, qtype: RType) -> DnsResponse {
    serve_depth(c, cf, qname, qtype, 0)
}

fn serve_depth(c: &Cluster, cf: &Corefile, qname: &str, qtype: RType, depth: usize) -> DnsResponse {
    let name = fqdn(qname);
    let owner = if qname.ends_with('.') { qname.to_string() } else { format!("{qname}.") };
    let Some(block) = cf.server_for(&name) else {
        // No server block for the zone: CoreDNS refuses.
        return DnsResponse { authoritative: false, ..DnsResponse::empty(Rcode::Refused) };
    };
    let servfail = DnsResponse { authoritative: false, ..DnsResponse::empty(Rcode::ServFail) };
    if let Some(h) = &block.hosts {
        if corefile::longest_zone(&h.zones, &name).is_some() {
            match upstream::hosts(h, &name, &owner, qtype) {
                Some(r) => return r,
                None if h.falls_through(&name) => {}
                // hosts without fallthrough answers SERVFAIL for names it does not list.
                None => return servfail,
            }
        }
    }
    if let Some(k) = &block.kubernetes {
        if let Some(zone) = k.zone_of(&name) {
            let mut r = kubernetes::answer(c, k, zone, &owner, qtype);
            if !(r.rcode == Rcode::NxDomain && k.falls_through(&name)) {
                // ExternalName: follow the CNAME for address queries (spec §4.6).
                if let (true, Some(RData::Cname(target))) =
                    (matches!(qtype, RType::A | RType::AAAA), r.answers.last().map(|a| a.data.clone()))
                {
                    if depth < MAX_CNAME_CHAIN {
                        let next = serve_depth(c, cf, &target, qtype, depth + 1);
                        r.answers.extend(next.answers);
                    }
                }
                return r;
            }
        }
    }
    if let Some(f) = &block.forward {
        if corefile::in_zone(&name, &f.from) {
            return upstream::forward(&name, &owner, qtype);
        }
    }
    servfail
}

/// Shuffle the records of the given types in place (Fisher-Yates over their positions),
/// keeping other records where they are; no record is cloned.
fn shuffle_where(c: &mut Cluster, records: &mut [Record], pick: impl Fn(RType) -> bool) {
    let idx: Vec<usize> = records.iter().enumerate().filter(|(_, r)| pick(r.rtype())).map(|(i, _)| i).collect();
    if idx.len() < 2 {
        return;
    }
    c.with_rng(|rng| {
        for i in (1..idx.len()).rev() {
            let j = rng.usize(..=i);
            records.swap(idx[i], idx[j]);
        }
    });
}

/// The `log` plugin's line (spec §8): `<client>:<port> - <id> "<TYPE> IN <name> udp <size>
/// false 512" <RCODE> <flags> <size> <duration>s`. Sizes are real wire sizes of a plain
/// (no EDNS) libc query and its reply; port, id and duration come from the seeded RNG.
fn log_line(c: &mut Cluster, client: &DnsClient, qname: &str, qtype: RType, resp: &DnsResponse) {
    let owner = if qname.ends_with('.') { qname.to_string() } else { format!("{qname}.") };
    let req = 12 + wire::name_len(&owner) + 4;
    let size = wire::message_size(&owner, resp, None, 512);
    let mut flags = vec!["qr"];
    if resp.authoritative {
        flags.push("aa");
    }
    flags.push("rd");
    if resp.recursion_available {
        flags.push("ra");
    }
    let (port, id, micros) = c.with_rng(|r| (r.u16(32768..61000), r.u16(..), r.u32(40..400)));
    let ip = if client.ip.is_empty() { "10.244.0.1" } else { client.ip.as_str() };
    c.dns.log.push(format!(
        "[INFO] {ip}:{port} - {id} \"{} IN {owner} udp {req} false 512\" {} {} {size} 0.000{micros:03}{:03}s",
        qtype.as_str(),
        resp.rcode.as_str(),
        flags.join(","),
        micros % 1000
    ));
    // A `log` plugin logs every query; the container log is rotated rather than kept forever.
    crate::cluster::trim_oldest(&mut c.dns.log, crate::cluster::LOG_KEEP);
}

/// Ask the cluster DNS server (CoreDNS) one question, logging it. With `loadbalance` in the
/// server block, A/AAAA answers are shuffled with the cluster's seeded RNG.
pub fn query(c: &mut Cluster, client: &DnsClient, qname: &str, qtype: RType) -> DnsResponse {
    reload(c);
    let cf = active_corefile(c);
    let mut resp = serve(c, &cf, qname, qtype);
    if cf.server_for(&fqdn(qname)).is_some_and(|b| b.loadbalance) {
        shuffle_where(c, &mut resp.answers, |t| matches!(t, RType::A | RType::AAAA));
    }
    // Several PTRs for one endpoint IP come out of CoreDNS's informer index in Go map order,
    // i.e. in no fixed order (seed 001 shows both Services' names): model it with the RNG.
    shuffle_where(c, &mut resp.answers, |t| t == RType::PTR);
    if cf.server_for(&fqdn(qname)).is_some_and(|b| b.log) {
        log_line(c, client, qname, qtype, &resp);
    }
    let entry = DnsLogEntry {
        at: c.now,
        client: client.clone(),
        qname: fqdn(qname),
        qtype,
        rcode: resp.rcode,
        answers: resp.answers.iter().map(|r| r.rdata_text()).collect(),
        ttl: resp.answers.first().map(|r| r.ttl),
    };
    c.emit(SimEvent::DnsQueried { at: c.now, query: entry });
    resp
}
