//! A new cluster as `kind create cluster` leaves it: nodes with pod CIDRs, the standard
//! namespaces, the `kubernetes` Service at the first service IP, CoreDNS (Deployment,
//! ConfigMap `coredns` with kubeadm's Corefile, Service `kube-dns` at the tenth IP), the
//! kube-proxy ConfigMap, and the lab's toolbox pod. The cluster then runs for a minute so
//! that the system pods are up before the learner's first command.

use crate::api::*;
use crate::cluster::config::IpFamilyMode;
use crate::cluster::{Cluster, ObjKey};
use crate::net::Cidr;

/// How long the cluster has been up when the lab starts.
pub const BOOT_MS: u64 = 60_000;

/// Namespace and name of the pod the terminal starts in.
pub const TOOLBOX_NAMESPACE: &str = "lab";
pub const TOOLBOX_POD: &str = "toolbox";
pub const TOOLBOX_IMAGE: &str = "svclab/toolbox:1.0";
/// The one Kubernetes version of the simulated cluster: nodes' kubelet, `kubectl version`,
/// `kubectl get nodes`, kind's node image and the control-plane images all say it, as on a
/// real kind cluster (kindest/node:v1.33.1).
pub const KUBERNETES_VERSION: &str = "v1.33.1";
/// CoreDNS and etcd as kubeadm v1.33 pins them (cmd/kubeadm/app/constants: `CoreDNSVersion`
/// v1.12.0, `DefaultEtcdVersion` 3.5.21-0).
pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.12.0";
const KINDNET_IMAGE: &str = "docker.io/kindest/kindnetd:v20250512-df8de77b";
const KUBE_PROXY_IMAGE: &str = "registry.k8s.io/kube-proxy:v1.33.1";
const ETCD_IMAGE: &str = "registry.k8s.io/etcd:3.5.21-0";
const APISERVER_IMAGE: &str = "registry.k8s.io/kube-apiserver:v1.33.1";
const CONTROLLER_MANAGER_IMAGE: &str = "registry.k8s.io/kube-controller-manager:v1.33.1";
const SCHEDULER_IMAGE: &str = "registry.k8s.io/kube-scheduler:v1.33.1";
const SYSTEM_IMAGES: [&str; 6] =
    [KINDNET_IMAGE, KUBE_PROXY_IMAGE, ETCD_IMAGE, APISERVER_IMAGE, CONTROLLER_MANAGER_IMAGE, SCHEDULER_IMAGE];

pub fn meta(namespace: &str, name: &str, labels: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta {
        name: name.to_string(),
        namespace: namespace.to_string(),
        labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    }
}

/// kubeadm's default Corefile for a cluster domain.
pub fn default_corefile(domain: &str) -> String {
    format!(
        ".:53 {{\n    errors\n    health {{\n       lameduck 5s\n    }}\n    ready\n    kubernetes {domain} in-addr.arpa ip6.arpa {{\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }}\n    prometheus :9153\n    forward . /etc/resolv.conf {{\n       max_concurrent 1000\n    }}\n    cache 30 {{\n       disable success {domain}\n       disable denial {domain}\n    }}\n    loop\n    reload\n    loadbalance\n}}\n"
    )
}

fn port(name: &str, protocol: &str, port: i32, target: i32) -> ServicePort {
    ServicePort {
        name: Some(name.to_string()),
        protocol: protocol.to_string(),
        port,
        target_port: IntOrString::Int(target),
        node_port: None,
        app_protocol: None,
    }
}

