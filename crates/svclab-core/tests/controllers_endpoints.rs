//! EndpointSlice controller (spec §3), the Endpoints controller, EndpointSlice mirroring,
//! StatefulSets, and IPAM (pod CIDRs, dual stack, NodePorts, LoadBalancer IPs). Cases come
//! from the spec's sources where it names them (reconciler_test TestReconcileManyPods,
//! TestReconcileEmpty, utils_test hostname and label rules).

use svclab_core::api::*;
use svclab_core::apply::apply_text;
use svclab_core::controllers::{self, ipam};
use svclab_core::{Cluster, ClusterConfig};

fn cluster() -> Cluster {
    Cluster::new(ClusterConfig::default(), 3)
}

fn apply(c: &mut Cluster, yaml: &str) {
    let r = apply_text(c, yaml, "test.yaml", "default");
    assert!(r.ok(), "{}", r.output());
    c.settle();
}

fn slices<'a>(c: &'a Cluster, svc: &str) -> Vec<&'a EndpointSlice> {
    c.list::<EndpointSlice>(Some("default"))
        .filter(|s| s.metadata.labels.get("kubernetes.io/service-name").map(String::as_str) == Some(svc))
        .collect()
}

fn deploy(name: &str, replicas: usize, ports: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.25\n        ports:\n{ports}"
    )
}

fn service(name: &str, selector: &str, extra: &str, ports: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  labels:\n    team: a\nspec:\n{selector}{extra}  ports:\n{ports}"
    )
}

const HTTP80: &str = "        - name: http\n          containerPort: 80\n";
const SVC80: &str = "  - name: web\n    port: 80\n    targetPort: http\n";

#[test]
fn many_pods_split_100_100_50() {
    // Four workers: 250 pods need more than two nodes' 110-pod capacity.
    let (cfg, _) = ClusterConfig::from_kind_yaml(
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n- role: worker\n- role: worker\n",
    );
    let mut c = Cluster::new(cfg, 3);
    apply(&mut c, &deploy("big", 250, HTTP80));
    apply(&mut c, &service("big", "  selector:\n    app: big\n", "", SVC80));
    c.advance(5_000);
    let mut sizes: Vec<usize> = slices(&c, "big").iter().map(|s| s.endpoints.len()).collect();
    sizes.sort();
    assert_eq!(sizes, [50, 100, 100]);
    // Not-ready pods still count.
    for p in c.list::<Pod>(Some("default")).map(|p| p.metadata.name.clone()).collect::<Vec<_>>() {
        controllers::set_readiness_failed(&mut c, "default", &p, true);
    }
    c.advance(31_000);
    let s = slices(&c, "big");
    assert_eq!(s.iter().map(|s| s.endpoints.len()).sum::<usize>(), 250);
    assert!(s.iter().flat_map(|s| &s.endpoints).all(|e| e.conditions.ready == Some(false)));
}

#[test]
fn no_pods_gives_one_placeholder_slice() {
    let mut c = cluster();
    apply(&mut c, &service("empty", "  selector:\n    app: nothing\n", "", SVC80));
    let s = slices(&c, "empty");
    assert_eq!(s.len(), 1);
    assert!(s[0].ports.is_empty() && s[0].endpoints.is_empty());
    assert_eq!(s[0].address_type, "IPv4");
    let labels: Vec<(&str, &str)> = s[0].metadata.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        labels,
        [
            ("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"),
            ("kubernetes.io/service-name", "empty"),
            ("team", "a")
        ]
    );
    assert_eq!(s[0].metadata.generate_name.as_deref(), Some("empty-"));
    assert!(s[0].metadata.name.starts_with("empty-") && s[0].metadata.name.len() == "empty-".len() + 5);
    assert_eq!(s[0].metadata.owner_references[0].kind, "Service");
}

