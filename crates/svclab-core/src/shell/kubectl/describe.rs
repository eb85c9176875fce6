//! `kubectl describe`: pods, services, endpointslices, deployments, statefulsets, nodes,
//! laid out as kubectl's describers write them (tab-separated, through Go's tabwriter with
//! padding 2), ending with the object's Events from `Cluster::kube_events`.

use super::get::endpoints_summary;
use super::tabwriter;
use super::{Args, Output, Terminal};
use crate::api::*;
use crate::cluster::{Cluster, KubeEvent};
use crate::time::{human_duration, SimTime, EPOCH_UNIX_SECS};

pub fn describe(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let ns = args.namespace(term).to_string();
    let Some(first) = args.positional.first() else {
        return Output::fail("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\n", 1);
    };
    let (res, mut names) = match first.split_once('/') {
        Some((r, n)) => (r.to_string(), vec![n.to_string()]),
        None => (first.clone(), args.positional[1..].to_vec()),
    };
    let kind = match super::resource_kind(&res) {
        Ok(k) => k,
        Err(e) => return e,
    };
    let list_ns = if kind.namespaced() { Some(ns.as_str()) } else { None };
    let selector = args.value(&["-l", "--selector"]);
    if names.is_empty() {
        names = c
            .objects()
            .filter(|o| o.kind() == kind && list_ns.is_none_or(|n| o.meta().namespace == n))
            .filter(|o| super::selector_matches(selector, &o.meta().labels))
            .map(|o| o.meta().name.clone())
            .collect();
        if names.is_empty() {
            return Output::ok(format!("No resources found in {ns} namespace.\n"));
        }
    }
    let mut parts = Vec::new();
    let mut errors = String::new();
    for name in &names {
        let key = crate::cluster::ObjKey::new(kind, &ns, name);
        let Some(obj) = c.get_object(&key) else {
            errors.push_str(&format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.resource()));
            continue;
        };
        let text = match obj {
            Object::Pod(p) => pod(c, p),
            Object::Service(s) => service(c, s),
            Object::EndpointSlice(s) => endpoint_slice(c, s),
            Object::Deployment(d) => deployment(c, d),
            Object::StatefulSet(s) => statefulset(c, s),
            Object::DaemonSet(d) => daemonset(c, d),
            Object::ReplicaSet(r) => replicaset(c, r),
            Object::Node(n) => node(c, n),
            Object::PersistentVolumeClaim(p) => pvc(c, p),
            other => generic(c, other),
        };
        parts.push(tabwriter::format(&text, 2));
    }
    let code = if errors.is_empty() { 0 } else { 1 };
    Output { text: format!("{}{errors}", parts.join("\n\n")), exit_code: code, ..Default::default() }
}

/// `Thu, 01 Jan 2026 00:00:13 +0000` (Go's RFC1123Z, as describe prints times).
pub fn rfc1123z(t: SimTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let iso = crate::time::rfc3339(t);
    let secs = EPOCH_UNIX_SECS + t.secs();
    let wd = DAYS[((secs / 86_400) % 7) as usize];
    let (y, rest) = iso.split_at(4);
    let mon: usize = rest.get(1..3).and_then(|m| m.parse().ok()).unwrap_or(1);
    let day = rest.get(4..6).unwrap_or("01");
    let hms = rest.get(7..15).unwrap_or("00:00:00");
    format!("{wd}, {day} {} {y} {hms} +0000", MONTHS[(mon.clamp(1, 12)) - 1])
}

/// A pod's tolerations after admission: the DefaultTolerationSeconds plugin adds
/// `not-ready`/`unreachable:NoExecute` for 300s unless the pod already tolerates them.
fn effective_tolerations(spec: &PodSpec) -> Vec<Toleration> {
    let mut v = spec.tolerations.clone();
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let covered = spec.tolerations.iter().any(|t| t.tolerates(key, "", "NoExecute"));
        if !covered {
            v.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(300),
                ..Default::default()
            });
        }
    }
    v
}

