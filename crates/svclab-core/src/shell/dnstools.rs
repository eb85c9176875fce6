//! DNS tools in pod shells (spec §8): busybox ≤1.28 `nslookup` (search list, PTR names after
//! addresses), busybox ≥1.29 `nslookup` (no search list for dotted names: the known bug),
//! bind's `nslookup`, `dig` and `host` (dnsutils images and the toolbox).
//!
//! Every question goes through [`crate::dns::query`], so each one is logged for the UI. dig
//! ignores the search list unless `+search`; the others resolve short names as libc does.

use super::tools::{client_context, Toolset};
use super::{Output, Terminal};
use crate::cluster::Cluster;
use crate::dns::resolver::{self, ResolvConf};
use crate::dns::{self, DnsClient, DnsResponse, RData, RType, Rcode, Record};

/// The dig version the dnsutils images and the toolbox carry.
pub const DIG_VERSION: &str = "9.18.30";
/// dig's EDNS UDP buffer size and its OPT record's size (11 + a COOKIE option with the
/// 8-byte client cookie, which CoreDNS echoes back).
const DIG_BUFSIZE: usize = 1232;
const DIG_OPT_LEN: usize = 11 + 4 + 8;

/// The first PTR name of an address, as busybox prints after it (no trailing dot).
fn ptr_name(c: &mut Cluster, client: &DnsClient, via: Via, ip: &str) -> Option<String> {
    let rev = dns::kubernetes::reverse_name(ip)?;
    let resp = ask(c, client, via, &rev, RType::PTR);
    resp.answers.iter().find_map(|r| match &r.data {
        RData::Ptr(t) => Some(t.trim_end_matches('.').to_string()),
        _ => None,
    })
}

/// Which DNS server answers a tool that names one: CoreDNS (the kube-dns ClusterIP or a
/// CoreDNS pod), nothing (another address inside the cluster, or a name), or the lab's
/// simulated internet resolver (any other address, e.g. 8.8.8.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    Cluster,
    Upstream,
    Unreachable,
}

fn route(c: &Cluster, server: &str) -> Via {
    let is_coredns_pod = c
        .list::<crate::api::Pod>(Some("kube-system"))
        .filter(|p| p.metadata.labels.get("k8s-app").map(String::as_str) == Some("kube-dns"))
        .any(|p| p.status.pod_ips.iter().any(|ip| ip == server));
    if server == resolver::cluster_dns_ip(c) {
        // The kube-dns ClusterIP answers only while some CoreDNS pod is ready behind it
        // (kube-proxy rejects traffic to a Service without endpoints, spec §6.1).
        let serving = c
            .get::<crate::api::Service>("kube-system", "kube-dns")
            .is_some_and(|s| !dns::kubernetes::ready_endpoints(c, s).is_empty());
        return if serving { Via::Cluster } else { Via::Unreachable };
    }
    if is_coredns_pod {
        return Via::Cluster;
    }
    match server.parse::<std::net::IpAddr>() {
        Ok(ip)
            if crate::controllers::ipam::service_cidrs(c)
                .iter()
                .chain(&crate::controllers::ipam::pod_cidrs(c))
                .any(|n| n.contains(ip)) =>
        {
            Via::Unreachable
        }
        Ok(_) => Via::Upstream,
        Err(_) => Via::Unreachable,
    }
}

/// One question to the chosen server: CoreDNS questions are logged for the UI; the simulated
/// internet resolver is outside the cluster and not logged.
fn ask(c: &mut Cluster, client: &DnsClient, via: Via, name: &str, t: RType) -> DnsResponse {
    match via {
        Via::Cluster => dns::query(c, client, name, t),
        Via::Upstream => {
            let owner = if name.ends_with('.') { name.to_string() } else { format!("{name}.") };
            dns::upstream::forward(&dns::fqdn(name), &owner, t)
        }
        Via::Unreachable => DnsResponse { authoritative: false, ..DnsResponse::empty(Rcode::ServFail) },
    }
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// The lines of the session pod's kubelet-managed `/etc/hosts`: each address with its names
/// (canonical name first). Empty for the toolbox and hostNetwork pods.
fn hosts_entries(c: &Cluster, term: &Terminal) -> Vec<(String, Vec<String>)> {
    let s = term.session();
    if s.is_toolbox() {
        return Vec::new();
    }
    let Some(text) = c.get::<crate::api::Pod>(&s.namespace, &s.pod).and_then(|p| resolver::pod_hosts_file(c, p)) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let ip = words.next()?;
            let names: Vec<String> = words.map(str::to_string).collect();
            (!names.is_empty()).then(|| (ip.to_string(), names))
        })
        .collect()
}

