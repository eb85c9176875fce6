//! Object → [`Node`]: the real Kubernetes object shapes that `kubectl get -o yaml|json`,
//! jsonpath and `kubectl edit` show. Field names and nesting follow k8s.io/api (core/v1,
//! apps/v1, discovery.k8s.io/v1); keys are sorted, as kubectl prints unstructured objects.
//!
//! Invariant: the spec part of every encoded object decodes back ([`crate::decode`]) to the
//! same object, so `kubectl edit` and `kubectl patch` can go Object → Node → Object. Server
//! defaults the API server would add and the decoder rejects (`resources: {}`,
//! `terminationMessagePath`) are left out rather than faked.

use crate::api::*;
use crate::time::{rfc3339, SimTime};
use crate::yaml::{Node, NodeKind};

/// The object as the API server returns it (apiVersion, kind, metadata, spec, status).
pub fn encode(obj: &Object) -> Node {
    let kind = obj.kind();
    let mut n = Node::map().with("apiVersion", Node::str(kind.api_version())).with("kind", Node::str(kind.name()));
    let meta = meta(obj.meta(), kind);
    n.set("metadata", meta);
    match obj {
        Object::Namespace(_) => {
            n.set("spec", Node::map().with("finalizers", Node::seq(vec![Node::str("kubernetes")])));
            n.set("status", Node::map().with("phase", Node::str("Active")));
        }
        Object::Node(o) => {
            let mut spec = Node::map();
            if let Some(c) = o.pod_cidrs.first() {
                spec.set("podCIDR", Node::str(c));
            }
            spec.set("podCIDRs", strs(&o.pod_cidrs));
            n.set("spec", spec);
            let addresses = o
                .addresses
                .iter()
                .map(|a| Node::map().with("address", Node::str(a)).with("type", Node::str("InternalIP")))
                .chain(std::iter::once(
                    Node::map().with("address", Node::str(&o.metadata.name)).with("type", Node::str("Hostname")),
                ))
                .collect();
            let ready = Node::map()
                .with("status", Node::str(if o.ready { "True" } else { "False" }))
                .with("type", Node::str("Ready"));
            n.set(
                "status",
                Node::map().with("addresses", Node::seq(addresses)).with("conditions", Node::seq(vec![ready])).with(
                    "nodeInfo",
                    Node::map()
                        .with("containerRuntimeVersion", Node::str("containerd://2.1.1"))
                        .with("kubeletVersion", Node::str("v1.33.1"))
                        .with("osImage", Node::str("Debian GNU/Linux 12 (bookworm)")),
                ),
            );
        }
        Object::Pod(p) => {
            n.set("spec", pod_spec(&p.spec));
            n.set("status", pod_status(p));
        }
        Object::Service(s) => {
            n.set("spec", service_spec(s));
            let lb = if s.status.load_balancer_ingress.is_empty() {
                Node::map()
            } else {
                Node::map().with(
                    "ingress",
                    Node::seq(
                        s.status
                            .load_balancer_ingress
                            .iter()
                            .map(|ip| Node::map().with("ip", Node::str(ip)).with("ipMode", Node::str("VIP")))
                            .collect(),
                    ),
                )
            };
            n.set("status", Node::map().with("loadBalancer", lb));
        }
        Object::Endpoints(e) => {
            if !e.subsets.is_empty() {
                n.set("subsets", Node::seq(e.subsets.iter().map(subset).collect()));
            }
        }
        Object::EndpointSlice(s) => {
            n.set("addressType", Node::str(&s.address_type));
            n.set("endpoints", Node::seq(s.endpoints.iter().map(endpoint).collect()));
            n.set("ports", Node::seq(s.ports.iter().map(endpoint_port).collect()));
        }
        Object::ConfigMap(m) => {
            if !m.data.is_empty() {
                n.set("data", labels(&m.data));
            }
        }
        Object::Deployment(d) => {
            let mut strategy = Node::map().with("type", Node::str(&d.spec.strategy));
            if d.spec.strategy != "Recreate" {
                let pct = |v: &Option<IntOrString>| v.as_ref().map(int_or_string).unwrap_or_else(|| Node::str("25%"));
                strategy.set(
                    "rollingUpdate",
                    Node::map()
                        .with("maxSurge", pct(&d.spec.max_surge))
                        .with("maxUnavailable", pct(&d.spec.max_unavailable)),
                );
            }
            let mut spec = Node::map()
                .with("progressDeadlineSeconds", Node::int(600))
                .with("replicas", Node::int(d.spec.replicas.into()))
                .with("revisionHistoryLimit", Node::int(d.spec.revision_history_limit.into()))
                .with("selector", selector(&d.spec.selector))
                .with("strategy", strategy)
                .with("template", template(&d.spec.template));
            if d.spec.min_ready_seconds > 0 {
                spec.set("minReadySeconds", Node::int(d.spec.min_ready_seconds));
            }
            n.set("spec", spec);
            n.set("status", workload_status(&d.status, true));
        }
        Object::ReplicaSet(r) => {
            n.set(
                "spec",
                Node::map()
                    .with("replicas", Node::int(r.spec.replicas.into()))
                    .with("selector", selector(&r.spec.selector))
                    .with("template", template(&r.spec.template)),
            );
            n.set("status", workload_status(&r.status, false));
        }
        Object::StatefulSet(s) => {
            let mut spec = Node::map()
                .with("podManagementPolicy", Node::str(&s.spec.pod_management_policy))
                .with("replicas", Node::int(s.spec.replicas.into()))
                .with("revisionHistoryLimit", Node::int(10))
                .with("selector", selector(&s.spec.selector))
                .with("serviceName", Node::str(&s.spec.service_name))
                .with("template", template(&s.spec.template))
                .with(
                    "updateStrategy",
                    Node::map()
                        .with("rollingUpdate", Node::map().with("partition", Node::int(s.spec.update_partition.into())))
                        .with("type", Node::str("RollingUpdate")),
                );
            if s.spec.ordinals_start != 0 {
                spec.set("ordinals", Node::map().with("start", Node::int(s.spec.ordinals_start.into())));
            }
            if !s.spec.volume_claim_templates.is_empty() {
                let claims = s
                    .spec
                    .volume_claim_templates
                    .iter()
                    .map(|c| {
                        Node::map()
                            .with("apiVersion", Node::str("v1"))
                            .with("kind", Node::str("PersistentVolumeClaim"))
                            .with("metadata", Node::map().with("name", Node::str(c)))
                    })
                    .collect();
                spec.set("volumeClaimTemplates", Node::seq(claims));
            }
            if s.spec.min_ready_seconds > 0 {
                spec.set("minReadySeconds", Node::int(s.spec.min_ready_seconds));
            }
            n.set("spec", spec);
            n.set("status", workload_status(&s.status, false));
        }
        Object::DaemonSet(d) => {
            let mut ru = Node::map()
                .with("maxSurge", int_or_string(d.spec.max_surge.as_ref().unwrap_or(&IntOrString::Int(0))))
                .with("maxUnavailable", int_or_string(d.spec.max_unavailable.as_ref().unwrap_or(&IntOrString::Int(1))));
            let mut strategy = Node::map().with("type", Node::str(&d.spec.update_strategy));
            if d.spec.update_strategy == "RollingUpdate" {
                strategy.set("rollingUpdate", std::mem::replace(&mut ru, Node::map()));
            }
            let mut spec = Node::map()
                .with("revisionHistoryLimit", Node::int(d.spec.revision_history_limit.into()))
                .with("selector", selector(&d.spec.selector))
                .with("template", template(&d.spec.template))
                .with("updateStrategy", strategy);
            if d.spec.min_ready_seconds > 0 {
                spec.set("minReadySeconds", Node::int(d.spec.min_ready_seconds));
            }
            n.set("spec", spec);
            // DaemonSetStatus: these counts are always present (not omitempty) except
            // numberAvailable/numberUnavailable.
            let st = &d.status;
            let mut status = Node::map()
                .with("currentNumberScheduled", Node::int(st.current_number_scheduled.into()))
                .with("desiredNumberScheduled", Node::int(st.desired_number_scheduled.into()))
                .with("numberMisscheduled", Node::int(st.number_misscheduled.into()))
                .with("numberReady", Node::int(st.number_ready.into()))
                .with("observedGeneration", Node::int(st.observed_generation));
            if st.number_available > 0 {
                status.set("numberAvailable", Node::int(st.number_available.into()));
            }
            if st.number_unavailable > 0 {
                status.set("numberUnavailable", Node::int(st.number_unavailable.into()));
            }
            if st.updated_number_scheduled > 0 {
                status.set("updatedNumberScheduled", Node::int(st.updated_number_scheduled.into()));
            }
            n.set("status", status);
        }
    }
    sorted(n)
}

