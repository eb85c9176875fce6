//! The action journal: any sequence of lab actions, replayed from the journal on the same seed
//! and scenario, gives an identical lab (every object, the logs, the RNG state, the terminal);
//! advancing time is chunk-invariant; looking (views, typed DNS answers, peeks) leaves the lab
//! byte-identical.

use proptest::prelude::*;
use svclab_core::api::{Kind, Pod};
use svclab_core::cluster::config::ProxyMode;
use svclab_core::journal::{ReplayLimits, LINK_LIMITS};
use svclab_core::scenario::SEED_001;
use svclab_core::traffic::ClientSpec;
use svclab_core::{view, Action, Lab};

/// The canonical dump of a lab: the whole cluster as JSON (objects, timeline, events, DNS
/// and traffic state, controller bookkeeping, the RNG state, simulated time) and the terminal.
fn dump(l: &Lab) -> String {
    format!("{}\n{}", serde_json::to_string(&l.cluster).unwrap(), serde_json::to_string(&l.terminal).unwrap())
}

/// What a learner does, with pods and clients chosen by index among those that exist then.
#[derive(Clone, Debug)]
enum Op {
    Scale(i32),
    DeletePod(usize),
    Readiness(usize, bool),
    Node(usize, bool),
    AddClient(usize),
    RemoveClient(usize),
    ProxyMode(usize),
    ResetHits,
    Advance(u64),
    Terminal(usize),
    Apply(usize),
}

const NODES: [&str; 3] = ["kind-control-plane", "kind-worker", "kind-worker2"];
const TARGETS: [(&str, i32); 3] = [("normal-service", 80), ("headless-service", 3000), ("nothing-here", 80)];
const LINES: [&str; 5] = [
    "kubectl get pods -o wide",
    "nslookup headless-service",
    "curl -s normal-service",
    "kubectl scale deployment api-deployment --replicas=2",
    "sleep 3",
];
const MANIFESTS: [&str; 2] = [
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: extra\nspec:\n  selector:\n    app: api\n  ports:\n  - port: 8080\n    targetPort: 3000\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\nspec:\n  ports:\n  - port: 99999\n",
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..8i32).prop_map(Op::Scale),
        (0..8usize).prop_map(Op::DeletePod),
        (0..8usize, any::<bool>()).prop_map(|(i, f)| Op::Readiness(i, f)),
        (0..3usize, any::<bool>()).prop_map(|(i, r)| Op::Node(i, r)),
        (0..3usize).prop_map(Op::AddClient),
        (0..4usize).prop_map(Op::RemoveClient),
        (0..3usize).prop_map(Op::ProxyMode),
        Just(Op::ResetHits),
        (0..6000u64).prop_map(Op::Advance),
        (0..5usize).prop_map(Op::Terminal),
        (0..2usize).prop_map(Op::Apply),
    ]
}

fn api_pods(l: &Lab) -> Vec<String> {
    l.cluster
        .list::<Pod>(Some("default"))
        .filter(|p| p.metadata.labels.get("app").map(String::as_str) == Some("api"))
        .map(|p| p.metadata.name.clone())
        .collect()
}

fn pick<T: Clone>(v: &[T], i: usize) -> Option<T> {
    (!v.is_empty()).then(|| v[i % v.len()].clone())
}

/// The concrete action for an op in this lab's state.
fn action(l: &Lab, op: &Op) -> Action {
    let pod = |i: usize| pick(&api_pods(l), i).unwrap_or_else(|| "gone".into());
    match op {
        Op::Scale(n) => Action::Scale {
            kind: Kind::Deployment,
            namespace: "default".into(),
            name: "api-deployment".into(),
            replicas: *n,
        },
        Op::DeletePod(i) => Action::DeletePod { namespace: "default".into(), name: pod(*i) },
        Op::Readiness(i, failing) => {
            Action::SetReadiness { namespace: "default".into(), name: pod(*i), failing: *failing }
        }
        Op::Node(i, running) => Action::SetNode { name: NODES[*i].into(), running: *running },
        Op::AddClient(i) => Action::AddClient(ClientSpec::new("default", "client", TARGETS[*i].0, TARGETS[*i].1)),
        Op::RemoveClient(i) => {
            let ids: Vec<u64> = l.cluster.traffic().clients.keys().copied().collect();
            Action::RemoveClient { id: pick(&ids, *i).unwrap_or(999) }
        }
        Op::ProxyMode(i) => Action::SetProxyMode([ProxyMode::Iptables, ProxyMode::Ipvs, ProxyMode::Nftables][*i]),
        Op::ResetHits => Action::ResetHits,
        Op::Advance(ms) => Action::Advance { ms: *ms },
        Op::Terminal(i) => Action::Terminal(LINES[*i].into()),
        Op::Apply(i) => Action::Apply { text: MANIFESTS[*i].into() },
    }
}