/// busybox ≤ 1.28 `nslookup NAME [SERVER]` (spec §8): it resolves through libc
/// (`getaddrinfo`/`getnameinfo`), so `/etc/hosts` answers first, a pod's own hostname and IP
/// included, and only then DNS with the search list; each address is followed by its name
/// when it has one (busybox 1.28 networking/nslookup.c `print_host` / `server_print`).
pub fn nslookup_busybox128(c: &mut Cluster, term: &Terminal, args: &[String]) -> Output {
    let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some(name) = names.first() else {
        return Output::fail("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n", 1);
    };
    let (client, rc) = client_context(c, term);
    let hosts = hosts_entries(c, term);
    let server = names.get(1).map(|s| s.to_string()).or_else(|| rc.nameservers.first().cloned()).unwrap_or_default();
    let via = route(c, &server);
    if via == Via::Unreachable {
        // busybox 1.28 gives up on the server before printing anything else.
        return Output::fail(
            format!("Server:    {server}\nAddress 1: {server}\n\nnslookup: can't resolve '{name}'\n"),
            1,
        );
    }
    // getnameinfo: the first /etc/hosts line with the address names it, else a PTR query.
    let reverse = |c: &mut Cluster, ip: &str| -> Option<String> {
        hosts
            .iter()
            .find(|(a, _)| a == ip)
            .and_then(|(_, n)| n.first().cloned())
            .or_else(|| ptr_name(c, &client, via, ip))
    };
    let mut out = String::new();
    let server_ptr = reverse(c, &server);
    out.push_str(&format!("Server:    {server}\n"));
    match server_ptr {
        Some(p) => out.push_str(&format!("Address 1: {server} {p}\n\n")),
        None => out.push_str(&format!("Address 1: {server}\n\n")),
    }
    // An IP argument is a reverse lookup.
    if is_ip(name) {
        return match reverse(c, name) {
            Some(p) => Output::ok(format!("{out}Name:      {name}\nAddress 1: {name} {p}\n")),
            None => Output::fail(format!("{out}nslookup: can't resolve '{name}'\n"), 1),
        };
    }
    // getaddrinfo: /etc/hosts first (nsswitch `files dns`), every line naming the host.
    let mut addrs: Vec<String> = hosts
        .iter()
        .filter(|(_, n)| n.iter().any(|h| h.eq_ignore_ascii_case(name.trim_end_matches('.'))))
        .map(|(a, _)| a.clone())
        .collect();
    if addrs.is_empty() {
        let (_, v4) = search_lookup(c, &client, via, &rc, name, RType::A);
        addrs = v4.addresses();
        let (_, v6) = search_lookup(c, &client, via, &rc, name, RType::AAAA);
        addrs.extend(v6.addresses());
    }
    if addrs.is_empty() {
        return Output::fail(format!("{out}nslookup: can't resolve '{name}'\n"), 1);
    }
    out.push_str(&format!("Name:      {name}\n"));
    for (i, ip) in addrs.iter().enumerate() {
        match reverse(c, ip) {
            Some(p) => out.push_str(&format!("Address {}: {ip} {p}\n", i + 1)),
            None => out.push_str(&format!("Address {}: {ip}\n", i + 1)),
        }
    }
    Output::ok(out)
}