/// kubectl's `List` wrapper for several objects (`kubectl get pods -o json`).
pub fn list(items: Vec<Node>) -> Node {
    Node::map()
        .with("apiVersion", Node::str("v1"))
        .with("items", Node::seq(items))
        .with("kind", Node::str("List"))
        .with("metadata", Node::map().with("resourceVersion", Node::str("")))
}

/// Keys in alphabetical order at every level, as kubectl prints unstructured objects.
fn sorted(mut n: Node) -> Node {
    match &mut n.kind {
        NodeKind::Map(entries) => {
            let mut e = std::mem::take(entries);
            e.sort_by(|a, b| a.0.cmp(&b.0));
            *entries = e.into_iter().map(|(k, v)| (k, sorted(v))).collect();
        }
        NodeKind::Seq(items) => {
            let i = std::mem::take(items);
            *items = i.into_iter().map(sorted).collect();
        }
        _ => {}
    }
    n
}

fn strs(v: &[String]) -> Node {
    Node::seq(v.iter().map(Node::str).collect())
}

fn labels(l: &Labels) -> Node {
    let mut n = Node::map();
    for (k, v) in l {
        n.set(k, Node::str(v));
    }
    n
}

fn time(t: SimTime) -> Node {
    Node::str(rfc3339(t))
}

