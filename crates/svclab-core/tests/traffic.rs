//! Clients and traffic: curl/wget wording, client strategies, keep-alive, DNS caching, events.

use std::collections::BTreeMap;
use svclab_core::api::{Deployment, Pod};
use svclab_core::cluster::SimEvent;
use svclab_core::traffic::{self, ClientSpec, ConnectionMode, DnsCaching, Strategy, TrafficError};
use svclab_core::{ClusterConfig, Lab};

const APP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: eddiehale/hellonodeapi
        ports:
        - containerPort: 3000
---
apiVersion: v1
kind: Service
metadata:
  name: normal-service
spec:
  selector:
    app: api
  ports:
  - protocol: TCP
    port: 80
    targetPort: 3000
---
apiVersion: v1
kind: Service
metadata:
  name: headless-service
spec:
  clusterIP: None
  selector:
    app: api
  ports:
  - protocol: TCP
    port: 80
    targetPort: 3000
---
apiVersion: v1
kind: Service
metadata:
  name: empty-service
spec:
  selector:
    app: nothing
  ports:
  - port: 80
";

const HEADLESS: &str = "headless-service.default.svc.cluster.local";
const NORMAL: &str = "normal-service.default.svc.cluster.local";

fn lab() -> Lab {
    let mut lab = Lab::new(ClusterConfig::default(), 7);
    let r = svclab_core::apply::apply_text(&mut lab.cluster, APP, "app.yaml", "default");
    assert!(r.ok(), "{}", r.output());
    lab.cluster.advance(20_000);
    lab
}

fn api_pods(lab: &Lab) -> Vec<String> {
    lab.cluster
        .list::<Pod>(Some("default"))
        .filter(|p| p.metadata.name.starts_with("api-deployment-"))
        .map(|p| p.metadata.name.clone())
        .collect()
}

fn client(target: &str, port: i32) -> ClientSpec {
    ClientSpec { interval_ms: 500, ..ClientSpec::new("lab", "toolbox", target, port) }
}

/// Events since index `from`.
fn events_since(lab: &Lab, from: usize) -> Vec<SimEvent> {
    lab.cluster.log().get(from..).unwrap_or_default().to_vec()
}

#[test]
fn curl_and_wget_print_what_the_real_tools_print() {
    let mut lab = lab();
    let pods = api_pods(&lab);
    // (shell image, command, expected output: exact text or a prefix ending in "…")
    let cases: Vec<(&str, String, String)> = vec![
        ("toolbox", "curl normal-service.default".into(), "Hello from api-deployment-…".into()),
        ("toolbox", format!("curl http://{}:3000/", ip_of(&lab, &pods[0])), format!("Hello from {}\n", pods[0])),
        ("toolbox", "curl nosuch".into(), "curl: (6) Could not resolve host: nosuch\n".into()),
        (
            "toolbox",
            "curl empty-service.default".into(),
            "curl: (7) Failed to connect to empty-service.default port 80 after …".into(),
        ),
        ("toolbox", format!("curl {}:8080", ip_of(&lab, &pods[0])), "curl: (7) Failed to connect to …".into()),
        ("toolbox", "curl -s nosuch".into(), String::new()),
        (
            "toolbox",
            "curl --connect-timeout 5 10.96.200.200".into(),
            "curl: (28) Failed to connect to 10.96.200.200 port 80 after 5006 ms: Timeout was reached\n".into(),
        ),
        (
            "toolbox",
            "curl -m 2 10.96.200.200".into(),
            "curl: (28) Connection timed out after 2001 milliseconds\n".into(),
        ),
        (
            "toolbox",
            "curl http://x:70000/".into(),
            "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n".into(),
        ),
        // The API server behind the `kubernetes` Service speaks only TLS.
        (
            "toolbox",
            "curl https://kubernetes.default".into(),
            "curl: (60) SSL certificate problem: unable to get local issuer certificate\n…".into(),
        ),
        ("toolbox", "curl -k https://kubernetes.default".into(), "{\n  \"kind\": \"Status\",…".into()),
        (
            "toolbox",
            "curl http://kubernetes.default:443".into(),
            "Client sent an HTTP request to an HTTPS server.\n".into(),
        ),
        (
            "toolbox",
            "curl https://normal-service.default:80".into(),
            "curl: (35) OpenSSL/3.3.2: error:0A00010B:SSL routines::wrong version number\n".into(),
        ),
        ("busybox:1.28", "wget -qO- normal-service".into(), "Hello from api-deployment-…".into()),
        ("busybox:1.28", "wget -qO- nosuch".into(), "wget: bad address 'nosuch'\n".into()),
        ("busybox:1.28", "curl normal-service".into(), "sh: curl: not found\n".into()),
        (
            "nginx",
            "curl -s localhost".into(),
            "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>…".into(),
        ),
    ];
    let empty_ip = lab
        .cluster
        .get::<svclab_core::api::Service>("default", "empty-service")
        .and_then(|s| s.spec.cluster_ip.clone())
        .unwrap_or_default();
    let mut shells: BTreeMap<&str, String> = BTreeMap::new();
    for (i, (image, line, want)) in cases.iter().enumerate() {
        let (ns, pod) = match *image {
            "toolbox" => ("lab".to_string(), "toolbox".to_string()),
            img => {
                let name = shells.entry(img).or_insert_with(|| format!("shell-{i}")).clone();
                if lab.cluster.get::<Pod>("default", &name).is_none() {
                    lab.input(&format!("kubectl run {name} --image={img} --restart=Never"));
                    lab.cluster.advance(5_000);
                }
                ("default".to_string(), name)
            }
        };
        let out = lab.exec(&ns, &pod, line).text;
        match want.strip_suffix('…') {
            Some(prefix) => assert!(out.starts_with(prefix), "{line}: {out:?}"),
            None => assert_eq!(&out, want, "{line}"),
        }
    }
    // busybox wget on a Service with no endpoints: REJECT ⇒ refused.
    let out = lab
        .exec("default", shells.get("busybox:1.28").map(String::as_str).unwrap_or(""), "wget -qO- empty-service")
        .text;
    assert_eq!(out, format!("wget: can't connect to remote host ({empty_ip}): Connection refused\n"));
}