/// busybox ≥ 1.29 `nslookup [-type=T] NAME [SERVER]` (spec §8): a name with a dot is asked
/// as is (never through the search list: the upstream bug that makes `kubernetes.default`
/// fail); a name without one is asked with each search domain. A then AAAA, one block each.
pub fn nslookup_busybox_new(c: &mut Cluster, term: &Terminal, args: &[String]) -> Output {
    let mut qtypes = vec![RType::A, RType::AAAA];
    let mut names = Vec::new();
    for a in args {
        if let Some(t) = a.strip_prefix("-type=").or_else(|| a.strip_prefix("-query=")) {
            match RType::parse(t) {
                Some(t) => qtypes = vec![t],
                None => return Output::fail(format!("nslookup: invalid query type '{t}'\n"), 1),
            }
        } else if !a.starts_with('-') {
            names.push(a.clone());
        }
    }
    let Some(name) = names.first() else {
        return Output::fail("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n", 1);
    };
    let (client, rc) = client_context(c, term);
    let server = names.get(1).cloned().or_else(|| rc.nameservers.first().cloned()).unwrap_or_default();
    let via = route(c, &server);
    if via == Via::Unreachable {
        return Output::fail(";; connection timed out; no servers could be reached\n\n", 1);
    }
    let mut out = format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n");
    let mut asked: Vec<(String, RType)> = Vec::new();
    if is_ip(name) {
        asked.push((dns::kubernetes::reverse_name(name).unwrap_or_default(), RType::PTR));
    } else if name.contains('.') || rc.searches.is_empty() {
        asked.extend(qtypes.iter().map(|t| (name.clone(), *t)));
    } else {
        for s in &rc.searches {
            asked.extend(qtypes.iter().map(|t| (format!("{name}.{s}"), *t)));
        }
    }
    let mut found = false;
    // busybox 1.29–1.31 built the A and AAAA questions of a name with one transaction ID
    // (res_mkquery's time-based ID; the "Ensure the Transaction IDs are unique" fix came
    // later), so the second reply matches the already answered A query, is dropped as a
    // duplicate, and the AAAA question ends as `*** Can't find X: No answer` after the others
    // (networking/nslookup.c `send_queries` / the unanswered-query loop; the outputs in
    // docker-library/busybox#61 and kubernetes/dns#253). The question is still sent and
    // answered, so CoreDNS logs it.
    let paired = qtypes == [RType::A, RType::AAAA];
    let mut unanswered: Vec<String> = Vec::new();
    for (q, t) in asked {
        let resp = ask(c, &client, via, &q, t);
        let shown = q.trim_end_matches('.');
        if paired && t == RType::AAAA {
            unanswered.push(shown.to_string());
            continue;
        }
        if resp.rcode != Rcode::NoError {
            out.push_str(&format!("** server can't find {shown}: {}\n\n", resp.rcode.as_str()));
            continue;
        }
        if resp.answers.is_empty() {
            out.push_str(&format!("*** Can't find {shown}: No answer\n\n"));
            continue;
        }
        found = true;
        if !resp.authoritative {
            out.push_str("Non-authoritative answer:\n");
        }
        for r in &resp.answers {
            let owner = r.name.trim_end_matches('.');
            match &r.data {
                RData::A(ip) | RData::AAAA(ip) => out.push_str(&format!("Name:\t{owner}\nAddress: {ip}\n")),
                RData::Cname(t) => out.push_str(&format!("{owner}\tcanonical name = {}\n", t.trim_end_matches('.'))),
                RData::Ptr(t) => out.push_str(&format!("{owner}\tname = {}\n", t.trim_end_matches('.'))),
                RData::Srv { priority, weight, port, target } => out.push_str(&format!(
                    "{owner}\tservice = {priority} {weight} {port} {}\n",
                    target.trim_end_matches('.')
                )),
                RData::Txt(t) => out.push_str(&format!("{owner}\ttext = \"{t}\"\n")),
                RData::Ns(t) => out.push_str(&format!("{owner}\tnameserver = {}\n", t.trim_end_matches('.'))),
                RData::Soa { .. } => out.push_str(&format!("{owner}\n\torigin = {}\n", r.rdata_text())),
            }
        }
        out.push('\n');
    }
    if !unanswered.is_empty() {
        for n in &unanswered {
            out.push_str(&format!("*** Can't find {n}: No answer\n"));
        }
        out.push('\n');
    }
    if found {
        Output::ok(out)
    } else {
        Output::fail(out, 1)
    }
}

