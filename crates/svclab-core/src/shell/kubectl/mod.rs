//! kubectl over the simulated API server: the verbs, their flags, and their output and errors
//! worded as kubectl prints them.

mod get;
pub mod table;

pub use get::get;

use super::{Output, Session, Terminal};
use crate::api::*;
use crate::apply::apply_text;
use crate::cluster::{Cluster, ObjKey};

/// Flags and positional arguments of one kubectl invocation.
#[derive(Clone, Debug, Default)]
pub struct Args {
    pub positional: Vec<String>,
    pub flags: Vec<(String, Option<String>)>,
    /// Everything after `--`.
    pub command: Vec<String>,
}

/// Flags that never take a value (so `-it` and `--rm` don't swallow the next word).
const BOOL_FLAGS: &[&str] = &[
    "-i",
    "-t",
    "-it",
    "-ti",
    "--stdin",
    "--tty",
    "--rm",
    "-A",
    "--all-namespaces",
    "--all",
    "--show-labels",
    "-w",
    "--watch",
    "--wait",
    "--force",
    "--overwrite",
    "--no-headers",
    "--dry-run",
    "-h",
    "--help",
    "--recursive",
    "-R",
];

impl Args {
    pub fn parse(words: &[String]) -> Args {
        let mut a = Args::default();
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            if w == "--" {
                a.command = words[i + 1..].to_vec();
                break;
            }
            if w.starts_with('-') && w.len() > 1 {
                if let Some((k, v)) = w.split_once('=') {
                    a.flags.push((k.to_string(), Some(v.to_string())));
                } else if BOOL_FLAGS.contains(&w.as_str()) {
                    a.flags.push((w.clone(), None));
                } else if let Some(short) = w.strip_prefix('-').filter(|s| {
                    !s.starts_with('-') && s.len() > 1 && !matches!(s.chars().next(), Some('n' | 'o' | 'l' | 'f' | 'c'))
                }) {
                    // Combined short flags (`-it`).
                    for ch in short.chars() {
                        a.flags.push((format!("-{ch}"), None));
                    }
                } else if let Some(short) = w.strip_prefix('-').filter(|s| !s.starts_with('-') && s.len() > 1) {
                    // `-nkube-system`, `-owide`.
                    a.flags.push((w[..2].to_string(), Some(short[1..].to_string())));
                } else {
                    let v = words.get(i + 1).cloned();
                    a.flags.push((w.clone(), v));
                    i += 1;
                }
            } else {
                a.positional.push(w.clone());
            }
            i += 1;
        }
        a
    }

    pub fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|(k, _)| names.contains(&k.as_str()))
    }

    pub fn value(&self, names: &[&str]) -> Option<&str> {
        self.flags.iter().rev().find(|(k, _)| names.contains(&k.as_str())).and_then(|(_, v)| v.as_deref())
    }

    pub fn values(&self, names: &[&str]) -> Vec<&str> {
        self.flags.iter().filter(|(k, _)| names.contains(&k.as_str())).filter_map(|(_, v)| v.as_deref()).collect()
    }

    /// The namespace to act in: `-n`, else the context's.
    pub fn namespace<'a>(&'a self, term: &'a Terminal) -> &'a str {
        self.value(&["-n", "--namespace"]).unwrap_or(&term.namespace)
    }
}

pub const VERBS: &[&str] = &[
    "apply",
    "create",
    "get",
    "describe",
    "delete",
    "scale",
    "run",
    "exec",
    "logs",
    "edit",
    "patch",
    "label",
    "expose",
    "rollout",
    "wait",
    "config",
    "version",
    "cluster-info",
    "api-resources",
    "explain",
    "debug",
    "top",
    "annotate",
];

