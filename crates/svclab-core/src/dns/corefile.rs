//! The Corefile (ConfigMap `kube-system/coredns`, key `Corefile`): a small parser for the
//! subset of CoreDNS configuration the lab serves (spec §4.1).
//!
//! Grammar (Caddyfile): server blocks `KEY [KEY...] { directives }`, each directive a line of
//! words, optionally followed by a `{ ... }` block of option lines. `#` starts a comment.
//! Parsing never panics; an error is CoreDNS's own message shape
//! (`/etc/coredns/Corefile:<line> - Error during parsing: ...`), and the caller keeps the old
//! configuration (the `reload` plugin's behaviour).
//!
//! Served: `kubernetes` (zones, `pods`, `ttl`, `endpoint_pod_names`, `fallthrough`,
//! `ignore empty_service`, `namespaces`), `loadbalance`, `hosts` (inline entries, `ttl`,
//! `fallthrough`), `forward` (to the lab's simulated upstream). Accepted with no effect on
//! answers: `errors`, `health`, `ready`, `prometheus`, `cache`, `loop`, `reload`, `log`,
//! `debug`, `whoami`, `bind`.

/// Where CoreDNS reads its configuration from inside the pod (the ConfigMap volume).
pub const COREFILE_PATH: &str = "/etc/coredns/Corefile";

/// `kubernetes ZONES... { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct KubernetesPlugin {
    /// Zones, fully qualified and lower case (`cluster.local.`, `in-addr.arpa.`).
    pub zones: Vec<String>,
    /// `pods disabled|insecure|verified` (plugin default `disabled`, spec §4.7).
    pub pods: String,
    /// Plugin default 5 (spec §4.1); kubeadm sets 30.
    pub ttl: u32,
    pub endpoint_pod_names: bool,
    /// `fallthrough [ZONES...]`: `None` = off, `Some(empty)` = every zone.
    pub fallthrough: Option<Vec<String>>,
    pub ignore_empty_service: bool,
    /// `namespaces NS...`: only these are exposed (empty = all).
    pub namespaces: Vec<String>,
}

impl Default for KubernetesPlugin {
    fn default() -> Self {
        KubernetesPlugin {
            zones: Vec::new(),
            pods: "disabled".into(),
            ttl: 5,
            endpoint_pod_names: false,
            fallthrough: None,
            ignore_empty_service: false,
            namespaces: Vec::new(),
        }
    }
}

impl KubernetesPlugin {
    /// The longest configured zone containing `name` (lower case, fully qualified).
    pub fn zone_of(&self, name: &str) -> Option<&str> {
        longest_zone(&self.zones, name)
    }
    /// Whether `fallthrough` passes a failed `name` on to the next plugin.
    pub fn falls_through(&self, name: &str) -> bool {
        match &self.fallthrough {
            None => false,
            Some(z) if z.is_empty() => true,
            Some(z) => longest_zone(z, name).is_some(),
        }
    }
    pub fn exposes_namespace(&self, ns: &str) -> bool {
        self.namespaces.is_empty() || self.namespaces.iter().any(|n| n == ns)
    }
}

/// `hosts [FILE] [ZONES...] { IP NAME... ; ttl N; fallthrough }`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct HostsPlugin {
    /// Zones it answers for (default: the server block's).
    pub zones: Vec<String>,
    /// (name lower case fully qualified, address), in file order.
    pub entries: Vec<(String, String)>,
    pub ttl: u32,
    pub fallthrough: Option<Vec<String>>,
}

impl HostsPlugin {
    pub fn falls_through(&self, name: &str) -> bool {
        match &self.fallthrough {
            None => false,
            Some(z) if z.is_empty() => true,
            Some(z) => longest_zone(z, name).is_some(),
        }
    }
}

/// `forward FROM TO...`: to the lab's simulated upstream, whatever TO is.
#[derive(Clone, Debug, PartialEq)]
pub struct ForwardPlugin {
    pub from: String,
    pub to: Vec<String>,
}

/// One server block: `.:53 { ... }`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ServerBlock {
    /// Zones of the block's keys, fully qualified (`.` for the root).
    pub zones: Vec<String>,
    pub port: u16,
    pub kubernetes: Option<KubernetesPlugin>,
    pub hosts: Option<HostsPlugin>,
    pub forward: Option<ForwardPlugin>,
    pub loadbalance: bool,
    pub log: bool,
    /// Directive names in order, as written (for the UI).
    pub directives: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Corefile {
    pub servers: Vec<ServerBlock>,
}

