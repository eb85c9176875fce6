//! Small kubectl/busybox differences the hostile-input review found (issue 13, should-fix),
//! each reproduced as typed.
use svclab_core::apply::apply_text;
use svclab_core::{ClusterConfig, Lab};

fn run(lab: &mut Lab, line: &str) -> String {
    lab.input(line).map(|o| o.text).unwrap_or_default()
}

#[test]
fn head_and_tail_take_busybox_counts() {
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    run(&mut lab, "cat > f << EOF");
    for l in ["a", "b", "c", "d"] {
        lab.input(l);
    }
    lab.input("EOF");
    assert_eq!(run(&mut lab, "cat f | head -2"), "a\nb\n");
    assert_eq!(run(&mut lab, "cat f | tail -n1"), "d\n");
    assert_eq!(run(&mut lab, "cat f | head -n 3"), "a\nb\nc\n");
    assert_eq!(run(&mut lab, "cat f | head -x"), "head: invalid number '-x'\n");
}

#[test]
fn or_lists_run_only_after_a_failure() {
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    assert_eq!(run(&mut lab, "false || echo ran"), "ran\n");
    assert_eq!(run(&mut lab, "true || echo not"), "");
    assert_eq!(run(&mut lab, "false && echo not; echo always"), "always\n");
    assert_eq!(run(&mut lab, "false && echo not || echo rescued"), "rescued\n");
}

#[test]
fn watch_only_and_negative_timeouts_read_as_kubectl() {
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    run(&mut lab, "kubectl run web --image=nginx");
    let out = run(&mut lab, "kubectl get pods --watch-only");
    assert!(!out.starts_with("NAME"), "{out}");
    assert!(out.starts_with("web ") && out.contains("1/1     Running"), "{out}");
    // kubectl wait: a negative timeout waits (a week; the lab's 10 minutes at most).
    let out = run(&mut lab, "kubectl wait --for=condition=Ready pod/web --timeout=-1s");
    assert_eq!(out, "pod/web condition met\n");
}

#[test]
fn endpoint_slices_hold_at_most_100_ports() {
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    let mut m = String::from("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: many\naddressType: IPv4\nendpoints:\n- addresses: [10.0.0.1]\nports:\n");
    for i in 0..101 {
        m += &format!("- name: p{i}\n  port: {}\n  protocol: TCP\n", 1000 + i);
    }
    let out = apply_text(&mut lab.cluster, &m, "STDIN", "default").output();
    assert_eq!(out, "The EndpointSlice \"many\" is invalid: ports: Too many: 101: must have at most 100 items\n");
}

/// kind configs as kind and kubeadm validate them: a `/32` pod subnet gave Ready pods with no
/// IP, `::/0` gave pod IP `::2`, 1,000 workers were accepted.
#[test]
fn kind_configs_are_validated_and_bounded() {
    let cfg = |net: &str, workers: usize| {
        format!(
            "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n{}{net}",
            "- role: worker\n".repeat(workers)
        )
    };
    let err = |text: String| {
        let (_, diags) = ClusterConfig::from_kind_yaml(&text);
        diags.into_iter().find(|d| d.is_error()).map(|d| (d.message, d.pos.line)).unwrap_or_default()
    };
    assert_eq!(
        err(cfg("networking:\n  podSubnet: 10.244.0.0/32\n", 1)),
        ("ERROR: failed to create cluster: failed to init node with kubeadm: networking.podSubnet: Invalid value: \"10.244.0.0/32\": the size of pod subnet with mask 32 is smaller than the size of node subnet with mask 24".into(), 7)
    );
    assert!(err(cfg("networking:\n  ipFamily: ipv6\n  podSubnet: ::/0\n", 1))
        .0
        .ends_with("pod subnet mask (0) and node-mask (64) difference is greater than 16"));
    let (msg, line) = err(cfg("", 1000));
    assert_eq!(msg, "ERROR: failed to create cluster: Service Lab runs at most 50 nodes (a lab limit: every node is simulated in memory); the config asks for 1001");
    assert_eq!(line, 3);
    assert_eq!(err(cfg("networking:\n  podSubnet: 10.0.0.0/16\n", 49)), (String::new(), 0));
}