fn int_or_string(v: &IntOrString) -> Node {
    match v {
        IntOrString::Int(i) => Node::int((*i).into()),
        IntOrString::Str(s) => Node::str(s),
    }
}

fn meta(m: &ObjectMeta, kind: Kind) -> Node {
    let mut n = Node::map();
    if !m.annotations.is_empty() {
        n.set("annotations", labels(&m.annotations));
    }
    n.set("creationTimestamp", time(m.creation_timestamp));
    if let Some(t) = m.deletion_timestamp {
        n.set("deletionGracePeriodSeconds", Node::int(m.deletion_grace_period_seconds.unwrap_or(30)));
        n.set("deletionTimestamp", time(t));
    }
    if let Some(g) = &m.generate_name {
        n.set("generateName", Node::str(g));
    }
    if matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet) {
        n.set("generation", Node::int(m.generation.max(1)));
    }
    if !m.labels.is_empty() {
        n.set("labels", labels(&m.labels));
    }
    n.set("name", Node::str(&m.name));
    if kind.namespaced() {
        n.set("namespace", Node::str(&m.namespace));
    }
    if !m.owner_references.is_empty() {
        let refs = m
            .owner_references
            .iter()
            .map(|o| {
                Node::map()
                    .with("apiVersion", Node::str(&o.api_version))
                    .with("blockOwnerDeletion", Node::bool(true))
                    .with("controller", Node::bool(o.controller))
                    .with("kind", Node::str(&o.kind))
                    .with("name", Node::str(&o.name))
                    .with("uid", Node::str(&o.uid))
            })
            .collect();
        n.set("ownerReferences", Node::seq(refs));
    }
    n.set("resourceVersion", Node::str(m.resource_version.to_string()));
    n.set("uid", Node::str(&m.uid));
    n
}