#[test]
fn conditions_follow_ready_serving_terminating() {
    let mut c = cluster();
    apply(&mut c, &deploy("cond", 2, HTTP80));
    apply(&mut c, &service("cond", "  selector:\n    app: cond\n", "", SVC80));
    c.advance(5_000);
    let pods: Vec<String> = c.list::<Pod>(Some("default")).map(|p| p.metadata.name.clone()).collect();
    controllers::delete_object(&mut c, Kind::Pod, "default", &pods[0], None);
    c.settle();
    let eps: Vec<Endpoint> = slices(&c, "cond").iter().flat_map(|s| s.endpoints.clone()).collect();
    let term = eps.iter().find(|e| e.target_ref.as_ref().unwrap().name == pods[0]).unwrap();
    assert_eq!(
        (term.conditions.ready, term.conditions.serving, term.conditions.terminating),
        (Some(false), Some(true), Some(true))
    );
    // publishNotReadyAddresses: ready regardless.
    apply(&mut c, &service("cond", "  selector:\n    app: cond\n", "  publishNotReadyAddresses: true\n", SVC80));
    let eps: Vec<Endpoint> = slices(&c, "cond").iter().flat_map(|s| s.endpoints.clone()).collect();
    assert!(eps.iter().all(|e| e.conditions.ready == Some(true)));
}

#[test]
fn hostname_only_when_subdomain_names_the_service() {
    let mut c = cluster();
    let pod = |name: &str, sub: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels:\n    app: h\nspec:\n  hostname: {name}-host\n  subdomain: {sub}\n  containers:\n  - name: c\n    image: nginx:1.25\n")
    };
    apply(&mut c, &pod("a", "hs"));
    apply(&mut c, &pod("b", "other"));
    apply(&mut c, &service("hs", "  selector:\n    app: h\n", "  clusterIP: None\n", "  - port: 80\n"));
    c.advance(5_000);
    let s = slices(&c, "hs");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].metadata.labels.get("service.kubernetes.io/headless").map(String::as_str), Some(""));
    let host =
        |n: &str| s[0].endpoints.iter().find(|e| e.target_ref.as_ref().unwrap().name == n).unwrap().hostname.clone();
    assert_eq!(host("a"), Some("a-host".into()));
    assert_eq!(host("b"), None);
}

#[test]
fn named_target_port_resolving_differently_gives_two_slices() {
    let mut c = cluster();
    let pod = |name: &str, port: i32| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels:\n    app: np\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    ports:\n    - name: http\n      containerPort: {port}\n")
    };
    apply(&mut c, &pod("p1", 8080));
    apply(&mut c, &pod("p2", 9090));
    apply(&mut c, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p3\n  labels:\n    app: np\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n");
    apply(
        &mut c,
        &service(
            "np",
            "  selector:\n    app: np\n",
            "",
            "  - name: web\n    port: 80\n    targetPort: http\n    appProtocol: http\n",
        ),
    );
    c.advance(5_000);
    let mut got: Vec<(Vec<Option<i32>>, usize)> =
        slices(&c, "np").iter().map(|s| (s.ports.iter().map(|p| p.port).collect(), s.endpoints.len())).collect();
    got.sort();
    // p3 lacks the named port: it is listed with no ports.
    assert_eq!(got, [(vec![], 1), (vec![Some(8080)], 1), (vec![Some(9090)], 1)]);
    let s = slices(&c, "np");
    let p = s.iter().find(|s| !s.ports.is_empty()).unwrap();
    assert_eq!(p.ports[0].name.as_deref(), Some("web"));
    assert_eq!(p.ports[0].app_protocol.as_deref(), Some("http"));
}

#[test]
fn slices_are_stable_when_nothing_changes() {
    let mut c = cluster();
    apply(&mut c, &deploy("st", 3, HTTP80));
    apply(&mut c, &service("st", "  selector:\n    app: st\n", "", SVC80));
    c.advance(5_000);
    let before: Vec<(String, u64)> =
        slices(&c, "st").iter().map(|s| (s.metadata.name.clone(), s.metadata.resource_version)).collect();
    c.advance(5_000);
    let after: Vec<(String, u64)> =
        slices(&c, "st").iter().map(|s| (s.metadata.name.clone(), s.metadata.resource_version)).collect();
    assert_eq!(before, after);
}

#[test]
fn pods_on_missing_nodes_are_skipped() {
    let mut c = cluster();
    apply(&mut c, &deploy("mn", 2, HTTP80));
    apply(&mut c, &service("mn", "  selector:\n    app: mn\n", "", SVC80));
    c.advance(5_000);
    let node = c.list::<Pod>(Some("default")).next().unwrap().spec.node_name.clone().unwrap();
    let on_node = c.list::<Pod>(Some("default")).filter(|p| p.spec.node_name.as_deref() == Some(&node)).count();
    c.remove(&svclab_core::cluster::ObjKey::new(Kind::Node, "", &node));
    c.settle();
    let n: usize = slices(&c, "mn").iter().map(|s| s.endpoints.len()).sum();
    assert_eq!(n, 2 - on_node);
}

