//! `kubectl get`: the printer columns of each kind, `all`, `-o wide|name`, `-A`, `-l`,
//! `--show-labels`, and kubectl's messages for empty and missing results.

use super::output;
use super::table::render;
use super::{Args, Output, Terminal};
use crate::api::*;
use crate::cluster::{Cluster, ObjKey};
use crate::time::human_duration;

/// One printable object: its kind, namespace, name, labels, the columns of its row.
struct Row {
    namespace: String,
    name: String,
    labels: Labels,
    cells: Vec<String>,
    wide: Vec<String>,
}

fn age(c: &Cluster, m: &ObjectMeta) -> String {
    human_duration(c.now.since(m.creation_timestamp))
}

fn labels_text(l: &Labels) -> String {
    if l.is_empty() {
        "<none>".into()
    } else {
        l.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
    }
}

pub use crate::view::pod_status;

fn pod_row(c: &Cluster, p: &Pod) -> Row {
    let total = p.spec.containers.len();
    let ready = p.status.container_statuses.iter().filter(|s| s.ready).count();
    let restarts: i32 = p.status.container_statuses.iter().map(|s| s.restart_count).sum();
    Row {
        namespace: p.metadata.namespace.clone(),
        name: p.metadata.name.clone(),
        labels: p.metadata.labels.clone(),
        cells: vec![format!("{ready}/{total}"), pod_status(p), restarts.to_string(), age(c, &p.metadata)],
        wide: vec![
            p.status.pod_ip.clone().unwrap_or_else(|| "<none>".into()),
            p.spec.node_name.clone().unwrap_or_else(|| "<none>".into()),
            "<none>".into(),
            "<none>".into(),
        ],
    }
}

