//! The verbs that change objects: `create`, `delete`, `expose`, `label`, `annotate`, `patch`,
//! `edit`. Every change goes through [`crate::apply::apply_object`] (validation, defaults,
//! the API server's create/update rules), so the errors are the API server's.

use super::{output, resource_kind, selector_matches, Args, Output, Terminal};
use crate::api::*;
use crate::apply::apply_object;
use crate::cluster::{display_ref, Cluster, ObjKey};
use crate::decode::decode_object;
use crate::diag::Pos;
use crate::encode::encode;
use crate::yaml;

/// Read `-f` sources: the terminal's files, or stdin for `-`.
fn read_files(term: &Terminal, args: &Args, stdin: &Option<String>) -> Result<Vec<(String, String)>, Output> {
    let files = args.values(&["-f", "--filename"]);
    let mut out = Vec::new();
    for f in files {
        if f == "-" {
            out.push((stdin.clone().unwrap_or_default(), "STDIN".to_string()));
        } else {
            match term.files.get(f) {
                Some(t) => out.push((t.clone(), f.to_string())),
                None => return Err(Output::fail(format!("error: the path \"{f}\" does not exist\n"), 1)),
            }
        }
    }
    Ok(out)
}

/// The objects a manifest names (decoded), with their positions.
fn manifest_objects(text: &str) -> (Vec<(Object, Pos)>, Option<String>) {
    let (docs, diags) = yaml::parse_documents(text);
    let err = diags.iter().find(|d| d.is_error()).map(|d| format!("error: error parsing {}\n", d.message));
    let objs =
        docs.iter().filter_map(|d| d.root.as_ref()).filter_map(|r| decode_object(r).ok().map(|o| (o, r.pos))).collect();
    (objs, err)
}

// ---------------------------------------------------------------------------------------------
// create

pub fn create(c: &mut Cluster, term: &mut Terminal, args: &Args, stdin: Option<String>) -> Output {
    let ns = args.namespace(term).to_string();
    if !args.values(&["-f", "--filename"]).is_empty() {
        let sources = match read_files(term, args, &stdin) {
            Ok(s) => s,
            Err(e) => return e,
        };
        let mut out = Output::default();
        for (text, source) in sources {
            let (objs, err) = manifest_objects(&text);
            if let Some(e) = err {
                out.text.push_str(&e);
                out.exit_code = 1;
            }
            if objs.is_empty() && out.exit_code == 0 {
                // Let apply report decoding errors in kubectl's words.
                let r = crate::apply::apply_text(c, &text, &source, &ns);
                out.text.push_str(&r.output());
                out.exit_code = i32::from(!r.ok());
                continue;
            }
            for (obj, pos) in objs {
                let kind = obj.kind();
                let name = obj.meta().name.clone();
                let ons = if obj.meta().namespace.is_empty() { ns.clone() } else { obj.meta().namespace.clone() };
                if c.exists(&ObjKey::new(kind, &ons, &name)) {
                    out.text.push_str(&format!(
                        "Error from server (AlreadyExists): error when creating \"{source}\": {} \"{name}\" already exists\n",
                        kind.resource()
                    ));
                    out.exit_code = 1;
                    continue;
                }
                let r = apply_object(c, obj, &source, &ns, pos, &mut Vec::new());
                out.text.push_str(&r.text());
                out.text.push('\n');
                if r.outcome.is_err() {
                    out.exit_code = 1;
                }
            }
        }
        return out;
    }
    let words: Vec<&str> = args.positional.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["namespace" | "ns", name] => create_typed(c, args, namespace_obj(name), "namespace"),
        ["deployment" | "deploy", name] => {
            let Some(image) = args.value(&["--image"]) else {
                return Output::fail("error: required flag(s) \"image\" not set\n", 1);
            };
            let replicas = match args.value(&["--replicas", "-r"]).map(|r| r.parse::<i32>()) {
                None => 1,
                Some(Ok(r)) => r,
                Some(Err(_)) => return Output::fail("error: invalid argument for \"-r, --replicas\" flag\n", 1),
            };
            let port = args.value(&["--port"]).and_then(|p| p.parse::<i32>().ok());
            let d = new_deployment(name, &ns, image, replicas, port);
            create_typed(c, args, Object::Deployment(d), "deployment")
        }
        ["service" | "svc", t @ ("clusterip" | "nodeport" | "loadbalancer" | "externalname"), name] => {
            match new_service(t, name, &ns, args) {
                Ok(s) => {
                    let what = format!("{} service", s.spec.type_.as_str());
                    create_typed(c, args, Object::Service(s), &what)
                }
                Err(e) => e,
            }
        }
        ["service" | "svc", ..] => Output::fail(
            "error: must specify one of: clusterip, externalname, loadbalancer, nodeport\nSee 'kubectl create service -h' for help and examples\n",
            1,
        ),
        [] => Output::fail("error: must specify one of -f and -k\n", 1),
        [other, ..] => Output::fail(
            format!("error: unknown command \"{other}\" for \"kubectl create\"\nSee 'kubectl create -h' for help and examples\n"),
            1,
        ),
    }
}

