//! Nothing a learner types into the network tools panics the core.

use proptest::prelude::*;
use std::sync::OnceLock;
use svclab_core::{ClusterConfig, Lab};

fn base() -> &'static Lab {
    static LAB: OnceLock<Lab> = OnceLock::new();
    LAB.get_or_init(|| {
        let mut lab = Lab::new(ClusterConfig::default(), 11);
        lab.input("kubectl run bb --image=busybox:1.28 --restart=Never");
        lab.cluster.advance(5_000);
        lab
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn network_tools_never_panic(
        tool in prop::sample::select(vec!["curl", "wget", "iptables-save", "ipvsadm", "nft", "kubectl debug"]),
        args in prop::collection::vec("[-a-zA-Z0-9:/.\\[\\]@?#=%]{0,24}", 0..4),
        in_busybox in any::<bool>(),
    ) {
        let mut lab = base().clone();
        let line = format!("{tool} {}", args.join(" "));
        let (ns, pod) = if in_busybox { ("default", "bb") } else { ("lab", "toolbox") };
        let out = lab.exec(ns, pod, &line);
        // Every failure is a message, never an empty non-zero exit with no text (except curl -s).
        prop_assert!(out.exit_code == 0 || !out.text.is_empty() || line.contains("-s") || tool == "kubectl debug");
    }
}