/// A resolver lookup through the search list that also keeps NODATA answers (bind's tools
/// print "has no X record" for them).
fn search_lookup(
    c: &mut Cluster,
    client: &DnsClient,
    via: Via,
    rc: &ResolvConf,
    name: &str,
    t: RType,
) -> (String, DnsResponse) {
    let mut first_nodata: Option<(String, DnsResponse)> = None;
    let mut last = (name.to_string(), DnsResponse::empty(Rcode::NxDomain));
    for cand in rc.candidates(name) {
        let resp = ask(c, client, via, &cand, t);
        if resp.rcode == Rcode::NoError && !resp.answers.is_empty() {
            return (dns::fqdn(&cand), resp);
        }
        if resp.rcode == Rcode::NoError && first_nodata.is_none() {
            first_nodata = Some((dns::fqdn(&cand), resp.clone()));
        }
        last = (dns::fqdn(&cand), resp);
    }
    first_nodata.unwrap_or(last)
}

/// bind's `nslookup [-type=T] NAME [SERVER]` (dnsutils, toolbox; spec §8 format).
pub fn nslookup_bind(c: &mut Cluster, term: &Terminal, args: &[String]) -> Output {
    let mut qtype: Option<RType> = None;
    let mut names = Vec::new();
    for a in args {
        if let Some(t) =
            a.strip_prefix("-type=").or_else(|| a.strip_prefix("-query=")).or_else(|| a.strip_prefix("-q="))
        {
            match RType::parse(t) {
                Some(t) => qtype = Some(t),
                None => return Output::fail(format!("unknown query type: {t}\n"), 1),
            }
        } else if !a.starts_with('-') {
            names.push(a.clone());
        }
    }
    let Some(name) = names.first() else {
        return Output::fail("nslookup: interactive mode is not supported in the lab; try: nslookup NAME\n", 1);
    };
    let (client, rc) = client_context(c, term);
    let server = names.get(1).cloned().or_else(|| rc.nameservers.first().cloned()).unwrap_or_default();
    let via = route(c, &server);
    if via == Via::Unreachable {
        return Output::fail(";; connection timed out; no servers could be reached\n\n", 1);
    }
    let mut out = format!("Server:\t\t{server}\nAddress:\t{server}#53\n\n");
    if is_ip(name) {
        let rev = dns::kubernetes::reverse_name(name).unwrap_or_default();
        let resp = ask(c, &client, via, &rev, RType::PTR);
        if resp.answers.is_empty() {
            out.push_str(&format!("** server can't find {}: {}\n\n", rev.trim_end_matches('.'), resp.rcode.as_str()));
            return Output::fail(out, 1);
        }
        for r in &resp.answers {
            out.push_str(&format!("{}\tname = {}\n", r.name.trim_end_matches('.'), r.rdata_text()));
        }
        out.push('\n');
        return Output::ok(out);
    }
    let types = match qtype {
        Some(t) => vec![t],
        None => vec![RType::A, RType::AAAA],
    };
    let mut any = false;
    let mut nx: Option<Rcode> = None;
    let mut non_auth_printed = false;
    for t in types {
        let (_, resp) = search_lookup(c, &client, via, &rc, name, t);
        if resp.rcode != Rcode::NoError {
            nx.get_or_insert(resp.rcode);
            continue;
        }
        if resp.answers.is_empty() {
            if qtype.is_some() {
                out.push_str(&format!("*** Can't find {name}: No answer\n\n"));
            }
            continue;
        }
        if !resp.authoritative && !non_auth_printed {
            out.push_str("Non-authoritative answer:\n");
            non_auth_printed = true;
        }
        any = true;
        for r in &resp.answers {
            let owner = r.name.trim_end_matches('.');
            match &r.data {
                RData::A(ip) | RData::AAAA(ip) => out.push_str(&format!("Name:\t{owner}\nAddress: {ip}\n")),
                RData::Cname(target) => out.push_str(&format!("{owner}\tcanonical name = {target}\n")),
                RData::Srv { .. } => out.push_str(&format!("{owner}\tservice = {}\n", r.rdata_text())),
                RData::Ptr(_) => out.push_str(&format!("{owner}\tname = {}\n", r.rdata_text())),
                RData::Txt(_) => out.push_str(&format!("{owner}\ttext = {}\n", r.rdata_text())),
                RData::Ns(_) => out.push_str(&format!("{owner}\tnameserver = {}\n", r.rdata_text())),
                RData::Soa { mname, rname, serial, refresh, retry, expire, minimum } => out.push_str(&format!(
                    "{owner}\n\torigin = {mname}\n\tmail addr = {rname}\n\tserial = {serial}\n\trefresh = {refresh}\n\tretry = {retry}\n\texpire = {expire}\n\tminimum = {minimum}\n"
                )),
            }
        }
    }
    if any {
        out.push('\n');
        return Output::ok(out);
    }
    match nx {
        Some(rcode) => {
            out.push_str(&format!("** server can't find {name}: {}\n\n", rcode.as_str()));
            Output::fail(out, 1)
        }
        None => Output::ok(out),
    }
}