pub fn bootstrap(c: &mut Cluster) {
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage", TOOLBOX_NAMESPACE] {
        c.put(Object::Namespace(Namespace { metadata: meta("", ns, &[("kubernetes.io/metadata.name", ns)]) }));
    }
    let pod_cidrs: Vec<Cidr> = super::ipam::pod_cidrs(c);
    let v6_only = pod_cidrs.first().is_some_and(|p| p.is_ipv6());
    for (i, n) in c.config.nodes.clone().iter().enumerate() {
        let mut labels: Labels = n.labels.clone();
        labels.insert("kubernetes.io/hostname".into(), n.name.clone());
        labels.insert("kubernetes.io/os".into(), "linux".into());
        if n.control_plane {
            labels.insert("node-role.kubernetes.io/control-plane".into(), String::new());
        }
        // kind's docker network: 172.18.0.0/16 and fc00:f853:ccd:e793::/64, nodes from .2; a
        // dual-stack node has one address per family, primary family first.
        let v4 = format!("172.18.0.{}", i + 2);
        let v6 = format!("fc00:f853:ccd:e793::{}", i + 2);
        let addresses = match c.config.ip_family {
            IpFamilyMode::Ipv4 => vec![v4],
            IpFamilyMode::Ipv6 => vec![v6],
            IpFamilyMode::Dual if v6_only => vec![v6, v4],
            IpFamilyMode::Dual => vec![v4, v6],
        };
        let cidrs = pod_cidrs
            .iter()
            .filter_map(|p| if p.is_ipv6() { p.subnet(64, i as u128) } else { p.subnet(24, i as u128) })
            .map(|c| c.to_string())
            .collect();
        c.put(Object::Node(Node {
            metadata: ObjectMeta { name: n.name.clone(), labels, ..Default::default() },
            pod_cidrs: cidrs,
            addresses,
            ready: true,
            control_plane: n.control_plane,
        }));
    }

    // The `kubernetes` Service: first address of the range, endpoints = the API server.
    let svc_cidrs = super::ipam::service_cidrs(c);
    let nth = |n: u128| -> Vec<String> { svc_cidrs.iter().filter_map(|c| c.nth(n)).map(|i| i.to_string()).collect() };
    let families: Vec<IpFamily> =
        svc_cidrs.iter().map(|c| if c.is_ipv6() { IpFamily::IPv6 } else { IpFamily::IPv4 }).collect();
    let api_ips = nth(1);
    c.put(Object::Service(Service {
        metadata: meta("default", "kubernetes", &[("component", "apiserver"), ("provider", "kubernetes")]),
        spec: ServiceSpec {
            cluster_ip: api_ips.first().cloned(),
            cluster_ips: api_ips.into_iter().take(1).collect(),
            ports: vec![port("https", "TCP", 443, 6443)],
            session_affinity: "None".into(),
            ip_families: families.iter().copied().take(1).collect(),
            ip_family_policy: Some("SingleStack".into()),
            internal_traffic_policy: Some("Cluster".into()),
            ..Default::default()
        },
        status: Default::default(),
    }));
    let cp_ip =
        c.list::<Node>(None).find(|n| n.control_plane).and_then(|n| n.addresses.first().cloned()).unwrap_or_default();
    let mut slice_meta = meta("default", "kubernetes", &[("kubernetes.io/service-name", "kubernetes")]);
    slice_meta.labels.insert("endpointslice.kubernetes.io/managed-by".into(), "endpointslice-controller.k8s.io".into());
    c.put(Object::EndpointSlice(EndpointSlice {
        metadata: slice_meta,
        address_type: if cp_ip.contains(':') { "IPv6" } else { "IPv4" }.into(),
        endpoints: vec![Endpoint {
            addresses: vec![cp_ip],
            conditions: EndpointConditions { ready: Some(true), ..Default::default() },
            ..Default::default()
        }],
        ports: vec![EndpointPort {
            name: Some("https".into()),
            port: Some(6443),
            protocol: Some("TCP".into()),
            app_protocol: None,
        }],
    }));

    // The API server's own Endpoints for `kubernetes`, labelled so it is not mirrored (the
    // slice above is written by the API server itself).
    let mut ep_meta = meta("default", "kubernetes", &[("endpointslice.kubernetes.io/skip-mirror", "true")]);
    ep_meta.uid = super::derived_uid("endpoints/default/kubernetes");
    c.put(Object::Endpoints(Endpoints {
        metadata: ep_meta,
        subsets: vec![EndpointSubset {
            addresses: c
                .list::<Node>(None)
                .filter(|n| n.control_plane)
                .filter_map(|n| n.addresses.first().cloned())
                .map(|ip| EndpointAddress { ip, ..Default::default() })
                .collect(),
            not_ready_addresses: Vec::new(),
            ports: vec![EndpointPort {
                name: Some("https".into()),
                port: Some(6443),
                protocol: Some("TCP".into()),
                app_protocol: None,
            }],
        }],
    }));

    // CoreDNS.
    let domain = c.config.dns_domain.clone();
    let mut cm = ConfigMap { metadata: meta("kube-system", "coredns", &[]), data: Default::default() };
    cm.data.insert("Corefile".into(), default_corefile(&domain));
    c.put(Object::ConfigMap(cm));
    let mut kp =
        ConfigMap { metadata: meta("kube-system", "kube-proxy", &[("app", "kube-proxy")]), data: Default::default() };
    kp.data.insert(
        "config.conf".into(),
        format!(
            "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: {}\nmode: {}\n",
            c.config.pod_subnet,
            c.config.kube_proxy_mode.as_str()
        ),
    );
    c.put(Object::ConfigMap(kp));
    let dns_ips = nth(10);
    c.put(Object::Service(Service {
        metadata: meta(
            "kube-system",
            "kube-dns",
            &[("k8s-app", "kube-dns"), ("kubernetes.io/cluster-service", "true"), ("kubernetes.io/name", "CoreDNS")],
        ),
        spec: ServiceSpec {
            cluster_ip: dns_ips.first().cloned(),
            cluster_ips: dns_ips,
            selector: Some([("k8s-app".to_string(), "kube-dns".to_string())].into_iter().collect()),
            ports: vec![port("dns", "UDP", 53, 53), port("dns-tcp", "TCP", 53, 53), port("metrics", "TCP", 9153, 9153)],
            session_affinity: "None".into(),
            ip_families: families.clone(),
            ip_family_policy: Some(if families.len() > 1 { "PreferDualStack" } else { "SingleStack" }.into()),
            internal_traffic_policy: Some("Cluster".into()),
            ..Default::default()
        },
        status: Default::default(),
    }));
    let coredns_container = Container {
        name: "coredns".into(),
        image: COREDNS_IMAGE.into(),
        args: vec!["-conf".into(), "/etc/coredns/Corefile".into()],
        ports: vec![
            ContainerPort { name: Some("dns".into()), container_port: 53, protocol: "UDP".into() },
            ContainerPort { name: Some("dns-tcp".into()), container_port: 53, protocol: "TCP".into() },
            ContainerPort { name: Some("metrics".into()), container_port: 9153, protocol: "TCP".into() },
        ],
        readiness_probe: Some(Probe {
            handler: ProbeHandler::HttpGet { path: "/ready".into(), port: IntOrString::Int(8181) },
            period_seconds: 10,
            ..Default::default()
        }),
        image_pull_policy: Some("IfNotPresent".into()),
        ..Default::default()
    };
    let dns_labels = [("k8s-app", "kube-dns")];
    c.put(Object::Deployment(Deployment {
        metadata: meta("kube-system", "coredns", &dns_labels),
        spec: DeploymentSpec {
            replicas: 2,
            selector: LabelSelector { match_labels: meta("", "", &dns_labels).labels, ..Default::default() },
            template: PodTemplateSpec {
                metadata: meta("", "", &dns_labels),
                spec: PodSpec {
                    containers: vec![coredns_container],
                    dns_policy: Some("Default".into()),
                    ..Default::default()
                },
            },
            strategy: "RollingUpdate".into(),
            revision_history_limit: 10,
            ..Default::default()
        },
        status: Default::default(),
    }));

    // The learner's terminal runs in this pod: kubectl, busybox tools, dig.
    c.put(Object::Pod(Pod {
        metadata: meta(TOOLBOX_NAMESPACE, TOOLBOX_POD, &[("app", "toolbox")]),
        spec: PodSpec {
            containers: vec![Container {
                name: "toolbox".into(),
                image: TOOLBOX_IMAGE.into(),
                command: vec!["sleep".into(), "infinity".into()],
                image_pull_policy: Some("IfNotPresent".into()),
                ..Default::default()
            }],
            ..Default::default()
        },
        status: Default::default(),
    }));

    system_pods(c);
    // Images on every node before the learner starts: kind's node image ships the system
    // images, and the lab pre-loads its toolbox (as `kind load docker-image` would).
    let mut preloaded: Vec<String> = SYSTEM_IMAGES.iter().map(|s| s.to_string()).collect();
    preloaded.push(TOOLBOX_IMAGE.into());
    preloaded.push(COREDNS_IMAGE.into());
    for n in c.config.nodes.clone() {
        c.ctl.node_images.entry(n.name).or_default().extend(preloaded.iter().cloned());
    }

    // kind's default StorageClass (rancher.io/local-path, WaitForFirstConsumer): a claim binds
    // when the first pod using it is scheduled. A derived UID keeps the seeded RNG's sequence
    // (and so every generated name) what it was before the class existed.
    let mut sc_meta = meta("", "standard", &[]);
    sc_meta.uid = super::derived_uid("storageclass/standard");
    sc_meta.annotations.insert("storageclass.kubernetes.io/is-default-class".into(), "true".into());
    c.put(Object::StorageClass(StorageClass {
        metadata: sc_meta,
        provisioner: "rancher.io/local-path".into(),
        reclaim_policy: "Delete".into(),
        volume_binding_mode: "WaitForFirstConsumer".into(),
    }));

    c.advance(BOOT_MS);
    c.log.clear();
    c.kube_events.retain(|e| e.namespace == "kube-system");
    debug_assert!(c.exists(&ObjKey::new(Kind::Service, "kube-system", "kube-dns")));
}