fn selector(s: &LabelSelector) -> Node {
    let mut n = Node::map();
    if !s.match_expressions.is_empty() {
        let exprs = s
            .match_expressions
            .iter()
            .map(|r| {
                let mut e = Node::map().with("key", Node::str(&r.key)).with("operator", Node::str(&r.operator));
                if !r.values.is_empty() {
                    e.set("values", strs(&r.values));
                }
                e
            })
            .collect();
        n.set("matchExpressions", Node::seq(exprs));
    }
    if !s.match_labels.is_empty() {
        n.set("matchLabels", labels(&s.match_labels));
    }
    n
}

pub(crate) fn template(t: &PodTemplateSpec) -> Node {
    let mut m = Node::map();
    if !t.metadata.annotations.is_empty() {
        m.set("annotations", labels(&t.metadata.annotations));
    }
    if !t.metadata.labels.is_empty() {
        m.set("labels", labels(&t.metadata.labels));
    }
    Node::map().with("metadata", m).with("spec", pod_spec(&t.spec))
}

fn probe(p: &Probe) -> Node {
    let mut n = Node::map()
        .with("failureThreshold", Node::int(p.failure_threshold))
        .with("periodSeconds", Node::int(p.period_seconds))
        .with("successThreshold", Node::int(p.success_threshold))
        .with("timeoutSeconds", Node::int(p.timeout_seconds));
    if p.initial_delay_seconds > 0 {
        n.set("initialDelaySeconds", Node::int(p.initial_delay_seconds));
    }
    match &p.handler {
        ProbeHandler::Exec(cmd) => n.set("exec", Node::map().with("command", strs(cmd))),
        ProbeHandler::HttpGet { path, port } => n.set(
            "httpGet",
            Node::map()
                .with("path", Node::str(path))
                .with("port", int_or_string(port))
                .with("scheme", Node::str("HTTP")),
        ),
        ProbeHandler::TcpSocket { port } => n.set("tcpSocket", Node::map().with("port", int_or_string(port))),
    }
    n
}

fn container(c: &Container) -> Node {
    let mut n = Node::map();
    if !c.args.is_empty() {
        n.set("args", strs(&c.args));
    }
    if !c.command.is_empty() {
        n.set("command", strs(&c.command));
    }
    n.set("image", Node::str(&c.image));
    let pull = c.image_pull_policy.clone().unwrap_or_else(|| {
        // API server default (spec: core/v1 defaults): Always for `:latest` or no tag.
        let tag = c.image.rsplit_once(':').map(|(_, t)| t).filter(|t| !t.contains('/'));
        if tag.is_none_or(|t| t == "latest") { "Always" } else { "IfNotPresent" }.to_string()
    });
    n.set("imagePullPolicy", Node::str(pull));
    n.set("name", Node::str(&c.name));
    if !c.ports.is_empty() {
        let ports = c
            .ports
            .iter()
            .map(|p| {
                let mut pn = Node::map().with("containerPort", Node::int(p.container_port.into()));
                if let Some(name) = &p.name {
                    pn.set("name", Node::str(name));
                }
                let proto = if p.protocol.is_empty() { "TCP" } else { &p.protocol };
                pn.with("protocol", Node::str(proto))
            })
            .collect();
        n.set("ports", Node::seq(ports));
    }
    if let Some(p) = &c.readiness_probe {
        n.set("readinessProbe", probe(p));
    }
    if let Some(p) = &c.liveness_probe {
        n.set("livenessProbe", probe(p));
    }
    if let Some(r) = &c.restart_policy {
        n.set("restartPolicy", Node::str(r));
    }
    n
}