fn namespace_obj(name: &str) -> Object {
    Object::Namespace(Namespace { metadata: ObjectMeta { name: name.into(), ..Default::default() } })
}

/// `kubectl create deployment`: labels and selector `app=<name>`, one container named after
/// the image (kubectl's generator: the image's last path part without tag).
pub fn new_deployment(name: &str, ns: &str, image: &str, replicas: i32, port: Option<i32>) -> Deployment {
    let mut labels = Labels::new();
    labels.insert("app".into(), name.into());
    let base = image.rsplit('/').next().unwrap_or(image);
    let cname = base.split([':', '@']).next().unwrap_or(base).to_string();
    Deployment {
        metadata: ObjectMeta { name: name.into(), namespace: ns.into(), labels: labels.clone(), ..Default::default() },
        spec: DeploymentSpec {
            replicas,
            selector: LabelSelector { match_labels: labels.clone(), ..Default::default() },
            template: PodTemplateSpec {
                metadata: ObjectMeta { labels, ..Default::default() },
                spec: PodSpec {
                    containers: vec![Container {
                        name: cname,
                        image: image.into(),
                        ports: port
                            .map(|p| vec![ContainerPort { container_port: p, protocol: "TCP".into(), name: None }])
                            .unwrap_or_default(),
                        ..Default::default()
                    }],
                    ..Default::default()
                },
            },
            strategy: "RollingUpdate".into(),
            revision_history_limit: 10,
            ..Default::default()
        },
        status: Default::default(),
    }
}

/// `kubectl create service TYPE NAME --tcp=port[:targetPort]`: selector and label `app=<name>`,
/// port names `<port>-<targetPort>` as kubectl's generator writes them.
fn new_service(t: &str, name: &str, ns: &str, args: &Args) -> Result<Service, Output> {
    let mut labels = Labels::new();
    labels.insert("app".into(), name.into());
    let mut ports = Vec::new();
    for spec in args.values(&["--tcp"]).iter().flat_map(|v| v.split(',')) {
        let (p, tp) = spec.split_once(':').unwrap_or((spec, spec));
        let (Ok(port), Ok(target)) = (p.parse::<i32>(), tp.parse::<i32>()) else {
            return Err(Output::fail(format!("error: invalid --tcp value \"{spec}\"\n"), 1));
        };
        ports.push(ServicePort {
            name: Some(format!("{port}-{target}")),
            protocol: "TCP".into(),
            port,
            target_port: IntOrString::Int(target),
            node_port: None,
            app_protocol: None,
        });
    }
    let type_ = match t {
        "nodeport" => ServiceType::NodePort,
        "loadbalancer" => ServiceType::LoadBalancer,
        "externalname" => ServiceType::ExternalName,
        _ => ServiceType::ClusterIP,
    };
    if let Some(np) = args.value(&["--node-port"]).and_then(|v| v.parse::<i32>().ok()) {
        if let Some(p) = ports.first_mut() {
            p.node_port = Some(np);
        }
    }
    if ports.is_empty() && matches!(type_, ServiceType::ClusterIP | ServiceType::NodePort | ServiceType::LoadBalancer) {
        let headless = args.value(&["--clusterip"]) == Some("None");
        if !headless {
            return Err(Output::fail("error: at least one tcp port specifier must be provided\n", 1));
        }
    }
    let external_name = args.value(&["--external-name"]).map(str::to_string);
    if type_ == ServiceType::ExternalName && external_name.is_none() {
        return Err(Output::fail("error: required flag(s) \"external-name\" not set\n", 1));
    }
    Ok(Service {
        metadata: ObjectMeta { name: name.into(), namespace: ns.into(), labels: labels.clone(), ..Default::default() },
        spec: ServiceSpec {
            type_,
            cluster_ip: args.value(&["--clusterip"]).map(str::to_string),
            selector: if type_ == ServiceType::ExternalName { None } else { Some(labels) },
            ports,
            session_affinity: "None".into(),
            external_name,
            ..Default::default()
        },
        status: Default::default(),
    })
}