fn system_container(name: &str, image: &str, command: &[&str]) -> Container {
    Container {
        name: name.into(),
        image: image.into(),
        command: command.iter().map(|s| s.to_string()).collect(),
        image_pull_policy: Some("IfNotPresent".into()),
        ..Default::default()
    }
}

/// kind's kube-system workloads on every node: the DaemonSets `kindnet` and `kube-proxy` (their
/// pods, one per node, come from the DaemonSet controller, which runs at once so they exist
/// from the cluster's first instant as the old per-node pods did) and the control plane's
/// static pods `etcd-`, `kube-apiserver-`, `kube-controller-manager-`, `kube-scheduler-<node>`
/// (owned by the Node). All use the host network, so their IP is the node's.
fn system_pods(c: &mut Cluster) {
    let nodes: Vec<Node> = c.list::<Node>(None).cloned().collect();
    let linux: &[(&str, &str)] = &[("kubernetes.io/os", "linux")];
    let ds = [
        (
            "kindnet",
            KINDNET_IMAGE,
            vec!["/bin/kindnetd"],
            vec![("app", "kindnet"), ("k8s-app", "kindnet"), ("tier", "node")],
            vec![("app", "kindnet")],
            &[][..],
        ),
        (
            "kube-proxy",
            KUBE_PROXY_IMAGE,
            vec![
                "/usr/local/bin/kube-proxy",
                "--config=/var/lib/kube-proxy/config.conf",
                "--hostname-override=$(NODE_NAME)",
            ],
            vec![("k8s-app", "kube-proxy")],
            vec![("k8s-app", "kube-proxy")],
            linux,
        ),
    ];
    for (ds_name, image, cmd, labels, selector, node_selector) in &ds {
        let mut m = meta("kube-system", ds_name, labels);
        m.uid = super::derived_uid(&format!("daemonset/kube-system/{ds_name}"));
        c.put(Object::DaemonSet(DaemonSet {
            metadata: m,
            spec: DaemonSetSpec {
                selector: LabelSelector { match_labels: meta("", "", selector).labels, ..Default::default() },
                template: PodTemplateSpec {
                    metadata: meta("", "", labels),
                    spec: PodSpec {
                        containers: vec![system_container(ds_name, image, cmd)],
                        node_selector: meta("", "", node_selector).labels,
                        host_network: true,
                        // Both tolerate every taint (`operator: Exists`), so they run on the
                        // control plane too.
                        tolerations: vec![Toleration { operator: Some("Exists".into()), ..Default::default() }],
                        ..Default::default()
                    },
                },
                update_strategy: "RollingUpdate".into(),
                revision_history_limit: 10,
                ..Default::default()
            },
            status: Default::default(),
        }));
    }
    super::daemonset::reconcile(c);
    for n in nodes.iter().filter(|n| n.control_plane) {
        let statics = [
            ("etcd", ETCD_IMAGE, "etcd"),
            ("kube-apiserver", APISERVER_IMAGE, "kube-apiserver"),
            ("kube-controller-manager", CONTROLLER_MANAGER_IMAGE, "kube-controller-manager"),
            ("kube-scheduler", SCHEDULER_IMAGE, "kube-scheduler"),
        ];
        for (component, image, cmd) in statics {
            let name = format!("{component}-{}", n.metadata.name);
            let mut m = meta("kube-system", &name, &[("component", component), ("tier", "control-plane")]);
            m.uid = super::derived_uid(&format!("pod/kube-system/{name}"));
            m.owner_references = vec![OwnerReference {
                api_version: "v1".into(),
                kind: "Node".into(),
                name: n.metadata.name.clone(),
                uid: n.metadata.uid.clone(),
                controller: true,
            }];
            c.put(Object::Pod(Pod {
                metadata: m,
                spec: PodSpec {
                    containers: vec![system_container(component, image, &[cmd])],
                    node_name: Some(n.metadata.name.clone()),
                    host_network: true,
                    ..Default::default()
                },
                status: Default::default(),
            }));
        }
    }
}

#[cfg(test)]
mod version_tests {
    use super::*;

    /// One version throughout: every control-plane image is tagged with it.
    #[test]
    fn control_plane_images_carry_the_cluster_version() {
        for img in [KUBE_PROXY_IMAGE, APISERVER_IMAGE, CONTROLLER_MANAGER_IMAGE, SCHEDULER_IMAGE] {
            assert!(img.ends_with(&format!(":{KUBERNETES_VERSION}")), "{img}");
        }
    }
}