fn pod_spec(s: &PodSpec) -> Node {
    let mut n = Node::map().with("containers", Node::seq(s.containers.iter().map(container).collect()));
    n.set("dnsPolicy", Node::str(s.dns_policy.as_deref().unwrap_or("ClusterFirst")));
    if let Some(dc) = &s.dns_config {
        let mut d = Node::map();
        if !dc.nameservers.is_empty() {
            d.set("nameservers", strs(&dc.nameservers));
        }
        if !dc.options.is_empty() {
            let opts = dc
                .options
                .iter()
                .map(|(k, v)| Node::map().with("name", Node::str(k)).with_opt("value", v.as_ref().map(Node::str)))
                .collect();
            d.set("options", Node::seq(opts));
        }
        if !dc.searches.is_empty() {
            d.set("searches", strs(&dc.searches));
        }
        n.set("dnsConfig", d);
    }
    n.set("enableServiceLinks", Node::bool(true));
    if s.host_network {
        n.set("hostNetwork", Node::bool(true));
    }
    if let Some(h) = &s.hostname {
        n.set("hostname", Node::str(h));
    }
    if !s.init_containers.is_empty() {
        n.set("initContainers", Node::seq(s.init_containers.iter().map(container).collect()));
    }
    if let Some(nn) = &s.node_name {
        n.set("nodeName", Node::str(nn));
    }
    if !s.node_selector.is_empty() {
        n.set("nodeSelector", labels(&s.node_selector));
    }
    n.set("restartPolicy", Node::str(s.restart_policy.as_deref().unwrap_or("Always")));
    n.set("schedulerName", Node::str("default-scheduler"));
    if let Some(b) = s.set_hostname_as_fqdn {
        n.set("setHostnameAsFQDN", Node::bool(b));
    }
    if let Some(sd) = &s.subdomain {
        n.set("subdomain", Node::str(sd));
    }
    n.set("terminationGracePeriodSeconds", Node::int(s.termination_grace_period_seconds.unwrap_or(30)));
    if !s.tolerations.is_empty() {
        let ts = s
            .tolerations
            .iter()
            .map(|t| {
                Node::map()
                    .with_opt("effect", t.effect.as_ref().map(Node::str))
                    .with_opt("key", t.key.as_ref().map(Node::str))
                    .with_opt("operator", t.operator.as_ref().map(Node::str))
                    .with_opt("tolerationSeconds", t.toleration_seconds.map(Node::int))
                    .with_opt("value", t.value.as_ref().map(Node::str))
            })
            .collect();
        n.set("tolerations", Node::seq(ts));
    }
    n
}

fn condition(type_: &str, ok: bool, at: Option<SimTime>) -> Node {
    let mut n = Node::map();
    if let Some(t) = at {
        n.set("lastTransitionTime", time(t));
    }
    n.with("status", Node::str(if ok { "True" } else { "False" })).with("type", Node::str(type_))
}

fn pod_status(p: &Pod) -> Node {
    let st = &p.status;
    let mut n = Node::map();
    let mut conds = Vec::new();
    if st.scheduled {
        let running = st.phase == PodPhase::Running;
        conds.push(condition("PodReadyToStartContainers", st.pod_ip.is_some(), st.start_time));
        conds.push(condition("Initialized", true, st.start_time));
        conds.push(condition("Ready", st.ready, st.ready_since.or(st.start_time)));
        conds.push(condition("ContainersReady", st.ready && running, st.ready_since.or(st.start_time)));
    }
    conds.push(condition("PodScheduled", st.scheduled, Some(p.metadata.creation_timestamp)));
    n.set("conditions", Node::seq(conds));
    if !st.container_statuses.is_empty() {
        let cs = st
            .container_statuses
            .iter()
            .map(|cs| {
                let image =
                    p.spec.containers.iter().find(|c| c.name == cs.name).map(|c| c.image.clone()).unwrap_or_default();
                let state = match &cs.state {
                    ContainerState::Running => {
                        Node::map().with("running", Node::map().with_opt("startedAt", cs.started_at.map(time)))
                    }
                    ContainerState::Waiting(r) => Node::map().with("waiting", Node::map().with("reason", Node::str(r))),
                    ContainerState::Terminated(code, r) => Node::map().with(
                        "terminated",
                        Node::map().with("exitCode", Node::int((*code).into())).with("reason", Node::str(r)),
                    ),
                };
                Node::map()
                    .with("image", Node::str(&image))
                    .with("name", Node::str(&cs.name))
                    .with("ready", Node::bool(cs.ready))
                    .with("restartCount", Node::int(cs.restart_count.into()))
                    .with("started", Node::bool(matches!(cs.state, ContainerState::Running)))
                    .with("state", state)
            })
            .collect();
        n.set("containerStatuses", Node::seq(cs));
    }
    if let Some(h) = &st.host_ip {
        n.set("hostIP", Node::str(h));
        n.set("hostIPs", Node::seq(vec![Node::map().with("ip", Node::str(h))]));
    }
    n.set("phase", Node::str(st.phase.as_str()));
    if let Some(ip) = &st.pod_ip {
        n.set("podIP", Node::str(ip));
        n.set("podIPs", Node::seq(st.pod_ips.iter().map(|i| Node::map().with("ip", Node::str(i))).collect()));
    }
    n.set("qosClass", Node::str("BestEffort"));
    if let Some(t) = st.start_time {
        n.set("startTime", time(t));
    }
    n
}

