//! Network tools in pod shells: `curl` (curl 8.x wording), busybox `wget`, and the node-level
//! views of kube-proxy: `iptables-save`, `ipvsadm -Ln`, `nft list ruleset`. The node tools
//! show the rules of the node the shell's pod runs on, as in a `kubectl debug node/...`
//! shell (spec §6).
//!
//! Which image has which tool: curl in the toolbox, nginx, curlimages/curl and netshoot;
//! busybox wget in the toolbox, busybox, alpine-based images and curlimages/curl
//! ([`crate::traffic::app::has_curl`]). Requests go through [`crate::traffic`], so each one
//! is in the event log and the hit counters.

use super::context::client_context;
use super::{Output, Terminal};
use crate::api::Pod;
use crate::cluster::Cluster;
use crate::proxy;
use crate::traffic::{self, app, Source, TrafficError};

/// Dispatch one network tool. `None`: not one of ours.
pub fn run(c: &mut Cluster, term: &mut Terminal, cmd: &str, args: &[String]) -> Option<Output> {
    let image = term.session().image.clone();
    Some(match cmd {
        "curl" if app::has_curl(&image) => curl(c, term, args),
        "wget" if app::has_wget(&image) => wget(c, term, args),
        "curl" | "wget" => Output::fail(format!("sh: {cmd}: not found\n"), 127),
        "iptables-save" => {
            let table = args.iter().position(|a| a == "-t" || a == "--table").and_then(|i| args.get(i + 1));
            let node = session_node(c, term);
            let mode = proxy::mode(c);
            let table = table.map(String::as_str);
            let result = match mode {
                crate::cluster::config::ProxyMode::Iptables => proxy::iptables::save(c, &node, table),
                crate::cluster::config::ProxyMode::Ipvs => proxy::iptables::save_ipvs_mode(c, table),
                crate::cluster::config::ProxyMode::Nftables => proxy::iptables::save_empty(c, table),
            };
            match result {
                Ok(t) => Output::ok(t),
                Err(e) => Output::fail(e, 1),
            }
        }
        "ipvsadm" => {
            let list =
                args.iter().any(|a| a.starts_with('-') && !a.starts_with("--") && (a.contains('L') || a.contains('l')))
                    || args.iter().any(|a| a == "--list");
            if !list && !args.is_empty() {
                return Some(Output::fail("ipvsadm: this lab supports listing only: ipvsadm -Ln\n".to_string(), 2));
            }
            let node = session_node(c, term);
            if proxy::mode(c) == crate::cluster::config::ProxyMode::Ipvs {
                Output::ok(proxy::ipvs::list(c, &node))
            } else {
                // IPVS is loaded but kube-proxy programs no virtual servers outside ipvs mode.
                Output::ok("IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n")
            }
        }
        "nft" => {
            let words: Vec<&str> = args.iter().map(String::as_str).collect();
            match words.as_slice() {
                ["list", "ruleset"] | ["-a", "list", "ruleset"] => {
                    let node = session_node(c, term);
                    if proxy::mode(c) == crate::cluster::config::ProxyMode::Nftables {
                        Output::ok(proxy::nftables::list_ruleset(c, &node))
                    } else {
                        Output::fail(
                            "nft: kube-proxy is not in nftables mode; its rules are in iptables-save (iptables mode) or ipvsadm -Ln (ipvs mode)\n",
                            1,
                        )
                    }
                }
                _ => Output::fail("nft: this lab supports: nft list ruleset\n", 1),
            }
        }
        _ => return None,
    })
}

/// The node of the shell's pod.
fn session_node(c: &Cluster, term: &Terminal) -> String {
    let s = term.session();
    c.get::<Pod>(&s.namespace, &s.pod).and_then(|p| p.spec.node_name.clone()).unwrap_or_default()
}

/// A parsed `http://host:port/path`.
#[derive(Debug, PartialEq)]
struct Url {
    /// `https://`.
    tls: bool,
    host: String,
    port: i32,
    path: String,
}

enum UrlError {
    Protocol(String),
    Port,
    Empty,
}

fn parse_url(raw: &str) -> Result<Url, UrlError> {
    let (scheme, rest) = match raw.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), raw),
    };
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        other => return Err(UrlError::Protocol(other.to_string())),
    };
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if let Some(stripped) = authority.strip_prefix('[') {
        match stripped.split_once(']') {
            Some((h, p)) => (h.to_string(), p.strip_prefix(':')),
            None => return Err(UrlError::Empty),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err(UrlError::Empty);
    }
    let port = match port {
        None | Some("") => default_port,
        Some(p) => match p.parse::<i32>() {
            Ok(n) if (0..=65535).contains(&n) => n,
            _ => return Err(UrlError::Port),
        },
    };
    let path = if path.starts_with('/') { path } else { format!("/{path}") };
    Ok(Url { tls: scheme == "https", host, port, path })
}

