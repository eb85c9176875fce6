//! Seeds 000, 002 and 003 (seed 001 is in `seed_001.rs`) through the real `svclab` binary
//! with `--strict`: every command succeeds and the output has the seed's shape (names,
//! columns, how many addresses each lookup answers, `None` for headless Services, per-pod
//! names, a name surviving a pod restart with a new IP).

use std::process::Command;

fn run(script: &str) -> String {
    run_with(&[script])
}

fn run_with(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_svclab"))
        .args(["run", "--strict"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run svclab");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{text}");
    text
}

/// The output of the `n`th (0-based) run of `command` at the pod shell prompt.
fn pod_cmd<'a>(out: &'a str, command: &str, n: usize) -> &'a str {
    let marker = format!("/ # {command}\n");
    let block = out.split(&marker).nth(n + 1).unwrap_or_else(|| panic!("no run {n} of {command}:\n{out}"));
    block.split("/ # ").next().unwrap_or_default()
}

/// The (ip, name) pairs of an nslookup 1.28 answer, after the server's lines.
fn answers(block: &str) -> Vec<(String, String)> {
    let Some((_, answer)) = block.split_once("\n\nName:") else { return vec![] };
    answer
        .lines()
        .filter_map(|l| l.strip_prefix("Address "))
        .filter_map(|l| {
            let mut w = l.split_whitespace().skip(1);
            Some((w.next()?.to_string(), w.next().unwrap_or_default().to_string()))
        })
        .collect()
}

/// The first table row starting with `prefix` (kubectl's `<kind>/<name> created` lines are not rows).
fn row<'a>(out: &'a str, prefix: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(prefix) && l.split_whitespace().count() > 2)
        .unwrap_or_else(|| panic!("no row {prefix}:\n{out}"))
}

#[test]
fn seed_000_headless_service_lists_pods_and_follows_scaling() {
    let out = run("../../examples/seed-000.sh");
    // Deployment → ReplicaSet → 3 pods.
    assert!(row(&out, "deployment.apps/my-app ").contains("3/3"), "{out}");
    assert_eq!(out.lines().filter(|l| l.starts_with("pod/my-app-")).count(), 3, "{out}");
    // Requests through the Service reach the Deployment's pods.
    let served: Vec<&str> = (0..4).map(|n| pod_cmd(&out, "wget -qO- http://nginx-svc", n).trim_end()).collect();
    assert!(served.iter().all(|s| s.starts_with("Hello from my-app-")), "{served:?}");
    // The LoadBalancer Service: a Cluster IP, an external IP and a node port.
    let lb: Vec<&str> = row(&out, "my-app-lb ").split_whitespace().collect();
    assert_eq!(lb[1], "LoadBalancer", "{out}");
    assert!(lb[2].starts_with("10.") && lb[3] != "<pending>" && lb[4].starts_with("80:3"), "{out}");
    // The seed's Service: TYPE ClusterIP, CLUSTER-IP None.
    let svc: Vec<&str> = row(&out, "my-headless-service ").split_whitespace().collect();
    assert_eq!(&svc[1..5], ["ClusterIP", "None", "<none>", "80/TCP"], "{out}");
    // The normal Service: one address, its ClusterIP, under its FQDN.
    let cluster_ip = row(&out, "nginx-svc ").split_whitespace().nth(2).unwrap_or_default().to_string();
    let normal = answers(pod_cmd(&out, "nslookup nginx-svc.default.svc.cluster.local", 0));
    assert_eq!(normal, [(cluster_ip.clone(), "nginx-svc.default.svc.cluster.local".to_string())], "{out}");
    // Headless: every pod's IP, 3, then 5 after scaling up, then 2 after scaling down.
    for (n, count) in [(0, 3), (1, 5), (2, 2)] {
        let a = answers(pod_cmd(&out, "nslookup my-headless-service", n));
        assert_eq!(a.len(), count, "run {n}: {out}");
        assert!(a.iter().all(|(ip, _)| ip.starts_with("10.244.") && *ip != cluster_ip), "{out}");
    }
    // StatefulSet pod names in the real order <pod>.<service>.<ns>.svc.<zone>; the seed's
    // `pod-0.svc.namespace...` order does not resolve.
    for pod in ["web-0", "web-1"] {
        let name = format!("{pod}.web.default.svc.cluster.local");
        let a = answers(pod_cmd(&out, &format!("nslookup {name}"), 0));
        assert_eq!(a.len(), 1, "{out}");
        assert_eq!(a[0].1, name, "{out}");
    }
    let bad = pod_cmd(&out, "nslookup web-0.svc.default.svc.cluster.local || true", 0);
    assert!(bad.ends_with("nslookup: can't resolve 'web-0.svc.default.svc.cluster.local'\n"), "{bad}");
}