#[test]
fn endpoints_controller_writes_legacy_endpoints() {
    let mut c = cluster();
    apply(&mut c, &deploy("le", 2, HTTP80));
    apply(&mut c, &service("le", "  selector:\n    app: le\n", "", SVC80));
    c.advance(5_000);
    let ep = c.get::<Endpoints>("default", "le").unwrap();
    assert_eq!(ep.subsets.len(), 1);
    assert_eq!(ep.subsets[0].addresses.len(), 2);
    assert_eq!(ep.subsets[0].ports[0].port, Some(80));
    assert_eq!(ep.subsets[0].ports[0].name.as_deref(), Some("web"));
    let pod = c.list::<Pod>(Some("default")).next().unwrap().metadata.name.clone();
    controllers::set_readiness_failed(&mut c, "default", &pod, true);
    c.advance(31_000);
    let ep = c.get::<Endpoints>("default", "le").unwrap();
    assert_eq!((ep.subsets[0].addresses.len(), ep.subsets[0].not_ready_addresses.len()), (1, 1));
    // Terminating pods leave Endpoints at once (they stay in slices).
    controllers::delete_object(&mut c, Kind::Pod, "default", &pod, None);
    c.settle();
    let ep = c.get::<Endpoints>("default", "le").unwrap();
    let listed: Vec<&str> = ep
        .subsets
        .iter()
        .flat_map(|s| s.addresses.iter().chain(&s.not_ready_addresses))
        .map(|a| a.target_ref.as_ref().unwrap().name.as_str())
        .collect();
    assert!(!listed.contains(&pod.as_str()), "{listed:?}");
    assert!(slices(&c, "le").iter().flat_map(|s| &s.endpoints).any(|e| e.target_ref.as_ref().unwrap().name == pod));
    controllers::delete_object(&mut c, Kind::Service, "default", "le", None);
    c.settle();
    assert!(c.get::<Endpoints>("default", "le").is_none());
}

#[test]
fn selectorless_service_endpoints_are_mirrored() {
    let mut c = cluster();
    apply(&mut c, &service("ext", "", "", "  - name: db\n    port: 5432\n"));
    assert!(c.get::<Endpoints>("default", "ext").is_none(), "no controller Endpoints without selector");
    assert!(slices(&c, "ext").is_empty(), "no controller slices without selector");
    apply(
        &mut c,
        "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ext\n  labels:\n    env: prod\n  annotations:\n    note: kept\nsubsets:\n- addresses:\n  - ip: 192.0.2.10\n  - ip: 192.0.2.11\n  notReadyAddresses:\n  - ip: 192.0.2.12\n  ports:\n  - name: db\n    port: 5432\n",
    );
    let s = slices(&c, "ext");
    assert_eq!(s.len(), 1);
    let s = s[0];
    assert_eq!(
        s.metadata.labels.get("endpointslice.kubernetes.io/managed-by").map(String::as_str),
        Some("endpointslicemirroring-controller.k8s.io")
    );
    assert_eq!(s.metadata.labels.get("env").map(String::as_str), Some("prod"));
    assert_eq!(s.metadata.annotations.get("note").map(String::as_str), Some("kept"));
    assert_eq!(s.metadata.owner_references[0].kind, "Endpoints");
    assert!(s.metadata.name.starts_with("ext-"));
    let conds: Vec<(String, Option<bool>, Option<bool>)> =
        s.endpoints.iter().map(|e| (e.addresses[0].clone(), e.conditions.ready, e.conditions.serving)).collect();
    assert_eq!(
        conds,
        [
            ("192.0.2.10".into(), Some(true), None),
            ("192.0.2.11".into(), Some(true), None),
            ("192.0.2.12".into(), Some(false), None)
        ]
    );
    // skip-mirror removes the mirror.
    apply(
        &mut c,
        "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ext\n  labels:\n    endpointslice.kubernetes.io/skip-mirror: \"true\"\nsubsets:\n- addresses:\n  - ip: 192.0.2.10\n",
    );
    assert!(slices(&c, "ext").is_empty());
}

#[test]
fn user_written_slices_of_selectorless_services_are_kept() {
    let mut c = cluster();
    apply(&mut c, &service("mine", "", "", "  - port: 80\n"));
    apply(
        &mut c,
        "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: mine-1\n  labels:\n    kubernetes.io/service-name: mine\n    endpointslice.kubernetes.io/managed-by: staff\naddressType: IPv4\nports:\n- port: 80\nendpoints:\n- addresses:\n  - 192.0.2.1\n",
    );
    let before = c.get::<EndpointSlice>("default", "mine-1").cloned().unwrap();
    c.advance(10_000);
    assert_eq!(c.get::<EndpointSlice>("default", "mine-1"), Some(&before));
}