/// Why a connection attempt ended, with the time it took (ms).
enum Failure {
    Resolve,
    Conn(TrafficError, u64),
}

/// Resolve and connect as a client in the session's pod; try each address in turn (curl
/// and busybox move on after a refused connection). Returns the address used and response.
fn fetch(
    c: &mut Cluster,
    term: &Terminal,
    host: &str,
    port: i32,
    timeout_ms: Option<u64>,
) -> Result<(String, traffic::Response), (Option<String>, Failure)> {
    // A client timeout lets simulated time pass; bounded like `sleep` (MAX_ADVANCE_MS).
    let timeout_ms = timeout_ms.map(|t| t.min(super::MAX_ADVANCE_MS));
    let s = term.session().clone();
    let Some(src) = Source::of_pod(c, &s.namespace, &s.pod) else {
        return Err((None, Failure::Resolve));
    };
    let request = traffic::begin_request(c, &src, host, port);
    // The pod itself: loopback never leaves the pod.
    if host == "localhost" || host == "127.0.0.1" || host == "::1" {
        let pod = c.get::<Pod>(&s.namespace, &s.pod).cloned();
        return match pod {
            Some(p) if app::listens(&p, port, "TCP") => {
                let backend = traffic::Backend {
                    namespace: s.namespace.clone(),
                    pod: s.pod.clone(),
                    ip: host.to_string(),
                    port,
                    node: p.spec.node_name.clone(),
                };
                let r = traffic::respond(c, request, 0, &src, &backend);
                Ok((host.to_string(), r))
            }
            _ => {
                let e = TrafficError::Refused { ip: host.to_string(), port };
                traffic::fail(c, request, e.clone());
                Err((Some(host.to_string()), Failure::Conn(e, 0)))
            }
        };
    }
    let addrs = if host.parse::<std::net::IpAddr>().is_ok() {
        vec![host.to_string()]
    } else {
        let (client, rc) = client_context(c, term);
        let lookup = traffic::resolve(c, &client, &rc, host);
        let addrs = lookup.response.addresses();
        traffic::record_resolution(c, request, host, &addrs, false);
        addrs
    };
    let mut last: Option<(String, Failure)> = None;
    for ip in addrs {
        match traffic::request_once(c, request, &src, &ip, port) {
            Ok(r) => return Ok((ip, r)),
            Err(e) => {
                let took = match &e {
                    TrafficError::TimedOut { .. } => timeout_ms.unwrap_or(130_000),
                    // ARP gives up after about 3 s (EHOSTUNREACH).
                    TrafficError::NoRoute { .. } => timeout_ms.map_or(3_000, |t| t.min(3_000)),
                    _ => traffic::latency_ms(None, None, &ip),
                };
                // The client waits in simulated time, as a real one blocks.
                if took > 100 {
                    c.advance(took);
                }
                let stop = matches!(e, TrafficError::TimedOut { .. });
                last = Some((ip, Failure::Conn(e, took)));
                if stop {
                    break;
                }
            }
        }
    }
    match last {
        Some((ip, f)) => Err((Some(ip), f)),
        None => Err((None, Failure::Resolve)),
    }
}

/// `Thu, 01 Jan 2026 00:01:00 GMT` for the Date header.
fn http_date(c: &Cluster) -> String {
    let stamp = crate::time::rfc3339(c.now);
    let days = (crate::time::EPOCH_UNIX_SECS + c.now.secs()) / 86_400;
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month: usize = stamp.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!(
        "{}, {} {} {} {} GMT",
        DAYS.get((days % 7) as usize).copied().unwrap_or("Thu"),
        stamp.get(8..10).unwrap_or("01"),
        MONTHS.get(month.saturating_sub(1)).copied().unwrap_or("Jan"),
        stamp.get(0..4).unwrap_or("2026"),
        stamp.get(11..19).unwrap_or("00:00:00")
    )
}

