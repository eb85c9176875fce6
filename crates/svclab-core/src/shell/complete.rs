//! Tab completion for the browser terminal: commands, kubectl verbs, resource types, object
//! names (from the cluster, in the namespace the line would act on), flags, namespaces,
//! output formats and terminal files. Pure: reads the cluster and the terminal, changes
//! nothing. Candidates come back sorted and deduplicated, each the whole line with its last
//! word completed, so a single candidate can replace the input as is.

use super::kubectl::{RESOURCES, VERBS};
use super::Terminal;
use crate::api::Kind;
use crate::cluster::Cluster;

const COMMANDS: &[&str] = &[
    "cat", "clear", "curl", "dig", "echo", "exit", "grep", "head", "help", "history", "host", "hostname", "kind",
    "kubectl", "ls", "nslookup", "rm", "sleep", "tail", "wc", "wget",
];

const SHORT_NAMES: &[&str] = &["cm", "deploy", "ep", "no", "ns", "po", "rs", "sts", "svc"];

const FORMATS: &[&str] = &["json", "jsonpath=", "name", "wide", "yaml"];

/// Flags worth offering per verb (kubectl's common ones).
fn flags(verb: &str) -> &'static [&'static str] {
    match verb {
        "get" => &[
            "--all-namespaces",
            "--namespace",
            "--no-headers",
            "--output",
            "--selector",
            "--show-labels",
            "--watch",
            "-A",
            "-l",
            "-n",
            "-o",
            "-w",
        ],
        "describe" => &["--namespace", "--selector", "-l", "-n"],
        "delete" => &[
            "--all",
            "--filename",
            "--force",
            "--grace-period=",
            "--namespace",
            "--selector",
            "--wait=false",
            "-f",
            "-l",
            "-n",
        ],
        "apply" | "create" => &["--filename", "--namespace", "-f", "-n", "--image", "--replicas", "--port", "--tcp="],
        "run" => &["--image", "--labels", "--port", "--restart=Never", "--rm", "-it", "--"],
        "exec" => &["--container", "--namespace", "-c", "-it", "-n", "--"],
        "logs" => &["--container", "--namespace", "-c", "-n"],
        "scale" => &["--namespace", "--replicas", "-n"],
        "expose" => &["--cluster-ip=None", "--name", "--port", "--protocol", "--target-port", "--type"],
        "label" | "annotate" => &["--all", "--namespace", "--overwrite", "--selector", "-l", "-n"],
        "patch" => &["--namespace", "--patch", "--type", "-n", "-p"],
        "wait" => {
            &["--all", "--for=condition=Ready", "--for=delete", "--namespace", "--selector", "--timeout", "-l", "-n"]
        }
        "config" => &["--current", "--minify", "--namespace"],
        _ => &["--namespace", "-n"],
    }
}

/// Complete the last word of `line`.
pub fn complete(c: &Cluster, term: &Terminal, line: &str) -> Vec<String> {
    let ends_with_space = line.ends_with(char::is_whitespace);
    let mut words: Vec<&str> = line.split_whitespace().collect();
    let current = if ends_with_space || words.is_empty() { "" } else { words.pop().unwrap_or("") };
    let prefix_len = line.len() - current.len();
    let head = line.get(..prefix_len).unwrap_or("");
    let candidates = candidates(c, term, &words, current);
    let mut out: Vec<String> =
        candidates.into_iter().filter(|w| w.starts_with(current)).map(|w| format!("{head}{w}")).collect();
    out.sort();
    out.dedup();
    out
}