impl Corefile {
    /// The block serving `name` on port 53: the one whose zone is the longest suffix of it.
    pub fn server_for(&self, name: &str) -> Option<&ServerBlock> {
        let mut best: Option<(&ServerBlock, usize)> = None;
        for s in self.servers.iter().filter(|s| s.port == 53) {
            if let Some(z) = longest_zone(&s.zones, name) {
                if best.is_none_or(|(_, l)| z.len() > l) {
                    best = Some((s, z.len()));
                }
            }
        }
        best.map(|(s, _)| s)
    }
}

/// The longest zone in `zones` that `name` is in (both lower case, fully qualified).
pub fn longest_zone<'a>(zones: &'a [String], name: &str) -> Option<&'a str> {
    zones.iter().filter(|z| in_zone(name, z)).max_by_key(|z| z.len()).map(String::as_str)
}

/// `name` equals `zone` or is below it, on label boundaries.
pub fn in_zone(name: &str, zone: &str) -> bool {
    zone == "." || name == zone || (name.ends_with(zone) && name[..name.len() - zone.len()].ends_with('.'))
}

fn fq(z: &str) -> String {
    let mut z = z.to_ascii_lowercase();
    if !z.ends_with('.') {
        z.push('.');
    }
    if z == ".." {
        z = ".".into();
    }
    z
}

/// A token with the line it was on.
#[derive(Clone, Debug, PartialEq)]
struct Tok {
    line: usize,
    text: String,
    /// `{`, `}` or a newline marker rather than a word.
    punct: bool,
}

fn lex(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let mut chars = raw.chars().peekable();
        let mut word = String::new();
        let mut quoted = false;
        let flush = |word: &mut String, out: &mut Vec<Tok>| {
            if !word.is_empty() {
                out.push(Tok { line, text: std::mem::take(word), punct: false });
            }
        };
        while let Some(ch) = chars.next() {
            if quoted {
                if ch == '"' {
                    quoted = false;
                    out.push(Tok { line, text: std::mem::take(&mut word), punct: false });
                } else {
                    word.push(ch);
                }
                continue;
            }
            match ch {
                '#' => break,
                '"' => {
                    flush(&mut word, &mut out);
                    quoted = true;
                }
                '{' | '}' if word.is_empty() && chars.peek().is_none_or(|c| c.is_whitespace()) => {
                    out.push(Tok { line, text: ch.to_string(), punct: true });
                }
                c if c.is_whitespace() => flush(&mut word, &mut out),
                c => word.push(c),
            }
        }
        flush(&mut word, &mut out);
        out.push(Tok { line, text: "\n".into(), punct: true });
    }
    out
}

/// One directive line with its optional block of option lines.
#[derive(Clone, Debug)]
struct Directive {
    line: usize,
    name: String,
    args: Vec<String>,
    block: Vec<(usize, Vec<String>)>,
}

fn err(line: usize, msg: impl std::fmt::Display) -> String {
    format!("{COREFILE_PATH}:{line} - Error during parsing: {msg}")
}