/// Create one generated object; `what` names it in kubectl's AlreadyExists wording
/// (`error: failed to create ClusterIP service: services "x" already exists`).
fn create_typed(c: &mut Cluster, args: &Args, obj: Object, what: &str) -> Output {
    let kind = obj.kind();
    let name = obj.meta().name.clone();
    if c.exists(&ObjKey::new(kind, &obj.meta().namespace, &name)) {
        let res = if kind == Kind::Deployment { "deployments.apps" } else { kind.resource() };
        let msg = if kind == Kind::Namespace {
            format!("Error from server (AlreadyExists): namespaces \"{name}\" already exists\n")
        } else {
            format!("error: failed to create {what}: {res} \"{name}\" already exists\n")
        };
        return Output::fail(msg, 1);
    }
    if args.value(&["--dry-run"]).is_some() || args.has(&["--dry-run"]) {
        return match output::print_dry_run(&obj, args.value(&["-o", "--output"])) {
            Ok(t) => Output::ok(t),
            Err(e) => Output::fail(format!("{e}\n"), 1),
        };
    }
    let ns = obj.meta().namespace.clone();
    let r = apply_object(c, obj, "STDIN", &ns, Pos::default(), &mut Vec::new());
    match r.outcome {
        Ok(_) => Output::ok(format!("{} created\n", r.reference)),
        Err(e) => Output::fail(format!("{}\n", e.single.replace(" error when creating \"STDIN\":", "")), 1),
    }
}

// ---------------------------------------------------------------------------------------------
// delete

/// Targets named on the command line: `TYPE NAME...`, `TYPE/NAME...`, `TYPE -l sel`, `TYPE --all`.
fn targets(c: &Cluster, args: &Args, ns: &str) -> Result<Vec<(Kind, String)>, Output> {
    let mut out = Vec::new();
    let mut pos = args.positional.iter();
    let selector = args.value(&["-l", "--selector"]);
    let all = args.has(&["--all"]);
    while let Some(first) = pos.next() {
        if let Some((res, name)) = first.split_once('/') {
            out.push((resource_kind(res)?, name.to_string()));
            continue;
        }
        let kinds: Vec<Kind> = first.split(',').map(resource_kind).collect::<Result<_, _>>()?;
        let names: Vec<String> = pos.by_ref().cloned().collect();
        for kind in kinds {
            if names.is_empty() && (all || selector.is_some()) {
                let list_ns = if kind.namespaced() { Some(ns) } else { None };
                out.extend(
                    c.objects()
                        .filter(|o| o.kind() == kind && list_ns.is_none_or(|n| o.meta().namespace == n))
                        .filter(|o| selector_matches(selector, &o.meta().labels))
                        .map(|o| (kind, o.meta().name.clone())),
                );
            } else if names.is_empty() {
                return Err(Output::fail(
                    "error: resource(s) were provided, but no name was specified\n".to_string(),
                    1,
                ));
            }
            out.extend(names.iter().map(|n| (kind, n.clone())));
        }
    }
    Ok(out)
}