/// kubectl's printTolerationsMultiline: sorted by key, `key[=value][:effect][ op=Exists][ for Ns]`.
fn tolerations_lines(key: &str, ts: &[Toleration]) -> String {
    if ts.is_empty() {
        return format!("{key}:\t<none>\n");
    }
    let mut sorted: Vec<&Toleration> = ts.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    let mut s = String::new();
    for (i, t) in sorted.iter().enumerate() {
        let mut line = t.key.clone().unwrap_or_default();
        let value = t.value.as_deref().unwrap_or("");
        if !value.is_empty() {
            line.push_str(&format!("={value}"));
        }
        if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
            line.push_str(&format!(":{e}"));
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            line.push_str(if line.is_empty() { "op=Exists" } else { " op=Exists" });
        }
        if let Some(secs) = t.toleration_seconds {
            line.push_str(&format!(" for {secs}s"));
        }
        let head = if i == 0 { format!("{key}:") } else { String::new() };
        s.push_str(&format!("{head}\t{line}\n"));
    }
    s
}

fn map_lines(key: &str, m: &Labels, sep: &str) -> String {
    if m.is_empty() {
        return format!("{key}:\t<none>\n");
    }
    let mut s = String::new();
    for (i, (k, v)) in m.iter().enumerate() {
        let head = if i == 0 { format!("{key}:") } else { String::new() };
        s.push_str(&format!("{head}\t{k}{sep}{v}\n"));
    }
    s
}

fn labels_inline(m: &Labels) -> String {
    if m.is_empty() {
        "<none>".into()
    } else {
        m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
    }
}

/// Which component reports an event reason, for the `From` column.
fn source(reason: &str, kind: Kind) -> &'static str {
    match reason {
        "Scheduled" | "FailedScheduling" => "default-scheduler",
        "ScalingReplicaSet" => "deployment-controller",
        "SuccessfulCreate" | "SuccessfulDelete" if kind == Kind::StatefulSet => "statefulset-controller",
        "SuccessfulCreate" | "SuccessfulDelete" if kind == Kind::DaemonSet => "daemonset-controller",
        "SuccessfulCreate" | "SuccessfulDelete" => "replicaset-controller",
        "FailedToUpdateEndpointSlices" => "endpoint-slice-controller",
        "WaitForFirstConsumer" => "persistentvolume-controller",
        "ProvisioningSucceeded" => "rancher.io/local-path_local-path-provisioner",
        _ if kind == Kind::Node => "kubelet",
        _ if kind == Kind::Service => "service-controller",
        _ => "kubelet",
    }
}

fn events(c: &Cluster, kind: Kind, ns: &str, name: &str) -> String {
    let evs: Vec<&KubeEvent> =
        c.events().filter(|e| e.kind == kind && e.name == name && (!kind.namespaced() || e.namespace == ns)).collect();
    if evs.is_empty() {
        return "Events:\t<none>\n".into();
    }
    let mut s = String::from("Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n");
    for e in evs {
        let age = if e.count > 1 {
            format!(
                "{} (x{} over {})",
                human_duration(c.now.since(e.last)),
                e.count,
                human_duration(c.now.since(e.first))
            )
        } else {
            human_duration(c.now.since(e.first))
        };
        s.push_str(&format!("  {}\t{}\t{age}\t{}\t{}\n", e.type_, e.reason, source(&e.reason, kind), e.message));
    }
    s
}

fn head(m: &ObjectMeta, namespaced: bool) -> String {
    let mut s = format!("Name:\t{}\n", m.name);
    if namespaced {
        s.push_str(&format!("Namespace:\t{}\n", m.namespace));
    }
    s
}

fn controlled_by(m: &ObjectMeta) -> String {
    m.controller().map(|o| format!("Controlled By:\t{}/{}\n", o.kind, o.name)).unwrap_or_default()
}

/// Five characters for the service-account token volume's name, derived from the pod's uid
/// (the real suffix is random; deriving it keeps runs reproducible without using the RNG).
fn token_suffix(uid: &str) -> String {
    const ALPHA: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    uid.bytes().filter(u8::is_ascii_hexdigit).take(5).map(|b| ALPHA[(b as usize) % ALPHA.len()] as char).collect()
}

fn container_port(c: &Container) -> String {
    match c.ports.first() {
        None => "<none>".into(),
        Some(p) => {
            let proto = if p.protocol.is_empty() { "TCP" } else { &p.protocol };
            match &p.name {
                Some(n) => format!("{}/{proto} ({n})", p.container_port),
                None => format!("{}/{proto}", p.container_port),
            }
        }
    }
}

fn probe_text(p: &Probe) -> String {
    let h = match &p.handler {
        ProbeHandler::Exec(cmd) => format!("exec [{}]", cmd.join(" ")),
        ProbeHandler::HttpGet { path, port } => format!("http-get http://:{port}{path}"),
        ProbeHandler::TcpSocket { port } => format!("tcp-socket :{port}"),
    };
    format!(
        "{h} delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds, p.timeout_seconds, p.period_seconds, p.success_threshold, p.failure_threshold
    )
}