#[test]
fn seed_002_my_app_and_mongodb_stable_names() {
    let out = run("../../examples/seed-002.sh");
    // `nslookup my-app`: one A record (the ClusterIP), then, headless, three pod IPs.
    let svc: Vec<&str> = row(&out, "my-app ").split_whitespace().collect();
    assert_eq!(svc[1], "ClusterIP");
    let normal = answers(pod_cmd(&out, "nslookup my-app", 0));
    assert_eq!(normal.len(), 1, "{out}");
    assert_eq!(normal[0].0, svc[2], "{out}");
    assert!(pod_cmd(&out, "nslookup my-app", 0).contains("\nName:      my-app\nAddress 1: "), "{out}");
    let headless_row = out.lines().filter(|l| l.starts_with("my-app ")).nth(1).unwrap_or_default();
    assert_eq!(headless_row.split_whitespace().nth(2), Some("None"), "{out}");
    let headless = answers(pod_cmd(&out, "nslookup my-app", 1));
    assert_eq!(headless.len(), 3, "{out}");
    assert!(headless.iter().all(|(ip, _)| ip.starts_with("10.244.")), "{out}");
    // MongoDB: mongodb-0..2 each resolve to their own IP under their stable name.
    let ip_of = |table: usize, pod: &str| -> String {
        let t = out.split("$ kubectl get pods -l app=mongodb -o wide\n").nth(table + 1).unwrap_or_default();
        row(t, &format!("{pod} ")).split_whitespace().nth(5).unwrap_or_default().to_string()
    };
    let mut ips = Vec::new();
    for i in 0..3 {
        let name = format!("mongodb-{i}.mongodb-service.default.svc.cluster.local");
        let a = answers(pod_cmd(&out, &format!("nslookup {name}"), 0));
        assert_eq!(a, [(ip_of(0, &format!("mongodb-{i}")), name)], "{out}");
        ips.push(a[0].0.clone());
    }
    assert_eq!(row(&out, "mongodb-service ").split_whitespace().nth(2), Some("None"), "{out}");
    let mut all: Vec<String> =
        answers(pod_cmd(&out, "nslookup mongodb-service", 0)).into_iter().map(|(ip, _)| ip).collect();
    all.sort();
    ips.sort();
    assert_eq!(all, ips, "{out}");
    // The restart: same name mongodb-0, a new IP, and the stable DNS name follows it.
    let (before, after) = (ip_of(0, "mongodb-0"), ip_of(1, "mongodb-0"));
    assert_ne!(before, after, "{out}");
    let name = "mongodb-0.mongodb-service.default.svc.cluster.local";
    assert_eq!(answers(pod_cmd(&out, &format!("nslookup {name}"), 1)), [(after, name.to_string())], "{out}");
}