/// `host [-t TYPE] NAME|IP`.
pub fn host(c: &mut Cluster, term: &Terminal, args: &[String]) -> Output {
    let mut qtype: Option<RType> = None;
    let mut name: Option<&String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-t" {
            let Some(t) = args.get(i + 1) else { return Output::fail("host: option requires an argument -- 't'\n", 1) };
            match RType::parse(t) {
                Some(t) => qtype = Some(t),
                None => return Output::fail(format!("host: invalid type: {t}\n"), 1),
            }
            i += 1;
        } else if !a.starts_with('-') && name.is_none() {
            name = Some(a);
        }
        i += 1;
    }
    let Some(name) = name else {
        return Output::fail("Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n", 1);
    };
    let (client, rc) = client_context(c, term);
    let via = route(c, rc.nameservers.first().map(String::as_str).unwrap_or(""));
    if via == Via::Unreachable {
        return Output::fail(";; connection timed out; no servers could be reached\n", 1);
    }
    let mut out = String::new();
    if is_ip(name) {
        let rev = dns::kubernetes::reverse_name(name).unwrap_or_default();
        let resp = ask(c, &client, via, &rev, RType::PTR);
        if resp.answers.is_empty() {
            return Output::fail(
                format!("Host {}. not found: {}\n", rev.trim_end_matches('.'), rcode_num(resp.rcode)),
                1,
            );
        }
        for r in &resp.answers {
            out.push_str(&format!("{} domain name pointer {}\n", r.name.trim_end_matches('.'), r.rdata_text()));
        }
        return Output::ok(out);
    }
    let types = match qtype {
        Some(t) => vec![t],
        None => vec![RType::A, RType::AAAA],
    };
    let mut nx = None;
    for t in &types {
        let (fq, resp) = search_lookup(c, &client, via, &rc, name, *t);
        if resp.rcode != Rcode::NoError {
            nx.get_or_insert(resp.rcode);
            continue;
        }
        if resp.answers.is_empty() && qtype.is_some() {
            out.push_str(&format!("{} has no {} record\n", fq.trim_end_matches('.'), t.as_str()));
        }
        for r in &resp.answers {
            let owner = r.name.trim_end_matches('.');
            let line = match &r.data {
                RData::A(ip) => format!("{owner} has address {ip}"),
                RData::AAAA(ip) => format!("{owner} has IPv6 address {ip}"),
                RData::Cname(target) if *t != RType::AAAA => format!("{owner} is an alias for {target}."),
                RData::Cname(_) => continue,
                RData::Srv { .. } => format!("{owner} has SRV record {}", r.rdata_text()),
                RData::Ptr(_) => format!("{owner} domain name pointer {}", r.rdata_text()),
                RData::Txt(_) => format!("{owner} descriptive text {}", r.rdata_text()),
                RData::Ns(_) => format!("{owner} name server {}", r.rdata_text()),
                RData::Soa { .. } => format!("{owner} has SOA record {}", r.rdata_text()),
            };
            out.push_str(&line);
            out.push('\n');
            nx = None;
        }
    }
    if out.is_empty() {
        if let Some(rcode) = nx {
            return Output::fail(format!("Host {name} not found: {}\n", rcode_num(rcode)), 1);
        }
    }
    Output::ok(out)
}