#[test]
fn statefulset_ordered_ready_identity_and_recreation() {
    let mut c = cluster();
    apply(&mut c, "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  clusterIP: None\n  selector:\n    app: web\n  ports:\n  - port: 80\n");
    apply(
        &mut c,
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n",
    );
    // One at a time: web-1 only after web-0 is Running and Ready.
    let mut order = Vec::new();
    for _ in 0..200 {
        c.advance(100);
        for p in c.list::<Pod>(Some("default")) {
            if !order.contains(&p.metadata.name) {
                order.push(p.metadata.name.clone());
                let prev_ready = c
                    .list::<Pod>(Some("default"))
                    .filter(|q| q.metadata.name != p.metadata.name)
                    .all(|q| q.status.ready);
                assert!(prev_ready, "{} created before its predecessors were ready", p.metadata.name);
            }
        }
    }
    assert_eq!(order, ["web-0", "web-1", "web-2"]);
    let p = c.get::<Pod>("default", "web-1").unwrap();
    assert_eq!(p.spec.hostname.as_deref(), Some("web-1"));
    assert_eq!(p.spec.subdomain.as_deref(), Some("nginx"));
    assert_eq!(p.metadata.labels["statefulset.kubernetes.io/pod-name"], "web-1");
    assert_eq!(p.metadata.labels["apps.kubernetes.io/pod-index"], "1");
    assert!(p.metadata.labels["controller-revision-hash"].starts_with("web-"));
    let sts = c.get::<StatefulSet>("default", "web").unwrap();
    assert_eq!((sts.status.replicas, sts.status.ready_replicas), (3, 3));
    // Headless DNS data: hostnames in the slice.
    let s = slices(&c, "nginx");
    assert!(s[0].endpoints.iter().all(|e| e.hostname.is_some()));
    // A deleted pod comes back with the same name and a new IP.
    let old_ip = p.status.pod_ip.clone();
    controllers::delete_object(&mut c, Kind::Pod, "default", "web-1", Some(1));
    c.advance(10_000);
    let p = c.get::<Pod>("default", "web-1").unwrap();
    assert!(p.status.ready);
    assert_ne!(p.status.pod_ip, old_ip);
    // Scale down: highest ordinal first, each after the previous has terminated.
    apply(
        &mut c,
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      terminationGracePeriodSeconds: 5\n      containers:\n      - name: nginx\n        image: nginx:1.25\n",
    );
    c.advance(100);
    let terminating: Vec<String> = c
        .list::<Pod>(Some("default"))
        .filter(|p| p.metadata.deletion_timestamp.is_some())
        .map(|p| p.metadata.name.clone())
        .collect();
    assert_eq!(terminating, ["web-2"]);
}

#[test]
fn statefulset_parallel_and_ordinals_start() {
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: par\nspec:\n  serviceName: par\n  replicas: 3\n  podManagementPolicy: Parallel\n  ordinals:\n    start: 5\n  selector:\n    matchLabels:\n      app: par\n  template:\n    metadata:\n      labels:\n        app: par\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.25\n",
    );
    let names: Vec<String> = c.list::<Pod>(Some("default")).map(|p| p.metadata.name.clone()).collect();
    assert_eq!(names, ["par-5", "par-6", "par-7"]);
}