pub fn run(c: &mut Cluster, term: &mut Terminal, words: &[String], stdin: Option<String>) -> Output {
    let Some(verb) = words.first() else {
        return Output::ok("kubectl controls the Kubernetes cluster manager.\n\nBasic Commands: create, expose, run, get, edit, delete, apply, scale, exec, describe\n\nUsage:\n  kubectl [flags] [options]\n");
    };
    let args = Args::parse(&words[1..]);
    let out = match verb.as_str() {
        "apply" => apply(c, term, &args, stdin),
        "get" => get(c, term, &args),
        "run" => run_pod(c, term, &args),
        "delete" => delete(c, term, &args),
        "scale" => scale(c, term, &args),
        "config" => config(term, &args),
        "version" => Output::ok("Client Version: v1.33.1\nKustomize Version: v5.6.0\nServer Version: v1.33.1\n"),
        v if VERBS.contains(&v) => {
            Output::fail(format!("error: \"kubectl {v}\" is not available in this lab yet\n"), 1)
        }
        other => {
            let suggestion =
                VERBS.iter().min_by_key(|v| edit_distance(v, other)).filter(|v| edit_distance(v, other) <= 2);
            let mut msg = format!("error: unknown command \"{other}\" for \"kubectl\"\n");
            if let Some(s) = suggestion {
                msg.push_str(&format!("\nDid you mean this?\n\t{s}\n"));
            }
            Output::fail(msg, 1)
        }
    };
    c.settle();
    out
}

/// Levenshtein distance, for "Did you mean this?".
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn apply(c: &mut Cluster, term: &mut Terminal, args: &Args, stdin: Option<String>) -> Output {
    let files = args.values(&["-f", "--filename"]);
    if files.is_empty() {
        return Output::fail("error: must specify one of -f and -k\n", 1);
    }
    let ns = args.namespace(term).to_string();
    let mut out = Output::default();
    for f in files {
        let (text, source) = if f == "-" {
            (stdin.clone().unwrap_or_default(), "STDIN".to_string())
        } else {
            match term.files.get(f) {
                Some(t) => (t.clone(), f.to_string()),
                None => {
                    out.text.push_str(&format!("error: the path \"{f}\" does not exist\n"));
                    out.exit_code = 1;
                    continue;
                }
            }
        };
        let report = apply_text(c, &text, &source, &ns);
        out.text.push_str(&report.output());
        if !report.ok() {
            out.exit_code = 1;
        }
    }
    out
}

/// `kubectl run NAME --image IMG [--restart=Never] [--rm] [-it] [-- CMD...]`.
fn run_pod(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let Some(name) = args.positional.first().cloned() else {
        return Output::fail("error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n", 1);
    };
    let Some(image) = args.value(&["--image"]).map(str::to_string) else {
        return Output::fail("error: required flag(s) \"image\" not set\n", 1);
    };
    let ns = args.namespace(term).to_string();
    if c.get::<Pod>(&ns, &name).is_some() {
        return Output::fail(format!("Error from server (AlreadyExists): pods \"{name}\" already exists\n"), 1);
    }
    let interactive = args.has(&["-i", "--stdin", "-it", "-ti"]);
    let rm = args.has(&["--rm"]);
    // `kubectl run ... /bin/sh` (without `--`) passes the extra words as args too.
    let mut command: Vec<String> = args.positional[1..].to_vec();
    command.extend(args.command.iter().cloned());
    let restart = args.value(&["--restart"]).unwrap_or("Always").to_string();
    let mut labels = Labels::new();
    labels.insert("run".into(), name.clone());
    let pod = Pod {
        metadata: ObjectMeta { name: name.clone(), namespace: ns.clone(), labels, ..Default::default() },
        spec: PodSpec {
            containers: vec![Container {
                name: name.clone(),
                image: image.clone(),
                args: command.clone(),
                image_pull_policy: Some("IfNotPresent".into()),
                stdin: interactive,
                tty: interactive,
                ..Default::default()
            }],
            restart_policy: Some(restart),
            ..Default::default()
        },
        status: Default::default(),
    };
    c.put(Object::Pod(pod));
    c.settle();
    if !interactive {
        return Output::ok(format!("pod/{name} created\n"));
    }
    // Wait (in simulated time) for the container to run, as kubectl attaches.
    for _ in 0..600 {
        if c.get::<Pod>(&ns, &name).is_some_and(|p| p.status.phase != PodPhase::Pending) {
            break;
        }
        c.advance(crate::cluster::TICK_MS);
    }
    let is_shell = command.is_empty()
        || command.iter().any(|w| matches!(w.as_str(), "sh" | "/bin/sh" | "bash" | "/bin/bash" | "ash"));
    if is_shell {
        term.push_session(Session { namespace: ns, pod: name, image, remove_on_exit: rm });
        return Output::ok("If you don't see a command prompt, try pressing enter.\n");
    }
    // A one-shot command: run it in the pod, print its output, then clean up with --rm.
    term.push_session(Session { namespace: ns.clone(), pod: name.clone(), image, remove_on_exit: rm });
    let mut out = term.run_words(c, &command);
    let exit = term.run_words(c, &["exit".to_string()]);
    out.text.push_str(&exit.text);
    out
}