fn ip_of(lab: &Lab, pod: &str) -> String {
    lab.cluster.get::<Pod>("default", pod).and_then(|p| p.status.pod_ip.clone()).unwrap_or_default()
}

#[test]
fn pick_first_always_picks_the_first_answer() {
    let mut lab = lab();
    let from = lab.cluster.log().len();
    traffic::add_client(&mut lab.cluster, ClientSpec { dns: DnsCaching::NoCache, ..client(HEADLESS, 3000) });
    lab.cluster.advance(20_000);
    let mut first_answer: BTreeMap<u64, String> = BTreeMap::new();
    let mut checked = 0;
    let mut distinct_first = std::collections::BTreeSet::new();
    for e in events_since(&lab, from) {
        match e {
            SimEvent::NameResolved { request, addresses, .. } => {
                assert_eq!(addresses.len(), 3);
                distinct_first.insert(addresses[0].clone());
                first_answer.insert(request, addresses[0].clone());
            }
            SimEvent::ConnectionOpened { request, dst_ip, .. } => {
                assert_eq!(first_answer.get(&request), Some(&dst_ip));
                checked += 1;
            }
            SimEvent::ProxyDecided { .. } => panic!("a headless name never goes through kube-proxy"),
            _ => {}
        }
    }
    assert!(checked >= 35, "{checked}");
    // CoreDNS's loadbalance shuffles the answers, so "first" moves between pods.
    assert!(distinct_first.len() > 1);
}

#[test]
fn round_robin_over_answers_spreads_exactly() {
    let mut lab = lab();
    traffic::add_client(
        &mut lab.cluster,
        ClientSpec { strategy: Strategy::RoundRobin, dns: DnsCaching::IgnoreTtl, ..client(HEADLESS, 3000) },
    );
    lab.cluster.advance(30_000);
    let hits = traffic::hits(&lab.cluster);
    let counts: Vec<u64> =
        api_pods(&lab).iter().map(|p| hits.get(&format!("default/{p}")).copied().unwrap_or(0)).collect();
    let (min, max) = (counts.iter().min().copied().unwrap_or(0), counts.iter().max().copied().unwrap_or(0));
    assert!(min > 15 && max - min <= 1, "{counts:?}");
}

#[test]
fn connect_to_all_fans_out_to_every_pod() {
    let mut lab = lab();
    let id = traffic::add_client(&mut lab.cluster, ClientSpec { strategy: Strategy::All, ..client(HEADLESS, 3000) });
    lab.cluster.advance(5_000);
    let c = lab.cluster.traffic().clients.get(&id).cloned().unwrap_or_else(|| panic!("client"));
    let hits = traffic::hits(&lab.cluster);
    for p in api_pods(&lab) {
        assert_eq!(hits.get(&format!("default/{p}")).copied(), Some(c.sent), "{p}");
    }
}