/// What an HTTP(S) exchange over an open connection yields: the response (status line and
/// headers, body) or a curl error (code, message).
fn exchange(
    c: &Cluster,
    u: &Url,
    insecure: bool,
    r: &traffic::Response,
) -> Result<(Vec<String>, String), (i32, String)> {
    let apiserver = r.backend.is_apiserver();
    match (u.tls, apiserver) {
        (true, true) if !insecure => Err((60, CURL_CERT_ERROR.to_string())),
        (true, true) => {
            let body = app::APISERVER_FORBIDDEN.to_string();
            let h = vec![
                "HTTP/2 403 ".to_string(),
                "cache-control: no-cache, private".into(),
                "content-type: application/json".into(),
                "x-content-type-options: nosniff".into(),
                format!("content-length: {}", body.len()),
                format!("date: {}", http_date(c)),
            ];
            Ok((h, body))
        }
        // A plain-HTTP server answering a TLS ClientHello.
        (true, false) => Err((35, "OpenSSL/3.3.2: error:0A00010B:SSL routines::wrong version number".to_string())),
        (false, true) => Ok((vec!["HTTP/1.0 400 Bad Request".to_string()], r.body.clone())),
        (false, false) => Ok((response_headers(c, r), r.body.clone())),
    }
}

/// curl's certificate failure text (exit 60).
const CURL_CERT_ERROR: &str = "SSL certificate problem: unable to get local issuer certificate
More details here: https://curl.se/docs/sslcerts.html

curl failed to verify the legitimacy of the server and therefore could not
establish a secure connection to it. To learn more about this situation and
how to fix it, please visit the webpage mentioned above.";

fn response_headers(c: &Cluster, r: &traffic::Response) -> Vec<String> {
    let nginx = r.body.contains("<title>Welcome to nginx!</title>");
    let mut h = vec!["HTTP/1.1 200 OK".to_string()];
    if nginx {
        h.push("Server: nginx/1.27.3".into());
        h.push(format!("Date: {}", http_date(c)));
        h.push("Content-Type: text/html".into());
        h.push(format!("Content-Length: {}", r.body.len()));
        h.push("Connection: keep-alive".into());
        h.push("Accept-Ranges: bytes".into());
    } else {
        h.push("Content-Type: text/plain; charset=utf-8".into());
        h.push(format!("Content-Length: {}", r.body.len()));
        h.push(format!("Date: {}", http_date(c)));
        h.push("Connection: keep-alive".into());
    }
    h
}

const CURL_HELP_HINT: &str = "curl: try 'curl --help' or 'curl --manual' for more information\n";

