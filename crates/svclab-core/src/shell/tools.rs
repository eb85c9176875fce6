//! Commands other than kubectl: busybox applets, DNS tools, files, `sleep`, `kind`.
//! Which tools a pod has depends on its image, as in a real cluster: busybox has
//! busybox's `nslookup` and `wget` but no `curl` or `dig`; the toolbox has them all.

use super::{Output, Terminal};
use crate::api::Pod;
use crate::cluster::{Cluster, ClusterConfig};
use crate::dns::resolver::{self, ResolvConf};
use crate::dns::DnsClient;

/// The family of tools an image carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Toolset {
    /// The lab's toolbox: everything.
    Toolbox,
    /// busybox up to 1.28.4: the nslookup that honours the search list.
    Busybox128,
    /// busybox 1.29 and later: the rewritten nslookup.
    BusyboxNew,
    /// dnsutils images: bind's nslookup, dig, host.
    Dnsutils,
    /// Anything else (nginx, app images): a plain shell.
    Other,
}

pub fn toolset(image: &str) -> Toolset {
    // One image-reference parser for the lab (traffic::app): registry, digest and tag aside.
    let repo = crate::traffic::app::image_repo(image);
    let tag = crate::traffic::app::image_tag(image);
    let base = repo.rsplit('/').next().unwrap_or(&repo);
    if image == crate::controllers::TOOLBOX_IMAGE {
        return Toolset::Toolbox;
    }
    match base {
        "busybox" => {
            let mut parts = tag.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
            let (maj, min) = (parts.next().unwrap_or(99), parts.next().unwrap_or(99));
            if tag == "latest" || (maj, min) >= (1, 29) {
                Toolset::BusyboxNew
            } else {
                Toolset::Busybox128
            }
        }
        "dnsutils" | "jessie-dnsutils" | "netshoot" => Toolset::Dnsutils,
        _ => Toolset::Other,
    }
}

/// The pod the terminal is in, and how its resolver is set up.
pub fn client_context(c: &Cluster, term: &Terminal) -> (DnsClient, ResolvConf) {
    let s = term.session();
    let pod: Option<&Pod> = c.get::<Pod>(&s.namespace, &s.pod);
    let client = DnsClient {
        namespace: s.namespace.clone(),
        pod: s.pod.clone(),
        ip: pod.and_then(|p| p.status.pod_ip.clone()).unwrap_or_default(),
    };
    let mut rc = pod.map(|p| resolver::resolv_conf(c, p)).unwrap_or_default();
    if s.is_toolbox() {
        // The toolbox stands in for the learner's workstation: its search list follows the
        // kubectl context's namespace, so short names resolve where kubectl looks.
        let zone = &c.config.dns_domain;
        rc.searches = vec![format!("{}.svc.{zone}", term.namespace), format!("svc.{zone}"), zone.clone()];
    }
    (client, rc)
}