#[test]
fn lowest_latency_sticks_to_the_nearest_pod() {
    let mut lab = lab();
    traffic::add_client(&mut lab.cluster, ClientSpec { strategy: Strategy::LowestLatency, ..client(HEADLESS, 3000) });
    lab.cluster.advance(10_000);
    assert_eq!(traffic::hits(&lab.cluster).len(), 1, "{:?}", traffic::hits(&lab.cluster));
}

#[test]
fn cluster_ip_spreads_new_connections_but_keep_alive_stays_on_one_pod() {
    let mut lab = lab();
    let id = traffic::add_client(&mut lab.cluster, client(NORMAL, 80));
    lab.cluster.advance(30_000);
    assert_eq!(traffic::hits(&lab.cluster).len(), 3, "per-request connections reach every pod");
    traffic::remove_client(&mut lab.cluster, id);

    let mut lab = self::lab();
    let id = traffic::add_client(
        &mut lab.cluster,
        ClientSpec { connection: ConnectionMode::KeepAlive, ..client(NORMAL, 80) },
    );
    lab.cluster.advance(30_000);
    let hits = traffic::hits(&lab.cluster);
    assert_eq!(hits.len(), 1, "a long-lived connection stays on its pod: {hits:?}");
    // Delete that pod: the connection is reset and the client reconnects elsewhere.
    let pinned = hits.keys().next().cloned().unwrap_or_default();
    let name = pinned.trim_start_matches("default/").to_string();
    lab.input(&format!("kubectl delete pod {name} --grace-period=0 --force"));
    lab.cluster.advance(5_000);
    let c = lab.cluster.traffic().clients.get(&id).cloned().unwrap_or_else(|| panic!("client"));
    assert_ne!(c.last_pod.as_deref(), Some(pinned.as_str()));
    assert!(lab
        .cluster
        .log()
        .iter()
        .any(|e| matches!(e, SimEvent::ConnectionClosed { reason, .. } if reason.contains("pod went away"))));
}

#[test]
fn stale_dns_cache_keeps_dialling_gone_pods() {
    // (caching, expect failures after the scale-down once the TTL (30 s) has passed)
    for (caching, stale_after_ttl) in [(DnsCaching::IgnoreTtl, true), (DnsCaching::HonorTtl, false)] {
        let mut lab = lab();
        let id = traffic::add_client(
            &mut lab.cluster,
            ClientSpec { strategy: Strategy::RoundRobin, dns: caching, ..client(HEADLESS, 3000) },
        );
        lab.cluster.advance(3_000);
        if let Some(d) = lab.cluster.get_mut::<Deployment>("default", "api-deployment") {
            d.spec.replicas = 1;
        }
        lab.cluster.advance(40_000);
        let before = lab.cluster.traffic().clients.get(&id).map(|c| c.failed).unwrap_or(0);
        lab.cluster.advance(10_000);
        let c = lab.cluster.traffic().clients.get(&id).cloned().unwrap_or_else(|| panic!("client"));
        let new_failures = c.failed - before;
        assert_eq!(new_failures > 0, stale_after_ttl, "{caching:?}: {new_failures} failures, last {:?}", c.last_error);
        if stale_after_ttl {
            assert!(
                matches!(c.last_error, Some(TrafficError::NoRoute { .. }) | Some(TrafficError::Refused { .. })),
                "{:?}",
                c.last_error
            );
        }
    }
}

