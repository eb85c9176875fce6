//! Long-running grammar fuzzer (ignored by default): random command lines built from every
//! kubectl verb, resource, flag, shell tool and odd values (huge and negative numbers, unicode,
//! empty strings, half-quoted words), plus mutated manifests piped to `kubectl apply`. Each
//! session runs on a 1 MiB stack (wasm's) and every line must finish without a panic within 15 s of (debug-build) wall
//! time. Run: `FUZZ_SECS=300 cargo test --test fuzz_long -- --ignored`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};
use svclab_core::{ClusterConfig, Lab};

/// A small deterministic generator (the fuzzer's seed is printed, so any failure replays).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const VERBS: &[&str] = &[
    "get",
    "describe",
    "apply",
    "create",
    "delete",
    "scale",
    "run",
    "exec",
    "logs",
    "edit",
    "patch",
    "label",
    "annotate",
    "expose",
    "rollout",
    "wait",
    "config",
    "version",
    "cluster-info",
    "api-resources",
    "top",
    "debug",
    "explain",
    "help",
    "set",
    "port-forward",
    "cp",
    "attach",
    "auth",
    "",
];
const RESOURCES: &[&str] = &[
    "pods",
    "po",
    "svc",
    "service",
    "deploy",
    "deployment",
    "deployments.apps",
    "sts",
    "rs",
    "ep",
    "endpoints",
    "endpointslices",
    "nodes",
    "node/kind-worker",
    "ns",
    "cm",
    "events",
    "all",
    "pod/toolbox",
    "deploy/web",
    "svc/web",
    "namespace",
    "clusterip",
    "nodeport",
    "externalname",
    "loadbalancer",
    "status",
    "restart",
    "history",
    "view",
    "set-context",
    "get-contexts",
    "current-context",
    "web",
    "toolbox",
    "coredns",
    "kube-dns",
];
const FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "-A",
    "--all-namespaces",
    "-l",
    "--selector",
    "-o",
    "--output",
    "-w",
    "--watch",
    "--show-labels",
    "--replicas",
    "-r",
    "--image",
    "--port",
    "--target-port",
    "--type",
    "--name",
    "--tcp",
    "--cluster-ip",
    "--external-name",
    "-p",
    "--patch",
    "--for",
    "--timeout",
    "--all",
    "--force",
    "--grace-period",
    "--overwrite",
    "-f",
    "--filename",
    "--restart",
    "--rm",
    "-it",
    "-i",
    "--tail",
    "--since",
    "--sort-by",
    "--field-selector",
    "--dry-run",
    "--current",
    "--labels",
    "--context",
    "-c",
    "--container",
    "--to-revision",
    "--local",
    "--env",
    "--previous",
    "--watch-only",
    "-L",
    "--output-watch-events",
    "--raw",
];
const VALUES: &[&str] = &[
    "0",
    "1",
    "-1",
    "3",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483649",
    "99999999",
    "9999999999",
    "99999999999999999999999",
    "1e300",
    "-0",
    "0x10",
    "nan",
    "inf",
    "",
    "é",
    "日本",
    "🙂",
    "a=b",
    "a-",
    "a!=b",
    "app in (a,b)",
    "!app",
    "yaml",
    "json",
    "wide",
    "name",
    "jsonpath={.items[*].metadata.name}",
    "jsonpath={.items[99999999999].x}",
    "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}",
    "jsonpath={.a[",
    "jsonpath={..}",
    "go-template={{.}}",
    "custom-columns=N:.metadata.name",
    "1s",
    "2m",
    "999999999h",
    "-5s",
    "1.5s",
    "condition=Ready",
    "delete",
    "condition=",
    "{\"spec\":{\"replicas\":99999}}",
    "{\"spec\":{\"ports\":[{\"port\":99999999}]}}",
    "[{\"op\":\"remove\",\"path\":\"/spec\"}]",
    "[[[[[[[",
    "{",
    "NodePort",
    "ClusterIP",
    "None",
    "LoadBalancer",
    "ExternalName",
    "80:3000",
    "80",
    "http",
    "-",
    "kube-system",
    "default",
    "lab",
    "ü-ns",
    "A",
    "nginx",
    "busybox:1.28",
    "a/b/c",
    ".",
    "..",
    "/",
    "''",
    "'",
    "\"",
    "\\",
    "$HOME",
    "`x`",
    "*",
    "?",
    "%",
    "--",
    "-- sh",
    "-- nslookup web",
];
const TOOLS: &[&str] = &[
    "nslookup",
    "dig",
    "host",
    "curl",
    "wget",
    "head",
    "tail",
    "sleep",
    "cat",
    "echo",
    "hostname",
    "grep",
    "wc",
    "ls",
    "rm",
    "pwd",
    "true",
    "false",
    "iptables-save",
    "ipvsadm",
    "nft",
    "help",
    "history",
    "clear",
    "exit",
    "kind",
    "busybox",
    "sh",
    "env",
    "ping",
    "nc",
    "seq",
    "yes",
    "ip",
    "ss",
    "printf",
];
const TOOL_ARGS: &[&str] = &[
    "web",
    "web.default",
    "web.default.svc.cluster.local",
    "kubernetes.default",
    "-type=srv",
    "-type=a",
    "-t",
    "SRV",
    "+short",
    "+search",
    "+all",
    "-x",
    "10.96.0.10",
    "10.96.0.1",
    "http://web",
    "http://web:80/",
    "http://web:99999999999/",
    "http://[::1",
    "http://é/",
    "https://web",
    "-m",
    "-T",
    "-n",
    "-c",
    "-v",
    "-s",
    "-qO-",
    "-O",
    "--max-time",
    "--timeout",
    "1e300",
    "99999999999999",
    "9999999999",
    "-99",
    "/etc/hosts",
    "/etc/resolv.conf",
    "/etc/hostname",
    "app.yaml",
    "nope",
    "-L",
    "-t nat",
    "--list",
    "ruleset",
    "ndots:5",
    "éé",
    "日本.svc",
    "a..b",
    ".",
    "-",
    "x",
    "127.0.0.1",
    "kind-worker",
    "-l",
    "2>&1",
];
const GLUE: &[&str] = &[" | ", " && ", " || ", " ; ", " > out.txt", " >> out.txt", " 2>&1", " < app.yaml", " &"];

