//! The view model's timers: a failing readiness probe's progress toward Not Ready and a
//! stopped node's countdown to eviction, as the page shows them.

use svclab_core::api::Pod;
use svclab_core::controllers::nodelifecycle::EVICTION_DELAY_MS;
use svclab_core::scenario::SEED_001;
use svclab_core::{view, Action, Lab};

fn api_pod(l: &Lab) -> (String, String) {
    let p = l
        .cluster
        .list::<Pod>(Some("default"))
        .find(|p| p.metadata.labels.get("app").map(String::as_str) == Some("api"))
        .unwrap();
    (p.metadata.namespace.clone(), p.metadata.name.clone())
}

#[test]
fn a_failing_probe_counts_down_to_not_ready() {
    let mut l = Lab::start(11, &SEED_001);
    assert!(view::probe_progress(&l.cluster).is_empty(), "no probe fails at the start");
    let (ns, name) = api_pod(&l);
    let key = format!("{ns}/{name}");
    l.act(Action::SetReadiness { namespace: ns.clone(), name: name.clone(), failing: true });
    let p = view::probe_progress(&l.cluster)[&key].clone();
    assert!(p.ready);
    assert_eq!((p.failures, p.threshold, p.period_ms), (0, 3, 10_000));
    // failureThreshold × periodSeconds at most (the first failure comes with the next probe).
    let left = p.not_ready_in_ms();
    assert!(left > 20_000 && left <= 30_000, "{left}");
    l.act(Action::Advance { ms: 10_000 });
    let q = view::probe_progress(&l.cluster)[&key].clone();
    assert!(q.failures >= 1);
    assert_eq!(q.not_ready_in_ms(), left - 10_000);
    l.act(Action::Advance { ms: left - 10_000 });
    let r = view::probe_progress(&l.cluster)[&key].clone();
    assert!(!r.ready);
    assert_eq!(r.not_ready_in_ms(), 0);
    assert_eq!(r.failures, 3);
    // Passing again: the count resets and the pod leaves the progress list once ready.
    l.act(Action::SetReadiness { namespace: ns, name, failing: false });
    l.act(Action::Advance { ms: 20_000 });
    assert!(!view::probe_progress(&l.cluster).contains_key(&key));
}

#[test]
fn a_stopped_node_counts_down_to_eviction() {
    let mut l = Lab::start(12, &SEED_001);
    assert!(view::stopped_nodes(&l.cluster).is_empty());
    l.act(Action::SetNode { name: "kind-worker".into(), running: false });
    l.act(Action::Advance { ms: 15_000 });
    let s = view::stopped_nodes(&l.cluster);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].name, "kind-worker");
    assert!(s[0].not_ready_for_ms > 0 && s[0].not_ready_for_ms <= 15_000);
    assert_eq!(s[0].evict_in_ms, EVICTION_DELAY_MS - s[0].not_ready_for_ms);
    assert!(!view::snapshot_of(&l.cluster).nodes.iter().find(|n| n.name == "kind-worker").unwrap().ready);
    l.act(Action::Advance { ms: EVICTION_DELAY_MS });
    assert_eq!(view::stopped_nodes(&l.cluster)[0].evict_in_ms, 0);
    l.act(Action::SetNode { name: "kind-worker".into(), running: true });
    l.act(Action::Advance { ms: 5_000 });
    assert!(view::stopped_nodes(&l.cluster).is_empty());
}