#[test]
fn ipam_pod_cidrs_and_dual_stack() {
    let (cfg, d) = ClusterConfig::from_kind_yaml(
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\nnetworking:\n  ipFamily: dual\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let mut c = Cluster::new(cfg, 1);
    let w = c.get::<Node>("", "kind-worker").unwrap();
    assert_eq!(w.pod_cidrs, ["10.244.1.0/24", "fd00:10:244:1::/64"]);
    assert_eq!(w.addresses.len(), 2);
    apply(&mut c, &deploy("ds", 2, HTTP80));
    apply(&mut c, &service("ds", "  selector:\n    app: ds\n", "  ipFamilyPolicy: PreferDualStack\n", SVC80));
    c.advance(5_000);
    for p in c.list::<Pod>(Some("default")) {
        assert_eq!(p.status.pod_ips.len(), 2, "{:?}", p.status.pod_ips);
        assert!(p.status.pod_ips[1].contains(':'));
    }
    let ips = ipam::allocate_service_ips(&mut c, Some("RequireDualStack"), &[IpFamily::IPv6], &[]).unwrap();
    assert_eq!(ips.ip_families, [IpFamily::IPv6, IpFamily::IPv4]);
    assert!(ips.cluster_ips[0].starts_with("fd00:10:96::") && ips.cluster_ips[1].starts_with("10.96."));
    let single = ipam::allocate_service_ips(&mut c, None, &[], &[]).unwrap();
    assert_eq!((single.cluster_ips.len(), single.ip_family_policy.as_str()), (1, "SingleStack"));
    // Slices per family when the Service has both (as a dual-stack allocation leaves it).
    if let Some(s) = c.get_mut::<Service>("default", "ds") {
        s.spec.ip_families = vec![IpFamily::IPv4, IpFamily::IPv6];
    }
    c.settle();
    let mut got: Vec<(String, usize, bool)> = slices(&c, "ds")
        .iter()
        .map(|s| (s.address_type.clone(), s.endpoints.len(), s.endpoints.iter().all(|e| e.addresses[0].contains(':'))))
        .collect();
    got.sort();
    assert_eq!(got, [("IPv4".into(), 2, false), ("IPv6".into(), 2, true)]);
}

#[test]
fn ipam_family_errors_on_single_stack_cluster() {
    let mut c = cluster();
    let e = ipam::allocate_service_ips(&mut c, Some("RequireDualStack"), &[], &[]).unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.value.as_str(), e.detail.as_str()),
        ("spec.ipFamilyPolicy", "\"RequireDualStack\"", "this cluster is not configured for dual-stack services")
    );
    let e = ipam::allocate_service_ips(&mut c, None, &[IpFamily::IPv6], &[]).unwrap_err();
    assert_eq!((e.field.as_str(), e.detail.as_str()), ("spec.ipFamilies[0]", "not configured on this cluster"));
    let ok = ipam::allocate_service_ips(&mut c, Some("PreferDualStack"), &[], &[]).unwrap();
    assert_eq!(ok.ip_families, [IpFamily::IPv4]);
}

#[test]
fn node_ports_from_the_range() {
    let mut c = cluster();
    let taken = ipam::used_node_ports(&c, None);
    let cases: [(Option<i32>, Result<(), &str>); 3] = [
        (Some(30080), Ok(())),
        (Some(80), Err("provided port is not in the valid range. The range of valid ports is 30000-32767")),
        (None, Ok(())),
    ];
    for (req, want) in cases {
        let got = ipam::allocate_node_port(&mut c, req, &taken);
        match want {
            Ok(()) => {
                let p = got.unwrap();
                assert!((30000..=32767).contains(&p));
                if req.is_none() {
                    assert!(p > 30000 + 127, "dynamic band first: {p}");
                }
            }
            Err(msg) => assert_eq!(got.unwrap_err().message(), msg),
        }
    }
    let taken: std::collections::BTreeSet<i32> = [30080].into_iter().collect();
    assert_eq!(
        ipam::allocate_node_port(&mut c, Some(30080), &taken).unwrap_err().message(),
        "provided port is already allocated"
    );
}

#[test]
fn load_balancer_gets_an_external_ip_after_the_nodes() {
    let mut c = cluster();
    apply(&mut c, &service("lb", "  selector:\n    app: x\n", "  type: LoadBalancer\n", "  - port: 80\n"));
    let svc = c.get::<Service>("default", "lb").unwrap();
    assert_eq!(svc.status.load_balancer_ingress, ["172.18.0.5"]);
    apply(&mut c, &service("lb2", "  selector:\n    app: x\n", "  type: LoadBalancer\n", "  - port: 80\n"));
    assert_eq!(c.get::<Service>("default", "lb2").unwrap().status.load_balancer_ingress, ["172.18.0.6"]);
    let ev: Vec<&str> = c.kube_events().iter().filter(|e| e.name == "lb").map(|e| e.message.as_str()).collect();
    assert_eq!(ev, ["Ensuring load balancer", "Ensured load balancer"]);
    let bare = ClusterConfig { cloud_provider_kind: false, ..Default::default() };
    let mut c = Cluster::new(bare, 1);
    apply(&mut c, &service("lb", "  selector:\n    app: x\n", "  type: LoadBalancer\n", "  - port: 80\n"));
    assert!(c.get::<Service>("default", "lb").unwrap().status.load_balancer_ingress.is_empty());
}