#[test]
fn a_request_through_a_service_tells_its_whole_path() {
    let mut lab = lab();
    let from = lab.cluster.log().len();
    let out = lab.exec("lab", "toolbox", "curl normal-service.default");
    assert!(out.text.starts_with("Hello from "));
    let kinds: Vec<&'static str> = events_since(&lab, from)
        .iter()
        .map(|e| match e {
            SimEvent::RequestSent { .. } => "sent",
            SimEvent::DnsQueried { .. } => "dns",
            SimEvent::NameResolved { .. } => "resolved",
            SimEvent::ProxyDecided { .. } => "proxy",
            SimEvent::ConnectionOpened { .. } => "open",
            SimEvent::ResponseReceived { .. } => "response",
            SimEvent::ConnectionClosed { .. } => "close",
            _ => "other",
        })
        .filter(|k| *k != "other")
        .collect();
    assert_eq!(kinds.first(), Some(&"sent"));
    let tail: Vec<&str> = kinds.iter().copied().skip_while(|k| *k != "resolved").collect();
    assert_eq!(tail, ["resolved", "proxy", "open", "response", "close"], "{kinds:?}");
    assert!(kinds.contains(&"dns"));
    let decision = events_since(&lab, from).into_iter().find_map(|e| match e {
        SimEvent::ProxyDecided { decision, .. } => Some(decision),
        _ => None,
    });
    let d = decision.unwrap_or_else(|| panic!("no ProxyDecided event"));
    assert!(d.rule.starts_with("-A KUBE-SVC-") && d.rule.contains("default/normal-service -> "), "{}", d.rule);
    assert!(matches!(d.verdict, svclab_core::proxy::Verdict::Dnat { port: 3000, .. }), "{:?}", d.verdict);
    assert_eq!(d.chains.first().map(String::as_str), Some("KUBE-SERVICES"));
}

#[test]
fn clients_are_plain_serializable_data() {
    let mut lab = lab();
    let id = traffic::add_client(
        &mut lab.cluster,
        ClientSpec { connection: ConnectionMode::KeepAlive, ..client(NORMAL, 80) },
    );
    lab.cluster.advance(3_000);
    let json = serde_json::to_string(&(&lab.cluster.traffic(), &lab.cluster.proxy())).unwrap_or_else(|e| panic!("{e}"));
    let back: (traffic::TrafficState, svclab_core::proxy::ProxyState) =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.0, *lab.cluster.traffic());
    assert!(!back.0.clients.is_empty());
    assert_eq!(back.1, *lab.cluster.proxy());
    assert!(traffic::update_client(&mut lab.cluster, id, client(HEADLESS, 3000)));
    assert!(traffic::remove_client(&mut lab.cluster, id));
    assert!(!traffic::remove_client(&mut lab.cluster, id));
}

#[test]
fn same_seed_same_traffic() {
    let run = || {
        let mut lab = lab();
        traffic::add_client(&mut lab.cluster, ClientSpec { strategy: Strategy::Random, ..client(HEADLESS, 3000) });
        traffic::add_client(&mut lab.cluster, client(NORMAL, 80));
        lab.cluster.advance(20_000);
        (traffic::hits(&lab.cluster), lab.cluster.log().len())
    };
    assert_eq!(run(), run());
}

#[test]
fn a_nodeport_answers_clients_outside_the_cluster() {
    let mut lab = lab();
    let svc = "apiVersion: v1
kind: Service
metadata:
  name: api-nodeport
spec:
  type: NodePort
  selector:
    app: api
  ports:
  - port: 80
    targetPort: 3000
    nodePort: 30080
";
    let r = svclab_core::apply::apply_text(&mut lab.cluster, svc, "np.yaml", "default");
    assert!(r.ok(), "{}", r.output());
    lab.cluster.advance(2_000);
    let node_ip = lab
        .cluster
        .get::<svclab_core::api::Node>("", "kind-worker")
        .and_then(|n| n.addresses.first().cloned())
        .unwrap_or_default();
    let laptop = traffic::Source::external("192.168.1.10");
    let id = traffic::begin_request(&mut lab.cluster, &laptop, &node_ip, 30080);
    let resp = traffic::request_once(&mut lab.cluster, id, &laptop, &node_ip, 30080);
    assert!(resp.as_ref().is_ok_and(|r| r.body.starts_with("Hello from api-deployment-")), "{resp:?}");
    // A port no Service uses on the node address: refused by the node.
    let id = traffic::begin_request(&mut lab.cluster, &laptop, &node_ip, 30081);
    let resp = traffic::request_once(&mut lab.cluster, id, &laptop, &node_ip, 30081);
    assert_eq!(resp.err(), Some(TrafficError::Refused { ip: node_ip.clone(), port: 30081 }));
    // From a pod shell, curl to the node port works too.
    let out = lab.exec("lab", "toolbox", &format!("curl -s {node_ip}:30080"));
    assert!(out.text.starts_with("Hello from api-deployment-"), "{:?}", out.text);
}