/// `curl [-sSvIi] [-m SECS] [--connect-timeout SECS] [-o FILE] URL` (curl 8.x messages).
fn curl(c: &mut Cluster, term: &mut Terminal, args: &[String]) -> Output {
    let (mut silent, mut show_error, mut verbose, mut head, mut include) = (false, false, false, false, false);
    let mut insecure = false;
    let (mut max_time, mut connect_timeout, mut out_file, mut url) =
        (None::<f64>, None::<f64>, None::<String>, None::<String>);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: &mut usize| {
            *i += 1;
            args.get(*i).cloned()
        };
        match a {
            "-s" | "--silent" => silent = true,
            "-S" | "--show-error" => show_error = true,
            "-v" | "--verbose" => verbose = true,
            "-I" | "--head" => head = true,
            "-i" | "--include" => include = true,
            "-k" | "--insecure" => insecure = true,
            "-L" | "--location" | "-f" | "--fail" => {}
            "-m" | "--max-time" | "--connect-timeout" | "-o" | "--output" => {
                let Some(v) = value(&mut i) else {
                    return Output::fail(format!("curl: option {a}: requires parameter\n{CURL_HELP_HINT}"), 2);
                };
                match a {
                    "-o" | "--output" => out_file = Some(v),
                    _ => {
                        let Some(secs) = v.parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0 && *s <= 86_400.0)
                        else {
                            return Output::fail(
                                format!("curl: option {a}: expected a proper numerical parameter\n{CURL_HELP_HINT}"),
                                2,
                            );
                        };
                        if a == "--connect-timeout" {
                            connect_timeout = Some(secs);
                        } else {
                            max_time = Some(secs);
                        }
                    }
                }
            }
            s if s.starts_with('-')
                && !s.starts_with("--")
                && s.len() > 1
                && s[1..].chars().all(|ch| "sSvIiLkf".contains(ch)) =>
            {
                for ch in s[1..].chars() {
                    match ch {
                        's' => silent = true,
                        'S' => show_error = true,
                        'v' => verbose = true,
                        'I' => head = true,
                        'i' => include = true,
                        'k' => insecure = true,
                        _ => {}
                    }
                }
            }
            s if s.starts_with('-') && s.len() > 1 => {
                return Output::fail(format!("curl: option {s}: is unknown\n{CURL_HELP_HINT}"), 2);
            }
            _ => url = Some(a.to_string()),
        }
        i += 1;
    }
    let show_errors = !silent || show_error;
    let err = |code: i32, msg: String| {
        Output::fail(if show_errors { format!("curl: ({code}) {msg}\n") } else { String::new() }, code)
    };
    let Some(raw) = url else {
        return Output::fail(format!("curl: no URL specified\n{CURL_HELP_HINT}"), 2);
    };
    let u = match parse_url(&raw) {
        Ok(u) => u,
        Err(UrlError::Protocol(p)) => return err(1, format!("Protocol \"{p}\" not supported")),
        Err(UrlError::Port) => {
            return err(3, "URL rejected: Port number was not a decimal number between 0 and 65535".into())
        }
        Err(UrlError::Empty) => return err(3, "URL rejected: No host part in the URL".into()),
    };
    let timeout_ms = connect_timeout.or(max_time).map(|s| (s * 1000.0) as u64);
    let mut out = String::new();
    match fetch(c, term, &u.host, u.port, timeout_ms) {
        Err((_, Failure::Resolve)) => err(6, format!("Could not resolve host: {}", u.host)),
        Err((ip, Failure::Conn(e, took))) => {
            let ip = ip.unwrap_or_default();
            if verbose {
                out.push_str(&format!("*   Trying {}...\n", proxy::host_port(&ip, u.port)));
            }
            let mut o = match e {
                TrafficError::TimedOut { .. } => match (connect_timeout, max_time) {
                    (Some(_), _) => err(
                        28,
                        format!(
                            "Failed to connect to {} port {} after {} ms: Timeout was reached",
                            u.host,
                            u.port,
                            took + 6
                        ),
                    ),
                    (None, Some(_)) => err(28, format!("Connection timed out after {} milliseconds", took + 1)),
                    // The kernel gives up after its SYN retries (about 130 s).
                    (None, None) => err(
                        7,
                        format!(
                            "Failed to connect to {} port {} after {took} ms: Couldn't connect to server",
                            u.host, u.port
                        ),
                    ),
                },
                _ => err(
                    7,
                    format!(
                        "Failed to connect to {} port {} after {took} ms: Couldn't connect to server",
                        u.host, u.port
                    ),
                ),
            };
            o.text = format!("{out}{}", o.text);
            o
        }
        Ok((ip, r)) => {
            let (headers, body) = match exchange(c, &u, insecure, &r) {
                Ok(x) => x,
                Err((code, msg)) => {
                    let mut o = err(code, msg);
                    if verbose {
                        o.text = format!(
                            "*   Trying {}...\n* Connected to {} ({ip}) port {}\n{}",
                            proxy::host_port(&ip, u.port),
                            u.host,
                            u.port,
                            o.text
                        );
                    }
                    return o;
                }
            };
            if verbose {
                out.push_str(&format!("*   Trying {}...\n", proxy::host_port(&ip, u.port)));
                out.push_str(&format!("* Connected to {} ({ip}) port {}\n", u.host, u.port));
                let method = if head { "HEAD" } else { "GET" };
                let host_hdr = if u.port == 80 { u.host.clone() } else { format!("{}:{}", u.host, u.port) };
                out.push_str(&format!(
                    "> {method} {} HTTP/1.1\n> Host: {host_hdr}\n> User-Agent: curl/8.11.1\n> Accept: */*\n>\n",
                    u.path
                ));
                for h in &headers {
                    out.push_str(&format!("< {h}\n"));
                }
                out.push_str("<\n");
            } else if head || include {
                for h in &headers {
                    out.push_str(&format!("{h}\n"));
                }
                out.push('\n');
            }
            let body = if head { String::new() } else { body };
            match out_file {
                Some(f) if f != "-" => {
                    term.files.insert(f, body);
                }
                _ => out.push_str(&body),
            }
            if verbose {
                out.push_str(&format!("* Connection #0 to host {} left intact\n", u.host));
            }
            Output::ok(out)
        }
    }
}