fn service_spec(s: &Service) -> Node {
    let sp = &s.spec;
    let mut n = Node::map();
    if sp.type_ != ServiceType::ExternalName {
        if let Some(ip) = &sp.cluster_ip {
            n.set("clusterIP", Node::str(ip));
        }
        if !sp.cluster_ips.is_empty() {
            n.set("clusterIPs", strs(&sp.cluster_ips));
        }
    }
    if let Some(e) = &sp.external_name {
        n.set("externalName", Node::str(e));
    }
    if !sp.external_ips.is_empty() {
        n.set("externalIPs", strs(&sp.external_ips));
    }
    if let Some(p) = &sp.external_traffic_policy {
        n.set("externalTrafficPolicy", Node::str(p));
    }
    if let Some(h) = sp.health_check_node_port {
        n.set("healthCheckNodePort", Node::int(h.into()));
    }
    if sp.type_ != ServiceType::ExternalName {
        n.set("internalTrafficPolicy", Node::str(sp.internal_traffic_policy.as_deref().unwrap_or("Cluster")));
        if !sp.ip_families.is_empty() {
            n.set("ipFamilies", Node::seq(sp.ip_families.iter().map(|f| Node::str(f.as_str())).collect()));
        }
        n.set("ipFamilyPolicy", Node::str(sp.ip_family_policy.as_deref().unwrap_or("SingleStack")));
    }
    if let Some(ip) = &sp.load_balancer_ip {
        n.set("loadBalancerIP", Node::str(ip));
    }
    if let Some(b) = sp.allocate_load_balancer_node_ports {
        n.set("allocateLoadBalancerNodePorts", Node::bool(b));
    }
    if !sp.ports.is_empty() {
        let ports = sp
            .ports
            .iter()
            .map(|p| {
                let mut pn = Node::map();
                if let Some(a) = &p.app_protocol {
                    pn.set("appProtocol", Node::str(a));
                }
                if let Some(name) = &p.name {
                    pn.set("name", Node::str(name));
                }
                if let Some(np) = p.node_port {
                    pn.set("nodePort", Node::int(np.into()));
                }
                pn.with("port", Node::int(p.port.into()))
                    .with("protocol", Node::str(&p.protocol))
                    .with("targetPort", int_or_string(&p.target_port))
            })
            .collect();
        n.set("ports", Node::seq(ports));
    }
    if sp.publish_not_ready_addresses {
        n.set("publishNotReadyAddresses", Node::bool(true));
    }
    if let Some(sel) = &sp.selector {
        n.set("selector", labels(sel));
    }
    n.set("sessionAffinity", Node::str(if sp.session_affinity.is_empty() { "None" } else { &sp.session_affinity }));
    if sp.session_affinity == "ClientIP" {
        let t = sp.session_affinity_timeout_seconds.unwrap_or(10_800);
        n.set("sessionAffinityConfig", Node::map().with("clientIP", Node::map().with("timeoutSeconds", Node::int(t))));
    }
    n.set("type", Node::str(sp.type_.as_str()));
    n
}

fn object_ref(r: &ObjectReference) -> Node {
    Node::map()
        .with("kind", Node::str(&r.kind))
        .with("name", Node::str(&r.name))
        .with("namespace", Node::str(&r.namespace))
        .with("uid", Node::str(&r.uid))
}

