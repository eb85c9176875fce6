//! The UI's own lookups (its pinned `nslookup` answers) are observations, not events: they
//! leave no trace in the logs and do not change what happens next.

use svclab_core::scenario::SEED_001;

#[test]
fn peeking_leaves_the_run_unchanged() {
    let mut watched = SEED_001.start(7);
    let mut unwatched = SEED_001.start(7);
    SEED_001.start_traffic(&mut watched);
    SEED_001.start_traffic(&mut unwatched);
    let before = watched.cluster.log().len();
    for _ in 0..5 {
        let answer = watched.peek("default", "client", "nslookup headless-service");
        assert!(answer.text.contains("Address 5:"), "{}", answer.text);
        assert_eq!(watched.cluster.log().len(), before, "a peek is not in the timeline");
    }
    watched.cluster.advance(20_000);
    unwatched.cluster.advance(20_000);
    assert_eq!(watched.cluster.log(), unwatched.cluster.log());
    assert_eq!(watched.cluster.traffic(), unwatched.cluster.traffic());
    // The same lookup through exec is a real query: it is logged.
    let n = watched.cluster.log().len();
    watched.exec("default", "client", "nslookup headless-service");
    assert!(watched.cluster.log().len() > n);
}

#[test]
fn a_corefile_reload_is_not_swallowed_by_a_peek() {
    let mut lab = SEED_001.start(7);
    // Edit the Corefile (adding the `log` plugin) without letting the controllers run.
    let cm = lab.cluster.get::<svclab_core::api::ConfigMap>("kube-system", "coredns").cloned();
    let mut cm = cm.expect("the coredns ConfigMap");
    let corefile = cm.data.get("Corefile").cloned().unwrap_or_default();
    cm.data.insert("Corefile".into(), corefile.replacen("errors", "errors\n    log", 1));
    lab.cluster.put(svclab_core::api::Object::ConfigMap(cm));
    let active = lab.cluster.dns().active.clone();
    lab.peek("default", "client", "nslookup normal-service");
    assert_eq!(lab.cluster.dns().active, active, "the look did not load the new Corefile");
    lab.cluster.settle();
    assert!(lab.cluster.dns().log.iter().any(|l| l.contains("Reloading")), "{:?}", lab.cluster.dns().log);
}