fn pod(c: &Cluster, p: &Pod) -> String {
    let mut s = head(&p.metadata, true);
    s.push_str("Priority:\t0\nService Account:\tdefault\n");
    match (&p.spec.node_name, &p.status.host_ip) {
        (Some(n), Some(ip)) => s.push_str(&format!("Node:\t{n}/{ip}\n")),
        (Some(n), None) => s.push_str(&format!("Node:\t{n}/\n")),
        _ => s.push_str("Node:\t<none>\n"),
    }
    if let Some(t) = p.status.start_time {
        s.push_str(&format!("Start Time:\t{}\n", rfc1123z(t)));
    }
    s.push_str(&map_lines("Labels", &p.metadata.labels, "="));
    s.push_str(&map_lines("Annotations", &p.metadata.annotations, ": "));
    let status = if p.metadata.deletion_timestamp.is_some() { "Terminating" } else { p.status.phase.as_str() };
    s.push_str(&format!("Status:\t{status}\n"));
    if let Some(t) = p.metadata.deletion_timestamp {
        s.push_str(&format!(
            "Termination Grace Period:\t{}s\n",
            p.metadata.deletion_grace_period_seconds.unwrap_or(30)
        ));
        let _ = t;
    }
    s.push_str(&format!("IP:\t{}\n", p.status.pod_ip.as_deref().unwrap_or("")));
    if p.status.pod_ips.is_empty() {
        s.push_str("IPs:\t<none>\n");
    } else {
        s.push_str("IPs:\n");
        for ip in &p.status.pod_ips {
            s.push_str(&format!("  IP:\t{ip}\n"));
        }
    }
    s.push_str(&controlled_by(&p.metadata));
    s.push_str("Containers:\n");
    for ct in &p.spec.containers {
        s.push_str(&format!("  {}:\n", ct.name));
        s.push_str(&format!("    Image:\t{}\n", ct.image));
        s.push_str(&format!("    Port:\t{}\n", container_port(ct)));
        s.push_str(&format!(
            "    Host Port:\t{}\n",
            if ct.ports.is_empty() { "<none>".into() } else { format!("0/{}", ct.ports[0].protocol) }
        ));
        if !ct.command.is_empty() {
            s.push_str("    Command:\n");
            for w in &ct.command {
                s.push_str(&format!("      {w}\n"));
            }
        }
        if !ct.args.is_empty() {
            s.push_str("    Args:\n");
            for w in &ct.args {
                s.push_str(&format!("      {w}\n"));
            }
        }
        let cs = p.status.container_statuses.iter().find(|x| x.name == ct.name);
        match cs.map(|x| &x.state) {
            Some(ContainerState::Running) => {
                s.push_str("    State:\tRunning\n");
                if let Some(t) = cs.and_then(|x| x.started_at) {
                    s.push_str(&format!("      Started:\t{}\n", rfc1123z(t)));
                }
            }
            Some(ContainerState::Waiting(r)) => s.push_str(&format!("    State:\tWaiting\n      Reason:\t{r}\n")),
            Some(ContainerState::Terminated(code, r)) => {
                s.push_str(&format!("    State:\tTerminated\n      Reason:\t{r}\n      Exit Code:\t{code}\n"))
            }
            None => s.push_str("    State:\tWaiting\n      Reason:\tContainerCreating\n"),
        }
        s.push_str(&format!("    Ready:\t{}\n", if cs.is_some_and(|x| x.ready) { "True" } else { "False" }));
        s.push_str(&format!("    Restart Count:\t{}\n", cs.map(|x| x.restart_count).unwrap_or(0)));
        if let Some(pr) = &ct.liveness_probe {
            s.push_str(&format!("    Liveness:\t{}\n", probe_text(pr)));
        }
        if let Some(pr) = &ct.readiness_probe {
            s.push_str(&format!("    Readiness:\t{}\n", probe_text(pr)));
        }
        s.push_str("    Environment:\t<none>\n");
        s.push_str(&format!(
            "    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-{} (ro)\n",
            token_suffix(&p.metadata.uid)
        ));
    }
    s.push_str("Conditions:\n  Type\tStatus\n");
    let running = p.status.phase == PodPhase::Running;
    let tf = |b: bool| if b { "True " } else { "False " };
    if p.status.scheduled {
        s.push_str(&format!("  PodReadyToStartContainers \t{}\n", tf(p.status.pod_ip.is_some())));
        s.push_str("  Initialized \tTrue \n");
        s.push_str(&format!("  Ready \t{}\n", tf(p.status.ready)));
        s.push_str(&format!("  ContainersReady \t{}\n", tf(p.status.ready && running)));
    }
    s.push_str(&format!("  PodScheduled \t{}\n", tf(p.status.scheduled)));
    s.push_str(&format!(
        "Volumes:\n  kube-api-access-{}:\n    Type:\tProjected (a volume that contains injected data from multiple sources)\n    TokenExpirationSeconds:\t3607\n    ConfigMapName:\tkube-root-ca.crt\n    ConfigMapOptional:\t<nil>\n    DownwardAPI:\ttrue\n",
        token_suffix(&p.metadata.uid)
    ));
    s.push_str("QoS Class:\tBestEffort\n");
    s.push_str(&format!(
        "Node-Selectors:\t{}\n",
        if p.spec.node_selector.is_empty() { "<none>".into() } else { labels_inline(&p.spec.node_selector) }
    ));
    s.push_str(&tolerations_lines("Tolerations", &effective_tolerations(&p.spec)));
    s.push_str(&events(c, Kind::Pod, &p.metadata.namespace, &p.metadata.name));
    s
}