pub fn run(c: &mut Cluster, term: &mut Terminal, cmd: &str, args: &[String], stdin: Option<String>) -> Output {
    let tools = toolset(&term.session().image);
    match cmd {
        "help" => Output::ok(super::HELP),
        "echo" => {
            let (newline, words) = match args.first().map(String::as_str) {
                Some("-n") => (false, &args[1..]),
                _ => (true, args),
            };
            Output::ok(format!("{}{}", words.join(" "), if newline { "\n" } else { "" }))
        }
        "true" => Output::ok(""),
        "false" => Output::fail("", 1),
        "pwd" => Output::ok("/\n"),
        "ls" => {
            let names: Vec<&String> = term.files.keys().collect();
            Output::ok(if names.is_empty() {
                String::new()
            } else {
                format!("{}\n", names.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("  "))
            })
        }
        "cat" => cat(c, term, args, stdin),
        "rm" => {
            let mut out = Output::default();
            for f in args.iter().filter(|a| !a.starts_with('-')) {
                if term.files.remove(f).is_none() && !args.iter().any(|a| a == "-f") {
                    out = Output::fail(format!("rm: can't remove '{f}': No such file or directory\n"), 1);
                }
            }
            out
        }
        "grep" => grep(args, stdin),
        "head" | "tail" => {
            let n = args
                .iter()
                .position(|a| a == "-n")
                .and_then(|i| args.get(i + 1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(10usize);
            let text = stdin.unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let picked: Vec<&str> = if cmd == "head" {
                lines.iter().take(n).copied().collect()
            } else {
                lines.iter().rev().take(n).rev().copied().collect()
            };
            Output::ok(picked.iter().map(|l| format!("{l}\n")).collect::<String>())
        }
        "wc" => {
            let text = stdin.unwrap_or_default();
            Output::ok(format!("{}\n", text.lines().count()))
        }
        "sleep" => match args.first().and_then(|a| parse_duration_secs(a)) {
            Some(secs) => {
                let ms = (secs * 1000.0) as u64;
                c.advance(ms.min(super::MAX_ADVANCE_MS));
                if ms > super::MAX_ADVANCE_MS {
                    // Say so rather than pretend the whole time passed.
                    let max = super::MAX_ADVANCE_MS / 1000;
                    return Output::ok(format!(
                        "sleep: Service Lab lets at most {max}s pass per command; slept {max}s\n"
                    ));
                }
                Output::ok("")
            }
            None => Output::fail(format!("sleep: invalid number '{}'\n", args.first().map_or("", |a| a.as_str())), 1),
        },
        "hostname" => super::dnstools::hostname(c, term, args),
        "nslookup" | "dig" | "host" => {
            super::dnstools::run(c, term, cmd, tools, args).unwrap_or_else(|| not_found(cmd))
        }
        "sh" | "/bin/sh" | "bash" | "/bin/bash" | "ash" => Output::ok(""),
        _ => super::nettools::run(c, term, cmd, args).unwrap_or_else(|| not_found(cmd)),
    }
}

fn not_found(cmd: &str) -> Output {
    Output::fail(format!("sh: {cmd}: not found\n"), 127)
}

fn parse_duration_secs(s: &str) -> Option<f64> {
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1.0),
        'm' => (&s[..s.len() - 1], 60.0),
        'h' => (&s[..s.len() - 1], 3600.0),
        _ => (s, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v * mult)
}

fn cat(c: &Cluster, term: &Terminal, args: &[String], stdin: Option<String>) -> Output {
    if args.is_empty() {
        return Output::ok(stdin.unwrap_or_default());
    }
    let mut out = Output::default();
    for f in args {
        if f == "/etc/resolv.conf" {
            let (_, rc) = client_context(c, term);
            out.text.push_str(&rc.render());
        } else if let Some(pod) = matches!(f.as_str(), "/etc/hostname" | "/etc/hosts")
            .then(|| c.get::<Pod>(&term.session().namespace, &term.session().pod))
            .flatten()
        {
            // The same names `hostname` prints (hostNetwork pods: the node's; spec §5).
            let text = if f == "/etc/hostname" {
                Some(format!("{}\n", resolver::pod_uts_hostname(c, pod)))
            } else {
                resolver::pod_hosts_file(c, pod)
            };
            match text {
                Some(t) => out.text.push_str(&t),
                None => {
                    out.text.push_str(&format!("cat: can't open '{f}': No such file or directory\n"));
                    out.exit_code = 1;
                }
            }
        } else if f == "/etc/hostname" {
            out.text.push_str(&format!("{}\n", term.session().pod));
        } else if let Some(t) = term.files.get(f) {
            out.text.push_str(t);
        } else {
            out.text.push_str(&format!("cat: can't open '{f}': No such file or directory\n"));
            out.exit_code = 1;
        }
    }
    out
}

fn grep(args: &[String], stdin: Option<String>) -> Output {
    let invert = args.iter().any(|a| a == "-v");
    let ignore_case = args.iter().any(|a| a == "-i");
    let Some(pat) = args.iter().find(|a| !a.starts_with('-')) else {
        return Output::fail("Usage: grep [-iv] PATTERN\n", 2);
    };
    let pat_cmp = if ignore_case { pat.to_lowercase() } else { pat.clone() };
    let text = stdin.unwrap_or_default();
    let hits: String = text
        .lines()
        .filter(|l| {
            let l = if ignore_case { l.to_lowercase() } else { l.to_string() };
            l.contains(&pat_cmp) != invert
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let code = if hits.is_empty() { 1 } else { 0 };
    Output { text: hits, exit_code: code, ..Default::default() }
}

/// `kind create cluster --config FILE` (and `kind delete cluster`): start over.
pub fn kind(c: &mut Cluster, term: &mut Terminal, args: &[String]) -> Output {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["create", "cluster", rest @ ..] => {
            let config_file = rest.iter().position(|a| *a == "--config").and_then(|i| rest.get(i + 1)).copied();
            let cfg = match config_file {
                Some(f) => {
                    let Some(text) = term.files.get(f) else {
                        return Output::fail(format!("ERROR: failed to create cluster: error reading file: open {f}: no such file or directory\n"), 1);
                    };
                    let (cfg, diags) = ClusterConfig::from_kind_yaml(text);
                    if let Some(d) = diags.iter().find(|d| d.is_error()) {
                        return Output::fail(format!("{}\n", d.message), 1);
                    }
                    cfg
                }
                None => ClusterConfig {
                    nodes: ClusterConfig::default().nodes.into_iter().take(1).collect(),
                    ..Default::default()
                },
            };
            let seed = c.with_rng(|r| r.u64(..));
            let name = cfg.name.clone();
            *c = Cluster::new(cfg, seed);
            term.namespace = "default".into();
            Output::ok(format!(
                "Creating cluster \"{name}\" ...\n ✓ Ensuring node image (kindest/node:{v}) 🖼\n ✓ Preparing nodes 📦\n ✓ Writing configuration 📜\n ✓ Starting control-plane 🕹️\n ✓ Installing CNI 🔌\n ✓ Installing StorageClass 💾\nSet kubectl context to \"kind-{name}\"\nYou can now use your cluster with:\n\nkubectl cluster-info --context kind-{name}\n\nHave a nice day! 👋\n",
                v = crate::controllers::KUBERNETES_VERSION
            ))
        }
        ["get", "clusters"] => Output::ok(format!("{}\n", c.config.name)),
        _ => Output::fail("ERROR: unknown command; try: kind create cluster --config FILE\n", 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The toolset of an image comes from the same image-reference parser as traffic's (registry,
    /// `library/`, tag and digest aside).
    #[test]
    fn toolset_reads_image_references_like_traffic() {
        let cases: &[(&str, Toolset)] = &[
            ("busybox:1.28", Toolset::Busybox128),
            ("docker.io/library/busybox:1.28.3", Toolset::Busybox128),
            ("busybox", Toolset::BusyboxNew),
            ("busybox@sha256:0123456789abcdef", Toolset::BusyboxNew),
            ("busybox:1.36@sha256:0123456789abcdef", Toolset::BusyboxNew),
            ("registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3", Toolset::Dnsutils),
            ("localhost:5000/busybox:1.28", Toolset::Busybox128),
            ("nginx", Toolset::Other),
        ];
        for (image, want) in cases {
            assert_eq!(toolset(image), *want, "{image}");
        }
    }
}