fn rcode_num(r: Rcode) -> String {
    let n = match r {
        Rcode::NoError => 0,
        Rcode::ServFail => 2,
        Rcode::NxDomain => 3,
        Rcode::Refused => 5,
    };
    format!("{n}({})", r.as_str())
}

/// dig's options that the lab understands.
#[derive(Default)]
struct DigOpts {
    name: Option<String>,
    qtype: Option<RType>,
    server: Option<String>,
    short: bool,
    search: bool,
    showsearch: bool,
    /// Which parts to print (`+noall` clears them, `+answer` etc. set them back).
    cmd: bool,
    comments: bool,
    question: bool,
    answer: bool,
    authority: bool,
    additional: bool,
    stats: bool,
}

/// Advance `col` to tab stop `to` as BIND's `indent()` does: tabs when a later tab stop is
/// reachable, otherwise a single space.
fn indent(out: &mut String, col: &mut usize, to: usize) {
    if to / 8 > *col / 8 {
        for _ in 0..(to / 8 - *col / 8) {
            out.push('\t');
        }
        *col = to;
    } else {
        out.push(' ');
        *col += 1;
    }
}

/// One RR as dig prints it: owner, TTL, class, type and data at BIND's columns 24/32/40/48.
pub fn dig_rr_line(r: &Record) -> String {
    let mut out = r.name.clone();
    let mut col = out.len();
    indent(&mut out, &mut col, 24);
    let ttl = r.ttl.to_string();
    out.push_str(&ttl);
    col += ttl.len();
    indent(&mut out, &mut col, 32);
    out.push_str("IN");
    col += 2;
    indent(&mut out, &mut col, 40);
    out.push_str(r.rtype().as_str());
    col += r.rtype().as_str().len();
    indent(&mut out, &mut col, 48);
    out.push_str(&r.rdata_text());
    out
}

/// The question line: `;name.` then class at column 32 and type at 40.
pub fn dig_question_line(name: &str, t: RType) -> String {
    let mut out = format!(";{name}");
    let mut col = out.len();
    indent(&mut out, &mut col, 32);
    out.push_str("IN");
    col += 2;
    indent(&mut out, &mut col, 40);
    out.push_str(t.as_str());
    out
}

/// `Thu Jan 01 00:01:00 UTC 2026` for a simulated instant (dig's `;; WHEN:`).
fn when(c: &Cluster) -> String {
    let secs = crate::time::EPOCH_UNIX_SECS + c.now.secs();
    let stamp = crate::time::rfc3339(c.now); // 2026-01-01T00:01:00Z
    let days = secs / 86_400;
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let month: usize = stamp.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .get(month.wrapping_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{wd} {mon} {} {} UTC {}",
        stamp.get(8..10).unwrap_or("01"),
        stamp.get(11..19).unwrap_or("00:00:00"),
        stamp.get(0..4).unwrap_or("2026")
    )
}