fn value(r: &mut Rng) -> String {
    match r.below(10) {
        0 => "x".repeat(r.below(300)),
        1 => format!("{}", r.next()),
        2 => format!("-{}", r.next() % 1_000_000_000_000),
        3 => "é".repeat(1 + r.below(40)),
        _ => r.pick(VALUES).to_string(),
    }
}

fn kubectl_line(r: &mut Rng) -> String {
    let mut w = vec!["kubectl".to_string(), r.pick(VERBS).to_string()];
    for _ in 0..r.below(6) {
        match r.below(4) {
            0 => w.push(r.pick(RESOURCES).to_string()),
            1 => {
                let f = r.pick(FLAGS);
                if r.below(2) == 0 {
                    w.push(format!("{f}={}", value(r)));
                } else {
                    w.push(f.to_string());
                    w.push(value(r));
                }
            }
            2 => w.push(value(r)),
            _ => w.push(r.pick(FLAGS).to_string()),
        }
    }
    w.join(" ")
}

fn tool_line(r: &mut Rng) -> String {
    let mut w = vec![r.pick(TOOLS).to_string()];
    for _ in 0..r.below(5) {
        w.push(if r.below(3) == 0 { value(r) } else { r.pick(TOOL_ARGS).to_string() });
    }
    w.join(" ")
}

fn line(r: &mut Rng) -> String {
    let mut l = if r.below(2) == 0 { kubectl_line(r) } else { tool_line(r) };
    if r.below(4) == 0 {
        l.push_str(r.pick(GLUE));
        l.push_str(&if r.below(2) == 0 { tool_line(r) } else { kubectl_line(r) });
    }
    l
}

const MANIFEST: &str = include_str!("fixtures/manifests/every_kind_created.yaml");

/// A manifest with a few random lines replaced by odd values.
fn manifest(r: &mut Rng) -> String {
    let mut lines: Vec<String> = MANIFEST.lines().map(String::from).collect();
    for _ in 0..1 + r.below(4) {
        let i = r.below(lines.len());
        let indent: String = lines[i].chars().take_while(|c| *c == ' ').collect();
        let key = lines[i].trim_start().split(':').next().unwrap_or("").to_string();
        lines[i] = match r.below(4) {
            0 => format!("{indent}{key}: {}", value(r)),
            1 => format!("{indent}{key}: {}", r.next()),
            2 => format!("{indent}{}: x", value(r)),
            _ => String::new(),
        };
    }
    lines.join("\n")
}

