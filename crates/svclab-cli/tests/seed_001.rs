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

/// stdout, stderr and exit code of `svclab ARGS` with `stdin`.
fn svclab_io(args: &[&str], stdin: &str) -> (String, String, i32) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_svclab"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run svclab");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("wait svclab");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn every_example_gives_the_same_transcript_twice() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 2, "{scripts:?}");
    for s in &scripts {
        let path = s.to_string_lossy().into_owned();
        for seed in ["1", "42"] {
            let a = svclab_io(&["run", "--seed", seed, &path], "");
            let b = svclab_io(&["run", "--seed", seed, &path], "");
            assert_eq!(a, b, "{path} with seed {seed} differs between runs");
            assert!(!a.0.is_empty(), "{path}: empty transcript");
        }
    }
}

#[test]
fn help_documents_seed_and_exit_statuses() {
    let (out, _, code) = svclab_io(&["--help"], "");
    assert_eq!(code, 0);
    for want in ["--seed N", "the same seed and script always", "exit status: 0", "1 --strict", "2 bad arguments"] {
        assert!(out.contains(want), "{want} not in\n{out}");
    }
    let (_, err, code) = svclab_io(&["run", "--seed", "x", "-"], "");
    assert_eq!(code, 2);
    assert!(err.starts_with("svclab: --seed needs a whole number\nusage:"), "{err}");
}

#[test]
fn script_errors_are_reported_with_their_lines() {
    let script = "echo hi\nnosuchcmd\n# a comment\ncat > f << EOF\na: 1\n";
    let cases: &[(&[&str], i32)] = &[(&["run", "-"], 0), (&["run", "--strict", "-"], 1)];
    for (args, want_code) in cases {
        let (out, err, code) = svclab_io(args, script);
        assert_eq!(code, *want_code, "{args:?}\n{err}");
        assert!(out.ends_with("$ cat > f << EOF\n> a: 1\n"), "{out}");
        assert_eq!(
            err,
            "svclab: <stdin>:2: exit status 127: sh: nosuchcmd: not found\n\
             svclab: <stdin>:4: here-document at line 4 delimited by end-of-file (wanted `EOF'); command not run\n"
        );
    }
}
