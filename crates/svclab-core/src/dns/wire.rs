//! Size of a DNS message on the wire (RFC 1035 §4), for dig's `;; MSG SIZE  rcvd: N` and the
//! CoreDNS `log` line.
//!
//! CoreDNS (miekg/dns) sends small replies uncompressed and turns name compression on only
//! when the reply would not fit the client's buffer (`Msg.Truncate`): the spec's log line
//! `... udp 54 false 512" NOERROR ... 106` is 54 + an uncompressed 52-byte A record. SRV
//! targets are never compressed (RFC 2782).

use super::{DnsResponse, RData, Record};
use std::collections::BTreeMap;

/// Bytes of a name written out in full: each label with its length byte, plus the root.
pub fn name_len(name: &str) -> usize {
    let n = name.trim_end_matches('.');
    if n.is_empty() {
        1
    } else {
        n.len() + 2
    }
}

/// Writes names with or without compression, tracking the message offset.
struct Writer {
    compress: bool,
    offset: usize,
    seen: BTreeMap<String, usize>,
}

impl Writer {
    fn name(&mut self, name: &str, compressible: bool) {
        let lower = name.trim_end_matches('.').to_ascii_lowercase();
        if lower.is_empty() {
            self.offset += 1;
            return;
        }
        let labels: Vec<&str> = lower.split('.').collect();
        for i in 0..labels.len() {
            let suffix = labels[i..].join(".");
            if self.compress && compressible && self.seen.contains_key(&suffix) {
                self.offset += 2;
                return;
            }
            if self.compress && compressible && self.offset < 0x3fff {
                self.seen.insert(suffix, self.offset);
            }
            self.offset += labels[i].len() + 1;
        }
        self.offset += 1;
    }

    fn record(&mut self, r: &Record) {
        self.name(&r.name, true);
        self.offset += 10; // type, class, ttl, rdlength
        match &r.data {
            RData::A(_) => self.offset += 4,
            RData::AAAA(_) => self.offset += 16,
            RData::Cname(t) | RData::Ptr(t) | RData::Ns(t) => self.name(t, true),
            RData::Srv { target, .. } => {
                self.offset += 6;
                self.name(target, false);
            }
            RData::Txt(t) => self.offset += 1 + t.len(),
            RData::Soa { mname, rname, .. } => {
                self.name(mname, true);
                self.name(rname, true);
                self.offset += 20;
            }
        }
    }
}

/// Size of the reply to `qname`; `opt_len` is the OPT pseudo-record's size when the query
/// carried EDNS (11 bytes plus options). `bufsize`: the client's UDP buffer (512 without EDNS).
pub fn message_size(qname: &str, resp: &DnsResponse, opt_len: Option<usize>, bufsize: usize) -> usize {
    let size = |compress: bool| {
        let mut w = Writer { compress, offset: 12, seen: BTreeMap::new() };
        w.name(qname, true);
        w.offset += 4;
        for r in resp.answers.iter().chain(&resp.authority).chain(&resp.additional) {
            w.record(r);
        }
        w.offset + opt_len.unwrap_or(0)
    };
    let plain = size(false);
    if plain <= bufsize {
        plain
    } else {
        size(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::Rcode;

    #[test]
    fn coredns_log_line_sizes() {
        // spec §8: `"A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR ... 106`.
        let q = "kubernetes.default.svc.cluster.local.";
        let mut r = DnsResponse::empty(Rcode::NoError);
        assert_eq!(message_size(q, &r, None, 512), 54);
        r.answers.push(Record { name: q.into(), ttl: 5, data: RData::A("10.96.0.1".into()) });
        assert_eq!(message_size(q, &r, None, 512), 106);
    }
}