/// Runs one session of `n` lines from `seed`; returns the first failure.
fn session(seed: u64, n: usize) -> Result<(), String> {
    let mut r = Rng(seed | 1);
    let mut lab = Lab::new(ClusterConfig::default(), seed);
    let mut history = Vec::new();
    for _ in 0..n {
        let mut lines = Vec::new();
        match r.below(12) {
            0 => {
                lines.push("kubectl apply -f - << EOF".to_string());
                lines.extend(manifest(&mut r).lines().map(String::from));
                lines.push("EOF".to_string());
            }
            1 => lines.push(format!("kubectl exec -it {} -- sh", r.pick(&["toolbox", "web", "x"]))),
            2 => lines.push("kubectl create deployment web --image=nginx --replicas=2".to_string()),
            3 => lines.push("kubectl expose deploy web --port=80".to_string()),
            _ => lines.push(line(&mut r)),
        }
        for l in lines {
            history.push(l.clone());
            let t = Instant::now();
            let res = catch_unwind(AssertUnwindSafe(|| {
                let _ = lab.complete(&l);
                lab.input(&l)
            }));
            if res.is_err() {
                return Err(format!("seed {seed}: panic on {l:?}\nhistory: {history:#?}"));
            }
            if t.elapsed() > Duration::from_secs(15) {
                return Err(format!("seed {seed}: {l:?} took {:?}", t.elapsed()));
            }
        }
        if r.below(8) == 0 {
            lab.terminal.interrupt();
        }
    }
    Ok(())
}

#[test]
#[ignore = "long-running fuzzer; run with --ignored (FUZZ_SECS, FUZZ_SEED)"]
fn grammar_fuzz_terminal_and_manifests() {
    let secs: u64 = std::env::var("FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let first: u64 = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let deadline = Instant::now() + Duration::from_secs(secs);
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let mut seed = first;
    while Instant::now() < deadline && failures.len() < 20 {
        let s = seed;
        let res = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || session(s, 40))
            .map(|h| h.join().unwrap_or_else(|_| Err(format!("seed {s}: thread died"))));
        match res {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(e),
            Err(e) => failures.push(format!("seed {s}: spawn {e}")),
        }
        seed += 1;
    }
    let _ = std::panic::take_hook();
    eprintln!("fuzzed {} sessions", seed - first);
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
}

#[path = "support/hostile_gen.rs"]
mod hostile_gen;

#[global_allocator]
static ALLOC: hostile_gen::Counting = hostile_gen::Counting;

/// The hostile-input campaign (issue 13): every generator of `support/hostile_gen.rs` at up to
/// `FUZZ_SCALE` (default 4) times the short run's sizes, round-robin until `FUZZ_SECS` (default
/// 60) pass; each input is checked for panics, positions, the last good state, CPU time and
/// peak memory, and the first failure of each target is printed with its input.
/// Run: `FUZZ_SECS=600 cargo test -p svclab-core --release --test fuzz_long hostile -- --ignored --nocapture`.
#[test]
#[ignore = "long-running fuzzer; run with --ignored (FUZZ_SECS, FUZZ_SCALE)"]
fn hostile_campaign() {
    use hostile_gen::*;
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    let secs: u64 = std::env::var("FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let scale: usize = std::env::var("FUZZ_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(4);
    type Gen = Box<dyn Fn(&mut TestRunner) -> Input>;
    fn gen<S: Strategy<Value = Input> + 'static>(s: S) -> Gen {
        Box::new(move |r| s.new_tree(r).map(|t| t.current()).unwrap_or(Input::Lines(vec![])))
    }
    let targets: Vec<(&str, Gen)> = vec![
        ("large_map", gen(large_map(scale))),
        ("large_string", gen(large_string(scale))),
        ("alias_bombs", gen(alias_bombs(scale))),
        ("bulk_documents", gen(bulk_documents(scale))),
        ("redirect_loops", gen(redirect_loops(scale))),
        ("scale_then_an_hour", gen(scale_then_an_hour())),
        ("link_like_manifests", gen(link_like_manifests())),
        ("pastes", gen(pastes(scale))),
    ];
    let mut runner = TestRunner::deterministic();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut stats: Vec<(usize, Duration, Option<String>)> = vec![(0, Duration::ZERO, None); targets.len()];
    while Instant::now() < deadline {
        for (i, (_, g)) in targets.iter().enumerate() {
            if Instant::now() >= deadline {
                break;
            }
            let input = g(&mut runner);
            let t = Instant::now();
            let res = check(&input);
            stats[i].0 += 1;
            stats[i].1 += t.elapsed();
            if let (Err(e), None) = (res, &stats[i].2) {
                stats[i].2 = Some(e);
            }
        }
    }
    let mut failed = Vec::new();
    for ((name, _), (n, spent, err)) in targets.iter().zip(&stats) {
        eprintln!("{name}: {n} inputs in {spent:.1?}: {}", err.as_deref().unwrap_or("no failure"));
        if let Some(e) = err {
            failed.push(format!("{name}: {e}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