/// `dig [@server] [-t TYPE] [-x IP] NAME [TYPE] [+short] [+search] [+showsearch] [+noall]
/// [+answer] ...` (spec §8).
pub fn dig(c: &mut Cluster, term: &Terminal, args: &[String]) -> Output {
    let mut o = DigOpts {
        cmd: true,
        comments: true,
        question: true,
        answer: true,
        authority: true,
        additional: true,
        stats: true,
        ..Default::default()
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if let Some(s) = a.strip_prefix('@') {
            o.server = Some(s.to_string());
        } else if let Some(flag) = a.strip_prefix('+') {
            let (neg, f) = match flag.strip_prefix("no") {
                Some(f) => (true, f),
                None => (false, flag),
            };
            match f {
                "short" => o.short = !neg,
                "search" => o.search = !neg,
                "showsearch" => {
                    o.showsearch = !neg;
                    o.search |= !neg;
                }
                "all" => {
                    let v = !neg;
                    (o.cmd, o.comments, o.question, o.answer, o.authority, o.additional, o.stats) =
                        (v, v, v, v, v, v, v);
                }
                "cmd" => o.cmd = !neg,
                "comments" => o.comments = !neg,
                "question" => o.question = !neg,
                "answer" => o.answer = !neg,
                "authority" => o.authority = !neg,
                "additional" => o.additional = !neg,
                "stats" => o.stats = !neg,
                "recurse" | "edns" | "cookie" | "tcp" | "vc" | "ttlid" | "timeout" | "tries" | "retry" => {}
                _ if f.starts_with("time=") || f.starts_with("tries=") || f.starts_with("retry=") => {}
                _ => {
                    return Output::fail(
                        format!(
                        "Invalid option: +{flag}\nUsage:  dig [@global-server] [domain] [q-type] [q-class] {{q-opt}}\n"
                    ),
                        1,
                    )
                }
            }
        } else if a == "-t" {
            i += 1;
            match args.get(i).and_then(|t| RType::parse(t)) {
                Some(t) => o.qtype = Some(t),
                None => {
                    return Output::fail(
                        format!("dig: invalid type {}\n", args.get(i).map(String::as_str).unwrap_or("")),
                        1,
                    )
                }
            }
        } else if a == "-x" {
            i += 1;
            let Some(rev) = args.get(i).and_then(|ip| dns::kubernetes::reverse_name(ip)) else {
                return Output::fail(
                    format!(
                        "dig: '{}' is not a legal IPv4 or IPv6 address\n",
                        args.get(i).map(String::as_str).unwrap_or("")
                    ),
                    10,
                );
            };
            o.name = Some(rev);
            o.qtype.get_or_insert(RType::PTR);
        } else if a == "IN" {
        } else if let (Some(t), true) = (RType::parse(a), o.name.is_some()) {
            o.qtype = Some(t);
        } else if let (Some(t), false) = (RType::parse(a), a.contains('.')) {
            // `dig SRV name`: a type before the name.
            o.qtype = Some(t);
        } else if !a.starts_with('-') {
            o.name = Some(a.to_string());
        }
        i += 1;
    }
    let (client, rc) = client_context(c, term);
    let cluster_dns = rc.nameservers.first().cloned().unwrap_or_else(|| resolver::cluster_dns_ip(c));
    let server = o.server.clone().unwrap_or_else(|| cluster_dns.clone());
    let name = o.name.clone().unwrap_or_else(|| ".".into());
    let qtype = o.qtype.unwrap_or(if o.name.is_none() { RType::NS } else { RType::A });
    let via = route(c, &server);
    let mut out = String::new();
    let header = |out: &mut String| {
        if o.cmd && !o.short {
            out.push_str(&format!("\n; <<>> DiG {DIG_VERSION} <<>> {}\n", args.join(" ")));
            if o.server.is_some() {
                out.push_str("; (1 server found)\n");
            }
            out.push_str(";; global options: +cmd\n");
        }
    };
    if via == Via::Unreachable {
        header(&mut out);
        out.push_str(&format!(
            ";; communications error to {server}#53: timed out\n;; communications error to {server}#53: timed out\n;; communications error to {server}#53: timed out\n\n; <<>> DiG {DIG_VERSION} <<>> {}\n;; global options: +cmd\n;; no servers could be reached\n",
            args.join(" ")
        ));
        return Output::fail(out, 9);
    }
    let candidates: Vec<String> = if o.search && !is_ip(&name) { rc.candidates(&name) } else { vec![name.clone()] };
    header(&mut out);
    let n = candidates.len();
    for (k, cand) in candidates.iter().enumerate() {
        let qname = if cand.ends_with('.') { cand.clone() } else { format!("{cand}.") };
        let resp = ask(c, &client, via, &qname, qtype);
        let last = k + 1 == n;
        let hit = resp.rcode == Rcode::NoError && !resp.answers.is_empty();
        if !(last || hit || o.showsearch) {
            continue;
        }
        print_dig_response(c, &mut out, &o, &qname, qtype, &resp, &server);
        if hit || last {
            break;
        }
    }
    Output::ok(out)
}

