//! Values as Kubernetes reads and prints them (issue 13, should-fix): control characters
//! escaped in `-o yaml|json` (as go-yaml and encoding/json do) and in messages (Go's `%q`,
//! which keeps `<` and `>`), numbers as go-yaml v2 resolves them, merge keys.
use svclab_core::apply::apply_text;
use svclab_core::{ClusterConfig, Lab};

fn lab() -> Lab {
    Lab::new(ClusterConfig::default(), 1)
}

fn run(lab: &mut Lab, line: &str) -> String {
    lab.input(line).map(|o| o.text).unwrap_or_default()
}

fn apply(lab: &mut Lab, text: &str) -> String {
    apply_text(&mut lab.cluster, text, "STDIN", "default").output()
}

/// Reproduces the annotation that cleared the CLI's screen through `-o yaml`.
#[test]
fn control_characters_are_escaped_in_output() {
    let mut lab = lab();
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    a: \"esc\\e[2Jbel\\als\\Lx<y>\"\n    t: \"tab\\there\"\n";
    assert_eq!(apply(&mut lab, cm), "configmap/c created\n");
    let y = run(&mut lab, "kubectl get cm c -o yaml");
    assert!(y.contains("    a: \"esc\\e[2Jbel\\als\\Lx<y>\"\n"), "{y}");
    assert!(y.contains("    t: \"tab\\there\"\n"), "{y}");
    let j = run(&mut lab, "kubectl get cm c -o json");
    assert!(j.contains("\"a\": \"esc\\u001b[2Jbel\\u0007ls\\u2028x\\u003cy\\u003e\""), "{j}");
    for out in [&y, &j] {
        assert!(!out.chars().any(|c| c.is_control() && c != '\n' || c == '\u{2028}'), "{out:?}");
    }
    // Messages quote as Go's %q: `<` stays, ESC does not.
    let out = apply(
        &mut lab,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"a<b\\e\"\nspec:\n  ports:\n  - port: 80\n",
    );
    assert!(out.contains("metadata.name: Invalid value: \"a<b\\x1b\": a DNS-1035 label"), "{out}");
}

/// Numbers as go-yaml v2 resolves them and the API server's JSON decoder refuses them.
#[test]
fn numbers_read_as_the_api_server_reads_them() {
    let mut lab = lab();
    let deploy = |replicas: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: d}}}}\n  template:\n    metadata: {{labels: {{app: d}}}}\n    spec: {{containers: [{{name: c, image: nginx}}]}}\n")
    };
    // Beyond int64: the number, not -1.
    let out = apply(&mut lab, &deploy("99999999999999999999"));
    assert!(out.ends_with("json: cannot unmarshal number 100000000000000000000 into Go struct field DeploymentSpec.spec.replicas of type int32\n"), "{out}");
    let out = apply(&mut lab, &deploy("1e999"));
    assert!(
        out.ends_with(
            "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n"
        ),
        "{out}"
    );
    // YAML 1.1 octal and hex, as kubectl's YAML reads them.
    assert_eq!(apply(&mut lab, &deploy("010")), "deployment.apps/d created\n");
    assert_eq!(run(&mut lab, "kubectl get deploy d -o jsonpath={.spec.replicas}"), "8");
    assert_eq!(apply(&mut lab, &deploy("0x10")), "deployment.apps/d configured\n");
    assert_eq!(run(&mut lab, "kubectl get deploy d -o jsonpath={.spec.replicas}"), "16");
    // Merge keys.
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s3\n  labels: &l {app: x, tier: web}\nspec:\n  selector:\n    <<: *l\n    tier: api\n  ports:\n  - port: 80\n";
    let report = apply_text(&mut lab.cluster, svc, "STDIN", "default");
    assert_eq!(report.output(), "service/s3 created\n");
    assert!(report.diagnostics.iter().all(|d| d.code != "yaml.duplicate_key"), "{:?}", report.diagnostics);
    assert_eq!(run(&mut lab, "kubectl get svc s3 -o jsonpath={.spec.selector}"), "{\"app\":\"x\",\"tier\":\"api\"}");
    let out = apply(&mut lab, "a: &v 1\nb:\n  <<: *v\n");
    assert!(out.contains("map merge requires map or sequence of maps as the value"), "{out}");
}