pub fn delete(c: &mut Cluster, term: &mut Terminal, args: &Args, stdin: Option<String>) -> Output {
    let ns = args.namespace(term).to_string();
    let mut list: Vec<(Kind, String, String)> = Vec::new();
    if !args.values(&["-f", "--filename"]).is_empty() {
        let sources = match read_files(term, args, &stdin) {
            Ok(s) => s,
            Err(e) => return e,
        };
        for (text, _) in sources {
            for (obj, _) in manifest_objects(&text).0 {
                let ons = if obj.meta().namespace.is_empty() { ns.clone() } else { obj.meta().namespace.clone() };
                list.push((obj.kind(), ons, obj.meta().name.clone()));
            }
        }
    } else {
        if args.positional.is_empty() {
            return Output::fail(
                "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   --filename=rsrc.json\n   '<resource> <name>'\n   '<resource>'\n",
                1,
            );
        }
        match targets(c, args, &ns) {
            Ok(t) => list.extend(t.into_iter().map(|(k, n)| (k, ns.clone(), n))),
            Err(e) => return e,
        }
        if list.is_empty() {
            return Output::ok("No resources found\n");
        }
    }
    let force = args.has(&["--force"]) || args.value(&["--force"]) == Some("true");
    let mut grace = args.value(&["--grace-period"]).and_then(|g| g.parse::<i64>().ok()).filter(|g| *g >= 0);
    // kubectl turns a zero grace period into 1 unless --force is given (delete.go).
    if grace == Some(0) && !force {
        grace = Some(1);
    }
    let mut out = Output::default();
    if force {
        out.text.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    for (kind, ons, name) in list {
        if !c.exists(&ObjKey::new(kind, &ons, &name)) {
            out.text.push_str(&format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.resource()));
            out.exit_code = 1;
            continue;
        }
        let suffix =
            if ons != term.namespace && kind.namespaced() { format!(" from {ons} namespace") } else { String::new() };
        let verb = if force { "force deleted" } else { "deleted" };
        out.text.push_str(&format!("{} \"{name}\" {verb}{suffix}\n", kind.qualified()));
        if kind == Kind::Namespace {
            // The namespace controller empties a deleted namespace: everything in it goes.
            let inside: Vec<(Kind, String)> = c
                .objects()
                .filter(|o| o.kind().namespaced() && o.meta().namespace == name)
                .map(|o| (o.kind(), o.meta().name.clone()))
                .collect();
            for (k, n) in inside {
                crate::controllers::delete_object(c, k, &name, &n, if force { Some(0) } else { grace });
            }
        }
        crate::controllers::delete_object(c, kind, &ons, &name, if force { Some(0) } else { grace });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// expose

pub fn expose(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let ns = args.namespace(term).to_string();
    let (res, name) = match args.positional.as_slice() {
        [one] if one.contains('/') => one.split_once('/').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default(),
        [res, name, ..] => (res.clone(), name.clone()),
        _ => {
            return Output::fail(
                "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   --filename=rsrc.json\n   '<resource> <name>'\n   '<resource>'\n",
                1,
            )
        }
    };
    let kind = match resource_kind(&res) {
        Ok(k) => k,
        Err(e) => return e,
    };
    let Some(obj) = c.get_object(&ObjKey::new(kind, &ns, &name)).cloned() else {
        return Output::fail(format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.resource()), 1);
    };
    // kubectl expose takes a workload's matchLabels (not expressions), its template's ports and
    // its labels, the same way for every workload kind.
    let from_workload = |sel: &LabelSelector, t: &PodTemplateSpec, l: &Labels| {
        (
            sel.match_expressions.is_empty().then(|| sel.match_labels.clone()),
            t.spec.containers.iter().flat_map(|c| c.ports.clone()).collect::<Vec<_>>(),
            l.clone(),
        )
    };
    let (selector, ports, labels): (Option<Labels>, Vec<ContainerPort>, Labels) = match &obj {
        Object::Deployment(d) => from_workload(&d.spec.selector, &d.spec.template, &d.metadata.labels),
        Object::ReplicaSet(d) => from_workload(&d.spec.selector, &d.spec.template, &d.metadata.labels),
        Object::StatefulSet(d) => from_workload(&d.spec.selector, &d.spec.template, &d.metadata.labels),
        Object::Pod(p) => (
            Some(p.metadata.labels.clone()).filter(|l| !l.is_empty()),
            p.spec.containers.iter().flat_map(|c| c.ports.clone()).collect(),
            p.metadata.labels.clone(),
        ),
        Object::Service(s) => (
            s.spec.selector.clone(),
            s.spec
                .ports
                .iter()
                .map(|p| ContainerPort { name: p.name.clone(), container_port: p.port, protocol: p.protocol.clone() })
                .collect(),
            s.metadata.labels.clone(),
        ),
        // kubectl prints the GroupKind: `DaemonSet.apps`, `ConfigMap`.
        _ => {
            let group = kind.api_version().rsplit_once('/').map(|(g, _)| format!(".{g}")).unwrap_or_default();
            return Output::fail(format!("error: cannot expose a {}{group}\n", kind.name()), 1);
        }
    };
    let selector = match args.value(&["--selector"]).map(parse_pairs) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return e,
        None => selector,
    };
    let Some(selector) = selector else {
        return Output::fail(format!("error: couldn't retrieve selectors via --selector flag or introspection: the {} has no selector\nSee 'kubectl expose -h' for help and examples\n", kind.name()), 1);
    };
    let protocol = args.value(&["--protocol"]).unwrap_or("TCP").to_string();
    let target = args.value(&["--target-port"]).map(|t| match t.parse::<i32>() {
        Ok(i) => IntOrString::Int(i),
        Err(_) => IntOrString::Str(t.to_string()),
    });
    let svc_ports: Vec<ServicePort> = match args.value(&["--port"]) {
        Some(p) => match p.parse::<i32>() {
            Ok(port) => vec![ServicePort {
                name: None,
                protocol: protocol.clone(),
                port,
                target_port: target.clone().unwrap_or(IntOrString::Int(port)),
                node_port: None,
                app_protocol: None,
            }],
            Err(_) => return Output::fail(format!("error: invalid argument \"{p}\" for \"--port\" flag\n"), 1),
        },
        None => {
            let multi = ports.len() > 1;
            ports
                .iter()
                .enumerate()
                .map(|(i, cp)| ServicePort {
                    name: multi.then(|| cp.name.clone().unwrap_or_else(|| format!("port-{}", i + 1))),
                    protocol: if cp.protocol.is_empty() { "TCP".into() } else { cp.protocol.clone() },
                    port: cp.container_port,
                    target_port: target.clone().unwrap_or(IntOrString::Int(cp.container_port)),
                    node_port: None,
                    app_protocol: None,
                })
                .collect()
        }
    };
    let cluster_ip = args.value(&["--cluster-ip"]).map(str::to_string);
    if svc_ports.is_empty() && cluster_ip.as_deref() != Some("None") {
        return Output::fail("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n", 1);
    }
    let svc_name = args.value(&["--name"]).unwrap_or(&name).to_string();
    let type_ = match args.value(&["--type"]) {
        None => ServiceType::ClusterIP,
        Some(t) => match ServiceType::parse(t) {
            Some(t) => t,
            None => {
                return Output::fail(
                    format!("The Service \"{svc_name}\" is invalid: spec.type: Unsupported value: \"{t}\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"\n"),
                    1,
                )
            }
        },
    };
    if c.exists(&ObjKey::new(Kind::Service, &ns, &svc_name)) {
        return Output::fail(format!("Error from server (AlreadyExists): services \"{svc_name}\" already exists\n"), 1);
    }
    let svc = Service {
        metadata: ObjectMeta { name: svc_name.clone(), namespace: ns.clone(), labels, ..Default::default() },
        spec: ServiceSpec {
            type_,
            cluster_ip,
            selector: Some(selector),
            ports: svc_ports,
            session_affinity: "None".into(),
            ..Default::default()
        },
        status: Default::default(),
    };
    let r = apply_object(c, Object::Service(svc), "STDIN", &ns, Pos::default(), &mut Vec::new());
    match r.outcome {
        Ok(_) => Output::ok(format!("service/{svc_name} exposed\n")),
        Err(e) => Output::fail(format!("{}\n", e.single.replace(" error when creating \"STDIN\":", "")), 1),
    }
}

fn parse_pairs(s: &str) -> Result<Labels, Output> {
    let mut l = Labels::new();
    for kv in s.split(',').filter(|x| !x.is_empty()) {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(Output::fail(format!("error: invalid selector \"{s}\"\n"), 1));
        };
        l.insert(k.to_string(), v.to_string());
    }
    Ok(l)
}