fn service(c: &Cluster, svc: &Service) -> String {
    let sp = &svc.spec;
    let mut s = head(&svc.metadata, true);
    s.push_str(&map_lines("Labels", &svc.metadata.labels, "="));
    s.push_str(&map_lines("Annotations", &svc.metadata.annotations, ": "));
    s.push_str(&format!("Selector:\t{}\n", sp.selector.as_ref().map(labels_inline).unwrap_or_else(|| "<none>".into())));
    s.push_str(&format!("Type:\t{}\n", sp.type_.as_str()));
    if sp.type_ != ServiceType::ExternalName {
        s.push_str(&format!("IP Family Policy:\t{}\n", sp.ip_family_policy.as_deref().unwrap_or("SingleStack")));
        let fams: Vec<&str> = sp.ip_families.iter().map(|f| f.as_str()).collect();
        s.push_str(&format!("IP Families:\t{}\n", if fams.is_empty() { "<none>".into() } else { fams.join(",") }));
        s.push_str(&format!("IP:\t{}\n", sp.cluster_ip.as_deref().unwrap_or("")));
        s.push_str(&format!(
            "IPs:\t{}\n",
            if sp.cluster_ips.is_empty() {
                sp.cluster_ip.clone().unwrap_or_default()
            } else {
                sp.cluster_ips.join(",")
            }
        ));
    }
    if let Some(e) = &sp.external_name {
        s.push_str(&format!("External Name:\t{e}\n"));
    }
    if !svc.status.load_balancer_ingress.is_empty() {
        s.push_str(&format!("LoadBalancer Ingress:\t{}\n", svc.status.load_balancer_ingress.join(", ")));
    }
    let slices: Vec<&EndpointSlice> = c
        .list::<EndpointSlice>(Some(&svc.metadata.namespace))
        .filter(|es| es.metadata.labels.get("kubernetes.io/service-name") == Some(&svc.metadata.name))
        .collect();
    for p in &sp.ports {
        let name = p.name.clone().unwrap_or_else(|| "<unset>".into());
        s.push_str(&format!("Port:\t{name}\t{}/{}\n", p.port, p.protocol));
        let tp = match &p.target_port {
            IntOrString::Int(i) => format!("{i}/{}", p.protocol),
            IntOrString::Str(n) => format!("{n}/{}", p.protocol),
        };
        s.push_str(&format!("TargetPort:\t{tp}\n"));
        if let Some(np) = p.node_port {
            s.push_str(&format!("NodePort:\t{name}\t{np}/{}\n", p.protocol));
        }
        if sp.type_ != ServiceType::ExternalName {
            // Ready endpoints of the slices' port with this port's name (describe.go
            // formatEndpointSlices).
            let mut addrs = Vec::new();
            for es in &slices {
                let port =
                    es.ports.iter().find(|ep| ep.name.as_deref().unwrap_or("") == p.name.as_deref().unwrap_or(""));
                for e in es.endpoints.iter().filter(|e| e.conditions.is_ready()) {
                    for a in &e.addresses {
                        addrs.push(match port.and_then(|x| x.port) {
                            Some(pt) => format!("{a}:{pt}"),
                            None => a.clone(),
                        });
                    }
                }
            }
            let summary = if addrs.is_empty() { "<none>".to_string() } else { endpoints_summary(&addrs) };
            s.push_str(&format!("Endpoints:\t{summary}\n"));
        }
    }
    if sp.type_ != ServiceType::ExternalName {
        s.push_str(&format!(
            "Session Affinity:\t{}\n",
            if sp.session_affinity.is_empty() { "None" } else { &sp.session_affinity }
        ));
    }
    if matches!(sp.type_, ServiceType::NodePort | ServiceType::LoadBalancer) {
        s.push_str(&format!(
            "External Traffic Policy:\t{}\n",
            sp.external_traffic_policy.as_deref().unwrap_or("Cluster")
        ));
    }
    if sp.type_ != ServiceType::ExternalName {
        s.push_str(&format!(
            "Internal Traffic Policy:\t{}\n",
            sp.internal_traffic_policy.as_deref().unwrap_or("Cluster")
        ));
    }
    s.push_str(&events(c, Kind::Service, &svc.metadata.namespace, &svc.metadata.name));
    s
}

