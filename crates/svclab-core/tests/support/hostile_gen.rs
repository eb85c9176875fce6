//! Hostile-input generators and the per-input check shared by `hostile_fuzz.rs` (a short run
//! in the normal test suite) and `fuzz_long.rs` (the long campaign). Each input must: not
//! panic; give every error diagnostic a position; keep the last good state when an apply
//! fails; and stay within a time and a memory budget (measured by a counting allocator, so
//! the input that broke it is printed with what it cost).

use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use svclab_core::apply::apply_text;
use svclab_core::{ClusterConfig, Lab};

/// Counts live heap bytes and their peak, so a budget can be checked per input.
pub struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

/// Generous budgets (CPU time; peak heap above what was live before): a debug build, far below what the bugs of issue 13
/// cost (gigabytes, tens of seconds).
pub const TIME_BUDGET: Duration = Duration::from_secs(20);
pub const MEMORY_BUDGET: usize = 512 << 20;

/// One hostile input.
#[derive(Clone, Debug)]
pub enum Input {
    /// A manifest for `apply_text`.
    Manifest(String),
    /// Terminal lines, as typed or pasted.
    Lines(Vec<String>),
}

impl Input {
    fn describe(&self) -> String {
        let cut = |s: &str| {
            if s.len() > 600 {
                format!("{}… ({} bytes)", s.chars().take(600).collect::<String>(), s.len())
            } else {
                s.to_string()
            }
        };
        match self {
            Input::Manifest(m) => format!("manifest {:?}", cut(m)),
            Input::Lines(l) => format!("lines {:?}", l.iter().map(|x| cut(x)).collect::<Vec<_>>()),
        }
    }
}

/// This thread's CPU time (Linux `schedstat`; wall time elsewhere): on a shared machine the
/// wall clock mostly measures the neighbours.
fn cpu_now() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .map(Duration::from_nanos)
        .unwrap_or_else(|| START.with(|s| s.elapsed()))
}

thread_local! {
    static START: Instant = Instant::now();
}

/// Run one input on a fresh lab and check the properties; `Err` names the input.
pub fn check(input: &Input) -> Result<(), String> {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let t = cpu_now();
    let res = catch_unwind(AssertUnwindSafe(|| run(input)));
    let took = cpu_now().saturating_sub(t);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    match res {
        Err(_) => Err(format!("panic on {}", input.describe())),
        Ok(Err(e)) => Err(format!("{e} on {}", input.describe())),
        Ok(Ok(())) if took > TIME_BUDGET => Err(format!("took {took:?} of CPU on {}", input.describe())),
        Ok(Ok(())) if peak > MEMORY_BUDGET => Err(format!("peak {} MiB on {}", peak >> 20, input.describe())),
        Ok(Ok(())) => Ok(()),
    }
}

fn run(input: &Input) -> Result<(), String> {
    let mut lab = Lab::new(ClusterConfig::default(), 7);
    match input {
        Input::Manifest(text) => {
            let before: Vec<_> = lab.cluster.objects().cloned().collect();
            let mut trial = lab.cluster.clone();
            let report = apply_text(&mut trial, text, "STDIN", "default");
            if let Some(d) = report.diagnostics.iter().find(|d| d.is_error() && d.pos.line == 0) {
                return Err(format!("error without a position: {}", d.message));
            }
            if !report.ok() && report.results.iter().all(|r| r.outcome.is_err()) {
                // Nothing applied: nothing in the store may differ but controller status.
                let after: Vec<_> = trial.objects().map(|o| (o.kind(), o.meta().name.clone())).collect();
                let before: Vec<_> = before.iter().map(|o| (o.kind(), o.meta().name.clone())).collect();
                if after != before {
                    return Err("a failed apply changed the store".into());
                }
            }
            if report.output().is_empty() {
                return Err("apply printed nothing".into());
            }
        }
        Input::Lines(lines) => {
            for l in lines {
                let _ = lab.input(l);
                let used: usize = lab.terminal.files.iter().map(|(k, v)| k.len() + v.len()).sum();
                if used > svclab_core::shell::MAX_FILES_BYTES {
                    return Err(format!("terminal files hold {used} bytes"));
                }
                if lab.terminal.history.len() > 2 * svclab_core::shell::HISTORY_KEEP {
                    return Err("history grew past its bound".into());
                }
            }
            lab.terminal.interrupt();
            if !matches!(lab.terminal.prompt(), "$ " | "/ # ") {
                return Err(format!("prompt {:?} after interrupt", lab.terminal.prompt()));
            }
        }
    }
    Ok(())
}