fn candidates(c: &Cluster, term: &Terminal, words: &[&str], current: &str) -> Vec<String> {
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let Some(cmd) = words.first() else { return own(COMMANDS) };
    let files = || term.files.keys().cloned().collect::<Vec<_>>();
    if !matches!(*cmd, "kubectl" | "k") {
        return match *cmd {
            "cat" | "rm" => files(),
            _ => Vec::new(),
        };
    }
    let prev = words.last().copied().unwrap_or("");
    // The namespace the line acts in, for object names.
    let ns = words
        .windows(2)
        .find(|w| w[0] == "-n" || w[0] == "--namespace")
        .map(|w| w[1].to_string())
        .unwrap_or_else(|| term.namespace.clone());
    match prev {
        "-n" | "--namespace" => {
            return c.list::<crate::api::Namespace>(None).map(|n| n.metadata.name.clone()).collect()
        }
        "-o" | "--output" => return own(FORMATS),
        "-f" | "--filename" => {
            let mut f = files();
            f.push("-".into());
            return f;
        }
        "--type" if words.contains(&"expose") => return own(&["ClusterIP", "LoadBalancer", "NodePort"]),
        "--type" => return own(&["json", "merge", "strategic"]),
        _ => {}
    }
    // Words after `kubectl`, without flags and their values.
    let mut positional: Vec<&str> = Vec::new();
    let mut skip = false;
    for w in &words[1..] {
        if skip {
            skip = false;
            continue;
        }
        if w.starts_with('-') {
            skip =
                matches!(*w, "-n" | "--namespace" | "-o" | "--output" | "-l" | "-f" | "-c" | "--image" | "--replicas");
            continue;
        }
        positional.push(w);
    }
    let Some(verb) = positional.first().copied() else {
        return if current.starts_with('-') { own(&["--namespace", "-n"]) } else { own(VERBS) };
    };
    if current.starts_with('-') {
        return own(flags(verb));
    }
    let args = &positional[1..];
    let resources = || {
        let mut r = own(RESOURCES);
        r.extend(own(SHORT_NAMES));
        r
    };
    let names_of = |kind: Kind, prefix: &str| -> Vec<String> {
        let list_ns = if kind.namespaced() { Some(ns.as_str()) } else { None };
        c.objects()
            .filter(|o| o.kind() == kind && list_ns.is_none_or(|n| o.meta().namespace == n))
            .map(|o| format!("{prefix}{}", o.meta().name))
            .collect()
    };
    // `TYPE/na` completes to `TYPE/name`.
    if let Some((res, _)) = current.split_once('/') {
        return Kind::from_resource(res).map(|k| names_of(k, &format!("{res}/"))).unwrap_or_default();
    }
    match verb {
        "get" | "describe" | "delete" | "edit" | "label" | "annotate" | "patch" | "scale" | "expose" | "wait" => {
            match args.first() {
                None => resources(),
                Some(res) if !res.contains('/') => {
                    Kind::from_resource(res).map(|k| names_of(k, "")).unwrap_or_default()
                }
                Some(_) => Vec::new(),
            }
        }
        "exec" | "logs" if args.is_empty() => names_of(Kind::Pod, ""),
        "rollout" => match args {
            [] => own(&["restart", "status"]),
            [_] => {
                let mut v = names_of(Kind::Deployment, "deployment/");
                v.extend(names_of(Kind::StatefulSet, "statefulset/"));
                v.extend(names_of(Kind::DaemonSet, "daemonset/"));
                v
            }
            _ => Vec::new(),
        },
        "create" => match args {
            [] => own(&["deployment", "namespace", "service"]),
            ["service" | "svc"] => own(&["clusterip", "externalname", "loadbalancer", "nodeport"]),
            _ => Vec::new(),
        },
        "config" if args.is_empty() => own(&["current-context", "get-contexts", "set-context", "view"]),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::ClusterConfig;

    #[test]
    fn completes_commands_verbs_resources_names_and_flags() {
        let c = Cluster::new(ClusterConfig::default(), 1);
        let t = Terminal::new();
        let cases: &[(&str, &[&str])] = &[
            ("kub", &["kubectl"]),
            ("kubectl desc", &["kubectl describe"]),
            ("kubectl get se", &["kubectl get services"]),
            ("kubectl get svc ku", &["kubectl get svc kubernetes"]),
            ("kubectl -n kube-system get svc ", &["kubectl -n kube-system get svc kube-dns"]),
            ("kubectl get pods -n kube-s", &["kubectl get pods -n kube-system"]),
            ("kubectl get pods --sh", &["kubectl get pods --show-labels"]),
            ("kubectl get svc -o ya", &["kubectl get svc -o yaml"]),
            ("kubectl describe svc/kub", &["kubectl describe svc/kubernetes"]),
            ("kubectl create service n", &["kubectl create service nodeport"]),
            ("kubectl rollout st", &["kubectl rollout status"]),
            ("nothing-here ", &[]),
            ("kubectl get\tsv", &["kubectl get\tsvc"]),
        ];
        for (line, want) in cases {
            assert_eq!(complete(&c, &t, line), want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{line}");
        }
    }
}