/// Parse a Corefile. `Err` carries CoreDNS's message.
pub fn parse(text: &str) -> Result<Corefile, String> {
    let toks = lex(text);
    let mut i = 0;
    let mut cf = Corefile::default();
    let last_line = toks.last().map(|t| t.line).unwrap_or(1);
    let is_nl = |t: &Tok| t.punct && t.text == "\n";
    while i < toks.len() {
        if is_nl(&toks[i]) {
            i += 1;
            continue;
        }
        // Server block keys up to `{`.
        let mut keys = Vec::new();
        let key_line = toks[i].line;
        while i < toks.len() && !(toks[i].punct && toks[i].text == "{") {
            if toks[i].punct && toks[i].text == "}" {
                return Err(err(toks[i].line, "Unexpected '}' because no matching opening brace"));
            }
            if !is_nl(&toks[i]) {
                keys.extend(toks[i].text.split(',').filter(|k| !k.is_empty()).map(str::to_string));
            }
            i += 1;
        }
        if i >= toks.len() {
            return Err(err(last_line, "Unexpected EOF"));
        }
        i += 1; // `{`
        let mut block = ServerBlock { port: 53, ..Default::default() };
        for k in &keys {
            let k = k.strip_prefix("dns://").unwrap_or(k);
            let (zone, port) = match k.rsplit_once(':') {
                Some((z, p)) => match p.parse::<u16>() {
                    Ok(p) => (z, p),
                    Err(_) => return Err(err(key_line, format_args!("invalid port '{p}'"))),
                },
                None => (k, 53),
            };
            block.port = port;
            block.zones.push(fq(if zone.is_empty() { "." } else { zone }));
        }
        // Directives up to the matching `}`.
        let mut directives: Vec<Directive> = Vec::new();
        loop {
            let Some(t) = toks.get(i) else { return Err(err(last_line, "Unexpected EOF")) };
            if is_nl(t) {
                i += 1;
                continue;
            }
            if t.punct && t.text == "}" {
                i += 1;
                break;
            }
            if t.punct {
                return Err(err(t.line, "Unexpected '{'"));
            }
            let mut d = Directive { line: t.line, name: t.text.clone(), args: Vec::new(), block: Vec::new() };
            i += 1;
            while let Some(t) = toks.get(i) {
                if is_nl(t) || (t.punct && t.text == "}") {
                    break;
                }
                if t.punct && t.text == "{" {
                    i += 1;
                    let mut cur: Vec<String> = Vec::new();
                    let mut cur_line = t.line;
                    loop {
                        let Some(t) = toks.get(i) else { return Err(err(last_line, "Unexpected EOF")) };
                        i += 1;
                        if t.punct && t.text == "{" {
                            return Err(err(t.line, "Unexpected '{'"));
                        }
                        if is_nl(t) || (t.punct && t.text == "}") {
                            if !cur.is_empty() {
                                d.block.push((cur_line, std::mem::take(&mut cur)));
                            }
                            if t.text == "}" {
                                break;
                            }
                            continue;
                        }
                        if cur.is_empty() {
                            cur_line = t.line;
                        }
                        cur.push(t.text.clone());
                    }
                    break;
                }
                d.args.push(t.text.clone());
                i += 1;
            }
            directives.push(d);
        }
        for d in directives {
            apply_directive(&mut block, d)?;
        }
        cf.servers.push(block);
    }
    if cf.servers.is_empty() {
        return Err(err(1, "no server blocks found"));
    }
    Ok(cf)
}

fn wrong_args(line: usize, after: &str) -> String {
    err(line, format_args!("Wrong argument count or unexpected line ending after '{after}'"))
}