// ---------------------------------------------------------------------------------------------
// label / annotate

/// `kubectl label|annotate TYPE NAME k=v k2- [--overwrite] [-l sel | --all]`.
pub fn label(c: &mut Cluster, term: &mut Terminal, args: &Args, verb: &str) -> Output {
    let ns = args.namespace(term).to_string();
    // Split positionals into the resource part and the changes (`k=v`, `k-`).
    let mut resource_words = Vec::new();
    let mut changes: Vec<(String, Option<String>)> = Vec::new();
    for w in &args.positional {
        if let Some((k, v)) = w.split_once('=') {
            changes.push((k.to_string(), Some(v.to_string())));
        } else if let Some(k) = w.strip_suffix('-').filter(|_| !resource_words.is_empty() && w.len() > 1) {
            changes.push((k.to_string(), None));
        } else {
            resource_words.push(w.clone());
        }
    }
    if changes.is_empty() {
        return Output::fail(
            format!(
                "error: at least one {} update is required\nSee 'kubectl {verb} -h' for help and examples\n",
                if verb == "label" { "label" } else { "annotation" }
            ),
            1,
        );
    }
    let sub = Args { positional: resource_words, flags: args.flags.clone(), command: Vec::new() };
    let list = match targets(c, &sub, &ns) {
        Ok(t) => t,
        Err(e) => return e,
    };
    if list.is_empty() {
        return Output::fail(
            "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'kubectl label -h' for help and examples\n".to_string(),
            1,
        );
    }
    let overwrite = args.has(&["--overwrite"]);
    let mut out = Output::default();
    for (kind, name) in list {
        let key = ObjKey::new(kind, &ns, &name);
        let Some(mut obj) = c.get_object(&key).cloned() else {
            out.text.push_str(&format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.resource()));
            out.exit_code = 1;
            continue;
        };
        let before = obj.clone();
        let map = if verb == "label" { &mut obj.meta_mut().labels } else { &mut obj.meta_mut().annotations };
        let mut err = None;
        for (k, v) in &changes {
            match v {
                Some(v) => {
                    if let Some(old) = map.get(k).filter(|old| *old != v) {
                        if !overwrite {
                            err = Some(format!("error: '{k}' already has a value ({old}), and --overwrite is false\n"));
                            break;
                        }
                    }
                    map.insert(k.clone(), v.clone());
                }
                None => {
                    map.remove(k);
                }
            }
        }
        if let Some(e) = err {
            out.text.push_str(&e);
            out.exit_code = 1;
            continue;
        }
        let past = if verb == "label" { "labeled" } else { "annotated" };
        if obj == before {
            out.text.push_str(&format!("{} not {past}\n", display_ref(kind, &name)));
            continue;
        }
        c.put(obj);
        out.text.push_str(&format!("{} {past}\n", display_ref(kind, &name)));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// patch

pub fn patch(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let ns = args.namespace(term).to_string();
    let sub = Args { positional: args.positional.clone(), flags: Vec::new(), command: Vec::new() };
    let list = match targets(c, &sub, &ns) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let Some((kind, name)) = list.into_iter().next() else {
        return Output::fail("error: must specify a resource to patch\n", 1);
    };
    let Some(text) = args.value(&["-p", "--patch"]) else {
        return Output::fail("error: must specify -p to patch\nSee 'kubectl patch -h' for help and examples\n", 1);
    };
    let kind_of_patch = args.value(&["--type"]).unwrap_or("strategic");
    match crate::patch::patch(c, kind, &ns, &name, text, kind_of_patch) {
        Ok(true) => Output::ok(format!("{} patched\n", display_ref(kind, &name))),
        Ok(false) => Output::ok(format!("{} patched (no change)\n", display_ref(kind, &name))),
        Err(e) => Output::fail(format!("{e}\n"), 1),
    }
}

// ---------------------------------------------------------------------------------------------
// edit

/// `kubectl edit TYPE NAME`. With stdin (a script's heredoc) the new YAML is applied at
/// once; without, the object's YAML goes to the browser's editor in [`Output::edit`].
pub fn edit(c: &mut Cluster, term: &mut Terminal, args: &Args, stdin: Option<String>) -> Output {
    let ns = args.namespace(term).to_string();
    let sub = Args { positional: args.positional.clone(), flags: Vec::new(), command: Vec::new() };
    let list = match targets(c, &sub, &ns) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let Some((kind, name)) = list.into_iter().next() else {
        return Output::fail("error: must specify a resource to edit\n", 1);
    };
    let Some(obj) = c.get_object(&ObjKey::new(kind, &ns, &name)).cloned() else {
        return Output::fail(format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.resource()), 1);
    };
    match stdin {
        None => Output { edit: Some(yaml::to_yaml(&encode(&obj))), ..Default::default() },
        Some(text) => {
            let (docs, diags) = yaml::parse_documents(&text);
            if let Some(d) = diags.iter().find(|d| d.is_error()) {
                return Output::fail(format!("error: {}\n", d.message), 1);
            }
            let Some(node) = docs.into_iter().find_map(|d| d.root) else {
                return Output::ok("Edit cancelled, no changes made.\n");
            };
            match crate::patch::update_from_node(c, &node, kind, &ns, &name) {
                Ok(true) => Output::ok(format!("{} edited\n", display_ref(kind, &name))),
                Ok(false) => Output::ok("Edit cancelled, no changes made.\n"),
                Err(e) => Output::fail(format!("{e}\n"), 1),
            }
        }
    }
}

