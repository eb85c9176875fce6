//! What the cluster keeps over a long session: the timeline and CoreDNS's log keep their
//! newest entries only, and `kubectl get events` forgets events an hour after they last
//! happened, as the API server's `--event-ttl` does.

use svclab_core::cluster::{SimEvent, LOG_KEEP};
use svclab_core::scenario::SEED_001;
use svclab_core::traffic::{self, ClientSpec};

#[test]
fn a_long_session_with_busy_clients_keeps_the_newest_events_only() {
    let mut lab = SEED_001.start(1);
    SEED_001.start_traffic(&mut lab);
    let mut fast = ClientSpec::new("default", "client", "normal-service", 80);
    fast.interval_ms = 20;
    fast.dns = traffic::DnsCaching::NoCache;
    traffic::add_client(&mut lab.cluster, fast);
    for _ in 0..3 {
        lab.cluster.advance(60 * 1000);
        assert!(lab.cluster.log().len() <= 2 * LOG_KEEP, "{}", lab.cluster.log().len());
    }
    // Three minutes of 50 requests a second: far more events than kept, and the newest are there.
    let newest = lab.cluster.log().iter().rev().find_map(|e| match e {
        SimEvent::RequestSent { at, .. } => Some(at.millis()),
        _ => None,
    });
    assert!(newest.is_some_and(|t| t + 200 >= lab.cluster.now().millis()), "{newest:?} vs {:?}", lab.cluster.now());
    assert!(lab.cluster.log().len() >= LOG_KEEP);
    // Counters are not trimmed with the log.
    let served: u64 = traffic::hits(&lab.cluster).values().sum();
    assert!(served > 8_000, "{served}");
}

fn run(lab: &mut svclab_core::Lab, line: &str) -> String {
    lab.input(line).unwrap_or_default().text
}

#[test]
fn events_expire_an_hour_after_they_last_happened() {
    let mut lab = SEED_001.start(1);
    let scaled = run(&mut lab, "kubectl scale deployment api-deployment --replicas=2");
    assert!(scaled.contains("scaled"), "{}", scaled);
    run(&mut lab, "sleep 60");
    let fresh = run(&mut lab, "kubectl get events");
    assert!(fresh.contains("ScalingReplicaSet"), "{}", fresh);
    // Time moves at most 10 minutes per command.
    for _ in 0..7 {
        run(&mut lab, "sleep 600");
    }
    // Nothing was recorded since: the old events are gone all the same.
    let idle = run(&mut lab, "kubectl get events");
    assert_eq!(idle.matches("Scaled down").count(), 0, "{}", idle);
    let described = run(&mut lab, "kubectl describe deployment api-deployment");
    assert!(!described.contains("Scaled down"), "{}", described);
    run(&mut lab, "kubectl scale deployment api-deployment --replicas=3");
    let later = run(&mut lab, "kubectl get events");
    assert_eq!(later.matches("Scaled down").count(), 0, "{}", later);
    assert!(later.contains("Scaled up"), "{}", later);
    assert!(lab.cluster.kube_events().iter().all(|e| !e.message.contains("Scaled down")), "pruned when recording");
}