fn endpoint_slice(c: &Cluster, es: &EndpointSlice) -> String {
    let mut s = head(&es.metadata, true);
    s.push_str(&map_lines("Labels", &es.metadata.labels, "="));
    s.push_str(&map_lines("Annotations", &es.metadata.annotations, ": "));
    s.push_str(&format!("AddressType:\t{}\n", es.address_type));
    if es.ports.is_empty() {
        s.push_str("Ports: <unset>\n");
    } else {
        s.push_str("Ports:\n  Name\tPort\tProtocol\n  ----\t----\t--------\n");
        for p in &es.ports {
            s.push_str(&format!(
                "  {}\t{}\t{}\n",
                p.name.as_deref().filter(|n| !n.is_empty()).unwrap_or("<unset>"),
                p.port.map(|x| x.to_string()).unwrap_or_else(|| "<unset>".into()),
                p.protocol.as_deref().unwrap_or("TCP")
            ));
        }
    }
    if es.endpoints.is_empty() {
        s.push_str("Endpoints: <none>\n");
    } else {
        s.push_str("Endpoints:\n");
        for e in &es.endpoints {
            s.push_str(&format!("  - Addresses:\t{}\n", e.addresses.join(",")));
            s.push_str("    Conditions:\n");
            s.push_str(&format!("      Ready:\t{}\n", e.conditions.is_ready()));
            if let Some(h) = &e.hostname {
                s.push_str(&format!("    Hostname:\t{h}\n"));
            } else {
                s.push_str("    Hostname:\t<unset>\n");
            }
            if let Some(r) = &e.target_ref {
                s.push_str(&format!("    TargetRef:\t{}/{}\n", r.kind, r.name));
            }
            s.push_str(&format!("    NodeName:\t{}\n", e.node_name.as_deref().unwrap_or("<unset>")));
            s.push_str(&format!("    Zone:\t{}\n", e.zone.as_deref().unwrap_or("<unset>")));
        }
    }
    s.push_str(&events(c, Kind::EndpointSlice, &es.metadata.namespace, &es.metadata.name));
    s
}

fn template_lines(t: &PodTemplateSpec) -> String {
    let mut s = String::from("Pod Template:\n");
    s.push_str(&map_lines("  Labels", &t.metadata.labels, "="));
    s.push_str("  Containers:\n");
    for ct in &t.spec.containers {
        s.push_str(&format!("   {}:\n", ct.name));
        s.push_str(&format!("    Image:\t{}\n", ct.image));
        s.push_str(&format!("    Port:\t{}\n", container_port(ct)));
        s.push_str(&format!(
            "    Host Port:\t{}\n",
            if ct.ports.is_empty() { "<none>".into() } else { format!("0/{}", ct.ports[0].protocol) }
        ));
        if let Some(pr) = &ct.readiness_probe {
            s.push_str(&format!("    Readiness:\t{}\n", probe_text(pr)));
        }
        s.push_str("    Environment:\t<none>\n    Mounts:\t<none>\n");
    }
    s.push_str("  Volumes:\t<none>\n");
    s.push_str(&map_lines("  Node-Selectors", &t.spec.node_selector, "="));
    s.push_str(&tolerations_lines("  Tolerations", &t.spec.tolerations));
    s
}