fn endpoint(e: &Endpoint) -> Node {
    let mut c = Node::map();
    if let Some(b) = e.conditions.ready {
        c.set("ready", Node::bool(b));
    }
    if let Some(b) = e.conditions.serving {
        c.set("serving", Node::bool(b));
    }
    if let Some(b) = e.conditions.terminating {
        c.set("terminating", Node::bool(b));
    }
    Node::map()
        .with("addresses", strs(&e.addresses))
        .with("conditions", c)
        .with_opt("hostname", e.hostname.as_ref().map(Node::str))
        .with_opt("nodeName", e.node_name.as_ref().map(Node::str))
        .with_opt("targetRef", e.target_ref.as_ref().map(object_ref))
        .with_opt("zone", e.zone.as_ref().map(Node::str))
}

fn endpoint_port(p: &EndpointPort) -> Node {
    Node::map()
        .with_opt("appProtocol", p.app_protocol.as_ref().map(Node::str))
        .with("name", Node::str(p.name.as_deref().unwrap_or("")))
        .with_opt("port", p.port.map(|p| Node::int(p.into())))
        .with_opt("protocol", p.protocol.as_ref().map(Node::str))
}

fn subset(s: &EndpointSubset) -> Node {
    let addr = |a: &EndpointAddress| {
        Node::map()
            .with_opt("hostname", a.hostname.as_ref().map(Node::str))
            .with("ip", Node::str(&a.ip))
            .with_opt("nodeName", a.node_name.as_ref().map(Node::str))
            .with_opt("targetRef", a.target_ref.as_ref().map(object_ref))
    };
    let mut n = Node::map();
    if !s.addresses.is_empty() {
        n.set("addresses", Node::seq(s.addresses.iter().map(addr).collect()));
    }
    if !s.not_ready_addresses.is_empty() {
        n.set("notReadyAddresses", Node::seq(s.not_ready_addresses.iter().map(addr).collect()));
    }
    if !s.ports.is_empty() {
        n.set("ports", Node::seq(s.ports.iter().map(endpoint_port).collect()));
    }
    n
}

fn workload_status(s: &WorkloadStatus, deployment: bool) -> Node {
    let mut n = Node::map();
    if deployment || s.available_replicas > 0 {
        n.set("availableReplicas", Node::int(s.available_replicas.into()));
    }
    n.set("observedGeneration", Node::int(s.observed_generation));
    if s.ready_replicas > 0 {
        n.set("readyReplicas", Node::int(s.ready_replicas.into()));
    }
    n.set("replicas", Node::int(s.replicas.into()));
    if deployment {
        n.set("updatedReplicas", Node::int(s.updated_replicas.into()));
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Cluster, ClusterConfig};

    /// Every object of a booted cluster encodes to a shape the decoder reads back with the
    /// same spec (what `kubectl edit` and `kubectl patch` rely on).
    #[test]
    fn encoded_objects_decode_back() {
        let c = Cluster::new(ClusterConfig::default(), 1);
        for obj in c.objects() {
            let n = encode(obj);
            let back = crate::decode::decode_object(&n);
            let back = match back {
                Ok(b) => b,
                Err(e) => panic!("{:?}: {e:?}\n{}", obj.kind(), crate::yaml::to_yaml(&n)),
            };
            assert_eq!(back.kind(), obj.kind());
            assert_eq!(back.meta().name, obj.meta().name);
            if let (Object::Service(a), Object::Service(b)) = (obj, &back) {
                assert_eq!(a.spec.ports, b.spec.ports);
                assert_eq!(a.spec.selector, b.spec.selector);
            }
            if let (Object::Pod(a), Object::Pod(b)) = (obj, &back) {
                assert_eq!(a.spec.containers.len(), b.spec.containers.len());
            }
        }
    }

    #[test]
    fn list_wrapper_is_kubectls() {
        let out = crate::yaml::to_json(&list(vec![]));
        assert_eq!(
            out,
            "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
        );
    }
}