fn delete(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let ns = args.namespace(term).to_string();
    let mut targets: Vec<(Kind, String)> = Vec::new();
    let mut pos = args.positional.iter();
    let mut out = Output::default();
    while let Some(first) = pos.next() {
        if let Some((res, name)) = first.split_once('/') {
            match Kind::from_resource(res) {
                Some(k) => targets.push((k, name.to_string())),
                None => return Output::fail(format!("error: the server doesn't have a resource type \"{res}\"\n"), 1),
            }
            continue;
        }
        let Some(kind) = Kind::from_resource(first) else {
            return Output::fail(format!("error: the server doesn't have a resource type \"{first}\"\n"), 1);
        };
        for n in pos.by_ref() {
            targets.push((kind, n.clone()));
        }
    }
    if targets.is_empty() {
        return Output::fail("error: resource(s) were provided, but no name was specified\n", 1);
    }
    let grace = args.value(&["--grace-period"]).and_then(|g| g.parse::<i64>().ok());
    let force = args.has(&["--force"]);
    for (kind, name) in targets {
        let key = ObjKey::new(kind, &ns, &name);
        if !c.exists(&key) {
            out.text.push_str(&format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.resource()));
            out.exit_code = 1;
            continue;
        }
        out.text.push_str(&format!("{} \"{name}\" deleted\n", kind.qualified()));
        crate::controllers::delete_object(c, kind, &ns, &name, if force { Some(0) } else { grace });
    }
    out
}

fn scale(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let ns = args.namespace(term).to_string();
    let Some(replicas) = args.value(&["--replicas"]).and_then(|r| r.parse::<i32>().ok()) else {
        return Output::fail("error: required flag(s) \"replicas\" not set\n", 1);
    };
    let (res, name) = match args.positional.as_slice() {
        [one] if one.contains('/') => {
            one.split_once('/').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default()
        }
        [res, name] => (res.clone(), name.clone()),
        _ => return Output::fail("error: resource(s) were provided, but no name was specified\n", 1),
    };
    let kind = Kind::from_resource(&res);
    let ok = match kind {
        Some(Kind::Deployment) => c.get_mut::<Deployment>(&ns, &name).map(|d| d.spec.replicas = replicas).is_some(),
        Some(Kind::StatefulSet) => c.get_mut::<StatefulSet>(&ns, &name).map(|d| d.spec.replicas = replicas).is_some(),
        Some(Kind::ReplicaSet) => c.get_mut::<ReplicaSet>(&ns, &name).map(|d| d.spec.replicas = replicas).is_some(),
        _ => return Output::fail(format!("error: no objects passed to scale\n{res}/{name} cannot be scaled\n"), 1),
    };
    let kind = kind.unwrap_or(Kind::Deployment);
    if !ok {
        return Output::fail(format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.resource()), 1);
    }
    Output::ok(format!("{}/{name} scaled\n", kind.qualified()))
}

fn config(term: &mut Terminal, args: &Args) -> Output {
    let words: Vec<&str> = args.positional.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["set-context", ..] if args.has(&["--current"]) => match args.value(&["--namespace"]) {
            Some(ns) => {
                term.namespace = ns.to_string();
                Output::ok("Context \"kind-kind\" modified.\n")
            }
            None => Output::ok("Context \"kind-kind\" modified.\n"),
        },
        ["current-context"] => Output::ok("kind-kind\n"),
        ["view", ..] if args.value(&["--minify", "-o", "--output"]).is_some() || args.has(&["--minify"]) => {
            Output::ok(format!("{}\n", term.namespace))
        }
        _ => {
            Output::fail("error: unknown config command; try: kubectl config set-context --current --namespace=NS\n", 1)
        }
    }
}

impl Terminal {
    /// Run a command given as words (no shell parsing), in the current session.
    pub fn run_words(&mut self, c: &mut Cluster, words: &[String]) -> Output {
        self.run_command(c, words, None)
    }
}
