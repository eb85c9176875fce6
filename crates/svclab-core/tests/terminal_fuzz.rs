//! Robustness: arbitrary lines and random sequences of plausible (valid and mangled) commands
//! fed to `Terminal::input` never panic, and the terminal always comes back to a sane prompt
//! (`$ `, `/ # `, or `> ` only while a heredoc is open; `interrupt` always closes it).

use proptest::prelude::*;
use svclab_core::{ClusterConfig, Lab};

const WORDS: &[&str] = &[
    "kubectl",
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
    "status",
    "restart",
    "wait",
    "config",
    "set-context",
    "view",
    "version",
    "cluster-info",
    "api-resources",
    "top",
    "pods",
    "po",
    "svc",
    "services",
    "deploy",
    "deployment",
    "sts",
    "rs",
    "ep",
    "endpointslices",
    "nodes",
    "ns",
    "cm",
    "events",
    "all",
    "api",
    "web",
    "x",
    "test",
    "deploy/api",
    "pod/x",
    "svc/api",
    "-n",
    "kube-system",
    "-A",
    "-l",
    "app=api",
    "-o",
    "yaml",
    "json",
    "wide",
    "name",
    "jsonpath={.items[*].metadata.name}",
    "jsonpath={range .items[*]}{.x}{end}",
    "jsonpath={.a[",
    "--show-labels",
    "-w",
    "--replicas",
    "3",
    "-1",
    "--replicas=0",
    "--image",
    "nginx",
    "busybox:1.28.3",
    "--restart=Never",
    "--rm",
    "-it",
    "--",
    "sh",
    "/bin/sh",
    "exit",
    "hostname",
    "nslookup",
    "sleep",
    "1",
    "--port",
    "80",
    "--target-port",
    "3000",
    "--type",
    "NodePort",
    "--cluster-ip=None",
    "--name",
    "--tcp=80:3000",
    "clusterip",
    "nodeport",
    "externalname",
    "--external-name",
    "example.com",
    "namespace",
    "-p",
    "{\"spec\":{\"type\":\"NodePort\"}}",
    "--type=json",
    "[{\"op\":\"remove\",\"path\":\"/spec\"}]",
    "--type=merge",
    "--for=condition=Ready",
    "--for=delete",
    "--timeout=2s",
    "--all",
    "--force",
    "--grace-period=0",
    "--overwrite",
    "a=b",
    "a-",
    "-f",
    "-",
    "app.yaml",
    "<<",
    "EOF",
    "|",
    "grep",
    "wc",
    "-l",
    "head",
    "&&",
    ";",
    ">",
    "out.txt",
    "cat",
    "echo",
    "ls",
    "rm",
    "'",
    "\"",
    "\\",
    "history",
    "clear",
    "help",
    "--current",
    "--namespace=dev",
];

const MANIFEST: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n      - name: api\n        image: nginx\n        ports:\n        - containerPort: 3000\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n  - port: 80\n    targetPort: 3000\n";

fn sane(lab: &Lab) -> bool {
    matches!(lab.terminal.prompt(), "$ " | "/ # " | "> ")
}

fn feed(lab: &mut Lab, line: &str) {
    let _ = lab.input(line);
    assert!(sane(lab), "prompt {:?} after {line:?}", lab.terminal.prompt());
}

fn setup() -> Lab {
    setup_with(3)
}

fn setup_with(seed: u64) -> Lab {
    let mut lab = Lab::new(ClusterConfig::default(), seed);
    feed(&mut lab, "cat > app.yaml << EOF");
    for l in MANIFEST.lines() {
        feed(&mut lab, l);
    }
    feed(&mut lab, "EOF");
    feed(&mut lab, "kubectl apply -f app.yaml");
    lab
}

fn line_from(idx: Vec<usize>) -> String {
    idx.into_iter().map(|i| WORDS[i % WORDS.len()]).collect::<Vec<_>>().join(" ")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_lines_never_panic(lines in prop::collection::vec(".{0,80}", 1..8)) {
        let mut lab = setup();
        for l in &lines {
            // Completion reads the same lines (as typed so far) and must not panic either.
            let _ = svclab_core::shell::complete(&lab.cluster, &lab.terminal, l);
            feed(&mut lab, l);
        }
        lab.terminal.interrupt();
        prop_assert!(matches!(lab.terminal.prompt(), "$ " | "/ # "));
    }

    #[test]
    fn plausible_command_sequences_never_panic(
        seed in 0u64..1000,
        seq in prop::collection::vec(prop::collection::vec(0usize..1000, 1..9), 1..10)
    ) {
        let mut lab = setup_with(seed);
        for words in seq {
            let mut line = line_from(words);
            if !line.starts_with("kubectl") && line.len().is_multiple_of(3) {
                line = format!("kubectl {line}");
            }
            let _ = svclab_core::shell::complete(&lab.cluster, &lab.terminal, &line);
            feed(&mut lab, &line);
        }
        lab.terminal.interrupt();
        for _ in 0..4 {
            feed(&mut lab, "exit");
        }
        prop_assert_eq!(lab.terminal.prompt(), "$ ");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]

    /// Same seed and same lines, same transcript: the terminal adds no hidden state.
    #[test]
    fn same_seed_same_lines_same_transcript(
        seed in 0u64..1000,
        seq in prop::collection::vec(prop::collection::vec(0usize..1000, 1..7), 1..6)
    ) {
        let script: String = seq.into_iter().map(|w| format!("kubectl {}\n", line_from(w))).collect();
        let a = setup_with(seed).run_script(&script).text;
        let b = setup_with(seed).run_script(&script).text;
        prop_assert_eq!(a, b);
    }
}

/// Lines that once were (or easily could be) trouble, run in order.
#[test]
fn known_awkward_lines_are_handled() {
    let mut lab = setup();
    for l in [
        "kubectl",
        "kubectl -n",
        "kubectl get pods -o",
        "kubectl get svc -o jsonpath=",
        "kubectl get -o yaml",
        "kubectl exec -it",
        "kubectl exec -- sh",
        "kubectl run",
        "kubectl run x --image",
        "kubectl scale",
        "kubectl patch svc api -p",
        "kubectl patch svc api --type=json -p '[{\"op\":\"add\",\"path\":\"/\"}]'",
        "kubectl patch svc api --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/ports/99\",\"value\":1}]'",
        "kubectl label",
        "kubectl label svc",
        "kubectl label svc api -",
        "kubectl wait --for=",
        "kubectl wait --for=condition=Ready",
        "kubectl wait --for=condition=Ready pod --timeout=1s",
        "kubectl rollout status",
        "kubectl rollout status deploy/",
        "kubectl get pods -l ''",
        "kubectl get pods -l '!'",
        "kubectl describe ''",
        "kubectl delete -f",
        "kubectl create",
        "kubectl create service clusterip x --tcp=abc",
        "kubectl expose",
        "kubectl expose pod",
        "kubectl config view -o jsonpath='{..'",
        "kubectl get svc api -o jsonpath='{range .spec.ports[*]}{.port}'",
        "kubectl edit",
        "kubectl logs",
        "kubectl exec api -- sh -c",
        "kubectl get events -A",
        "kubectl get all -A -o wide",
        "kubectl get pods -w -l app=none",
    ] {
        feed(&mut lab, l);
    }
}
