//! Cluster DNS: CoreDNS's `kubernetes` plugin over the simulated cluster (spec §4), the
//! pod-side resolver with its search list (spec §5), and a log of every query for the UI.
//!
//! Entry point: [`query`] asks the cluster DNS server one question from one client pod and
//! records it; [`resolver::lookup`] applies a pod's resolv.conf (search list, ndots) on top.

pub mod kubernetes;
pub mod resolver;

use crate::cluster::{Cluster, SimEvent};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RType {
    A,
    AAAA,
    CNAME,
    PTR,
    SRV,
    TXT,
    SOA,
    NS,
    ANY,
}

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
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rcode {
    NoError,
    NxDomain,
    ServFail,
    Refused,
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
    pub authoritative: bool,
    pub answers: Vec<Record>,
    pub authority: Vec<Record>,
    pub additional: Vec<Record>,
}

impl DnsResponse {
    pub fn empty(rcode: Rcode) -> Self {
        DnsResponse { rcode, authoritative: true, answers: Vec::new(), authority: Vec::new(), additional: Vec::new() }
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

/// Who asked. `None` pod: the lab itself (UI pinned names).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsClient {
    pub namespace: String,
    pub pod: String,
    pub ip: String,
}

/// One line of the DNS log: who asked what, and what came back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DnsLogEntry {
    pub at: SimTime,
    pub client: DnsClient,
    pub qname: String,
    pub qtype: RType,
    pub rcode: Rcode,
    pub answers: Vec<String>,
    pub ttl: Option<u32>,
}

/// Make a name fully qualified and lower-case for matching (DNS is case-insensitive).
pub fn fqdn(name: &str) -> String {
    let mut n = name.to_ascii_lowercase();
    if !n.ends_with('.') {
        n.push('.');
    }
    n
}

/// Ask the cluster DNS server (CoreDNS) one question, logging it. Answers are shuffled by
/// the `loadbalance` plugin using the cluster's seeded RNG.
pub fn query(c: &mut Cluster, client: &DnsClient, qname: &str, qtype: RType) -> DnsResponse {
    let mut resp = kubernetes::answer(c, qname, qtype);
    if resp.answers.len() > 1 {
        // loadbalance: rotate A/AAAA records (CoreDNS shuffles address records only).
        let mut addrs: Vec<Record> =
            resp.answers.iter().filter(|r| matches!(r.rtype(), RType::A | RType::AAAA)).cloned().collect();
        c.with_rng(|r| r.shuffle(&mut addrs));
        let mut it = addrs.into_iter();
        for rec in resp.answers.iter_mut() {
            if matches!(rec.rtype(), RType::A | RType::AAAA) {
                if let Some(n) = it.next() {
                    *rec = n;
                }
            }
        }
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