fn run(seed: u64, ops: &[Op]) -> Lab {
    let mut l = Lab::start(seed, &SEED_001);
    for op in ops {
        let a = action(&l, op);
        l.act(a);
    }
    l
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn a_journal_replays_to_an_identical_lab(seed in 0..1000u64, ops in prop::collection::vec(op(), 1..14)) {
        let l = run(seed, &ops);
        let r = Lab::replay(seed, &SEED_001, l.journal());
        prop_assert_eq!(dump(&r), dump(&l));
        prop_assert_eq!(r.journal(), l.journal());
        // The journal's text form replays too: a script of its lines.
        let text: Vec<String> = l.journal().iter().map(|e| e.action.to_text()).collect();
        let parsed: Vec<Action> = text.iter().map(|t| svclab_core::action::parse(t).unwrap()).collect();
        let journaled: Vec<Action> = l.journal().iter().map(|e| e.action.clone()).collect();
        prop_assert_eq!(parsed, journaled);
    }

    #[test]
    fn advancing_is_chunk_invariant(seed in 0..1000u64, ops in prop::collection::vec(op(), 0..6), a in 0..4000u64, b in 0..4000u64) {
        let mut whole = run(seed, &ops);
        let mut split = whole.clone();
        whole.cluster.advance(a + b);
        split.cluster.advance(a);
        split.cluster.advance(b);
        prop_assert_eq!(dump(&whole), dump(&split));
    }

    #[test]
    fn looking_leaves_the_lab_byte_identical(seed in 0..1000u64, ops in prop::collection::vec(op(), 0..8)) {
        let l = run(seed, &ops);
        let before = dump(&l);
        let _ = view::snapshot_of(&l.cluster);
        let _ = view::dns_generation(&l.cluster);
        for name in ["headless-service", "normal-service", "kubernetes.default", "example.com", "nothing-here"] {
            let _ = view::dns_answer(&l.cluster, "default", "client", name);
        }
        let _ = l.peek("default", "client", "nslookup headless-service");
        let _ = l.peek("default", "client", "curl -s normal-service");
        prop_assert_eq!(dump(&l), before);
    }
}

#[test]
fn undo_is_a_replay_without_the_last_action() {
    let mut l = Lab::start(5, &SEED_001);
    l.act(Action::Advance { ms: 2000 });
    let before = dump(&l);
    let victim = api_pods(&l)[0].clone();
    l.act(Action::DeletePod { namespace: "default".into(), name: victim });
    let journal = l.journal();
    let undone = Lab::replay(5, &SEED_001, &journal[..journal.len() - 1]);
    assert_eq!(dump(&undone), before);
}

