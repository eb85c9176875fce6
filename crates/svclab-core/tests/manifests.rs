//! Data-driven manifest tests: each `fixtures/manifests/<case>.yaml` is applied as `x.yaml` to
//! a fresh cluster (after `<case>.before.yaml`, if present, to test updates) and kubectl's
//! output must equal `<case>.out` byte for byte. `<case>.diag`, if present, lists the
//! diagnostics (`line:col severity code [args]`) the editor would show. Set
//! `UPDATE_FIXTURES=1` to write the expected files from the current output (then review them).

use std::path::{Path, PathBuf};
use svclab_core::apply::apply_text;
use svclab_core::diag::Severity;
use svclab_core::{Cluster, ClusterConfig};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/manifests")
}

fn diag_lines(report: &svclab_core::apply::ApplyReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let sev = if d.severity == Severity::Error { "error" } else { "warning" };
        out.push_str(&format!("{}:{} {sev} {} [{}]\n", d.pos.line, d.pos.col, d.code, d.args.join("|")));
    }
    out
}

fn check(case: &str) -> Vec<String> {
    let d = dir();
    // Bootstrapping is slow in debug builds: clone one fresh cluster per case.
    static FRESH: std::sync::OnceLock<Cluster> = std::sync::OnceLock::new();
    let mut c = FRESH.get_or_init(|| Cluster::new(ClusterConfig::default(), 1)).clone();
    if let Ok(before) = std::fs::read_to_string(d.join(format!("{case}.before.yaml"))) {
        let r = apply_text(&mut c, &before, "before.yaml", "default");
        assert!(r.ok(), "{case}: setup failed:\n{}", r.output());
        c.advance(5_000);
    }
    let text = std::fs::read_to_string(d.join(format!("{case}.yaml"))).unwrap();
    let report = apply_text(&mut c, &text, "x.yaml", "default");
    let got_out = report.output();
    let got_diag = diag_lines(&report);
    let update = std::env::var("UPDATE_FIXTURES").is_ok();
    let mut failures = Vec::new();
    let out_path = d.join(format!("{case}.out"));
    if update {
        std::fs::write(&out_path, &got_out).unwrap();
    } else {
        let want = std::fs::read_to_string(&out_path).unwrap_or_default();
        if want != got_out {
            failures.push(format!("{case}.out\n--- want\n{want}--- got\n{got_out}"));
        }
    }
    let diag_path = d.join(format!("{case}.diag"));
    if update && (diag_path.exists() || !report.diagnostics.is_empty()) {
        std::fs::write(&diag_path, &got_diag).unwrap();
    } else if let Ok(want) = std::fs::read_to_string(&diag_path) {
        if want != got_diag {
            failures.push(format!("{case}.diag\n--- want\n{want}--- got\n{got_diag}"));
        }
    }
    failures
}

/// Every fixture, so that adding a case is adding files.
#[test]
fn manifest_fixtures_match_kubectl_output() {
    let mut cases: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".yaml") && !n.ends_with(".before.yaml"))
        .map(|n| n.trim_end_matches(".yaml").to_string())
        .collect();
    cases.sort();
    assert!(cases.len() > 10);
    let failures: Vec<String> = cases.iter().flat_map(|c| check(c)).collect();
    assert!(failures.is_empty(), "{} fixture(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// NodePort allocation (spec §2): a free port from the configured range, kept when the same
/// manifest is applied again (so the result is `unchanged`), dropped when the Service becomes
/// a ClusterIP Service.
#[test]
fn node_ports_are_allocated_kept_and_dropped() {
    use svclab_core::api::Service;
    let config = ClusterConfig { node_port_range: (31000, 31002), ..ClusterConfig::default() };
    let mut c = Cluster::new(config, 3);
    let np = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n";
    assert_eq!(apply_text(&mut c, np, "x.yaml", "default").output(), "service/web created\n");
    let port = |c: &Cluster| c.get::<Service>("default", "web").and_then(|s| s.spec.ports[0].node_port);
    let first = port(&c).unwrap();
    assert!((31000..=31002).contains(&first), "{first}");
    assert_eq!(apply_text(&mut c, np, "x.yaml", "default").output(), "service/web unchanged\n");
    assert_eq!(port(&c), Some(first));
    // The range holds three ports: a fourth Service cannot get one.
    for name in ["b", "c"] {
        let r = apply_text(&mut c, &np.replace("name: web", &format!("name: {name}")), "x.yaml", "default");
        assert!(r.ok(), "{}", r.output());
    }
    let full = apply_text(&mut c, &np.replace("name: web", "name: d"), "x.yaml", "default");
    assert_eq!(
        full.output(),
        "Error from server (InternalError): error when creating \"x.yaml\": Internal error occurred: failed to allocate a nodePort: range is full\n"
    );
    let cip = np.replace("  type: NodePort\n", "");
    assert_eq!(apply_text(&mut c, &cip, "x.yaml", "default").output(), "service/web configured\n");
    assert_eq!(port(&c), None);
}

/// A Service that becomes ExternalName gives up its ClusterIP (DNS answers a CNAME instead).
#[test]
fn changing_to_external_name_releases_the_cluster_ip() {
    use svclab_core::api::Service;
    let d = dir();
    let mut c = Cluster::new(ClusterConfig::default(), 5);
    let before = std::fs::read_to_string(d.join("svc_to_externalname_drops_cluster_ip.before.yaml")).unwrap();
    let after = std::fs::read_to_string(d.join("svc_to_externalname_drops_cluster_ip.yaml")).unwrap();
    assert!(apply_text(&mut c, &before, "x.yaml", "default").ok());
    assert!(c.get::<Service>("default", "db").is_some_and(|s| s.spec.cluster_ip.is_some()));
    assert!(apply_text(&mut c, &after, "x.yaml", "default").ok());
    let s = c.get::<Service>("default", "db").unwrap();
    assert_eq!((s.spec.cluster_ip.as_deref(), s.spec.cluster_ips.len()), (None, 0));
}