#[test]
fn kind_kube_system_pods() {
    let c = cluster();
    let mut names: Vec<String> = c
        .list::<Pod>(Some("kube-system"))
        .map(|p| {
            let n = &p.metadata.name;
            match n.rsplit_once('-') {
                Some((base, sfx)) if sfx.len() == 5 && (base == "kindnet" || base == "kube-proxy") => {
                    format!("{base}-*")
                }
                _ if n.starts_with("coredns-") => "coredns-*".into(),
                _ => n.clone(),
            }
        })
        .collect();
    names.dedup();
    assert_eq!(
        names,
        [
            "coredns-*",
            "etcd-kind-control-plane",
            "kindnet-*",
            "kube-apiserver-kind-control-plane",
            "kube-controller-manager-kind-control-plane",
            "kube-proxy-*",
            "kube-scheduler-kind-control-plane"
        ]
    );
    for p in c.list::<Pod>(Some("kube-system")).filter(|p| p.spec.host_network) {
        let node = c.get::<Node>("", p.spec.node_name.as_deref().unwrap()).unwrap();
        assert_eq!(p.status.pod_ip.as_ref(), node.addresses.first(), "{}", p.metadata.name);
        assert!(p.status.ready);
    }
    assert_eq!(c.list::<Pod>(Some("kube-system")).filter(|p| p.metadata.name.starts_with("kube-proxy-")).count(), 3);
}

#[test]
fn statefulset_rolling_update_goes_from_the_highest_ordinal_down_to_partition() {
    let mut c = cluster();
    let sts = |image: &str, partition: i32| {
        format!("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 3\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: {partition}\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      terminationGracePeriodSeconds: 2\n      containers:\n      - name: db\n        image: {image}\n")
    };
    apply(&mut c, &sts("postgres:15", 1));
    c.advance(20_000);
    let old_rev = c.get::<StatefulSet>("default", "db").unwrap().status.update_revision.clone();
    apply(&mut c, &sts("postgres:16", 1));
    let mut deleted = Vec::new();
    for _ in 0..600 {
        c.advance(100);
        for p in c.list::<Pod>(Some("default")) {
            if p.metadata.deletion_timestamp.is_some() && !deleted.contains(&p.metadata.name) {
                deleted.push(p.metadata.name.clone());
            }
        }
    }
    assert_eq!(deleted, ["db-2", "db-1"], "db-0 is below the partition");
    let image = |c: &Cluster, n: &str| c.get::<Pod>("default", n).unwrap().spec.containers[0].image.clone();
    assert_eq!(
        (image(&c, "db-0"), image(&c, "db-1"), image(&c, "db-2")),
        ("postgres:15".into(), "postgres:16".into(), "postgres:16".into())
    );
    let s = c.get::<StatefulSet>("default", "db").unwrap();
    assert_ne!(s.status.update_revision, old_rev);
    assert_eq!((s.status.updated_replicas, s.status.ready_replicas), (2, 3));
    // Below the partition a deleted pod comes back at its old revision.
    controllers::delete_object(&mut c, Kind::Pod, "default", "db-0", None);
    c.advance(10_000);
    assert_eq!(image(&c, "db-0"), "postgres:15");
    assert_eq!(c.get::<Pod>("default", "db-0").unwrap().metadata.labels["controller-revision-hash"], old_rev);
}

#[test]
fn mirroring_caps_a_subset_at_1000_addresses() {
    let mut c = cluster();
    apply(&mut c, &service("many", "", "", "  - port: 80\n"));
    let addrs: String = (0..1003).map(|i| format!("  - ip: 10.1.{}.{}\n", i / 250, i % 250 + 1)).collect();
    apply(
        &mut c,
        &format!("apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: many\nsubsets:\n- addresses:\n{addrs}  ports:\n  - port: 80\n"),
    );
    let n: usize = slices(&c, "many").iter().map(|s| s.endpoints.len()).sum();
    assert_eq!(n, 1000);
    let ev: Vec<&str> =
        c.kube_events().iter().filter(|e| e.reason == "TooManyAddressesToMirror").map(|e| e.message.as_str()).collect();
    assert_eq!(
        ev,
        ["A max of 1000 addresses can be mirrored to EndpointSlices per Endpoints subset. 3 addresses were skipped"]
    );
}