fn apply_directive(block: &mut ServerBlock, d: Directive) -> Result<(), String> {
    block.directives.push(d.name.clone());
    match d.name.as_str() {
        "kubernetes" => {
            if block.kubernetes.is_some() {
                return Err(err(d.line, "plugin/kubernetes: this plugin can only be used once per Server Block"));
            }
            let mut k = KubernetesPlugin {
                zones: if d.args.is_empty() { block.zones.clone() } else { d.args.iter().map(|z| fq(z)).collect() },
                ..Default::default()
            };
            for (line, words) in &d.block {
                let (opt, args) = match words.split_first() {
                    Some((o, a)) => (o.as_str(), a),
                    None => continue,
                };
                match opt {
                    "pods" => match args {
                        [m] if ["disabled", "insecure", "verified"].contains(&m.as_str()) => k.pods = m.clone(),
                        [m] => return Err(err(*line, format_args!("plugin/kubernetes: invalid pods mode '{m}'"))),
                        _ => return Err(wrong_args(*line, "pods")),
                    },
                    "ttl" => match args {
                        [t] => match t.parse::<u32>() {
                            Ok(v) if v <= 3600 => k.ttl = v,
                            Ok(v) => {
                                return Err(err(
                                    *line,
                                    format_args!("plugin/kubernetes: ttl must be in range [0, 3600]: {v}"),
                                ))
                            }
                            Err(_) => return Err(err(*line, format_args!("plugin/kubernetes: invalid ttl '{t}'"))),
                        },
                        _ => return Err(wrong_args(*line, "ttl")),
                    },
                    "endpoint_pod_names" => k.endpoint_pod_names = true,
                    "fallthrough" => k.fallthrough = Some(args.iter().map(|z| fq(z)).collect()),
                    "ignore" => match args {
                        [e] if e == "empty_service" => k.ignore_empty_service = true,
                        _ => return Err(wrong_args(*line, "ignore")),
                    },
                    "namespaces" => {
                        if args.is_empty() {
                            return Err(wrong_args(*line, "namespaces"));
                        }
                        k.namespaces = args.to_vec();
                    }
                    // Accepted, no effect in the lab (API connection, label filters, transfer).
                    "endpoint"
                    | "tls"
                    | "kubeconfig"
                    | "labels"
                    | "namespace_labels"
                    | "noendpoints"
                    | "multicluster"
                    | "startup_timeout"
                    | "apiserver_qps"
                    | "apiserver_burst"
                    | "apiserver_max_inflight" => {}
                    other => return Err(err(*line, format_args!("unknown property '{other}'"))),
                }
            }
            block.kubernetes = Some(k);
        }
        "hosts" => {
            let mut h = HostsPlugin { ttl: 3600, ..Default::default() };
            // `hosts [FILE [ZONES...]]`: the file is not simulated (only inline entries are).
            let zones: Vec<String> = d.args.iter().skip(1).map(|z| fq(z)).collect();
            h.zones = if zones.is_empty() { block.zones.clone() } else { zones };
            for (line, words) in &d.block {
                match words.split_first() {
                    Some((o, a)) if o == "fallthrough" => h.fallthrough = Some(a.iter().map(|z| fq(z)).collect()),
                    Some((o, a)) if o == "ttl" => match a {
                        [t] => h.ttl = t.parse().map_err(|_| err(*line, format_args!("invalid ttl '{t}'")))?,
                        _ => return Err(wrong_args(*line, "ttl")),
                    },
                    Some((o, _)) if o == "reload" || o == "no_reverse" => {}
                    Some((ip, names)) if ip.parse::<std::net::IpAddr>().is_ok() => {
                        let ip = crate::net::canonical(ip).unwrap_or_else(|| ip.clone());
                        for n in names {
                            h.entries.push((fq(n), ip.clone()));
                        }
                    }
                    Some((o, _)) => return Err(err(*line, format_args!("unknown property '{o}'"))),
                    None => {}
                }
            }
            block.hosts = Some(h);
        }
        "forward" => {
            if d.args.len() < 2 {
                return Err(wrong_args(d.line, "forward"));
            }
            block.forward = Some(ForwardPlugin { from: fq(&d.args[0]), to: d.args[1..].to_vec() });
        }
        "loadbalance" => match d.args.as_slice() {
            [] => block.loadbalance = true,
            [p] if p == "round_robin" => block.loadbalance = true,
            [p, ..] => return Err(err(d.line, format_args!("unknown policy: {p}"))),
        },
        "log" => block.log = true,
        "errors" | "health" | "ready" | "prometheus" | "cache" | "loop" | "reload" | "debug" | "whoami" | "bind" => {}
        other => return Err(err(d.line, format_args!("Unknown directive '{other}'"))),
    }
    Ok(())
}

/// kubeadm's default Corefile for a cluster domain.
pub fn default_corefile(domain: &str) -> String {
    format!(
        ".:53 {{\n    errors\n    health {{\n       lameduck 5s\n    }}\n    ready\n    kubernetes {domain} in-addr.arpa ip6.arpa {{\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }}\n    prometheus :9153\n    forward . /etc/resolv.conf {{\n       max_concurrent 1000\n    }}\n    cache 30 {{\n       disable success {domain}\n       disable denial {domain}\n    }}\n    loop\n    reload\n    loadbalance\n}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubeadm_corefile_parses() {
        let cf = parse(&default_corefile("cluster.local")).unwrap();
        let s = cf.server_for("x.default.svc.cluster.local.").unwrap();
        let k = s.kubernetes.as_ref().unwrap();
        assert_eq!(k.zones, ["cluster.local.", "in-addr.arpa.", "ip6.arpa."]);
        assert_eq!((k.pods.as_str(), k.ttl), ("insecure", 30));
        assert!(k.falls_through("4.3.2.1.in-addr.arpa.") && !k.falls_through("x.cluster.local."));
        assert!(s.loadbalance && s.forward.is_some());
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            parse(".:53 {\n    kubernets cluster.local\n}\n").unwrap_err(),
            "/etc/coredns/Corefile:2 - Error during parsing: Unknown directive 'kubernets'"
        );
        assert_eq!(
            parse(".:53 {\n  errors\n").unwrap_err(),
            "/etc/coredns/Corefile:2 - Error during parsing: Unexpected EOF"
        );
    }
}