fn print_dig_response(
    c: &mut Cluster,
    out: &mut String,
    o: &DigOpts,
    qname: &str,
    qtype: RType,
    resp: &DnsResponse,
    server: &str,
) {
    if o.short {
        for r in &resp.answers {
            out.push_str(&r.rdata_text());
            out.push('\n');
        }
        return;
    }
    let id = c.with_rng(|r| r.u16(..));
    let cookie = c.with_rng(|r| r.u64(..));
    if o.comments {
        out.push_str(";; Got answer:\n");
        out.push_str(&format!(";; ->>HEADER<<- opcode: QUERY, status: {}, id: {id}\n", resp.rcode.as_str()));
        let mut flags = vec!["qr"];
        if resp.authoritative {
            flags.push("aa");
        }
        flags.push("rd");
        if resp.recursion_available {
            flags.push("ra");
        }
        out.push_str(&format!(
            ";; flags: {}; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}\n",
            flags.join(" "),
            resp.answers.len(),
            resp.authority.len(),
            resp.additional.len() + 1
        ));
        if !resp.recursion_available {
            out.push_str(";; WARNING: recursion requested but not available\n");
        }
        out.push_str(&format!(
            "\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: {DIG_BUFSIZE}\n; COOKIE: {cookie:016x} (echoed)\n"
        ));
    }
    if o.question {
        if o.comments {
            out.push_str(";; QUESTION SECTION:\n");
        }
        out.push_str(&dig_question_line(qname, qtype));
        out.push('\n');
        if o.comments {
            out.push('\n');
        }
    }
    for (on, title, records) in [
        (o.answer, "ANSWER", &resp.answers),
        (o.authority, "AUTHORITY", &resp.authority),
        (o.additional, "ADDITIONAL", &resp.additional),
    ] {
        if !on || records.is_empty() {
            continue;
        }
        if o.comments {
            out.push_str(&format!(";; {title} SECTION:\n"));
        }
        for r in records {
            out.push_str(&dig_rr_line(r));
            out.push('\n');
        }
        if o.comments {
            out.push('\n');
        }
    }
    if o.stats {
        let size = dns::wire::message_size(qname, resp, Some(DIG_OPT_LEN), DIG_BUFSIZE);
        out.push_str(&format!(
            ";; Query time: 0 msec\n;; SERVER: {server}#53({server}) (UDP)\n;; WHEN: {}\n;; MSG SIZE  rcvd: {size}\n\n",
            when(c)
        ));
    }
}

/// Run a DNS tool if the pod's image has it (`None`: `sh: X: not found`). busybox has only
/// its own `nslookup`; dnsutils images and the toolbox have bind's three.
pub fn run(c: &mut Cluster, term: &Terminal, cmd: &str, tools: Toolset, args: &[String]) -> Option<Output> {
    Some(match (cmd, tools) {
        ("nslookup", Toolset::Busybox128) => nslookup_busybox128(c, term, args),
        ("nslookup", Toolset::BusyboxNew) => nslookup_busybox_new(c, term, args),
        ("nslookup", Toolset::Dnsutils | Toolset::Toolbox) => nslookup_bind(c, term, args),
        ("dig", Toolset::Dnsutils | Toolset::Toolbox) => dig(c, term, args),
        ("host", Toolset::Dnsutils | Toolset::Toolbox) => host(c, term, args),
        _ => return None,
    })
}

/// `hostname [-f]` in a pod (spec §5): the kubelet-set UTS hostname; `-f` the FQDN from the
/// pod's /etc/hosts line.
pub fn hostname(c: &mut Cluster, term: &Terminal, args: &[String]) -> Output {
    let s = term.session();
    let Some(pod) = c.get::<crate::api::Pod>(&s.namespace, &s.pod) else {
        return Output::ok(format!("{}\n", s.pod));
    };
    if args.iter().any(|a| a == "-f" || a == "--fqdn" || a == "--long") {
        Output::ok(format!("{}\n", resolver::pod_fqdn(c, pod)))
    } else {
        Output::ok(format!("{}\n", resolver::pod_uts_hostname(c, pod)))
    }
}
