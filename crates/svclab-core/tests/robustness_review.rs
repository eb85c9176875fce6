//! Robustness on user numbers and names: huge replica counts, out-of-range flags and non-ASCII
//! names get kubectl's/the API server's error (or the lab's documented limit) instead of a hang,
//! a panic or a silently stored object.
use svclab_core::{ClusterConfig, Lab};

/// Runs `lines` in a fresh lab and checks the last line's output contains `want`.
fn check(lines: &[&str], want: &str) {
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    let mut last = String::new();
    for l in lines {
        last = lab.input(l).map(|o| o.text).unwrap_or_default();
    }
    assert!(last.contains(want), "{lines:?}\n--- got\n{last}\n--- want (substring)\n{want}");
}

#[test]
fn replica_counts_are_bounded_with_clear_errors() {
    let mk = "kubectl create deployment web --image=nginx";
    let cases: &[(&[&str], &str)] = &[
        (
            // kubectl create_deployment.go wraps the server's error: `failed to create deployment: %v`.
            &["kubectl create deployment big --image=nginx --replicas=99999999"],
            "error: failed to create deployment: Deployment.apps \"big\" is invalid: spec.replicas: Invalid value: 99999999: must be less than or equal to 1000",
        ),
        (
            &[mk, "kubectl scale deploy/web --replicas=10000000"],
            "The Deployment \"web\" is invalid: spec.replicas: Invalid value: 10000000: must be less than or equal to 1000",
        ),
        (
            &[mk, "kubectl scale deploy/web --replicas=99999999999"],
            "invalid argument \"99999999999\" for \"--replicas\" flag: strconv.ParseInt: parsing \"99999999999\": value out of range",
        ),
        (
            &[mk, "kubectl scale deploy/web --replicas=abc"],
            "invalid argument \"abc\" for \"--replicas\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax",
        ),
        (
            &[mk, "kubectl scale deploy/web --replicas=-1"],
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ),
        (&[mk, "kubectl scale deploy/web --replicas=3", "kubectl get deploy web"], "0/3"),
        (
            &[mk, "kubectl patch deploy web -p '{\"spec\":{\"replicas\":5000}}'"],
            "spec.replicas: Invalid value: 5000: must be less than or equal to 1000",
        ),
    ];
    for (lines, want) in cases {
        check(lines, want);
    }
}

#[test]
fn kubectl_run_is_validated_like_any_create() {
    let cases: &[(&[&str], &str)] = &[
        (&["kubectl run é --image=nginx"], "The Pod \"é\" is invalid: \n* metadata.name: Invalid value: \"é\": a lowercase RFC 1123 subdomain"),
        (&["kubectl run web --image=nginx --port=99999"], "The Pod \"web\" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 99999: must be between 1 and 65535, inclusive"),
        (&["kubectl run é --image=nginx", "kubectl get pods"], "No resources found in default namespace."),
        (&["kubectl run web --image=nginx"], "pod/web created"),
    ];
    for (lines, want) in cases {
        check(lines, want);
    }
}

/// Runs `f` on a thread with a small stack, as in the browser (wasm's stack is 1 MiB; half of
/// that leaves room for the callers).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(f)
        .map(|h| h.join())
        .ok()
        .and_then(Result::ok)
        .expect("no stack overflow or panic")
}

#[test]
fn deep_nesting_and_alias_bombs_are_refused() {
    let n = 10_000;
    let bomb = {
        let mut s = String::from(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n",
        );
        for i in 1..12 {
            let p = i - 1;
            s.push_str(&format!("  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        s
    };
    let cases: Vec<(String, &str)> = vec![
        (format!("{}{}", "[".repeat(n), "]".repeat(n)), "yaml: line 1: recursion limit exceeded"),
        (format!("a: {}1{}", "{a: ".repeat(n), "}".repeat(n)), "yaml: line 1: exceeded max depth of 100"),
        (
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {}1{}\n",
                "[".repeat(n),
                "]".repeat(n)
            ),
            "yaml: line 5: recursion limit exceeded",
        ),
        ((0..n).map(|i| format!("{}- \n", " ".repeat(i))).collect(), "yaml: line 101: exceeded max depth of 100"),
        (bomb, "excessive aliasing"),
    ];
    for (text, want) in cases {
        let out = on_small_stack(move || {
            let mut c = svclab_core::Cluster::new(ClusterConfig::default(), 1);
            svclab_core::apply::apply_text(&mut c, &text, "deep.yaml", "default").output()
        });
        assert!(out.contains(want), "want {want}, got {}", out.chars().take(300).collect::<String>());
    }
}

/// Commands that let simulated time pass stop at `MAX_ADVANCE_MS` (ten minutes), so a huge
/// number cannot freeze the tab, and `sleep` says so.
#[test]
fn time_passing_commands_are_bounded() {
    let cases: &[(&[&str], &str)] = &[
        (&["sleep 1e300"], "sleep: Service Lab lets at most 600s pass per command; slept 600s\n"),
        (&["sleep 99999999"], "slept 600s"),
        (&["sleep 65535", "kubectl get pod toolbox -n lab"], "11m"),
        (&["sleep abc"], "sleep: invalid number 'abc'\n"),
        (&["sleep -1"], "sleep: invalid number '-1'\n"),
        (
            &[
                "kubectl run never --image=nginx --restart=Never --labels=x=y --port=1 --dry-run=none",
                "kubectl wait --for=delete pod/toolbox -n lab --timeout=9999999h",
            ],
            "timed out waiting for the condition",
        ),
    ];
    for (lines, want) in cases {
        let t = std::time::Instant::now();
        check(lines, want);
        assert!(t.elapsed() < std::time::Duration::from_secs(60), "{lines:?} took {:?}", t.elapsed());
    }
}

/// `hostname`, `cat /etc/hostname` and `cat /etc/hosts` agree with the kubelet: a hostNetwork
/// pod has its node's name; other pods get the kubelet-managed hosts file.
#[test]
fn pod_hostname_and_hosts_files_match_the_kubelet() {
    let hostnet = "kubectl apply -f - << EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: hn\nspec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: busybox\nEOF";
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    for l in hostnet.lines() {
        lab.input(l);
    }
    lab.input("sleep 5");
    let node = lab.input("kubectl get pod hn -o jsonpath={.spec.nodeName}").map(|o| o.text).unwrap_or_default();
    assert!(node.starts_with("kind-"), "{node}");
    let got = lab.exec("default", "hn", "hostname").text;
    assert_eq!(got, format!("{node}\n"));
    assert_eq!(lab.exec("default", "hn", "cat /etc/hostname").text, format!("{node}\n"));
    let ip =
        lab.input("kubectl get pod toolbox -n lab -o jsonpath={.status.podIP}").map(|o| o.text).unwrap_or_default();
    let hosts = lab.exec("lab", "toolbox", "cat /etc/hosts").text;
    assert_eq!(
        hosts,
        format!("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{ip}\ttoolbox\n")
    );
}

/// `kubectl help` lists exactly the verbs the lab's kubectl runs.
#[test]
fn kubectl_help_lists_every_verb() {
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    let help = lab.input("kubectl help").map(|o| o.text).unwrap_or_default();
    let listed: Vec<&str> = help
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| *w != "kubectl")
        .collect();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    let mut verbs: Vec<&str> = svclab_core::shell::kubectl::VERBS.to_vec();
    verbs.sort();
    assert_eq!(listed_sorted, verbs, "{help}");
    for v in listed {
        let out = lab.input(&format!("kubectl {v} --help-probe")).map(|o| o.text).unwrap_or_default();
        assert!(!out.contains("unknown command"), "{v}: {out}");
    }
}
