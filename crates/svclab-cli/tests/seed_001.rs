//! The seed 001 session through the real `svclab` binary: same commands, output of the same
//! shape as the blog post.

use std::process::Command;

fn svclab(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_svclab"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run svclab");
    (String::from_utf8_lossy(&out.stdout).into_owned(), out.status.code().unwrap_or(-1))
}

#[test]
fn seed_001_session_prints_the_seeds_shapes() {
    let (out, code) = svclab(&["run", "--strict", "../../examples/seed-001.sh"]);
    assert_eq!(code, 0, "{out}");
    // kubectl get all: five Running pods with Deployment-shaped names.
    let pods: Vec<&str> = out.lines().filter(|l| l.starts_with("pod/api-deployment-")).collect();
    assert_eq!(pods.len(), 5, "{out}");
    for p in &pods {
        let name = p.split_whitespace().next().unwrap().trim_start_matches("pod/");
        let rest = name.strip_prefix("api-deployment-").unwrap();
        let (hash, suffix) = rest.split_once('-').unwrap();
        assert!(hash.chars().all(|c| "456789bcdf".contains(c)), "{hash}");
        assert!(suffix.len() == 5 && suffix.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)), "{suffix}");
        assert!(p.contains("1/1     Running"), "{p}");
    }
    assert!(out.contains("NAME                       TYPE        CLUSTER-IP"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("service/headless-service") && l.contains(" None ")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("deployment.apps/api-deployment") && l.contains("5/5")), "{out}");
    // nslookup in busybox 1.28: one ClusterIP for the normal Service, five pod IPs for the headless one.
    let normal = out.split("/ # nslookup normal-service\n").nth(1).unwrap().split("/ # ").next().unwrap();
    assert!(normal.starts_with("Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      normal-service\nAddress 1: 10."), "{normal}");
    assert!(!normal.contains("Address 2:"), "{normal}");
    let headless = out.split("/ # nslookup headless-service\n").nth(1).unwrap().split("/ # ").next().unwrap();
    assert!(headless.contains("Address 5: 10.244."), "{headless}");
    assert!(headless.contains(".headless-service.default.svc.cluster.local"), "{headless}");
    assert!(out.ends_with("/ # exit\npod \"test\" deleted\n"), "{out}");
}

#[test]
fn same_seed_same_transcript() {
    let a = svclab(&["run", "--seed", "7", "../../examples/seed-001.sh"]).0;
    let b = svclab(&["run", "--seed", "7", "../../examples/seed-001.sh"]).0;
    let c = svclab(&["run", "--seed", "8", "../../examples/seed-001.sh"]).0;
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn bad_arguments_exit_2_with_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_svclab")).args(["run"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: svclab"));
}

#[test]
fn version_flag_prints_the_version() {
    let (out, code) = svclab(&["--version"]);
    assert_eq!(code, 0);
    assert_eq!(out, format!("svclab {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn interactive_mode_reads_lines_from_stdin() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_svclab"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn svclab");
    child.stdin.take().unwrap().write_all(b"kubectl get ns default\nexit\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("$ NAME      STATUS   AGE\ndefault   Active   "), "{text}");
}

#[test]
fn kubectl_tour_runs_without_errors() {
    let (out, code) = svclab(&["run", "--strict", "../../examples/kubectl-tour.sh"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("$ kubectl describe svc web\nName:                     web\n"), "{out}");
    assert!(out.contains("deployment \"web\" successfully rolled out\n"), "{out}");
}
