//! Lab actions (`docs/ACTIONS.md`): the text form round-trips for every variant, malformed
//! lines are located errors that change nothing, each action has its effect through
//! `Lab::act`, the terminal and `svclab run` scripts accept every text form, and the view
//! model's facts (one pod status, typed DNS answers, the DNS generation).

use proptest::prelude::*;
use svclab_core::action::{self, Action};
use svclab_core::api::{Deployment, Kind, Node, Pod};
use svclab_core::cluster::config::ProxyMode;
use svclab_core::scenario::SEED_001;
use svclab_core::traffic::{ClientSpec, ConnectionMode, DnsCaching, Strategy as Pick};
use svclab_core::{view, Lab};

fn lab() -> Lab {
    Lab::start(7, &SEED_001)
}

fn client(target: &str, port: i32) -> ClientSpec {
    ClientSpec::new("default", "client", target, port)
}

fn every_variant() -> Vec<Action> {
    let mut tuned = client("headless-service", 3000);
    tuned.connection = ConnectionMode::KeepAlive;
    tuned.strategy = Pick::RoundRobin;
    tuned.dns = DnsCaching::IgnoreTtl;
    tuned.interval_ms = 250;
    vec![
        Action::Terminal("kubectl get svc".into()),
        Action::Apply { text: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n".into() },
        Action::Scale {
            kind: Kind::Deployment,
            namespace: "default".into(),
            name: "api-deployment".into(),
            replicas: 3,
        },
        Action::Scale { kind: Kind::StatefulSet, namespace: "shop".into(), name: "web".into(), replicas: 0 },
        Action::DeletePod { namespace: "default".into(), name: "client".into() },
        Action::SetReadiness { namespace: "kube-system".into(), name: "x".into(), failing: true },
        Action::SetReadiness { namespace: "default".into(), name: "x".into(), failing: false },
        Action::SetNode { name: "kind-worker".into(), running: false },
        Action::SetNode { name: "kind-worker".into(), running: true },
        Action::AddClient(client("normal-service", 80)),
        Action::AddClient(tuned.clone()),
        Action::AddClient(client("fd00:10:96::1", 80)),
        Action::UpdateClient { id: 4, spec: tuned },
        Action::RemoveClient { id: 2 },
        Action::SetProxyMode(ProxyMode::Ipvs),
        Action::SetProxyMode(ProxyMode::Nftables),
        Action::SetProxyMode(ProxyMode::Iptables),
        Action::ResetHits,
        Action::Advance { ms: 1500 },
        Action::Advance { ms: 5000 },
        Action::Advance { ms: 120_000 },
        Action::Advance { ms: 0 },
    ]
}

#[test]
fn every_variant_round_trips_through_its_text() {
    for a in every_variant() {
        let text = a.to_text();
        assert_eq!(action::parse(&text), Ok(a.clone()), "{text}");
    }
}

#[test]
fn the_documented_forms_parse() {
    let cases = [
        ("lab scale deployment/api-deployment --replicas=3", "lab scale deployment/api-deployment --replicas=3"),
        ("lab scale deploy/api-deployment --replicas 3 -n default", "lab scale deployment/api-deployment --replicas=3"),
        ("lab delete pod/web-0 -n shop", "lab delete pod/web-0 -n shop"),
        ("lab readiness fail pod/x", "lab readiness fail pod/x"),
        ("lab node stop kind-worker", "lab node stop kind-worker"),
        ("lab advance 5s", "lab advance 5s"),
        ("lab advance 1500ms", "lab advance 1500ms"),
        ("lab advance 2m", "lab advance 2m"),
        (
            "lab client add --from default/client --to normal-service:80 --conn per-request --pick first --dns-cache ttl --every 1000ms",
            "lab client add --from default/client --to normal-service:80",
        ),
        ("lab client set 3 --from default/client --to web:8080 --pick all", "lab client set 3 --from default/client --to web:8080 --pick all"),
        ("lab proxy-mode ipvs", "lab proxy-mode ipvs"),
        ("lab hits reset", "lab hits reset"),
    ];
    for (input, canonical) in cases {
        let a = action::parse(input).unwrap_or_else(|e| panic!("{input}: {e:?}"));
        assert_eq!(a.to_text(), canonical);
    }
    let apply = action::parse("lab apply <<'EOF'\nkind: Namespace\nEOF").unwrap();
    assert_eq!(apply, Action::Apply { text: "kind: Namespace\n".into() });
}

#[test]
fn an_apply_body_holding_its_delimiter_still_round_trips() {
    let a = Action::Apply { text: "a: 1\nEOF\nb: 2\n".into() };
    assert_eq!(action::parse(&a.to_text()), Ok(a));
}

#[test]
fn malformed_lines_are_located_errors() {
    let cases: &[(&str, usize, &str)] = &[
        ("lab", 4, "missing action"),
        ("lab jump", 5, "unknown action \"jump\""),
        ("lab scale deployment/api", 25, "required flag \"replicas\""),
        ("lab scale deployment/api --replicas=x", 37, "invalid argument \"x\""),
        ("lab scale service/api --replicas=1", 11, "cannot scale \"service\""),
        ("lab delete svc/x", 12, "expected pod/NAME"),
        ("lab readiness maybe pod/x", 15, "expected fail or pass"),
        ("lab node reboot kind-worker", 10, "expected stop or start"),
        ("lab advance soon", 13, "invalid duration"),
        ("lab proxy-mode userspace", 16, "unknown proxy mode"),
        ("lab client add --from client --to x:80", 23, "NAMESPACE/POD"),
        ("lab client add --from default/client --to x:99999", 43, "port from 1 to 65535"),
        ("lab client add --from default/client --to x:80 --bogus", 48, "unknown flag: --bogus"),
        ("lab hits reset now", 16, "unexpected argument \"now\""),
        ("lab apply <<EOF\nkind: x\n", 11, "here-document delimited by end-of-file"),
        ("lab apply", 10, "here-document"),
    ];
    for (line, col, words) in cases {
        let e = action::parse(line).expect_err(line);
        assert_eq!(e.pos.col, *col, "{line}: {}", e.message);
        assert!(e.message.contains(words), "{line}: {}", e.message);
        assert_eq!(e.code, "action.syntax");
    }
}

#[test]
fn a_malformed_lab_line_in_the_terminal_changes_nothing() {
    let mut l = lab();
    let before = l.cluster.resource_version();
    let out = l.input("lab scale deployment/api-deployment --replicas=lots").unwrap();
    assert_eq!(out.exit_code, 1);
    assert!(out.text.starts_with("error: invalid argument \"lots\""), "{}", out.text);
    assert_eq!(l.cluster.resource_version(), before);
}

#[test]
fn lines_that_are_not_lab_actions_are_terminal_lines() {
    assert_eq!(action::parse("kubectl get pods"), Ok(Action::Terminal("kubectl get pods".into())));
    assert_eq!(action::parse("label x"), Ok(Action::Terminal("label x".into())));
}

fn deployment(l: &Lab) -> Deployment {
    l.cluster.get::<Deployment>("default", "api-deployment").cloned().unwrap()
}

fn api_pods(l: &Lab) -> Vec<Pod> {
    l.cluster
        .list::<Pod>(Some("default"))
        .filter(|p| p.metadata.labels.get("app").map(String::as_str) == Some("api"))
        .cloned()
        .collect()
}

#[test]
fn scale_sets_replicas_bumps_generation_once_and_the_controllers_follow() {
    let mut l = lab();
    let g = deployment(&l).metadata.generation;
    let out = l.act(Action::Scale {
        kind: Kind::Deployment,
        namespace: "default".into(),
        name: "api-deployment".into(),
        replicas: 2,
    });
    assert!(out.ok());
    assert_eq!(out.output.text, "deployment.apps/api-deployment scaled\n");
    assert_eq!(deployment(&l).spec.replicas, 2);
    assert_eq!(deployment(&l).metadata.generation, g + 1);
    // The same count again is no spec change: the generation stays.
    l.act(Action::Scale {
        kind: Kind::Deployment,
        namespace: "default".into(),
        name: "api-deployment".into(),
        replicas: 2,
    });
    assert_eq!(deployment(&l).metadata.generation, g + 1);
    l.act(Action::Advance { ms: 40_000 });
    let live: Vec<Pod> = api_pods(&l).into_iter().filter(|p| p.metadata.deletion_timestamp.is_none()).collect();
    assert_eq!(live.len(), 2);
    // kubectl scale takes the same path: the same generation rule.
    let out = l.input("kubectl scale deployment api-deployment --replicas=4").unwrap();
    assert_eq!(out.text, "deployment.apps/api-deployment scaled\n");
    assert_eq!(deployment(&l).metadata.generation, g + 2);
    let missing =
        l.act(Action::Scale { kind: Kind::Deployment, namespace: "default".into(), name: "nope".into(), replicas: 1 });
    assert!(!missing.ok());
    assert_eq!(missing.output.text, "Error from server (NotFound): deployments.apps \"nope\" not found\n");
}

#[test]
fn delete_pod_terminates_it_and_the_owner_replaces_it() {
    let mut l = lab();
    let victim = api_pods(&l)[0].metadata.name.clone();
    let out = l.act(Action::DeletePod { namespace: "default".into(), name: victim.clone() });
    assert_eq!(out.output.text, format!("pod \"{victim}\" deleted\n"));
    let p = l.cluster.get::<Pod>("default", &victim).unwrap();
    assert_eq!(view::pod_status(p), "Terminating");
    l.act(Action::Advance { ms: 40_000 });
    assert!(l.cluster.get::<Pod>("default", &victim).is_none());
    assert_eq!(api_pods(&l).len(), 5);
    let again = l.act(Action::DeletePod { namespace: "default".into(), name: victim.clone() });
    assert!(!again.ok());
    assert_eq!(again.output.text, format!("Error from server (NotFound): pods \"{victim}\" not found\n"));
}

#[test]
fn readiness_fail_makes_the_pod_not_ready_and_pass_restores_it() {
    let mut l = lab();
    let name = api_pods(&l)[0].metadata.name.clone();
    l.act(Action::SetReadiness { namespace: "default".into(), name: name.clone(), failing: true });
    assert!(l.cluster.readiness_failed("default", &name));
    l.act(Action::Advance { ms: 40_000 });
    assert!(!l.cluster.get::<Pod>("default", &name).unwrap().status.ready);
    let snap = view::snapshot_of(&l.cluster);
    let headless = snap.services.iter().find(|s| s.name == "headless-service").unwrap();
    assert_eq!(headless.ready_ips().len(), 4);
    l.act(Action::SetReadiness { namespace: "default".into(), name: name.clone(), failing: false });
    l.act(Action::Advance { ms: 40_000 });
    assert!(l.cluster.get::<Pod>("default", &name).unwrap().status.ready);
}

#[test]
fn node_stop_and_start() {
    let mut l = lab();
    let out = l.act(Action::SetNode { name: "kind-worker".into(), running: false });
    assert!(out.ok(), "{}", out.output.text);
    l.act(Action::Advance { ms: 60_000 });
    assert!(!l.cluster.get::<Node>("", "kind-worker").unwrap().ready);
    l.act(Action::SetNode { name: "kind-worker".into(), running: true });
    l.act(Action::Advance { ms: 60_000 });
    assert!(l.cluster.get::<Node>("", "kind-worker").unwrap().ready);
    assert!(!l.act(Action::SetNode { name: "kind-worker9".into(), running: true }).ok());
}

#[test]
fn clients_proxy_mode_and_hits() {
    let mut l = lab();
    let before = l.cluster.traffic.clients.len();
    let out = l.act(Action::AddClient(client("normal-service", 80)));
    let id = out.client.unwrap();
    assert_eq!(l.cluster.traffic.clients.len(), before + 1);
    let mut spec = client("headless-service", 3000);
    spec.strategy = Pick::All;
    assert!(l.act(Action::UpdateClient { id, spec: spec.clone() }).ok());
    assert_eq!(l.cluster.traffic.clients[&id].spec, spec);
    l.act(Action::Advance { ms: 3000 });
    assert!(!l.cluster.traffic.hits.is_empty());
    l.act(Action::ResetHits);
    assert!(l.cluster.traffic.hits.is_empty());
    assert!(l.act(Action::RemoveClient { id }).ok());
    assert!(!l.act(Action::RemoveClient { id }).ok());
    l.act(Action::SetProxyMode(ProxyMode::Ipvs));
    assert_eq!(svclab_core::proxy::mode(&l.cluster), ProxyMode::Ipvs);
    // The lab runs at most MAX_CLIENTS clients.
    while l.cluster.traffic.clients.len() < action::MAX_CLIENTS {
        assert!(l.act(Action::AddClient(client("normal-service", 80))).ok());
    }
    let over = l.act(Action::AddClient(client("normal-service", 80)));
    assert!(!over.ok() && over.client.is_none());
}

#[test]
fn apply_is_all_or_nothing() {
    let mut l = lab();
    let good = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";
    let bad = format!("{good}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  bogus: 1\n");
    let before = l.cluster.resource_version();
    let out = l.act(Action::Apply { text: bad });
    assert!(!out.ok());
    assert!(!out.report.as_ref().unwrap().ok());
    assert_eq!(l.cluster.resource_version(), before);
    assert!(!l.cluster.namespace_exists("shop"));
    let out = l.act(Action::Apply { text: good.into() });
    assert!(out.ok(), "{}", out.output.text);
    assert_eq!(out.output.text, "namespace/shop created\n");
    assert!(l.cluster.namespace_exists("shop"));
}

#[test]
fn advance_lets_time_pass() {
    let mut l = lab();
    let t = l.cluster.now.millis();
    l.act(Action::Advance { ms: 1500 });
    assert_eq!(l.cluster.now.millis(), t + 1500);
}

#[test]
fn a_script_runs_every_action_text_form() {
    let mut l = svclab_core::scenario::SEED_001.start(3);
    let script = "\
lab apply <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: shop
EOF
lab scale deployment/api-deployment --replicas=3
lab advance 40s
kubectl get deploy api-deployment
lab readiness fail pod/client
lab readiness pass pod/client
lab node stop kind-worker
lab node start kind-worker
lab client add --from default/client --to normal-service:80 --every 500ms
lab client set 1 --from default/client --to headless-service:3000 --pick round-robin
lab advance 2s
lab hits reset
lab client remove 1
lab proxy-mode ipvs
lab delete pod/client
lab advance 1m
kubectl get ns shop
";
    let t = l.run_script(script);
    assert!(!t.failed, "{}\n{:?}", t.text, t.errors);
    assert!(t
        .text
        .contains("$ lab scale deployment/api-deployment --replicas=3\ndeployment.apps/api-deployment scaled\n"));
    assert!(t.text.contains("api-deployment   3/3     3            3"), "{}", t.text);
    assert!(t.text.contains("namespace/shop created\n"));
    assert!(t.text.contains("client 1 started\n"));
    assert!(t.text.contains("pod \"client\" deleted\n"));
    assert_eq!(svclab_core::proxy::mode(&l.cluster), ProxyMode::Ipvs);
    // Time one `lab advance` may let pass is bounded as for `sleep`.
    let out = l.input("lab advance 11m").unwrap();
    assert_eq!(out.exit_code, 1);
    assert!(out.text.contains("at most 10m per command"), "{}", out.text);
}

#[test]
fn one_pod_status_for_kubectl_and_the_page() {
    let mut l = lab();
    let victim = api_pods(&l)[0].metadata.name.clone();
    l.act(Action::DeletePod { namespace: "default".into(), name: victim.clone() });
    l.act(Action::Advance { ms: 1_000 });
    let snap = view::snapshot_of(&l.cluster);
    let table = l.input("kubectl get pods --no-headers").unwrap().text;
    for p in &snap.pods {
        let row = table.lines().find(|r| r.split_whitespace().next() == Some(p.name.as_str())).unwrap();
        assert_eq!(row.split_whitespace().nth(2), Some(p.status.as_str()), "{row}");
    }
    let statuses: Vec<&str> = snap.pods.iter().map(|p| p.status.as_str()).collect();
    assert!(statuses.contains(&"Terminating") && statuses.contains(&"Running"), "{statuses:?}");
}

#[test]
fn services_are_typed_and_coredns_has_its_own_view() {
    let l = lab();
    let snap = view::snapshot_of(&l.cluster);
    let kind_of = |n: &str| snap.services.iter().find(|s| s.name == n).map(|s| s.kind);
    assert_eq!(kind_of("normal-service"), Some(view::ServiceKind::ClusterIp));
    assert_eq!(kind_of("headless-service"), Some(view::ServiceKind::Headless));
    assert_eq!(snap.coredns.pods, 2);
    assert_eq!(snap.coredns.ready, 2);
    assert!(snap.coredns.instances.iter().all(|p| p.name.starts_with("coredns-")));
    assert!(!snap.coredns.cluster_ip.is_empty());
}

#[test]
fn typed_dns_answers_and_looking_changes_nothing() {
    let mut l = lab();
    let before = format!("{:?}", l.cluster);
    let a = view::dns_answer(&mut l.cluster, "default", "client", "headless-service");
    assert_eq!(format!("{:?}", l.cluster), before, "a look changed the cluster");
    assert_eq!(a.addresses().len(), 5);
    assert_eq!(a.fqdn.as_deref(), Some("headless-service.default.svc.cluster.local."));
    assert!(a.text.contains("Name:      headless-service"), "{}", a.text);
    let n = view::dns_answer(&mut l.cluster, "default", "client", "normal-service");
    let svc_ip =
        view::snapshot_of(&l.cluster).services.iter().find(|s| s.name == "normal-service").unwrap().cluster_ip.clone();
    assert_eq!(n.addresses(), vec![svc_ip]);
    let none = view::dns_answer(&mut l.cluster, "default", "client", "nothing-here");
    assert!(none.records.is_empty());
    assert_eq!(none.rcode, Some(svclab_core::dns::Rcode::NxDomain));
}

#[test]
fn the_dns_generation_moves_exactly_when_an_answer_may_change() {
    let mut l = lab();
    let g0 = view::dns_generation(&l.cluster);
    // Time passing with nothing changing: the same key.
    l.act(Action::Advance { ms: 5000 });
    assert_eq!(view::dns_generation(&l.cluster), g0);
    // A Corefile edit (hosts entry): answers may change.
    let cm = l.input("kubectl get cm coredns -n kube-system -o jsonpath='{.data.Corefile}'").unwrap().text;
    let edited = cm.replacen("ready", "ready\n    hosts {\n      10.1.2.3 legacy.example\n      fallthrough\n    }", 1);
    let body: String = edited.lines().map(|l| format!("    {l}\n")).collect();
    let manifest = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\ndata:\n  Corefile: |\n{body}");
    let out = l.act(Action::Apply { text: manifest });
    assert!(out.ok(), "{}", out.output.text);
    let g1 = view::dns_generation(&l.cluster);
    assert_ne!(g1, g0);
    assert_eq!(view::dns_answer(&mut l.cluster, "default", "client", "legacy.example").addresses(), vec!["10.1.2.3"]);
    // An ExternalName target change.
    let ext = |target: &str| {
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  type: ExternalName\n  externalName: {target}\n")
    };
    assert!(l.act(Action::Apply { text: ext("example.com") }).ok());
    let g2 = view::dns_generation(&l.cluster);
    assert_ne!(g2, g1);
    assert!(l.act(Action::Apply { text: ext("kubernetes.io") }).ok());
    let g3 = view::dns_generation(&l.cluster);
    assert_ne!(g3, g2);
    let a = view::dns_answer(&mut l.cluster, "default", "client", "ext");
    assert!(a.addresses().contains(&"147.75.40.148".to_string()), "{a:?}");
    // A readiness change moves a headless answer.
    let name = api_pods(&l)[0].metadata.name.clone();
    l.act(Action::SetReadiness { namespace: "default".into(), name, failing: true });
    l.act(Action::Advance { ms: 40_000 });
    assert_ne!(view::dns_generation(&l.cluster), g3);
}

#[test]
fn the_journal_replays_to_the_same_lab() {
    let mut l = lab();
    for a in [
        Action::Scale {
            kind: Kind::Deployment,
            namespace: "default".into(),
            name: "api-deployment".into(),
            replicas: 3,
        },
        Action::Advance { ms: 700 },
        Action::Advance { ms: 1300 },
        Action::Terminal("kubectl get pods".into()),
        Action::AddClient(client("normal-service", 80)),
        Action::Advance { ms: 4000 },
    ] {
        l.act(a);
    }
    l.input("cat > a.yaml <<EOF");
    l.input("kind: Namespace");
    l.input("EOF");
    // Consecutive advances merge.
    assert!(l.journal().iter().any(|e| e.action == Action::Advance { ms: 2000 }));
    let r = Lab::replay(7, &SEED_001, l.journal());
    assert_eq!(format!("{:?}", r.cluster), format!("{:?}", l.cluster));
    assert_eq!(r.journal(), l.journal());
}

fn arb_action() -> impl Strategy<Value = Action> {
    let name = "[a-z][a-z0-9-]{0,8}";
    prop_oneof![
        "[a-z][ -~]{0,20}".prop_filter("not a lab line", |s| !action::is_lab_line(s)).prop_map(Action::Terminal),
        "([a-z: ]{0,10}\n){0,4}".prop_map(|text| Action::Apply { text }),
        (prop_oneof![Just(Kind::Deployment), Just(Kind::StatefulSet), Just(Kind::ReplicaSet)], name, name, 0..2000i32)
            .prop_map(|(kind, namespace, name, replicas)| Action::Scale { kind, namespace, name, replicas }),
        (name, name).prop_map(|(namespace, name)| Action::DeletePod { namespace, name }),
        (name, name, any::<bool>()).prop_map(|(namespace, name, failing)| Action::SetReadiness {
            namespace,
            name,
            failing
        }),
        (name, any::<bool>()).prop_map(|(name, running)| Action::SetNode { name, running }),
        (name, name, name, 1..65536i32, 1..100_000u64).prop_map(|(ns, pod, target, port, every)| {
            let mut s = ClientSpec::new(&ns, &pod, &target, port);
            s.interval_ms = every;
            Action::AddClient(s)
        }),
        (0..100u64).prop_map(|id| Action::RemoveClient { id }),
        Just(Action::ResetHits),
        prop_oneof![Just(ProxyMode::Iptables), Just(ProxyMode::Ipvs), Just(ProxyMode::Nftables)]
            .prop_map(Action::SetProxyMode),
        (0..10_000_000u64).prop_map(|ms| Action::Advance { ms }),
    ]
}

proptest! {
    #[test]
    fn any_action_round_trips(a in arb_action()) {
        prop_assert_eq!(action::parse(&a.to_text()), Ok(a));
    }

    #[test]
    fn parsing_never_panics(line in "lab [ -~]{0,60}") {
        let _ = action::parse(&line);
    }
}