fn deployment(c: &Cluster, d: &Deployment) -> String {
    let st = &d.status;
    let mut s = head(&d.metadata, true);
    s.push_str(&format!("CreationTimestamp:\t{}\n", rfc1123z(d.metadata.creation_timestamp)));
    s.push_str(&map_lines("Labels", &d.metadata.labels, "="));
    s.push_str(&map_lines("Annotations", &d.metadata.annotations, ": "));
    s.push_str(&format!("Selector:\t{}\n", labels_inline(&d.spec.selector.match_labels)));
    s.push_str(&format!(
        "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
        d.spec.replicas,
        st.updated_replicas,
        st.replicas,
        st.available_replicas,
        (st.replicas - st.available_replicas).max(0)
    ));
    s.push_str(&format!("StrategyType:\t{}\n", d.spec.strategy));
    s.push_str(&format!("MinReadySeconds:\t{}\n", d.spec.min_ready_seconds));
    if d.spec.strategy != "Recreate" {
        let f = |v: &Option<IntOrString>| v.as_ref().map(|x| x.to_string()).unwrap_or_else(|| "25%".into());
        s.push_str(&format!(
            "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
            f(&d.spec.max_unavailable),
            f(&d.spec.max_surge)
        ));
    }
    s.push_str(&template_lines(&d.spec.template));
    let available = st.available_replicas >= d.spec.replicas;
    s.push_str("Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n");
    s.push_str(&format!(
        "  Available \t{}\t{}\n",
        if available { "True " } else { "False " },
        if available { "MinimumReplicasAvailable" } else { "MinimumReplicasUnavailable" }
    ));
    let done = st.updated_replicas >= d.spec.replicas && available;
    s.push_str(&format!(
        "  Progressing \tTrue \t{}\n",
        if done { "NewReplicaSetAvailable" } else { "ReplicaSetUpdated" }
    ));
    let rss: Vec<&ReplicaSet> = c
        .list::<ReplicaSet>(Some(&d.metadata.namespace))
        .filter(|r| r.metadata.controller().is_some_and(|o| o.uid == d.metadata.uid))
        .collect();
    // The new ReplicaSet is the one whose template (without pod-template-hash) is the
    // Deployment's (deployment/util.go FindNewReplicaSet).
    let is_new = |r: &ReplicaSet| {
        let mut t = r.spec.template.clone();
        t.metadata.labels.remove("pod-template-hash");
        t == d.spec.template
    };
    let new_name = rss.iter().find(|r| is_new(r)).map(|r| r.metadata.name.clone()).unwrap_or_default();
    let fmt_rs =
        |r: &ReplicaSet| format!("{} ({}/{} replicas created)", r.metadata.name, r.status.replicas, r.spec.replicas);
    let old: Vec<String> =
        rss.iter().filter(|r| r.metadata.name != new_name && r.spec.replicas > 0).map(|r| fmt_rs(r)).collect();
    s.push_str(&format!("OldReplicaSets:\t{}\n", if old.is_empty() { "<none>".into() } else { old.join(", ") }));
    let new = rss.iter().find(|r| r.metadata.name == new_name).map(|r| fmt_rs(r)).unwrap_or_else(|| "<none>".into());
    s.push_str(&format!("NewReplicaSet:\t{new}\n"));
    s.push_str(&events(c, Kind::Deployment, &d.metadata.namespace, &d.metadata.name));
    s
}

fn pods_status_line(c: &Cluster, ns: &str, owner_uid: &str) -> String {
    let mut counts = [0; 4];
    for p in c.list::<Pod>(Some(ns)).filter(|p| p.metadata.controller().is_some_and(|o| o.uid == owner_uid)) {
        let i = match p.status.phase {
            PodPhase::Running => 0,
            PodPhase::Pending => 1,
            PodPhase::Succeeded => 2,
            _ => 3,
        };
        counts[i] += 1;
    }
    format!(
        "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
        counts[0], counts[1], counts[2], counts[3]
    )
}

fn replicaset(c: &Cluster, r: &ReplicaSet) -> String {
    let mut s = head(&r.metadata, true);
    s.push_str(&format!("Selector:\t{}\n", labels_inline(&r.spec.selector.match_labels)));
    s.push_str(&map_lines("Labels", &r.metadata.labels, "="));
    s.push_str(&map_lines("Annotations", &r.metadata.annotations, ": "));
    s.push_str(&controlled_by(&r.metadata));
    s.push_str(&format!("Replicas:\t{} current / {} desired\n", r.status.replicas, r.spec.replicas));
    s.push_str(&pods_status_line(c, &r.metadata.namespace, &r.metadata.uid));
    s.push_str(&template_lines(&r.spec.template));
    s.push_str(&events(c, Kind::ReplicaSet, &r.metadata.namespace, &r.metadata.name));
    s
}