/// busybox `wget [-q] [-O FILE|-] [-T SECS] URL`.
fn wget(c: &mut Cluster, term: &mut Terminal, args: &[String]) -> Output {
    let (mut quiet, mut out_file, mut timeout, mut url) = (false, None::<String>, None::<u64>, None::<String>);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-q" | "--quiet" => quiet = true,
            "-O" | "--output-document" | "-T" | "--timeout" => {
                i += 1;
                let Some(v) = args.get(i).cloned() else {
                    return Output::fail(
                        format!("wget: option requires an argument -- '{}'\n", a.trim_start_matches('-')),
                        1,
                    );
                };
                if a == "-T" || a == "--timeout" {
                    timeout = v.parse::<u64>().ok().map(|s| s.min(86_400) * 1000);
                } else {
                    out_file = Some(v);
                }
            }
            "-qO-" | "-qO" | "-O-" => {
                quiet |= a.starts_with("-q");
                if a.ends_with('-') {
                    out_file = Some("-".into());
                } else {
                    i += 1;
                    out_file = args.get(i).cloned();
                }
            }
            s if s.starts_with("-O") && s.len() > 2 => out_file = Some(s[2..].to_string()),
            s if s.starts_with('-') && s.len() > 1 => {
                return Output::fail(format!("wget: unrecognized option '{s}'\n"), 1);
            }
            _ => url = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(raw) = url else {
        let banner = if term.session().image.contains(":1.28") {
            "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC)"
        } else {
            "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC)"
        };
        return Output::fail(format!("{banner} multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n"), 1);
    };
    let u = match parse_url(&raw) {
        Ok(u) => u,
        Err(UrlError::Protocol(_)) => return Output::fail(format!("wget: not an http or ftp url: {raw}\n"), 1),
        Err(UrlError::Port) | Err(UrlError::Empty) => return Output::fail(format!("wget: bad address '{raw}'\n"), 1),
    };
    let file = out_file.clone().unwrap_or_else(|| {
        let name = u.path.rsplit('/').next().unwrap_or("").split(['?', '#']).next().unwrap_or("");
        if name.is_empty() {
            "index.html".to_string()
        } else {
            name.to_string()
        }
    });
    if file != "-" && term.files.contains_key(&file) {
        return Output::fail(format!("wget: can't open '{file}': File exists\n"), 1);
    }
    let mut out = String::new();
    match fetch(c, term, &u.host, u.port, timeout) {
        Err((_, Failure::Resolve)) => Output::fail(format!("wget: bad address '{}'\n", u.host), 1),
        Err((ip, Failure::Conn(e, _))) => {
            let ip = ip.unwrap_or_default();
            if !quiet {
                out.push_str(&format!("Connecting to {} ({})\n", u.host, proxy::host_port(&ip, u.port)));
            }
            let why = match e {
                TrafficError::Refused { .. } => "Connection refused",
                TrafficError::NoRoute { .. } => "No route to host",
                TrafficError::TimedOut { .. } if timeout.is_some() => {
                    return Output::fail(format!("{out}wget: download timed out\n"), 1);
                }
                _ => "Connection timed out",
            };
            Output::fail(format!("{out}wget: can't connect to remote host ({ip}): {why}\n"), 1)
        }
        Ok((ip, r)) => {
            if !quiet {
                out.push_str(&format!("Connecting to {} ({})\n", u.host, proxy::host_port(&ip, u.port)));
            }
            if r.backend.is_apiserver() {
                let status = if u.tls { "HTTP/1.1 403 Forbidden" } else { "HTTP/1.0 400 Bad Request" };
                return Output::fail(format!("{out}wget: server returned error: {status}\n"), 1);
            }
            let bar = "*".repeat(32);
            if file == "-" {
                if !quiet {
                    out.push_str("writing to stdout\n");
                }
                out.push_str(&r.body);
                if !quiet {
                    out.push_str(&format!(
                        "{:<20} 100% |{bar}| {:>5}  0:00:00 ETA\nwritten to stdout\n",
                        "-",
                        r.body.len()
                    ));
                }
            } else {
                if !quiet {
                    out.push_str(&format!("saving to '{file}'\n"));
                    out.push_str(&format!(
                        "{file:<20} 100% |{bar}| {:>5}  0:00:00 ETA\n'{file}' saved\n",
                        r.body.len()
                    ));
                }
                term.files.insert(file, r.body);
            }
            Output::ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_like_curl() {
        let ok = |raw: &str| parse_url(raw).ok();
        assert_eq!(
            ok("normal-service"),
            Some(Url { tls: false, host: "normal-service".into(), port: 80, path: "/".into() })
        );
        assert_eq!(
            ok("http://10.96.0.5:3000/x?y"),
            Some(Url { tls: false, host: "10.96.0.5".into(), port: 3000, path: "/x?y".into() })
        );
        assert_eq!(ok("https://a.b"), Some(Url { tls: true, host: "a.b".into(), port: 443, path: "/".into() }));
        assert_eq!(
            ok("http://[fd00::1]:8080/"),
            Some(Url { tls: false, host: "fd00::1".into(), port: 8080, path: "/".into() })
        );
        assert!(matches!(parse_url("http://x:99999"), Err(UrlError::Port)));
        assert!(matches!(parse_url("ftp://x"), Err(UrlError::Protocol(_))));
        assert!(matches!(parse_url("http://"), Err(UrlError::Empty)));
    }
}