#[test]
fn a_journal_survives_its_text_form() {
    let mut l = Lab::start(9, &SEED_001);
    l.act(Action::Apply { text: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n".into() });
    l.input("cat > f.yaml <<EOF");
    l.input("lab scale deployment/api-deployment --replicas=1");
    l.input("EOF");
    l.input("lab scale deployment/api-deployment --replicas=2");
    l.act(Action::Advance { ms: 3000 });
    l.act(Action::SetProxyMode(ProxyMode::Ipvs));
    l.interrupt();
    let actions: Vec<Action> = l.journal().iter().map(|e| e.action.clone()).collect();
    let text = svclab_core::action::journal_text(&actions);
    assert_eq!(svclab_core::action::parse_journal(&text), Ok(actions.clone()));
    let entries: Vec<svclab_core::JournalEntry> =
        actions.into_iter().map(|action| svclab_core::JournalEntry { at_ms: 0, action }).collect();
    assert_eq!(dump(&Lab::replay(9, &SEED_001, &entries)), dump(&l));
    let bad = svclab_core::action::parse_journal("$ ls\nlab jump\n").unwrap_err();
    assert_eq!(bad.pos.line, 2);
}

#[test]
fn rewinding_rebuilds_the_lab_at_an_earlier_time() {
    let mut l = Lab::start(4, &SEED_001);
    l.act(Action::Advance { ms: 10_000 });
    let at_t = dump(&l);
    let t = l.cluster.now().millis();
    l.act(Action::Scale {
        kind: Kind::Deployment,
        namespace: "default".into(),
        name: "api-deployment".into(),
        replicas: 1,
    });
    l.act(Action::Advance { ms: 60_000 });
    let rewound = Lab::replay_until(Lab::start(4, &SEED_001), l.journal(), t);
    assert_eq!(rewound.cluster.now().millis(), t);
    assert_eq!(dump(&rewound), at_t);
    // Part-way through an advance.
    let mid = Lab::replay_until(Lab::start(4, &SEED_001), l.journal(), t + 30_000);
    let mut expect = Lab::replay_until(Lab::start(4, &SEED_001), l.journal(), t);
    expect.act(Action::Scale {
        kind: Kind::Deployment,
        namespace: "default".into(),
        name: "api-deployment".into(),
        replicas: 1,
    });
    expect.act(Action::Advance { ms: 30_000 });
    assert_eq!(dump(&mid), dump(&expect));
    // Undo drops the scale and keeps the time that passed after it.
    let undone = svclab_core::undo_last(l.journal()).unwrap();
    let u = Lab::replay(4, &SEED_001, &undone);
    assert_eq!(u.cluster.now(), l.cluster.now());
    assert_eq!(u.cluster.get::<svclab_core::api::Deployment>("default", "api-deployment").unwrap().spec.replicas, 5);
}

#[test]
fn playing_forward_from_a_rewind_returns_to_the_present() {
    let mut l = Lab::start(8, &SEED_001);
    l.act(Action::Advance { ms: 3_000 });
    let t0 = l.cluster.now().millis();
    l.act(Action::SetReadiness { namespace: "default".into(), name: api_pods(&l)[1].clone(), failing: true });
    l.act(Action::Advance { ms: 40_000 });
    l.act(Action::AddClient(ClientSpec::new("default", "client", "normal-service", 80)));
    l.act(Action::Advance { ms: 20_000 });
    let present = l.journal().to_vec();
    let end = l.cluster.now().millis();
    let mut r = Lab::replay_until(Lab::start(8, &SEED_001), &present, t0 + 1_000);
    // In frames of 100 ms, as the page's clock plays.
    let mut t = r.cluster.now().millis();
    while t < end {
        t = (t + 100).min(end);
        r.play_forward(&present, t);
    }
    assert_eq!(dump(&r), dump(&l));
}

fn entries(actions: Vec<Action>) -> Vec<svclab_core::JournalEntry> {
    actions.into_iter().map(|action| svclab_core::JournalEntry { at_ms: 0, action }).collect()
}

fn sleep(line: &str) -> Action {
    Action::Terminal(line.into())
}

#[test]
fn a_replay_within_its_limits_is_the_plain_replay() {
    let j = entries(vec![Action::Advance { ms: 4_000 }, sleep("sleep 3"), sleep("kubectl get pods")]);
    let limits = ReplayLimits { max_actions: 3, max_ms: 7_000 };
    let (lab, stop) = Lab::replay_bounded(Lab::start(3, &SEED_001), &j, limits);
    assert_eq!(stop, None);
    assert!(dump(&lab) == dump(&Lab::replay(3, &SEED_001, &j)), "the bounded replay differs");
}

#[test]
fn a_replay_stops_before_the_entry_that_crosses_its_time_limit() {
    // Inside one terminal line: the second sleep would cross 25 s. The lab kept is the one
    // before that entry, not a half-run line.
    let j = entries(vec![
        Action::Advance { ms: 5_000 },
        sleep("sleep 10"),
        sleep("sleep 5; sleep 20"),
        sleep("kubectl get pods"),
    ]);
    let start = Lab::start(6, &SEED_001);
    let t0 = start.cluster.now().millis();
    let (lab, stop) = Lab::replay_bounded(start, &j, ReplayLimits { max_actions: 100, max_ms: 25_000 });
    let stop = stop.expect("the limit is crossed");
    assert_eq!(stop.entry, 2);
    assert_eq!(stop.diagnostic.code, "journal.limit_time");
    assert_eq!(stop.diagnostic.pos.line, 3);
    let m = &stop.diagnostic.message;
    assert!(m.contains("entry 3 of 4") && m.contains("`$ sleep 5; sleep 20`") && m.contains("25s"), "{m}");
    assert_eq!(lab.cluster.now().millis(), t0 + 15_000);
    assert!(dump(&lab) == dump(&Lab::replay(6, &SEED_001, &j[..2])), "not the lab before the entry");
    assert_eq!(lab.journal().len(), 2);
    // An advance that would cross it is not run at all.
    let j = entries(vec![Action::Advance { ms: 20_000 }, Action::Advance { ms: 10_000 }]);
    let (lab, stop) =
        Lab::replay_bounded(Lab::start(6, &SEED_001), &j, ReplayLimits { max_actions: 100, max_ms: 25_000 });
    assert_eq!(stop.map(|s| s.entry), Some(1));
    assert_eq!(lab.cluster.now().millis(), t0 + 20_000);
}

#[test]
fn a_hostile_journal_of_sleeps_costs_no_more_than_the_limit() {
    // Thousands of `sleep 600` (each within the per-command limit): the replay stops at the
    // limit after a handful of them, whatever follows.
    let j = entries((0..5_000).map(|_| sleep("sleep 600")).collect());
    let start = Lab::new(svclab_core::ClusterConfig::default(), 1);
    let t0 = start.cluster.now().millis();
    let work0 = start.cluster.work();
    let limits = ReplayLimits { max_actions: LINK_LIMITS.max_actions, max_ms: 30 * 60 * 1000 };
    let (lab, stop) = Lab::replay_bounded(start, &j, limits);
    let stop = stop.expect("the limit is crossed");
    assert_eq!(stop.entry, 3, "three sleeps fit in 30 minutes, the fourth crosses");
    assert!(stop.diagnostic.message.contains("30m"), "{}", stop.diagnostic.message);
    assert_eq!(lab.cluster.now().millis(), t0 + 30 * 60 * 1000);
    // At most the limit's ticks, twice (the run that found the crossing, and the replay up to it).
    let ticks = 2 * (limits.max_ms / svclab_core::cluster::TICK_MS);
    assert!(lab.cluster.work() - work0 < ticks * 20, "{}", lab.cluster.work() - work0);
    // The count limit: entries past it are not replayed.
    let j = entries((0..10).map(|_| sleep("kubectl get pods")).collect());
    let (lab, stop) =
        Lab::replay_bounded(Lab::start(1, &SEED_001), &j, ReplayLimits { max_actions: 4, max_ms: 60_000 });
    assert_eq!(stop.as_ref().map(|s| s.entry), Some(4));
    assert!(stop.unwrap().diagnostic.message.contains("at most 4 actions"));
    assert_eq!(lab.journal().len(), 4);
}

#[test]
fn the_deadline_is_lifted_after_a_bounded_replay() {
    let j = entries(vec![sleep("sleep 30")]);
    let (mut lab, stop) =
        Lab::replay_bounded(Lab::start(2, &SEED_001), &j, ReplayLimits { max_actions: 10, max_ms: 10_000 });
    assert_eq!(stop.map(|s| s.entry), Some(0));
    let t = lab.cluster.now().millis();
    lab.act(Action::Advance { ms: 60_000 });
    assert_eq!(lab.cluster.now().millis(), t + 60_000);
    assert!(!lab.cluster.out_of_budget());
}

#[test]
fn the_timeline_marks_every_action_but_time_passing() {
    let mut l = Lab::start(7, &SEED_001);
    l.act(Action::Advance { ms: 2_000 });
    let t1 = l.cluster.now().millis();
    l.act(Action::Scale {
        kind: Kind::Deployment,
        namespace: "default".into(),
        name: "api-deployment".into(),
        replicas: 2,
    });
    l.act(Action::Advance { ms: 3_000 });
    l.input("nslookup headless-service");
    l.act(Action::Apply { text: format!("{}{}", MANIFESTS[0], "x".repeat(200)) });
    let marks = svclab_core::journal::marks(l.journal());
    assert_eq!(marks.len(), 3);
    assert_eq!(marks[0].at_ms, t1);
    assert_eq!(marks[0].text, "lab scale deployment/api-deployment --replicas=2");
    assert_eq!(marks[1].at_ms, t1 + 3_000);
    assert_eq!(marks[1].text, "$ nslookup headless-service");
    assert_eq!(marks[2].text, "lab apply <<EOF");
}

/// A session the way the page records it: 100 ms frames, an action now and then.
fn long_session(seed: u64, minutes: u64) -> Lab {
    let mut l = Lab::start(seed, &SEED_001);
    l.act(Action::AddClient(ClientSpec::new("default", "client", "normal-service", 80)));
    for i in 0..minutes * 600 {
        l.act(Action::Advance { ms: 100 });
        if i % 450 == 200 {
            let pods = api_pods(&l);
            l.act(Action::SetReadiness {
                namespace: "default".into(),
                name: pods[i as usize % pods.len()].clone(),
                failing: i % 900 == 200,
            });
        }
    }
    l
}

#[test]
fn seeking_through_checkpoints_gives_the_plain_replay() {
    use svclab_core::checkpoints::Checkpoints;
    let l = long_session(5, 4);
    let journal = l.journal().to_vec();
    let end = l.cluster.now().millis();
    let start = || Lab::start(5, &SEED_001);
    let b = start().cluster.now().millis();
    let mut cp = Checkpoints::new();
    // Back and forth, as a learner drags the timeline: later, earlier, on a checkpoint, at the end.
    for t in [end - 1_000, b + 95_000, b + 200_000, b + 20_000, 120_000, b, b + 30_000, end] {
        let via = cp.replay_until(start, &journal, t);
        let plain = Lab::replay_until(start(), &journal, t);
        assert_eq!(via.cluster.now().millis(), t);
        assert_eq!(dump(&via), dump(&plain), "at {t} ms");
    }
    assert!(!cp.is_empty(), "seeking left checkpoints");
    assert!(cp.len() <= svclab_core::checkpoints::MAX_KEPT);
    // A seek after the first one starts from a checkpoint: the base is not rebuilt.
    let via = cp.replay_until(|| panic!("the base was rebuilt"), &journal, end - 5_000);
    assert_eq!(dump(&via), dump(&Lab::replay_until(start(), &journal, end - 5_000)));
}

#[test]
fn checkpoints_follow_a_journal_that_changed() {
    use svclab_core::checkpoints::Checkpoints;
    let l = long_session(6, 2);
    let journal = l.journal().to_vec();
    let start = || Lab::start(6, &SEED_001);
    let end = l.cluster.now().millis();
    let mut cp = Checkpoints::new();
    cp.replay_until(start, &journal, end - 1);
    assert!(cp.len() >= 10, "{:?}", cp.times());
    let last = cp.times().last().copied();
    // The present's last advance growing (time passing) keeps every checkpoint, those inside
    // that advance included.
    let mut longer = journal.clone();
    match longer.last_mut() {
        Some(svclab_core::JournalEntry { action: Action::Advance { ms }, .. }) => *ms += 5_000,
        other => panic!("the session ends with time passing: {other:?}"),
    }
    assert_eq!(cp.start_time(&longer, end - 1), last);
    // Undo rewrites the journal after its last action: the checkpoints before it are still
    // used (the base is not rebuilt), those after it are dropped, and the seek is still the
    // plain replay of the new journal.
    let undone = svclab_core::undo_last(&journal).unwrap();
    let undone_at = journal.iter().rev().find(|e| !matches!(e.action, Action::Advance { .. })).unwrap().at_ms;
    let from = cp.start_time(&undone, end - 1).expect("a checkpoint before the undone action");
    assert!(from <= undone_at && cp.times().iter().all(|t| *t <= undone_at), "{from} {undone_at} {:?}", cp.times());
    let via = cp.replay_until(|| panic!("the base was rebuilt"), &undone, end - 1);
    assert_eq!(dump(&via), dump(&Lab::replay_until(start(), &undone, end - 1)));
    assert_ne!(dump(&via), dump(&Lab::replay_until(start(), &journal, end - 1)), "the undone action mattered");
}

#[test]
fn checkpoints_stay_within_their_budget() {
    use svclab_core::checkpoints::{Checkpoints, BUDGET_ITEMS, MAX_KEPT};
    let l = long_session(7, 30);
    let journal = l.journal().to_vec();
    let end = l.cluster.now().millis();
    let mut cp = Checkpoints::new();
    let via = cp.replay_until(|| Lab::start(7, &SEED_001), &journal, end - 1);
    assert!(cp.len() <= MAX_KEPT && cp.items() <= BUDGET_ITEMS, "{} labs, {} items", cp.len(), cp.items());
    assert!(cp.len() >= 4, "thinned, not emptied: {:?}", cp.times());
    let times = cp.times();
    let gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.windows(2).all(|g| g[0] == g[1]), "evenly spaced: {times:?}");
    assert_eq!(dump(&via), dump(&Lab::replay_until(Lab::start(7, &SEED_001), &journal, end - 1)));
}