fn statefulset(c: &Cluster, st: &StatefulSet) -> String {
    let mut s = head(&st.metadata, true);
    s.push_str(&format!("CreationTimestamp:\t{}\n", rfc1123z(st.metadata.creation_timestamp)));
    s.push_str(&format!("Selector:\t{}\n", labels_inline(&st.spec.selector.match_labels)));
    s.push_str(&map_lines("Labels", &st.metadata.labels, "="));
    s.push_str(&map_lines("Annotations", &st.metadata.annotations, ": "));
    s.push_str(&format!("Replicas:\t{} desired | {} total\n", st.spec.replicas, st.status.replicas));
    if st.spec.update_strategy == "OnDelete" {
        s.push_str("Update Strategy:\tOnDelete\n");
    } else {
        s.push_str("Update Strategy:\tRollingUpdate\n");
        s.push_str(&format!("  Partition:\t{}\n", st.spec.update_partition));
    }
    s.push_str(&pods_status_line(c, &st.metadata.namespace, &st.metadata.uid));
    s.push_str(&template_lines(&st.spec.template));
    if st.spec.volume_claim_templates.is_empty() {
        s.push_str("Volume Claims:\t<none>\n");
    } else {
        s.push_str("Volume Claims:\n");
        for v in &st.spec.volume_claim_templates {
            s.push_str(&format!("  Name:\t{v}\n"));
        }
    }
    s.push_str(&events(c, Kind::StatefulSet, &st.metadata.namespace, &st.metadata.name));
    s
}

/// kubectl's DaemonSetDescriber: no Namespace line; the counts are plain text (no tab).
fn daemonset(c: &Cluster, d: &DaemonSet) -> String {
    let st = &d.status;
    let mut s = format!("Name:\t{}\n", d.metadata.name);
    s.push_str(&format!("Selector:\t{}\n", labels_inline(&d.spec.selector.match_labels)));
    s.push_str(&format!("Node-Selector:\t{}\n", labels_inline(&d.spec.template.spec.node_selector)));
    s.push_str(&map_lines("Labels", &d.metadata.labels, "="));
    s.push_str(&map_lines("Annotations", &d.metadata.annotations, ": "));
    s.push_str(&format!("Desired Number of Nodes Scheduled: {}\n", st.desired_number_scheduled));
    s.push_str(&format!("Current Number of Nodes Scheduled: {}\n", st.current_number_scheduled));
    s.push_str(&format!("Number of Nodes Scheduled with Up-to-date Pods: {}\n", st.updated_number_scheduled));
    s.push_str(&format!("Number of Nodes Scheduled with Available Pods: {}\n", st.number_available));
    s.push_str(&format!("Number of Nodes Misscheduled: {}\n", st.number_misscheduled));
    s.push_str(&pods_status_line(c, &d.metadata.namespace, &d.metadata.uid));
    s.push_str(&template_lines(&d.spec.template));
    s.push_str(&events(c, Kind::DaemonSet, &d.metadata.namespace, &d.metadata.name));
    s
}

fn node(c: &Cluster, n: &Node) -> String {
    let mut s = head(&n.metadata, false);
    s.push_str(&format!("Roles:\t{}\n", if n.control_plane { "control-plane" } else { "<none>" }));
    s.push_str(&map_lines("Labels", &n.metadata.labels, "="));
    s.push_str(&map_lines("Annotations", &n.metadata.annotations, ": "));
    s.push_str(&format!("CreationTimestamp:\t{}\n", rfc1123z(n.metadata.creation_timestamp)));
    s.push_str(&format!(
        "Taints:\t{}\n",
        if n.control_plane { "node-role.kubernetes.io/control-plane:NoSchedule" } else { "<none>" }
    ));
    s.push_str("Unschedulable:\tfalse\n");
    s.push_str("Conditions:\n  Type\tStatus\tReason\tMessage\n  ----\t------\t------\t-------\n");
    if n.ready {
        s.push_str("  Ready \tTrue \tKubeletReady\tkubelet is posting ready status\n");
    } else {
        s.push_str("  Ready \tUnknown \tNodeStatusUnknown\tKubelet stopped posting node status.\n");
    }
    s.push_str("Addresses:\n");
    for a in &n.addresses {
        s.push_str(&format!("  InternalIP:\t{a}\n"));
    }
    s.push_str(&format!("  Hostname:\t{}\n", n.metadata.name));
    if let Some(cidr) = n.pod_cidrs.first() {
        s.push_str(&format!("PodCIDR:\t{cidr}\n"));
    }
    s.push_str(&format!("PodCIDRs:\t{}\n", n.pod_cidrs.join(",")));
    let pods: Vec<&Pod> =
        c.list::<Pod>(None).filter(|p| p.spec.node_name.as_deref() == Some(&n.metadata.name)).collect();
    s.push_str(&format!("Non-terminated Pods:\t({} in total)\n", pods.len()));
    s.push_str("  Namespace\tName\tAge\n  ---------\t----\t---\n");
    for p in pods {
        s.push_str(&format!(
            "  {}\t{}\t{}\n",
            p.metadata.namespace,
            p.metadata.name,
            human_duration(c.now.since(p.metadata.creation_timestamp))
        ));
    }
    s.push_str(&events(c, Kind::Node, "", &n.metadata.name));
    s
}

