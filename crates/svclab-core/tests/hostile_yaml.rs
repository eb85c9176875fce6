//! Hostile and oversized input (issue 13): each test reproduces one input from the issue that
//! cost a visitor gigabytes, seconds or a dead terminal, and checks the bounded answer the lab
//! gives now, in the words of the tool it imitates.
use svclab_core::apply::apply_text;
use svclab_core::{ClusterConfig, Lab};

fn lab() -> Lab {
    Lab::new(ClusterConfig::default(), 1)
}

fn run(lab: &mut Lab, line: &str) -> String {
    lab.input(line).map(|o| o.text).unwrap_or_default()
}

/// Reproduces §1's shared link: one large scalar referenced by many aliases. Six copies of a
/// 200 KB string pass the node-count limit (7 nodes) but would copy 1.2 MB; the 9,000
/// copies took 2.6 GB. Refused while parsing, by bytes.
#[test]
fn aliases_of_a_large_scalar_are_refused_by_the_bytes_they_copy() {
    let big = "x".repeat(200_000);
    let mut text = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  k0: &a {big}\n");
    for i in 1..=6 {
        text += &format!("  k{i}: *a\n");
    }
    let (_, diags) = svclab_core::yaml::parse_documents(&text);
    let d = diags.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(d.code, "yaml.excessive_aliasing", "{diags:?}");
    assert_eq!(d.pos.line, 12, "points at the sixth alias, the one past 1 MiB");
    let mut lab = lab();
    let out = apply_text(&mut lab.cluster, &text, "bomb.yaml", "default").output();
    assert!(out.contains("yaml: document contains excessive aliasing"), "{out}");
    assert!(run(&mut lab, "kubectl get cm bomb").contains("NotFound"));
    // Small aliases stay fine.
    let ok = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\ndata:\n  a: &v hello\n  b: *v\n";
    let out = apply_text(&mut lab.cluster, ok, "ok.yaml", "default").output();
    assert_eq!(out, "configmap/ok created\n");
}

fn configmap(name: &str, bytes: usize) -> String {
    let chunk = "y".repeat(50_000);
    let mut text = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n");
    for i in 0..bytes.div_ceil(50_000) {
        text += &format!("  k{i}: {chunk}\n");
    }
    text
}

/// Reproduces §1's size limits: `kubectl apply` of a 300 KB ConfigMap fails on the
/// last-applied annotation, one over 1 MiB also on its data, with the API server's words; the
/// store keeps what it had.
#[test]
fn objects_meet_the_api_servers_size_limits() {
    let mut lab = lab();
    let out = apply_text(&mut lab.cluster, &configmap("big", 300_000), "big.yaml", "default").output();
    assert_eq!(
        out,
        "The ConfigMap \"big\" is invalid: metadata.annotations: Too long: must have at most 262144 bytes\n"
    );
    let out = apply_text(&mut lab.cluster, &configmap("huge", 1_100_000), "huge.yaml", "default").output();
    assert!(out.contains("* metadata.annotations: Too long: must have at most 262144 bytes"), "{out}");
    assert!(out.contains("* []: Too long: must have at most 1048576 bytes"), "{out}");
    assert!(run(&mut lab, "kubectl get cm").lines().all(|l| !l.starts_with("big") && !l.starts_with("huge")));
    // Annotations typed by hand count too.
    let ann = format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    a: {}\nspec:\n  ports:\n  - port: 80\n",
        "z".repeat(270_000)
    );
    let report = apply_text(&mut lab.cluster, &ann, "s.yaml", "default");
    assert!(report.output().contains("metadata.annotations: Too long: must have at most 262144 bytes"));
    let d = report.diagnostics.iter().find(|d| d.code == "validation.too_long").expect("a diagnostic");
    assert_eq!(d.pos.line, 5, "points at the annotations");
    // Below the limits nothing changes.
    let out = apply_text(&mut lab.cluster, &configmap("fine", 100_000), "fine.yaml", "default").output();
    assert_eq!(out, "configmap/fine created\n");
}

/// Reproduces §4: a ConfigMap of 100k keys took 46.7 s (duplicate keys were searched
/// linearly, and apply parsed the text twice). Indexed per mapping it parses in linear time:
/// `benches/limits.rs` measures it (speed is reported by benchmarks, never asserted by a
/// wall-clock test); this test pins what the parse and the apply answer.
#[test]
fn a_mapping_of_100k_keys_parses_and_applies_as_the_api_server_answers() {
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n");
    for i in 0..100_000 {
        text += &format!("  k{i}: v\n");
    }
    text += "  k7: again\n";
    let (docs, diags) = svclab_core::yaml::parse_documents(&text);
    assert_eq!(diags.len(), 1, "{:?}", diags.first());
    assert_eq!(diags[0].message, "mapping key \"k7\" already defined at line 13");
    let root = docs[0].root.as_ref().unwrap();
    assert_eq!(root.get("data").unwrap().get("k7").unwrap().as_str(), Some("again"));
    // Apply reads it once; 100k keys of 1 byte fit the API server's limits... but not the
    // last-applied annotation (1.5 MB of JSON), which is the API server's answer.
    let mut lab = lab();
    let out = apply_text(&mut lab.cluster, &text, "wide.yaml", "default").output();
    assert!(out.contains("metadata.annotations: Too long"), "{out}");
}