/// The browser's half of `kubectl edit`: `original` is the YAML [`Output::edit`] carried,
/// `edited` what the learner saved. Unchanged text cancels, as kubectl does when the editor
/// closes on an unchanged file; otherwise the object is updated and kubectl's line printed.
pub fn finish_edit(c: &mut Cluster, original: &str, edited: &str) -> Output {
    if original == edited {
        return Output::ok("Edit cancelled, no changes made.\n");
    }
    let (docs, _) = yaml::parse_documents(original);
    let Some(Ok(obj)) = docs.into_iter().find_map(|d| d.root).map(|r| decode_object(&r)) else {
        return Output::fail("error: the original object could not be read\n", 1);
    };
    let (kind, ns, name) = (obj.kind(), obj.meta().namespace.clone(), obj.meta().name.clone());
    let (docs, diags) = yaml::parse_documents(edited);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return Output::fail(format!("error: {}\n", d.message), 1);
    }
    let Some(node) = docs.into_iter().find_map(|d| d.root) else {
        return Output::ok("Edit cancelled, saved file was empty.\n");
    };
    match crate::patch::update_from_node(c, &node, kind, &ns, &name) {
        Ok(true) => Output::ok(format!("{} edited\n", display_ref(kind, &name))),
        Ok(false) => Output::ok("Edit cancelled, no changes made.\n"),
        Err(e) => Output::fail(format!("{e}\n"), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::ClusterConfig;
    use crate::Lab;

    /// The browser's edit round trip: `kubectl edit` hands out YAML, saving it unchanged
    /// cancels, saving a change updates the object.
    #[test]
    fn browser_edit_round_trip() {
        let mut lab = Lab::new(ClusterConfig::default(), 1);
        let out = lab.input("kubectl create service clusterip web --tcp=80:8080").unwrap_or_default();
        assert_eq!(out.text, "service/web created\n");
        let out = lab.input("kubectl edit svc web").unwrap_or_default();
        let original = out.edit.expect("edit YAML");
        assert!(original.contains("kind: Service\n"), "{original}");
        assert_eq!(finish_edit(&mut lab.cluster, &original, &original).text, "Edit cancelled, no changes made.\n");
        let edited = original.replace("targetPort: 8080", "targetPort: 9090");
        assert_eq!(finish_edit(&mut lab.cluster, &original, &edited).text, "service/web edited\n");
        let port = lab.cluster.get::<Service>("default", "web").map(|s| s.spec.ports[0].target_port.clone());
        assert_eq!(port, Some(IntOrString::Int(9090)));
        let broken = original.replace("kind: Service", "kind: Pod");
        assert_eq!(finish_edit(&mut lab.cluster, &original, &broken).exit_code, 1);
    }
}
