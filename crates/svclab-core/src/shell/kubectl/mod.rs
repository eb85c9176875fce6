//! kubectl over the simulated API server: the verbs, their flags, and their output and errors
//! worded as kubectl prints them.

mod debug;
mod describe;
mod get;
mod mutate;
mod ops;
pub mod output;
pub mod table;
mod tabwriter;

pub use describe::describe;
pub use get::get;
pub use mutate::finish_edit;

use super::{Output, Session, Terminal};
use crate::api::*;
use crate::apply::apply_text;
use crate::cluster::Cluster;

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
    "--current",
    "--minify",
    "--raw",
    "--ignore-not-found",
    "--local",
    "--now",
    "--record",
    "--quiet",
    "-q",
    "--client",
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
                if let Some((k, v)) = w.split_once('=').filter(|(k, _)| k.starts_with("--") || k.len() == 2) {
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

/// The verbs this kubectl knows. `explain` and `debug` are not here: `explain` needs the
/// OpenAPI schema, and `debug` (ephemeral containers) belongs to the network tools.
pub const VERBS: &[&str] = &[
    "annotate",
    "api-resources",
    "apply",
    "cluster-info",
    "config",
    "create",
    "delete",
    "describe",
    "edit",
    "exec",
    "expose",
    "get",
    "label",
    "logs",
    "patch",
    "rollout",
    "run",
    "scale",
    "debug",
    "top",
    "version",
    "wait",
];

/// Resource names kubectl accepts (for "Did you mean" and completion).
pub const RESOURCES: &[&str] = &[
    "all",
    "configmaps",
    "deployments",
    "endpoints",
    "endpointslices",
    "events",
    "namespaces",
    "nodes",
    "pods",
    "replicasets",
    "services",
    "statefulsets",
];

/// The kind a resource argument names, or kubectl's error (with a suggestion when the
/// name is one typo away from a real one).
pub fn resource_kind(res: &str) -> Result<Kind, Output> {
    if let Some(k) = Kind::from_resource(res) {
        return Ok(k);
    }
    let mut msg = format!("error: the server doesn't have a resource type \"{res}\"\n");
    let lower = res.to_ascii_lowercase();
    if let Some(s) = RESOURCES
        .iter()
        .filter(|r| **r != "all" && **r != "events")
        .min_by_key(|r| edit_distance(r, &lower).min(edit_distance(r.trim_end_matches('s'), &lower)))
        .filter(|r| edit_distance(r, &lower).min(edit_distance(r.trim_end_matches('s'), &lower)) <= 2)
    {
        msg.push_str(&format!("\nDid you mean this?\n\t{s}\n"));
    }
    Err(Output::fail(msg, 1))
}

/// `-l` selector matching (`a=b`, `a!=b`, `a`, `!a`, comma-joined).
pub fn selector_matches(sel: Option<&str>, labels: &Labels) -> bool {
    get::label_filter(sel)(labels)
}

/// Move global flags written before the verb (`kubectl -n kube-system get pods`) after it.
fn hoist_global_flags(words: &[String]) -> Vec<String> {
    let mut flags = Vec::new();
    let mut i = 0;
    while i < words.len() && words[i].starts_with('-') && words[i] != "--" {
        let w = &words[i];
        flags.push(w.clone());
        if matches!(w.as_str(), "-n" | "--namespace" | "--context" | "--kubeconfig" | "--cluster" | "--user") {
            if let Some(v) = words.get(i + 1) {
                flags.push(v.clone());
                i += 1;
            }
        }
        i += 1;
    }
    let mut out: Vec<String> = words[i..].to_vec();
    if out.is_empty() {
        return flags;
    }
    // Insert before `--` so the flags stay kubectl's, not the command's.
    let at = out.iter().position(|w| w == "--").unwrap_or(out.len());
    for (j, f) in flags.into_iter().enumerate() {
        out.insert(at + j, f);
    }
    out
}

pub fn run(c: &mut Cluster, term: &mut Terminal, words: &[String], stdin: Option<String>) -> Output {
    let words = hoist_global_flags(words);
    let Some(verb) = words.first() else {
        return Output::ok(USAGE);
    };
    let args = Args::parse(&words[1..]);
    // `kubectl help` is cobra's help command: the same listing as `kubectl --help`.
    if args.has(&["-h", "--help"]) || verb == "help" || verb == "--help" || verb == "-h" {
        return Output::ok(USAGE);
    }
    let out = match verb.as_str() {
        "apply" => apply(c, term, &args, stdin),
        "get" => with_endpoints_warning(&args, get(c, term, &args)),
        "describe" => with_endpoints_warning(&args, describe(c, term, &args)),
        "run" => run_pod(c, term, &args),
        "delete" => mutate::delete(c, term, &args, stdin),
        "scale" => scale(c, term, &args),
        "create" => mutate::create(c, term, &args, stdin),
        "expose" => mutate::expose(c, term, &args),
        "label" => mutate::label(c, term, &args, "label"),
        "annotate" => mutate::label(c, term, &args, "annotate"),
        "patch" => mutate::patch(c, term, &args),
        "edit" => mutate::edit(c, term, &args, stdin),
        "exec" => ops::exec(c, term, &args),
        "logs" => ops::logs(c, term, &args),
        "wait" => ops::wait(c, term, &args),
        "rollout" => ops::rollout(c, term, &args),
        "config" => config(c, term, &args),
        "debug" => debug::debug(c, term, &args),
        "version" if args.has(&["--client"]) || args.value(&["--client"]) == Some("true") => {
            Output::ok("Client Version: v1.33.1\nKustomize Version: v5.6.0\n")
        }
        "version" => Output::ok("Client Version: v1.33.1\nKustomize Version: v5.6.0\nServer Version: v1.33.1\n"),
        "cluster-info" => ops::cluster_info(),
        "api-resources" => ops::api_resources(&args),
        // kind does not install metrics-server, so the Metrics API is not there.
        "top" => Output::fail("error: Metrics API not available\n", 1),
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

/// Kubernetes 1.33 deprecates core/v1 Endpoints: the API server attaches a warning to every
/// request for them, which kubectl prints first (KEP-4974).
fn with_endpoints_warning(args: &Args, mut out: Output) -> Output {
    // The resource is the first argument (`ep`, `svc,ep`) or any `TYPE/NAME` argument.
    let asks_endpoints = args.positional.iter().enumerate().any(|(i, p)| {
        (i == 0 || p.contains('/'))
            && p.split(',').any(|r| Kind::from_resource(r.split('/').next().unwrap_or("")) == Some(Kind::Endpoints))
    });
    if asks_endpoints {
        out.text
            .insert_str(0, "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n");
    }
    out
}

const USAGE: &str = "kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster

Basic Commands (Intermediate):
  get             Display one or many resources
  edit            Edit a resource on the server
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller

Cluster Management Commands:
  cluster-info    Display cluster information
  top             Display resource (CPU/memory) usage

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  exec            Execute a command in a container
  debug           Create debugging sessions for troubleshooting workloads and nodes

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource
  wait            Experimental: Wait for a specific condition on one or many resources

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource

Other Commands:
  api-resources   Print the supported API resources on the server
  config          Modify kubeconfig files
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]
";

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
        // `--dry-run=client|server`: apply to a copy of the cluster and say so on each line.
        let dry = match args.value(&["--dry-run"]) {
            Some("server") => Some(" (server dry run)"),
            Some("none") | Some("false") => None,
            Some(_) => Some(" (dry run)"),
            None if args.has(&["--dry-run"]) => Some(" (dry run)"),
            None => None,
        };
        let report = match dry {
            Some(_) => apply_text(&mut c.clone(), &text, &source, &ns),
            None => apply_text(c, &text, &source, &ns),
        };
        let mut text = report.output();
        if let Some(suffix) = dry {
            text = report
                .results
                .iter()
                .map(|r| if r.outcome.is_ok() { format!("{}{suffix}\n", r.text()) } else { format!("{}\n", r.text()) })
                .collect();
        }
        out.text.push_str(&text);
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
    match args.value(&["--labels", "-l"]) {
        Some(l) => {
            for kv in l.split(',') {
                if let Some((k, v)) = kv.split_once('=') {
                    labels.insert(k.to_string(), v.to_string());
                }
            }
        }
        None => {
            labels.insert("run".into(), name.clone());
        }
    }
    let ports = match args.value(&["--port"]).map(str::parse::<i32>) {
        None => Vec::new(),
        Some(Ok(p)) => vec![ContainerPort { name: None, container_port: p, protocol: "TCP".into() }],
        Some(Err(_)) => return Output::fail("error: invalid argument for \"--port\" flag\n", 1),
    };
    let pod = Pod {
        metadata: ObjectMeta { name: name.clone(), namespace: ns.clone(), labels, ..Default::default() },
        spec: PodSpec {
            containers: vec![Container {
                name: name.clone(),
                image: image.clone(),
                args: command.clone(),
                ports,
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
    if args.value(&["--dry-run"]).is_some() || args.has(&["--dry-run"]) {
        return match output::print_dry_run(&Object::Pod(pod), args.value(&["-o", "--output"])) {
            Ok(t) => Output::ok(t),
            Err(e) => Output::fail(format!("{e}\n"), 1),
        };
    }
    // The API server validates what `kubectl run` sends like any other create (a pod named
    // `é` is refused with the RFC 1123 message).
    let mut obj = Object::Pod(pod);
    let errs = crate::validation::validate(c, &mut obj, None);
    if !errs.is_empty() {
        return Output::fail(format!("{}\n", crate::validation::render_invalid(Kind::Pod, &name, &errs)), 1);
    }
    c.put(obj);
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
    // kubectl gives up attaching after --pod-running-timeout (1m by default).
    if c.get::<Pod>(&ns, &name).is_none_or(|p| p.status.phase == PodPhase::Pending) {
        let mut text = String::new();
        if rm {
            crate::controllers::delete_pod_now(c, &ns, &name);
            text.push_str(&format!("pod \"{name}\" deleted\n"));
        }
        text.push_str("error: timed out waiting for the condition\n");
        return Output::fail(text, 1);
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

/// Go's `strconv.ParseInt` error text for a flag value, as pflag prints it.
fn parse_int_error(v: &str) -> String {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    let kind = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        "value out of range"
    } else {
        "invalid syntax"
    };
    format!("strconv.ParseInt: parsing \"{v}\": {kind}")
}

fn scale(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let ns = args.namespace(term).to_string();
    let replicas = match args.value(&["--replicas"]).map(|r| (r, r.parse::<i32>())) {
        None => return Output::fail("error: required flag(s) \"replicas\" not set\n", 1),
        // pflag's int flag (`strconv.ParseInt` with bitSize 0) rejects what does not fit.
        Some((r, Err(_))) => {
            return Output::fail(
                format!("invalid argument \"{r}\" for \"--replicas\" flag: {}\n", parse_int_error(r)),
                1,
            )
        }
        Some((_, Ok(r))) => r,
    };
    if replicas < 0 {
        // kubectl checks this before it calls the server (scale.go `Validate`).
        return Output::fail(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n",
            1,
        );
    }
    let (res, name) = match args.positional.as_slice() {
        [one] if one.contains('/') => {
            one.split_once('/').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default()
        }
        [res, name] => (res.clone(), name.clone()),
        _ => return Output::fail("error: resource(s) were provided, but no name was specified\n", 1),
    };
    let Some(kind @ (Kind::Deployment | Kind::StatefulSet | Kind::ReplicaSet)) = Kind::from_resource(&res) else {
        return Output::fail(format!("error: no objects passed to scale\n{res}/{name} cannot be scaled\n"), 1);
    };
    match crate::update::scale(c, kind, &ns, &name, replicas) {
        Ok(line) => Output::ok(format!("{line}\n")),
        Err(e) => Output::fail(format!("{e}\n"), 1),
    }
}

/// `kubectl config`: the kubeconfig kind writes (`kind-<cluster>` context, cluster, user),
/// with the context's namespace from `set-context --current --namespace`.
fn config(c: &Cluster, term: &mut Terminal, args: &Args) -> Output {
    let ctx = format!("kind-{}", c.config.name);
    let words: Vec<&str> = args.positional.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["set-context", rest @ ..] => {
            let name = rest.first().copied();
            if !args.has(&["--current"]) && name != Some(ctx.as_str()) {
                return match name {
                    None => Output::fail("error: you must specify a non-empty context name or --current\n", 1),
                    Some(n) => Output::ok(format!("Context \"{n}\" created.\n")),
                };
            }
            if let Some(ns) = args.value(&["--namespace", "-n"]) {
                term.namespace = ns.to_string();
            }
            Output::ok(format!("Context \"{ctx}\" modified.\n"))
        }
        ["current-context"] => Output::ok(format!("{ctx}\n")),
        ["get-contexts", ..] => {
            let ns = if term.namespace == "default" { String::new() } else { term.namespace.clone() };
            Output::ok(table::render(&[
                vec!["CURRENT".into(), "NAME".into(), "CLUSTER".into(), "AUTHINFO".into(), "NAMESPACE".into()],
                vec!["*".into(), ctx.clone(), ctx.clone(), ctx.clone(), ns],
            ]))
        }
        ["view", ..] => {
            use crate::yaml::Node;
            let mut context = Node::map().with("cluster", Node::str(&ctx));
            if term.namespace != "default" {
                context.set("namespace", Node::str(&term.namespace));
            }
            context.set("user", Node::str(&ctx));
            let doc = Node::map()
                .with("apiVersion", Node::str("v1"))
                .with(
                    "clusters",
                    Node::seq(vec![Node::map()
                        .with(
                            "cluster",
                            Node::map()
                                .with("certificate-authority-data", Node::str("DATA+OMITTED"))
                                .with("server", Node::str("https://127.0.0.1:40443")),
                        )
                        .with("name", Node::str(&ctx))]),
                )
                .with("contexts", Node::seq(vec![Node::map().with("context", context).with("name", Node::str(&ctx))]))
                .with("current-context", Node::str(&ctx))
                .with("kind", Node::str("Config"))
                .with("preferences", Node::map())
                .with(
                    "users",
                    Node::seq(vec![Node::map().with("name", Node::str(&ctx)).with(
                        "user",
                        Node::map()
                            .with("client-certificate-data", Node::str("DATA+OMITTED"))
                            .with("client-key-data", Node::str("DATA+OMITTED")),
                    )]),
                );
            match args.value(&["-o", "--output"]).unwrap_or("yaml") {
                "yaml" => Output::ok(crate::yaml::to_yaml(&doc)),
                "json" => Output::ok(crate::yaml::to_json(&doc)),
                f => match f.strip_prefix("jsonpath=").map(|t| output::jsonpath(&doc, t)) {
                    Some(Ok(t)) => Output::ok(t),
                    Some(Err(e)) => Output::fail(format!("{e}\n"), 1),
                    None => Output::fail(format!("error: unable to match a printer suitable for the output format \"{f}\", allowed formats are: {}\n", output::FORMATS), 1),
                },
            }
        }
        [other, ..] => Output::fail(format!("error: unknown command \"{other}\" for \"kubectl config\"\n"), 1),
        [] => Output::fail("error: Required subcommand not specified.\nUse \"kubectl config set-context --current --namespace=NS\", \"kubectl config view --minify\".\n", 1),
    }
}

impl Terminal {
    /// Run a command given as words (no shell parsing), in the current session.
    pub fn run_words(&mut self, c: &mut Cluster, words: &[String]) -> Output {
        self.run_command(c, words, None)
    }

    /// Run words inside another pod for one command (`kubectl exec POD -- CMD`).
    pub fn run_words_in(&mut self, c: &mut Cluster, s: Session, words: &[String]) -> Output {
        let depth = self.sessions.len();
        self.push_session(s);
        let out = self.run_command(c, words, None);
        self.sessions.truncate(depth.max(1));
        out
    }

    /// Run a shell line inside another pod (`kubectl exec POD -- sh -c LINE`).
    pub fn run_line_in(&mut self, c: &mut Cluster, s: Session, line: &str) -> Output {
        let depth = self.sessions.len();
        self.push_session(s);
        let out = self.execute(c, line, None);
        self.sessions.truncate(depth.max(1));
        out
    }
}