/// PORT(S): `80/TCP`, `80:30080/TCP`, comma-joined.
pub fn service_ports(s: &Service) -> String {
    if s.spec.ports.is_empty() {
        return "<none>".into();
    }
    s.spec
        .ports
        .iter()
        .map(|p| match p.node_port {
            Some(np) => format!("{}:{np}/{}", p.port, p.protocol),
            None => format!("{}/{}", p.port, p.protocol),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn service_row(c: &Cluster, s: &Service) -> Row {
    let cluster_ip = match s.spec.type_ {
        ServiceType::ExternalName => "<none>".to_string(),
        _ => s.spec.cluster_ip.clone().unwrap_or_else(|| "<none>".into()),
    };
    let external = match s.spec.type_ {
        ServiceType::ExternalName => s.spec.external_name.clone().unwrap_or_default(),
        ServiceType::LoadBalancer if s.status.load_balancer_ingress.is_empty() => "<pending>".into(),
        ServiceType::LoadBalancer => s.status.load_balancer_ingress.join(","),
        _ if !s.spec.external_ips.is_empty() => s.spec.external_ips.join(","),
        _ => "<none>".into(),
    };
    Row {
        namespace: s.metadata.namespace.clone(),
        name: s.metadata.name.clone(),
        labels: s.metadata.labels.clone(),
        cells: vec![s.spec.type_.as_str().into(), cluster_ip, external, service_ports(s), age(c, &s.metadata)],
        wide: vec![s.spec.selector.as_ref().map(labels_text).unwrap_or_else(|| "<none>".into())],
    }
}

fn containers_images(t: &PodTemplateSpec) -> (String, String) {
    (
        t.spec.containers.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(","),
        t.spec.containers.iter().map(|c| c.image.clone()).collect::<Vec<_>>().join(","),
    )
}

fn selector_text(s: &LabelSelector) -> String {
    labels_text(&s.match_labels)
}

/// ENDPOINTS of an EndpointSlice: up to three addresses, then ` + N more...`.
pub fn endpoints_summary(addrs: &[String]) -> String {
    if addrs.is_empty() {
        return "<unset>".into();
    }
    let mut s = addrs.iter().take(3).cloned().collect::<Vec<_>>().join(",");
    if addrs.len() > 3 {
        s.push_str(&format!(" + {} more...", addrs.len() - 3));
    }
    s
}

fn rows_for(c: &Cluster, kind: Kind, ns: Option<&str>) -> (Vec<&'static str>, Vec<&'static str>, Vec<Row>) {
    match kind {
        Kind::Pod => (
            vec!["READY", "STATUS", "RESTARTS", "AGE"],
            vec!["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
            c.list::<Pod>(ns).map(|p| pod_row(c, p)).collect(),
        ),
        Kind::Service => (
            vec!["TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
            vec!["SELECTOR"],
            c.list::<Service>(ns).map(|s| service_row(c, s)).collect(),
        ),
        Kind::Deployment => (
            vec!["READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
            c.list::<Deployment>(ns)
                .map(|d| {
                    let (cn, im) = containers_images(&d.spec.template);
                    Row {
                        namespace: d.metadata.namespace.clone(),
                        name: d.metadata.name.clone(),
                        labels: d.metadata.labels.clone(),
                        cells: vec![
                            format!("{}/{}", d.status.ready_replicas, d.spec.replicas),
                            d.status.updated_replicas.to_string(),
                            d.status.available_replicas.to_string(),
                            age(c, &d.metadata),
                        ],
                        wide: vec![cn, im, selector_text(&d.spec.selector)],
                    }
                })
                .collect(),
        ),
        Kind::ReplicaSet => (
            vec!["DESIRED", "CURRENT", "READY", "AGE"],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
            c.list::<ReplicaSet>(ns)
                .map(|r| {
                    let (cn, im) = containers_images(&r.spec.template);
                    Row {
                        namespace: r.metadata.namespace.clone(),
                        name: r.metadata.name.clone(),
                        labels: r.metadata.labels.clone(),
                        cells: vec![
                            r.spec.replicas.to_string(),
                            r.status.replicas.to_string(),
                            r.status.ready_replicas.to_string(),
                            age(c, &r.metadata),
                        ],
                        wide: vec![cn, im, selector_text(&r.spec.selector)],
                    }
                })
                .collect(),
        ),
        Kind::StatefulSet => (
            vec!["READY", "AGE"],
            vec!["CONTAINERS", "IMAGES"],
            c.list::<StatefulSet>(ns)
                .map(|s| {
                    let (cn, im) = containers_images(&s.spec.template);
                    Row {
                        namespace: s.metadata.namespace.clone(),
                        name: s.metadata.name.clone(),
                        labels: s.metadata.labels.clone(),
                        cells: vec![format!("{}/{}", s.status.ready_replicas, s.spec.replicas), age(c, &s.metadata)],
                        wide: vec![cn, im],
                    }
                })
                .collect(),
        ),
        // kubectl's daemonset columns (printers.go printDaemonSet); NODE SELECTOR is the
        // template's nodeSelector as `k=v,...` or `<none>`.
        Kind::DaemonSet => (
            vec!["DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
            c.list::<DaemonSet>(ns)
                .map(|d| {
                    let (cn, im) = containers_images(&d.spec.template);
                    let ns_sel = &d.spec.template.spec.node_selector;
                    let node_selector = if ns_sel.is_empty() {
                        "<none>".to_string()
                    } else {
                        ns_sel.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
                    };
                    let st = &d.status;
                    Row {
                        namespace: d.metadata.namespace.clone(),
                        name: d.metadata.name.clone(),
                        labels: d.metadata.labels.clone(),
                        cells: vec![
                            st.desired_number_scheduled.to_string(),
                            st.current_number_scheduled.to_string(),
                            st.number_ready.to_string(),
                            st.updated_number_scheduled.to_string(),
                            st.number_available.to_string(),
                            node_selector,
                            age(c, &d.metadata),
                        ],
                        wide: vec![cn, im, selector_text(&d.spec.selector)],
                    }
                })
                .collect(),
        ),
        Kind::EndpointSlice => (
            vec!["ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
            vec![],
            c.list::<EndpointSlice>(ns)
                .map(|s| {
                    let ports = if s.ports.is_empty() {
                        "<unset>".to_string()
                    } else {
                        s.ports
                            .iter()
                            .map(|p| p.port.map(|p| p.to_string()).unwrap_or_else(|| "<unset>".into()))
                            .collect::<Vec<_>>()
                            .join(",")
                    };
                    let addrs: Vec<String> = s.endpoints.iter().flat_map(|e| e.addresses.iter().cloned()).collect();
                    Row {
                        namespace: s.metadata.namespace.clone(),
                        name: s.metadata.name.clone(),
                        labels: s.metadata.labels.clone(),
                        cells: vec![s.address_type.clone(), ports, endpoints_summary(&addrs), age(c, &s.metadata)],
                        wide: vec![],
                    }
                })
                .collect(),
        ),
        Kind::Endpoints => (
            vec!["ENDPOINTS", "AGE"],
            vec![],
            c.list::<Endpoints>(ns)
                .map(|e| {
                    let addrs: Vec<String> = e
                        .subsets
                        .iter()
                        .flat_map(|s| {
                            s.addresses.iter().flat_map(move |a| {
                                if s.ports.is_empty() {
                                    vec![a.ip.clone()]
                                } else {
                                    s.ports.iter().map(|p| format!("{}:{}", a.ip, p.port.unwrap_or(0))).collect()
                                }
                            })
                        })
                        .collect();
                    let summary = if addrs.is_empty() { "<none>".to_string() } else { endpoints_summary(&addrs) };
                    Row {
                        namespace: e.metadata.namespace.clone(),
                        name: e.metadata.name.clone(),
                        labels: e.metadata.labels.clone(),
                        cells: vec![summary, age(c, &e.metadata)],
                        wide: vec![],
                    }
                })
                .collect(),
        ),
        Kind::Node => (
            vec!["STATUS", "ROLES", "AGE", "VERSION"],
            vec!["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
            c.list::<Node>(None)
                .map(|n| Row {
                    namespace: String::new(),
                    name: n.metadata.name.clone(),
                    labels: n.metadata.labels.clone(),
                    cells: vec![
                        if n.ready { "Ready" } else { "NotReady" }.into(),
                        if n.control_plane { "control-plane" } else { "<none>" }.into(),
                        age(c, &n.metadata),
                        "v1.33.1".into(),
                    ],
                    wide: vec![
                        n.addresses.first().cloned().unwrap_or_default(),
                        "<none>".into(),
                        "Debian GNU/Linux 12 (bookworm)".into(),
                        "6.8.0-generic".into(),
                        "containerd://2.1.1".into(),
                    ],
                })
                .collect(),
        ),
        Kind::Namespace => (
            vec!["STATUS", "AGE"],
            vec![],
            c.list::<Namespace>(None)
                .map(|n| Row {
                    namespace: String::new(),
                    name: n.metadata.name.clone(),
                    labels: n.metadata.labels.clone(),
                    cells: vec!["Active".into(), age(c, &n.metadata)],
                    wide: vec![],
                })
                .collect(),
        ),
        Kind::ConfigMap => (
            vec!["DATA", "AGE"],
            vec![],
            c.list::<ConfigMap>(ns)
                .map(|m| Row {
                    namespace: m.metadata.namespace.clone(),
                    name: m.metadata.name.clone(),
                    labels: m.metadata.labels.clone(),
                    cells: vec![m.data.len().to_string(), age(c, &m.metadata)],
                    wide: vec![],
                })
                .collect(),
        ),
    }
}

/// Parse `-l app=api,tier!=db` into a matcher.
pub(super) fn label_filter(sel: Option<&str>) -> impl Fn(&Labels) -> bool + '_ {
    move |labels: &Labels| {
        let Some(sel) = sel else { return true };
        sel.split(',').filter(|t| !t.is_empty()).all(|term| {
            if let Some((k, v)) = term.split_once("!=") {
                labels.get(k.trim()).map(String::as_str) != Some(v.trim())
            } else if let Some((k, v)) = term.split_once('=') {
                labels.get(k.trim().trim_end_matches('=')).map(String::as_str) == Some(v.trim())
            } else if let Some(k) = term.strip_prefix('!') {
                !labels.contains_key(k)
            } else {
                labels.contains_key(term)
            }
        })
    }
}

struct Table {
    kind: Kind,
    rows: Vec<Row>,
    header: Vec<&'static str>,
    wide_header: Vec<&'static str>,
}

fn print_tables(tables: &[Table], args: &Args, all_ns: bool, prefix_kind: bool) -> String {
    let output = args.value(&["-o", "--output"]).unwrap_or("");
    let show_labels = args.has(&["--show-labels"]);
    let no_headers = args.has(&["--no-headers"]);
    let mut out = Vec::new();
    for t in tables.iter().filter(|t| !t.rows.is_empty()) {
        if output == "name" {
            out.push(t.rows.iter().map(|r| format!("{}/{}\n", t.kind.qualified(), r.name)).collect::<String>());
            continue;
        }
        let wide = output == "wide";
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut header: Vec<String> = Vec::new();
        if all_ns && t.kind.namespaced() {
            header.push("NAMESPACE".into());
        }
        header.push("NAME".into());
        header.extend(t.header.iter().map(|s| s.to_string()));
        if wide {
            header.extend(t.wide_header.iter().map(|s| s.to_string()));
        }
        if show_labels {
            header.push("LABELS".into());
        }
        if !no_headers {
            rows.push(header);
        }
        for r in &t.rows {
            let mut cells = Vec::new();
            if all_ns && t.kind.namespaced() {
                cells.push(r.namespace.clone());
            }
            cells.push(if prefix_kind { format!("{}/{}", t.kind.qualified(), r.name) } else { r.name.clone() });
            cells.extend(r.cells.iter().cloned());
            if wide {
                cells.extend(r.wide.iter().cloned());
            }
            if show_labels {
                cells.push(labels_text(&r.labels));
            }
            rows.push(cells);
        }
        out.push(render(&rows));
    }
    out.join(if output == "name" { "" } else { "\n" })
}

/// `kubectl get ...`.
pub fn get(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let all_ns = args.has(&["-A", "--all-namespaces"]);
    let ns_owned = args.namespace(term).to_string();
    let ns = if all_ns { None } else { Some(ns_owned.as_str()) };
    let Some(what) = args.positional.first() else {
        return Output::fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\n", 1);
    };
    let selector = args.value(&["-l", "--selector"]);
    let filter = label_filter(selector);
    let mut pairs: Vec<(Kind, String)> = Vec::new();
    // `kubectl get all`: the kinds kubectl's `all` category names, non-empty ones only.
    let (kinds, names, prefix): (Vec<Kind>, Vec<String>, bool) = if what == "all" {
        (
            vec![Kind::Pod, Kind::Service, Kind::DaemonSet, Kind::Deployment, Kind::ReplicaSet, Kind::StatefulSet],
            vec![],
            true,
        )
    } else if what.contains(',') {
        let mut ks = Vec::new();
        for r in what.split(',') {
            match super::resource_kind(r) {
                Ok(k) => ks.push(k),
                Err(e) => return e,
            }
        }
        (ks, vec![], true)
    } else if what.contains('/') {
        // `kubectl get svc/a deploy/b`: every argument is TYPE/NAME.
        let mut ks: Vec<Kind> = Vec::new();
        let mut ns_names = Vec::new();
        for arg in &args.positional {
            let Some((res, name)) = arg.split_once('/') else {
                return Output::fail("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n", 1);
            };
            match super::resource_kind(res) {
                Ok(k) => {
                    if !ks.contains(&k) {
                        ks.push(k);
                    }
                    pairs.push((k, name.to_string()));
                    ns_names.push(name.to_string());
                }
                Err(e) => return e,
            }
        }
        (ks, ns_names, false)
    } else if matches!(what.as_str(), "events" | "event" | "ev") {
        return events(c, args, ns, &ns_owned);
    } else {
        match super::resource_kind(what) {
            Ok(k) => (vec![k], args.positional[1..].to_vec(), false),
            Err(e) => return e,
        }
    };
    let format = args.value(&["-o", "--output"]).unwrap_or("");
    if !(format.is_empty() || matches!(format, "wide" | "name") || output::is_object_format(format)) {
        return Output::fail(
            format!(
                "error: unable to match a printer suitable for the output format \"{format}\", allowed formats are: {}\n",
                output::FORMATS
            ),
            1,
        );
    }
    let mut missing = String::new();
    let mut tables = Vec::new();
    for kind in &kinds {
        let (header, wide_header, mut rows) = rows_for(c, *kind, ns);
        rows.retain(|r| filter(&r.labels));
        if let Some(fs) = args.value(&["--field-selector"]) {
            let mut err = None;
            rows.retain(|r| match field_selector_matches(c, *kind, &r.namespace, &r.name, fs) {
                Ok(m) => m,
                Err(e) => {
                    err = Some(e);
                    false
                }
            });
            if let Some(field) = err {
                let sel = selector.unwrap_or("");
                // Group/version as the API server spells it: `/v1` for the core group.
                let gv = kind.api_version();
                let gv = if gv.contains('/') { gv.to_string() } else { format!("/{gv}") };
                return Output::fail(
                    format!(
                        "Error from server (BadRequest): Unable to find \"{gv}, Resource={}\" that match label selector \"{sel}\", field selector \"{fs}\": field label not supported: {field}\n",
                        kind.resource()
                    ),
                    1,
                );
            }
        }
        let names: Vec<String> = if pairs.is_empty() {
            names.clone()
        } else {
            pairs.iter().filter(|(k, _)| k == kind).map(|(_, n)| n.clone()).collect()
        };
        if !names.is_empty() {
            for n in &names {
                if !rows.iter().any(|r| r.name == *n) {
                    missing.push_str(&format!("Error from server (NotFound): {} \"{n}\" not found\n", kind.resource()));
                }
            }
            rows.retain(|r| names.contains(&r.name));
            rows.sort_by_key(|r| names.iter().position(|n| *n == r.name));
        }
        tables.push(Table { kind: *kind, rows, header, wide_header });
    }
    if output::is_object_format(format) {
        let objs: Vec<&Object> = tables
            .iter()
            .flat_map(|t| t.rows.iter().filter_map(|r| c.get_object(&ObjKey::new(t.kind, &r.namespace, &r.name))))
            .collect();
        let single = kinds.len() == 1 && names.len() == 1 && !prefix;
        if single && objs.is_empty() {
            return Output::fail(missing, 1);
        }
        return match output::print_objects(&objs, format, single) {
            Ok(text) => {
                let code = if missing.is_empty() { 0 } else { 1 };
                Output { text: format!("{text}{missing}"), exit_code: code, ..Default::default() }
            }
            Err(e) => Output::fail(format!("{e}\n"), 1),
        };
    }
    let printed = print_tables(&tables, args, all_ns, prefix || kinds.len() > 1);
    if args.has(&["-w", "--watch"]) && missing.is_empty() {
        let mut out =
            if printed.is_empty() { Output::ok(no_resources(all_ns, &kinds, &ns_owned)) } else { Output::ok(printed) };
        out.text.push_str(&watch(c, &kinds, &names, ns, args, all_ns, prefix || kinds.len() > 1, &tables));
        return out;
    }
    if printed.is_empty() && missing.is_empty() {
        return Output::ok(no_resources(all_ns, &kinds, &ns_owned));
    }
    let code = if missing.is_empty() { 0 } else { 1 };
    Output { text: format!("{printed}{missing}"), exit_code: code, ..Default::default() }
}

fn no_resources(all_ns: bool, kinds: &[Kind], ns: &str) -> String {
    if all_ns || kinds.iter().all(|k| !k.namespaced()) {
        "No resources found\n".into()
    } else {
        format!("No resources found in {ns} namespace.\n")
    }
}

/// How long `kubectl get -w` watches in the lab: 10 s of simulated time, then it stops (a
/// real watch runs until Ctrl+C; a script needs an end).
pub const WATCH_MS: u64 = 10_000;

/// `kubectl get -w`: after the table, one line per change (an object added, a row that
/// changed, an object deleted) while simulated time passes. Each line is laid out against
/// the header's widths, as kubectl's watch printer does (a long cell pushes its row out).
#[allow(clippy::too_many_arguments)]
fn watch(
    c: &mut Cluster,
    kinds: &[Kind],
    names: &[String],
    ns: Option<&str>,
    args: &Args,
    all_ns: bool,
    prefix: bool,
    initial: &[Table],
) -> String {
    let selector = args.value(&["-l", "--selector"]).map(str::to_string);
    let snapshot = |c: &Cluster| -> Vec<(Kind, Vec<Row>, Vec<&'static str>)> {
        let filter = label_filter(selector.as_deref());
        kinds
            .iter()
            .map(|k| {
                let (header, _, mut rows) = rows_for(c, *k, ns);
                rows.retain(|r| filter(&r.labels) && (names.is_empty() || names.contains(&r.name)));
                (*k, rows, header)
            })
            .collect()
    };
    // Compare rows without the AGE column, which changes every second.
    let key = |r: &Row| -> Vec<String> {
        let n = r.cells.len();
        r.cells.iter().take(n.saturating_sub(1)).cloned().collect()
    };
    let mut last: std::collections::BTreeMap<(Kind, String, String), (Vec<String>, Row)> = Default::default();
    for t in initial {
        for r in &t.rows {
            last.insert((t.kind, r.namespace.clone(), r.name.clone()), (key(r), clone_row(r)));
        }
    }
    let mut out = String::new();
    let end = c.now.plus_millis(WATCH_MS);
    while c.now < end {
        c.advance(crate::cluster::TICK_MS);
        let now = snapshot(c);
        let mut seen = std::collections::BTreeSet::new();
        for (kind, rows, header) in &now {
            for r in rows {
                let id = (*kind, r.namespace.clone(), r.name.clone());
                seen.insert(id.clone());
                let k = key(r);
                if last.get(&id).is_none_or(|(old, _)| *old != k) {
                    out.push_str(&watch_line(*kind, r, header, all_ns, prefix));
                    last.insert(id, (k, clone_row(r)));
                }
            }
        }
        let gone: Vec<_> = last.keys().filter(|id| !seen.contains(*id)).cloned().collect();
        for id in gone {
            if let Some((_, r)) = last.remove(&id) {
                let header = now.iter().find(|(k, _, _)| *k == id.0).map(|(_, _, h)| h.clone()).unwrap_or_default();
                out.push_str(&watch_line(id.0, &r, &header, all_ns, prefix));
            }
        }
    }
    out
}

fn clone_row(r: &Row) -> Row {
    Row {
        namespace: r.namespace.clone(),
        name: r.name.clone(),
        labels: r.labels.clone(),
        cells: r.cells.clone(),
        wide: r.wide.clone(),
    }
}

fn watch_line(kind: Kind, r: &Row, header: &[&str], all_ns: bool, prefix: bool) -> String {
    let mut h: Vec<String> = Vec::new();
    let mut cells = Vec::new();
    if all_ns && kind.namespaced() {
        h.push("NAMESPACE".into());
        cells.push(r.namespace.clone());
    }
    h.push("NAME".into());
    cells.push(if prefix { format!("{}/{}", kind.qualified(), r.name) } else { r.name.clone() });
    h.extend(header.iter().map(|s| s.to_string()));
    cells.extend(r.cells.iter().cloned());
    let text = render(&[h, cells]);
    text.lines().nth(1).map(|l| format!("{l}\n")).unwrap_or_default()
}

/// `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (oldest first).
fn events(c: &Cluster, args: &Args, ns: Option<&str>, ns_owned: &str) -> Output {
    let all_ns = ns.is_none();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = Vec::new();
    if all_ns {
        header.push("NAMESPACE".to_string());
    }
    header.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"].map(String::from));
    if !args.has(&["--no-headers"]) {
        rows.push(header);
    }
    let mut evs: Vec<&crate::cluster::KubeEvent> = c.events().filter(|e| ns.is_none_or(|n| e.namespace == n)).collect();
    evs.sort_by_key(|e| e.last);
    for e in &evs {
        let mut r = Vec::new();
        if all_ns {
            r.push(e.namespace.clone());
        }
        r.push(human_duration(c.now.since(e.last)));
        r.push(e.type_.clone());
        r.push(e.reason.clone());
        r.push(format!("{}/{}", e.kind.name().to_lowercase(), e.name));
        r.push(e.message.clone());
        rows.push(r);
    }
    if evs.is_empty() {
        return Output::ok(no_resources(all_ns, &[Kind::Pod], ns_owned));
    }
    Output::ok(render(&rows))
}

/// `--field-selector`: the fields the API server indexes (`metadata.name`,
/// `metadata.namespace` for every kind; `spec.nodeName`, `status.phase`, `status.podIP`,
/// `spec.restartPolicy` for pods), with `=`, `==` and `!=`. `Err` names an unsupported field.
fn field_selector_matches(c: &Cluster, kind: Kind, ns: &str, name: &str, sel: &str) -> Result<bool, String> {
    let obj = c.get_object(&ObjKey::new(kind, ns, name));
    for term in sel.split(',').filter(|t| !t.is_empty()) {
        let (field, value, negate) = if let Some((f, v)) = term.split_once("!=") {
            (f, v, true)
        } else if let Some((f, v)) = term.split_once("==") {
            (f, v, false)
        } else if let Some((f, v)) = term.split_once('=') {
            (f, v, false)
        } else {
            return Err(term.to_string());
        };
        let actual: Option<String> = match (field, obj) {
            ("metadata.name", _) => Some(name.to_string()),
            ("metadata.namespace", _) => Some(ns.to_string()),
            ("spec.nodeName", Some(Object::Pod(p))) => Some(p.spec.node_name.clone().unwrap_or_default()),
            ("status.phase", Some(Object::Pod(p))) => Some(p.status.phase.as_str().to_string()),
            ("status.podIP", Some(Object::Pod(p))) => Some(p.status.pod_ip.clone().unwrap_or_default()),
            ("spec.restartPolicy", Some(Object::Pod(p))) => {
                Some(p.spec.restart_policy.clone().unwrap_or_else(|| "Always".into()))
            }
            _ => return Err(field.to_string()),
        };
        if (actual.as_deref() == Some(value)) == negate {
            return Ok(false);
        }
    }
    Ok(true)
}
