//! Dual-stack Services through `kubectl apply` (validation allocates with `ipam`, spec §2):
//! on a kind `ipFamily: dual` cluster a `PreferDualStack` Service gets an IPv4 and an IPv6
//! ClusterIP, DNS answers both families (spec §4.4), and the EndpointSlice controller keeps
//! one slice per family (spec §3); `RequireDualStack` on a single-stack cluster is refused
//! with the API server's error.

use svclab_core::{ClusterConfig, Lab};

const DUAL: &str =
    "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\nnetworking:\n  ipFamily: dual\n";

fn manifests(policy: &str) -> String {
    format!(
        "cat > web.yaml << EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ipFamilyPolicy: {policy}
  selector:
    app: web
  ports:
  - port: 80
EOF
kubectl apply -f web.yaml
"
    )
}

fn dual_lab() -> Lab {
    let (cfg, d) = ClusterConfig::from_kind_yaml(DUAL);
    assert!(d.is_empty(), "{d:?}");
    Lab::new(cfg, 1)
}

#[test]
fn prefer_dual_stack_gets_both_families_in_dns_and_slices() {
    let mut lab = dual_lab();
    let script = format!(
        "{}sleep 20\nkubectl get endpointslices -l kubernetes.io/service-name=web\nnslookup web\ndig +short AAAA web.default.svc.cluster.local\ndig +short A web.default.svc.cluster.local\n",
        manifests("PreferDualStack")
    );
    let t = lab.run_script(&script);
    let out = t.text;
    assert!(!t.failed, "{out}");
    let svc = lab.cluster.get::<svclab_core::api::Service>("default", "web").expect("service");
    assert_eq!(svc.spec.ip_family_policy.as_deref(), Some("PreferDualStack"));
    assert_eq!(svc.spec.cluster_ips.len(), 2, "{out}");
    let (v4, v6) = (svc.spec.cluster_ips[0].clone(), svc.spec.cluster_ips[1].clone());
    assert!(v4.starts_with("10.96.") && v6.starts_with("fd00:10:96::"), "{v4} {v6}");
    assert_eq!(svc.spec.cluster_ip.as_deref(), Some(v4.as_str()));
    // DNS: nslookup shows both addresses; dig AAAA the IPv6 one, dig A the IPv4 one.
    assert!(out.contains(&format!("Address: {v4}\n")) && out.contains(&format!("Address: {v6}\n")), "{out}");
    let aaaa = out.split("dig +short AAAA web.default.svc.cluster.local\n").nth(1).unwrap_or_default();
    assert_eq!(aaaa.lines().next(), Some(v6.as_str()), "{out}");
    let a = out.split("dig +short A web.default.svc.cluster.local\n").nth(1).unwrap_or_default();
    assert_eq!(a.lines().next(), Some(v4.as_str()), "{out}");
    // One EndpointSlice per family, each with both pods.
    let slices: Vec<&str> = out.lines().filter(|l| l.starts_with("web-")).collect();
    assert_eq!(slices.len(), 2, "{out}");
    assert!(slices.iter().any(|l| l.split_whitespace().nth(1) == Some("IPv4")), "{out}");
    assert!(slices.iter().any(|l| l.split_whitespace().nth(1) == Some("IPv6")), "{out}");
}

#[test]
fn family_policies_on_single_and_dual_stack_clusters() {
    let require_err = "The Service \"web\" is invalid: spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services";
    let unsupported = "spec.ipFamilyPolicy: Unsupported value: \"DualStack\": supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\"";
    // (dual-stack cluster?, policy, ClusterIPs allocated, error printed)
    let cases = [
        (false, "RequireDualStack", 0, Some(require_err)),
        (false, "PreferDualStack", 1, None),
        (false, "SingleStack", 1, None),
        (true, "SingleStack", 1, None),
        (true, "RequireDualStack", 2, None),
        (false, "DualStack", 0, Some(unsupported)),
    ];
    for (dual, policy, n, err) in cases {
        let mut lab = if dual { dual_lab() } else { Lab::new(ClusterConfig::default(), 1) };
        let out = lab.run_script(&manifests(policy)).text;
        let svc = lab.cluster.get::<svclab_core::api::Service>("default", "web");
        assert_eq!(svc.map_or(0, |s| s.spec.cluster_ips.len()), n, "{policy}: {out}");
        match err {
            Some(e) => assert!(out.contains(e), "{policy}: {out}"),
            None => assert!(out.contains("service/web created"), "{policy}: {out}"),
        }
    }
}

#[test]
fn family_policy_upgrade_and_downgrade_on_update() {
    // (dual-stack cluster?, policies applied in turn, ClusterIPs after each, error on the last)
    let require_err = "spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services";
    type Case<'a> = (bool, &'a [&'a str], &'a [usize], Option<&'a str>);
    let cases: [Case; 3] = [
        (true, &["SingleStack", "PreferDualStack", "SingleStack"], &[1, 2, 1], None),
        (true, &["SingleStack", "RequireDualStack"], &[1, 2], None),
        (false, &["SingleStack", "RequireDualStack"], &[1, 1], Some(require_err)),
    ];
    for (dual, policies, counts, err) in cases {
        let mut lab = if dual { dual_lab() } else { Lab::new(ClusterConfig::default(), 1) };
        let mut first_ip = None;
        let mut out = String::new();
        for (policy, n) in policies.iter().zip(counts) {
            out = lab.run_script(&manifests(policy)).text;
            let svc = lab.cluster.get::<svclab_core::api::Service>("default", "web").expect("service");
            assert_eq!(svc.spec.cluster_ips.len(), *n, "{policy}: {out}");
            assert_eq!(svc.spec.ip_families.len(), *n, "{policy}: {out}");
            // The primary ClusterIP never changes.
            let ip = svc.spec.cluster_ip.clone();
            assert_eq!(*first_ip.get_or_insert(ip.clone()), ip);
        }
        if let Some(e) = err {
            assert!(out.contains(e), "{out}");
        }
    }
}

#[test]
fn headless_without_selector_defaults_to_require_dual_stack() {
    let manifest = "cat > h.yaml << EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: h\nspec:\n  clusterIP: None\n  ports:\n  - port: 80\nEOF\nkubectl apply -f h.yaml\n";
    let with_selector = manifest.replace("  ports:\n", "  selector:\n    app: h\n  ports:\n");
    // (dual-stack cluster?, manifest, policy, families)
    let cases = [
        (false, manifest.to_string(), "RequireDualStack", 1),
        (true, manifest.to_string(), "RequireDualStack", 2),
        (true, with_selector, "SingleStack", 1),
    ];
    for (dual, script, policy, families) in cases {
        let mut lab = if dual { dual_lab() } else { Lab::new(ClusterConfig::default(), 1) };
        let out = lab.run_script(&script).text;
        let svc = lab.cluster.get::<svclab_core::api::Service>("default", "h").expect("service");
        assert_eq!(svc.spec.ip_family_policy.as_deref(), Some(policy), "{out}");
        assert_eq!(svc.spec.ip_families.len(), families, "{out}");
        assert_eq!(svc.spec.cluster_ips, ["None"], "{out}");
    }
}