/// Sizes scale with `scale` (1 in the short run, larger in the long campaign).
pub fn large_map(scale: usize) -> impl Strategy<Value = Input> {
    (1..2_000 * scale, 0..2_000 * scale, any::<bool>()).prop_map(|(keys, len, dup)| {
        let mut m = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n");
        let v = "v".repeat(len);
        for i in 0..keys {
            m += &format!("  k{i}: {v}\n");
        }
        if dup {
            m += "  k0: again\n";
        }
        Input::Manifest(m)
    })
}

pub fn large_string(scale: usize) -> impl Strategy<Value = Input> {
    (
        0..400_000 * scale,
        prop::sample::select(vec![
            "data:\n  k: ",
            "metadata:\n  name: x\n  annotations:\n    a: ",
            "metadata:\n  name: ",
        ]),
    )
        .prop_map(|(len, at)| {
            Input::Manifest(format!("apiVersion: v1\nkind: ConfigMap\n{at}\"{}\"\n", "s".repeat(len)))
        })
}

pub fn alias_bombs(scale: usize) -> impl Strategy<Value = Input> {
    (1..300_000 * scale, 1..2_000 * scale, any::<bool>()).prop_map(|(len, refs, nested)| {
        let mut m =
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  k0: &a {}\n", "x".repeat(len));
        if nested {
            m += "  l1: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n  l2: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n";
        }
        for i in 1..refs {
            m += &format!("  k{i}: *{}\n", if nested && i % 2 == 0 { "c" } else { "a" });
        }
        Input::Manifest(m)
    })
}

pub fn bulk_documents(scale: usize) -> impl Strategy<Value = Input> {
    (1..500 * scale, any::<bool>()).prop_map(|(n, broken)| {
        let mut m = String::new();
        for i in 0..n {
            m += &format!(
                "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  ports:\n  - port: {}\n",
                1 + i % 65535
            );
        }
        if broken {
            m += "---\nkind: [\n";
        }
        Input::Manifest(m)
    })
}

/// Redirect loops and heredocs: files feeding each other until the lab's disk is full.
pub fn redirect_loops(scale: usize) -> impl Strategy<Value = Input> {
    let step = prop::sample::select(vec![
        "echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx > f",
        "cat f >> f",
        "cat f f f f >> g",
        "cat g g g g > f",
        "cat f g >> g",
        "cat g >> f || echo full",
        "cat f | cat | cat >> h",
        "cat h h h h h h h h > f",
        "rm g",
        "history",
        "cat < f > g",
        "cat > f << EOF",
        "EOF",
    ]);
    prop::collection::vec(step, 1..60 * scale).prop_map(|v| Input::Lines(v.into_iter().map(String::from).collect()))
}

/// Workloads at the lab's limits, then an hour of simulated time.
pub fn scale_then_an_hour() -> impl Strategy<Value = Input> {
    (
        0..=1000usize,
        0..3usize,
        prop::sample::select(vec![
            "sleep 600",
            "kubectl rollout status deploy/d0",
            "kubectl wait --for=condition=Ready pod --all --timeout=600s",
            "kubectl get pods -w",
        ]),
    )
        .prop_map(|(replicas, extra, wait)| {
            let mut l = vec![format!("kubectl create deployment d0 --image=nginx --replicas={replicas}")];
            for i in 1..=extra {
                l.push(format!("kubectl create deployment d{i} --image=nginx --replicas=1000"));
            }
            l.push(wait.to_string());
            l.extend(std::iter::repeat_n("sleep 600".to_string(), 5));
            Input::Lines(l)
        })
}

/// Manifests as a link carries them: valid ones cut, bytes flipped, percent- and
/// base64-looking noise, decoded lossily as the page decodes a parameter.
pub fn link_like_manifests() -> impl Strategy<Value = Input> {
    const M: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n";
    (prop::collection::vec((0..M.len(), any::<u8>()), 0..20), 0..=M.len(), prop::collection::vec(any::<u8>(), 0..200))
        .prop_map(|(flips, cut, noise)| {
            let mut b = M.as_bytes()[..cut].to_vec();
            for (i, v) in flips {
                if i < b.len() {
                    b[i] = v;
                }
            }
            b.extend(noise);
            Input::Manifest(String::from_utf8_lossy(&b).into_owned())
        })
}

/// Pastes: many lines at once, long lines, heredocs that never close, control characters.
pub fn pastes(scale: usize) -> impl Strategy<Value = Input> {
    (1..2_000 * scale, 0..20_000 * scale, "[\\x00-\\x1f\\x7f\\u{2028}a-z <>|&;]{0,40}").prop_map(|(n, long, junk)| {
        let mut l = vec!["cat > p.yaml << EOF".to_string()];
        l.extend((0..n).map(|i| format!("line {i} {junk}")));
        l.push("x".repeat(long));
        l.push(format!("echo {junk} > j"));
        Input::Lines(l)
    })
}