/// `kubectl describe pvc` (kubectl describe.go `PersistentVolumeClaimDescriber`).
fn pvc(c: &Cluster, p: &PersistentVolumeClaim) -> String {
    let m = &p.metadata;
    let mut s = head(m, true);
    s.push_str(&format!("StorageClass:\t{}\n", p.spec.storage_class_name.as_deref().unwrap_or("")));
    s.push_str(&format!("Status:\t{}\n", p.status.phase));
    s.push_str(&format!("Volume:\t{}\n", p.spec.volume_name.as_deref().unwrap_or("")));
    s.push_str(&map_lines("Labels", &m.labels, "="));
    s.push_str(&map_lines("Annotations", &m.annotations, ": "));
    s.push_str("Finalizers:\t[kubernetes.io/pvc-protection]\n");
    s.push_str(&format!("Capacity:\t{}\n", p.status.capacity.as_deref().unwrap_or("")));
    let modes =
        if p.status.capacity.is_some() { super::get::access_modes(&p.spec.access_modes) } else { String::new() };
    s.push_str(&format!("Access Modes:\t{modes}\n"));
    s.push_str("VolumeMode:\tFilesystem\n");
    let users: Vec<String> = c
        .list::<Pod>(Some(&m.namespace))
        .filter(|pod| pod.spec.volumes.iter().any(|v| v.claim_name == m.name))
        .map(|pod| pod.metadata.name.clone())
        .collect();
    s.push_str(&format!("Used By:\t{}\n", if users.is_empty() { "<none>".to_string() } else { users.join(", ") }));
    s.push_str(&events(c, Kind::PersistentVolumeClaim, &m.namespace, &m.name));
    s
}

fn generic(c: &Cluster, o: &Object) -> String {
    let m = o.meta();
    let mut s = head(m, o.kind().namespaced());
    s.push_str(&map_lines("Labels", &m.labels, "="));
    s.push_str(&map_lines("Annotations", &m.annotations, ": "));
    match o {
        Object::ConfigMap(cm) => {
            s.push_str("\nData\n====\n");
            for (k, v) in &cm.data {
                s.push_str(&format!("{k}:\n----\n{v}\n\n"));
            }
            s.push_str("\nBinaryData\n====\n\n");
        }
        Object::Namespace(_) => s.push_str("Status:\tActive\n\nNo resource quota.\n\nNo LimitRange resource.\n"),
        Object::Endpoints(e) => {
            s.push_str("Subsets:\n");
            for sub in &e.subsets {
                let ips: Vec<&str> = sub.addresses.iter().map(|a| a.ip.as_str()).collect();
                let nr: Vec<&str> = sub.not_ready_addresses.iter().map(|a| a.ip.as_str()).collect();
                s.push_str(&format!(
                    "  Addresses:\t{}\n",
                    if ips.is_empty() { "<none>".into() } else { ips.join(",") }
                ));
                s.push_str(&format!(
                    "  NotReadyAddresses:\t{}\n",
                    if nr.is_empty() { "<none>".into() } else { nr.join(",") }
                ));
            }
        }
        _ => {}
    }
    if o.kind().namespaced() {
        s.push_str(&events(c, o.kind(), &m.namespace, &m.name));
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn describe_times_are_rfc1123z() {
        assert_eq!(super::rfc1123z(super::SimTime::from_secs(13)), "Thu, 01 Jan 2026 00:00:13 +0000");
        assert_eq!(super::rfc1123z(super::SimTime::from_secs(86_400 * 40)), "Tue, 10 Feb 2026 00:00:00 +0000");
    }
}