#[test]
fn seed_003_servicename_and_pod_0_names_resolve() {
    let out = run("../../examples/seed-003.sh");
    let fqdn = "servicename.namespace.svc.cluster.local";
    // Headful: one IP, the ClusterIP, and requests spread over the pods.
    let cluster_ip = row(&out, "service/servicename ").split_whitespace().nth(2).unwrap_or_default().to_string();
    assert_eq!(answers(pod_cmd(&out, &format!("nslookup {fqdn}"), 0)), [(cluster_ip, fqdn.to_string())], "{out}");
    let served: std::collections::BTreeSet<&str> =
        (0..4).map(|n| pod_cmd(&out, &format!("wget -qO- http://{fqdn}"), n).trim_end()).collect();
    assert!(served.len() > 1 && served.iter().all(|s| s.starts_with("Hello from pod-")), "{served:?}");
    // Headless: CLUSTER-IP None, three pod IPs, and pod-0's own name answers pod-0's IP.
    assert_eq!(row(&out, "servicename ").split_whitespace().nth(2), Some("None"), "{out}");
    let all = answers(pod_cmd(&out, &format!("nslookup {fqdn}"), 1));
    assert_eq!(all.len(), 3, "{out}");
    let pod0_ip = row(&out, "pod/pod-0 ").split_whitespace().nth(5).unwrap_or_default().to_string();
    let pod0 = format!("pod-0.{fqdn}");
    assert_eq!(answers(pod_cmd(&out, &format!("nslookup {pod0}"), 0)), [(pod0_ip, pod0.clone())], "{out}");
    assert_eq!(pod_cmd(&out, &format!("wget -qO- http://{pod0}:3000"), 0), "Hello from pod-0\n");
    // The seed's misspelt `namespcae` is not a namespace: NXDOMAIN.
    let typo = pod_cmd(&out, "nslookup pod-0.servicename.namespcae.svc.cluster.local || true", 0);
    assert!(typo.ends_with("can't resolve 'pod-0.servicename.namespcae.svc.cluster.local'\n"), "{typo}");
}

#[test]
fn seed_001_docs_selector_selectorless_and_externalname() {
    let out = run("../../examples/seed-001-docs.sh");
    // The seed's `my-headless-service`: None, NXDOMAIN until pods match `app: test-app`.
    assert_eq!(row(&out, "my-headless-service ").split_whitespace().nth(2), Some("None"), "{out}");
    assert!(out.contains("status: NXDOMAIN"), "{out}");
    // With pods: one slice, and busybox answers both pods under the `test` namespace.
    let a = answers(pod_cmd(&out, "nslookup my-headless-service", 0));
    assert_eq!(a.len(), 2, "{out}");
    assert!(a.iter().all(|(_, n)| n.ends_with(".my-headless-service.test.svc.cluster.local")), "{out}");
    // Without a selector: only the user's slice, and DNS answers its addresses.
    assert!(row(&out, "no-selector-1 ").contains("10.1.2.3,10.1.2.4"), "{out}");
    let mut a = answers(pod_cmd(&out, "nslookup no-selector", 0));
    a.sort();
    let want = [
        ("10.1.2.3".to_string(), "10-1-2-3.no-selector.test.svc.cluster.local".to_string()),
        ("10.1.2.4".to_string(), "10-1-2-4.no-selector.test.svc.cluster.local".to_string()),
    ];
    assert_eq!(a, want, "{out}");
    // ExternalName: a CNAME.
    assert!(out.contains("my-database.test.svc.cluster.local. 30 IN CNAME\tdb.example.com.\n"), "{out}");
}

#[test]
fn seed_001_headless_answers_a_and_aaaa_on_dual_stack() {
    let out = run_with(&[
        "--cluster-config",
        "../../examples/seed-001-kind-dual-stack.yaml",
        "../../examples/seed-001-dual-stack.sh",
    ]);
    let mut families: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("headless-service-"))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    families.sort_unstable();
    assert_eq!(families, ["IPv4", "IPv6"], "{out}");
    let after = |cmd: &str| -> Vec<String> {
        let block = out.split(&format!("$ {cmd}\n")).nth(1).unwrap_or_default();
        block.lines().take_while(|l| !l.starts_with("$ ")).map(str::to_string).collect()
    };
    let a = after("dig +short A headless-service.default.svc.cluster.local");
    let aaaa = after("dig +short AAAA headless-service.default.svc.cluster.local");
    assert_eq!((a.len(), aaaa.len()), (2, 2), "{out}");
    assert!(a.iter().all(|ip| ip.starts_with("10.244.")), "{a:?}");
    assert!(aaaa.iter().all(|ip| ip.starts_with("fd00:10:244:")), "{aaaa:?}");
}