#[test]
fn ipv6_only_clusters_resolve_aaaa_and_route_through_ipvs() {
    let cfg = ClusterConfig::from_kind_yaml(
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: ipv6\n  kubeProxyMode: ipvs\n",
    )
    .0;
    let mut lab = Lab::new(cfg, 3);
    let r = svclab_core::apply::apply_text(&mut lab.cluster, APP, "app.yaml", "default");
    assert!(r.ok(), "{}", r.output());
    lab.cluster.advance(20_000);
    let out = lab.exec("lab", "toolbox", "curl -v normal-service.default");
    assert!(out.text.starts_with("*   Trying [fd00:10:96::"), "{}", out.text);
    assert!(out.text.contains("Hello from api-deployment-"), "{}", out.text);
    // Three requests, three pods: IPVS round robin.
    for _ in 0..2 {
        lab.exec("lab", "toolbox", "curl normal-service.default");
    }
    assert_eq!(traffic::hits(&lab.cluster).len(), 3, "{:?}", traffic::hits(&lab.cluster));
}

/// Demo images answer as the real images do: registry.k8s.io/serve_hostname its bare hostname
/// (agnhost serve_hostname.go `fmt.Fprintf(w, "%s", hostname)` on 9376; the Debug Services
/// walkthrough), hashicorp/http-echo its `-text` and a newline on 5678 (`fmt.Fprintln`), nginx
/// its welcome page; an image the lab does not simulate says so instead of answering like another.
#[test]
fn demo_images_answer_as_the_real_ones() {
    let mut lab = Lab::new(ClusterConfig::default(), 5);
    let text = "apiVersion: v1
kind: Pod
metadata:
  name: hostnames-a
spec:
  containers:
  - name: hostnames
    image: registry.k8s.io/serve_hostname
---
apiVersion: v1
kind: Pod
metadata:
  name: echo
spec:
  containers:
  - name: echo
    image: hashicorp/http-echo:1.0
    args: [\"-text=hello from echo\", \"-listen=:8080\"]
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: mystery
spec:
  containers:
  - name: m
    image: example.com/team/mystery:2
    ports:
    - containerPort: 7000
";
    let r = svclab_core::apply::apply_text(&mut lab.cluster, text, "pods.yaml", "default");
    assert!(r.ok(), "{r:?}");
    lab.cluster.advance(30_000);
    let ip = |lab: &Lab, p: &str| ip_of(lab, p);
    let cases = [
        (format!("curl -s http://{}:9376/", ip(&lab, "hostnames-a")), "hostnames-a".to_string()),
        (format!("curl -s http://{}:8080/", ip(&lab, "echo")), "hello from echo\n".to_string()),
        (
            format!("curl -s http://{}:7000/", ip(&lab, "mystery")),
            "Service Lab does not simulate image \"example.com/team/mystery:2\"; pod mystery accepted the connection\n"
                .to_string(),
        ),
    ];
    for (cmd, want) in cases {
        let out = lab.exec("lab", "toolbox", &cmd);
        assert_eq!(out.text, want, "{cmd}");
    }
    let out = lab.exec("lab", "toolbox", &format!("curl -s http://{}/", ip(&lab, "web")));
    assert!(out.text.contains("<title>Welcome to nginx!</title>"), "{}", out.text);
    // http-echo does not listen on its default port once -listen moves it.
    let out = lab.exec("lab", "toolbox", &format!("curl -s http://{}:5678/", ip(&lab, "echo")));
    assert_ne!(out.exit_code, 0);
}

#[test]
fn each_client_counts_its_own_hits_and_they_add_up_to_the_pods_counters() {
    let mut lab = lab();
    // The ClusterIP client: kube-proxy spreads new connections; the headless one caches its
    // answer for the TTL and stays on the pod it picked first.
    let vip = traffic::add_client(&mut lab.cluster, client(NORMAL, 80));
    let direct = traffic::add_client(&mut lab.cluster, client(HEADLESS, 3000));
    lab.cluster.advance(10_000);
    let of = |lab: &Lab, id: u64| lab.cluster.traffic().clients[&id].hits.clone();
    let (v, d) = (of(&lab, vip), of(&lab, direct));
    assert!(v.len() > 1, "kube-proxy spreads the ClusterIP client: {v:?}");
    assert_eq!(d.len(), 1, "the headless client sticks within the TTL: {d:?}");
    let total = traffic::hits(&lab.cluster);
    for (pod, n) in &total {
        assert_eq!(v.get(pod).unwrap_or(&0) + d.get(pod).unwrap_or(&0), *n, "{pod}");
    }
    traffic::reset_hits(&mut lab.cluster);
    assert!(of(&lab, vip).is_empty() && of(&lab, direct).is_empty());
}
