//! Teaching diagnostics the API server does not give: warnings placed on the line that
//! causes a surprise later, never rejections. Each has an id, a position and English text;
//! the UI translates by id with the arguments (`locales/diagnostics.*.txt`).
//!
//! The lints run after the manifest was applied, against the whole namespace, so they work
//! both when a Service and its workload share a manifest and when one was applied earlier.
//! They look at what selects what:
//! * `lint.selector_matches_nothing` / `lint.selector_near_miss`: a Service selector that no
//!   pod or pod template matches (the Service gets an empty placeholder EndpointSlice, spec §3),
//!   naming near misses when there are some;
//! * `lint.label_typo`: a pod template whose labels miss a Service's selector by a typo;
//! * `lint.statefulset_service_missing` / `lint.statefulset_service_not_headless`: a
//!   StatefulSet's `serviceName` must name a headless Service for per-pod DNS names (spec §1.2);
//! * `lint.target_port_not_exposed` / `lint.target_port_name_not_found`: a Service port whose
//!   targetPort no selected container declares (a named one gives endpoints no port, spec §2).
//!
//! Each lint is placed in this manifest: on the Service when it is here, else on the workload
//! (its labels or containers) when the Service was applied earlier, and the other way round.

use crate::api::*;
use crate::cluster::Cluster;
use crate::diag::Diagnostic;
use crate::yaml::{node_at_path, parse_documents, scalar_text, Document, Node, NodeKind};

/// Something a Service selector can select: a bare pod or a workload's pod template.
struct Candidate<'a> {
    /// `deployment/api`, `pod/toolbox`.
    desc: String,
    labels: &'a Labels,
    spec: &'a PodSpec,
}

fn candidates<'a>(c: &'a Cluster, ns: &str) -> Vec<Candidate<'a>> {
    let mut out = Vec::new();
    for d in c.list::<Deployment>(Some(ns)) {
        out.push(Candidate {
            desc: format!("deployment/{}", d.metadata.name),
            labels: &d.spec.template.metadata.labels,
            spec: &d.spec.template.spec,
        });
    }
    for s in c.list::<StatefulSet>(Some(ns)) {
        out.push(Candidate {
            desc: format!("statefulset/{}", s.metadata.name),
            labels: &s.spec.template.metadata.labels,
            spec: &s.spec.template.spec,
        });
    }
    for r in c.list::<ReplicaSet>(Some(ns)).filter(|r| r.metadata.controller().is_none()) {
        out.push(Candidate {
            desc: format!("replicaset/{}", r.metadata.name),
            labels: &r.spec.template.metadata.labels,
            spec: &r.spec.template.spec,
        });
    }
    // Pods of a controller are represented by its template.
    for p in c.list::<Pod>(Some(ns)).filter(|p| p.metadata.controller().is_none()) {
        out.push(Candidate { desc: format!("pod/{}", p.metadata.name), labels: &p.metadata.labels, spec: &p.spec });
    }
    out
}

/// Levenshtein distance over characters (a Cyrillic `і` is one edit from a Latin `i`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Close enough to be a typo: one or two edits, and fewer edits than the shorter string is
/// long (so `db`/`ui` are different words, not a typo).
fn is_typo(a: &str, b: &str) -> bool {
    let d = edit_distance(a, b);
    (1..=2).contains(&d) && d < a.chars().count().min(b.chars().count())
}

/// If `labels` miss `selector` only by typos, the label entries that are off (label key, the
/// selector pair it should have been).
fn typo_pairs(selector: &Labels, labels: &Labels) -> Option<Vec<(String, String, String)>> {
    let mut off = Vec::new();
    for (sk, sv) in selector {
        if labels.get(sk) == Some(sv) {
            continue;
        }
        let hit = labels.iter().find(|(lk, lv)| (*lk == sk && is_typo(lv, sv)) || (*lv == sv && is_typo(lk, sk)))?;
        off.push((hit.0.clone(), sk.clone(), sv.clone()));
    }
    if off.is_empty() {
        None
    } else {
        Some(off)
    }
}

fn selector_text(selector: &Labels) -> String {
    selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// A document of the manifest, with the identity the lints need.
struct Doc<'a> {
    root: &'a Node,
    kind: Option<Kind>,
    name: String,
    ns: String,
}

/// Lint the documents of `text` against the cluster they were just applied to.
pub fn lint_text(c: &Cluster, text: &str, default_ns: &str) -> Vec<Diagnostic> {
    let (parsed, _) = parse_documents(text);
    lint_documents(c, &parsed, default_ns)
}

/// Lint documents already parsed (apply parses the text once and passes them here).
pub fn lint_documents(c: &Cluster, parsed: &[Document], default_ns: &str) -> Vec<Diagnostic> {
    let docs: Vec<Doc> = parsed
        .iter()
        .filter_map(|d| d.root.as_ref())
        .map(|root| {
            let meta = root.get("metadata");
            let ns = meta
                .and_then(|m| m.get("namespace"))
                .map(scalar_text)
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| default_ns.to_string());
            Doc {
                root,
                kind: root.get("kind").map(scalar_text).and_then(|k| Kind::from_kind(&k)),
                name: meta.and_then(|m| m.get("name")).map(scalar_text).unwrap_or_default(),
                ns,
            }
        })
        .collect();
    let mut out = Vec::new();
    for doc in &docs {
        match doc.kind {
            Some(Kind::Service) => {
                service(c, doc, &mut out);
                governing_service(c, doc, &docs, &mut out);
            }
            Some(Kind::StatefulSet) => statefulset(c, doc, &mut out),
            _ => {}
        }
        if let Some(kind @ (Kind::Deployment | Kind::StatefulSet | Kind::ReplicaSet | Kind::DaemonSet | Kind::Pod)) =
            doc.kind
        {
            template_typos(c, doc, kind, &mut out);
            workload_ports(c, doc, kind, &docs, &mut out);
        }
    }
    out
}

fn service(c: &Cluster, doc: &Doc, out: &mut Vec<Diagnostic>) {
    let Some(svc) = c.get::<Service>(&doc.ns, &doc.name) else { return };
    let Some(selector) = svc.spec.selector.as_ref().filter(|s| !s.is_empty()) else { return };
    // Only a selector written in this manifest gets a warning (an earlier one was linted then).
    let Some(sel_node) = doc.root.get("spec").and_then(|s| s.get("selector")) else { return };
    let cands = candidates(c, &doc.ns);
    let selected: Vec<&Candidate> = cands.iter().filter(|k| map_selector_matches(selector, k.labels)).collect();
    let sel_text = selector_text(selector);
    if selected.is_empty() {
        let near: Vec<String> = cands
            .iter()
            .filter(|k| typo_pairs(selector, k.labels).is_some())
            .map(|k| format!("{} ({})", k.desc, selector_text(k.labels)))
            .collect();
        let diag = if near.is_empty() {
            Diagnostic::warning(
                "lint.selector_matches_nothing",
                sel_node.key_or_pos(),
                format!(
                    "selector {sel_text} matches no pods in namespace {}: the Service will have no endpoints",
                    doc.ns
                ),
            )
            .with_args(&[&sel_text, &doc.ns])
        } else {
            let near = near.join(", ");
            Diagnostic::warning(
                "lint.selector_near_miss",
                sel_node.key_or_pos(),
                format!(
                    "selector {sel_text} matches no pods in namespace {}: the Service will have no endpoints; near miss: {near}",
                    doc.ns
                ),
            )
            .with_args(&[&sel_text, &doc.ns, &near])
        };
        out.push(diag);
        return;
    }
    // targetPorts: each Service port should reach a port some selected container declares.
    for (i, code, message, args) in target_port_findings(svc, &selected) {
        let pos = node_at_path(doc.root, &format!("spec.ports[{i}].targetPort"))
            .or_else(|| node_at_path(doc.root, &format!("spec.ports[{i}]")))
            .map(|n| n.key_or_pos())
            .unwrap_or(doc.root.pos);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        out.push(Diagnostic::warning(code, pos, message).with_args(&args));
    }
}

/// Ports of `svc` whose targetPort no container of `selected` declares: (port index, code,
/// English text, args).
fn target_port_findings(svc: &Service, selected: &[&Candidate]) -> Vec<(usize, &'static str, String, Vec<String>)> {
    let mut out = Vec::new();
    for (i, p) in svc.spec.ports.iter().enumerate() {
        let exposed = |k: &&Candidate| {
            k.spec.containers.iter().chain(k.spec.init_containers.iter()).flat_map(|ct| ct.ports.iter()).any(|cp| {
                match &p.target_port {
                    IntOrString::Int(n) => cp.container_port == *n && cp.protocol == p.protocol,
                    IntOrString::Str(name) => cp.name.as_deref() == Some(name.as_str()) && cp.protocol == p.protocol,
                }
            })
        };
        if selected.iter().any(exposed) {
            continue;
        }
        let declared: Vec<String> = selected
            .iter()
            .flat_map(|k| k.spec.containers.iter().flat_map(|ct| ct.ports.iter()))
            .map(|cp| match &cp.name {
                Some(n) => format!("{}/{} ({n})", cp.container_port, cp.protocol),
                None => format!("{}/{}", cp.container_port, cp.protocol),
            })
            .collect();
        let who = selected.iter().map(|k| k.desc.clone()).collect::<Vec<_>>().join(", ");
        match &p.target_port {
            IntOrString::Str(name) => out.push((
                i,
                "lint.target_port_name_not_found",
                format!(
                    "targetPort \"{name}\" names no {} container port of the selected pods ({who}): their endpoints get no port for it",
                    p.protocol
                ),
                vec![name.clone(), p.protocol.clone(), who],
            )),
            // A headless Service is not proxied: clients dial pod IPs on the port they choose,
            // so a numeric mismatch breaks no connection (its SRV records still carry it).
            IntOrString::Int(n) if !declared.is_empty() && !svc.is_headless() => out.push((
                i,
                "lint.target_port_not_exposed",
                format!(
                    "targetPort {n}/{} is not a container port of the selected pods ({who}), which declare {}",
                    p.protocol,
                    declared.join(", ")
                ),
                vec![n.to_string(), p.protocol.clone(), who, declared.join(", ")],
            )),
            IntOrString::Int(_) => {}
        }
    }
    out
}

/// A workload in the manifest selected by a Service applied earlier: the Service's targetPorts
/// must still reach a declared container port (the lint on the Service ran before this
/// workload existed).
fn workload_ports(c: &Cluster, doc: &Doc, kind: Kind, docs: &[Doc], out: &mut Vec<Diagnostic>) {
    let containers_path = if kind == Kind::Pod { "spec.containers" } else { "spec.template.spec.containers" };
    let Some(containers) = node_at_path(doc.root, containers_path) else { return };
    let cands = candidates(c, &doc.ns);
    let this = format!("{}/{}", kind.name().to_lowercase(), doc.name);
    if !cands.iter().any(|k| k.desc == this) {
        return;
    }
    for svc in c.list::<Service>(Some(&doc.ns)) {
        let in_text =
            docs.iter().any(|d| d.kind == Some(Kind::Service) && d.name == svc.metadata.name && d.ns == doc.ns);
        let Some(selector) = svc.spec.selector.as_ref().filter(|s| !s.is_empty()) else { continue };
        if in_text {
            continue;
        }
        let selected: Vec<&Candidate> = cands.iter().filter(|k| map_selector_matches(selector, k.labels)).collect();
        if !selected.iter().any(|k| k.desc == this) {
            continue;
        }
        for (_, code, message, args) in target_port_findings(svc, &selected) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            out.push(Diagnostic::warning(code, containers.key_or_pos(), message).with_args(&args));
        }
    }
}

/// A Service in the manifest named by a StatefulSet applied earlier must be headless.
fn governing_service(c: &Cluster, doc: &Doc, docs: &[Doc], out: &mut Vec<Diagnostic>) {
    let Some(svc) = c.get::<Service>(&doc.ns, &doc.name) else { return };
    if svc.is_headless() {
        return;
    }
    // A StatefulSet in this manifest is linted from its side (`statefulset`).
    let in_text = |s: &StatefulSet| {
        docs.iter().any(|d| d.kind == Some(Kind::StatefulSet) && d.name == s.metadata.name && d.ns == doc.ns)
    };
    for sts in c.list::<StatefulSet>(Some(&doc.ns)).filter(|s| s.spec.service_name == doc.name && !in_text(s)) {
        let example = format!("{}-0.{}.{}.svc", sts.metadata.name, doc.name, doc.ns);
        let pos = node_at_path(doc.root, "metadata.name").map(|n| n.key_or_pos()).unwrap_or(doc.root.pos);
        out.push(
            Diagnostic::warning(
                "lint.statefulset_service_not_headless",
                pos,
                format!(
                    "Service \"{}\" is not headless (clusterIP: None): names such as {example} do not resolve; only a headless Service gives pods stable DNS names",
                    doc.name
                ),
            )
            .with_args(&[&doc.name, &example]),
        );
    }
}

fn statefulset(c: &Cluster, doc: &Doc, out: &mut Vec<Diagnostic>) {
    let Some(sts) = c.get::<StatefulSet>(&doc.ns, &doc.name) else { return };
    let svc_name = &sts.spec.service_name;
    if svc_name.is_empty() {
        return;
    }
    let pos = node_at_path(doc.root, "spec.serviceName").map(|n| n.key_or_pos()).unwrap_or(doc.root.pos);
    let example = format!("{}-0.{svc_name}.{}.svc", doc.name, doc.ns);
    match c.get::<Service>(&doc.ns, svc_name) {
        None => out.push(
            Diagnostic::warning(
                "lint.statefulset_service_missing",
                pos,
                format!(
                    "serviceName \"{svc_name}\" names no Service in namespace {}: pods get no stable DNS names such as {example} until a headless Service of that name exists",
                    doc.ns
                ),
            )
            .with_args(&[svc_name, &doc.ns, &example]),
        ),
        Some(svc) if !svc.is_headless() => out.push(
            Diagnostic::warning(
                "lint.statefulset_service_not_headless",
                pos,
                format!(
                    "Service \"{svc_name}\" is not headless (clusterIP: None): names such as {example} do not resolve; only a headless Service gives pods stable DNS names"
                ),
            )
            .with_args(&[svc_name, &example]),
        ),
        Some(_) => {}
    }
}

/// A workload in the manifest whose template labels miss a selecting Service by a typo.
fn template_typos(c: &Cluster, doc: &Doc, kind: Kind, out: &mut Vec<Diagnostic>) {
    let labels_path = if kind == Kind::Pod { "metadata.labels" } else { "spec.template.metadata.labels" };
    let Some(labels_node) = node_at_path(doc.root, labels_path) else { return };
    if !matches!(labels_node.kind, NodeKind::Map(_)) {
        return;
    }
    let labels = labels_node.string_map();
    let cands = candidates(c, &doc.ns);
    for svc in c.list::<Service>(Some(&doc.ns)) {
        let Some(selector) = svc.spec.selector.as_ref().filter(|s| !s.is_empty()) else { continue };
        // Only a Service left without pods is a typo victim; one that selects pods is fine.
        if cands.iter().any(|k| map_selector_matches(selector, k.labels)) {
            continue;
        }
        let Some(off) = typo_pairs(selector, &labels) else { continue };
        for (label_key, sk, sv) in off {
            let pos = match &labels_node.kind {
                NodeKind::Map(entries) => entries
                    .iter()
                    .find(|(k, _)| *k == label_key)
                    .map(|(_, v)| v.key_or_pos())
                    .unwrap_or(labels_node.pos),
                _ => labels_node.pos,
            };
            let have = format!("{label_key}={}", labels.get(&label_key).cloned().unwrap_or_default());
            let want = format!("{sk}={sv}");
            let svc_ref = format!("service/{}", svc.metadata.name);
            out.push(
                Diagnostic::warning(
                    "lint.label_typo",
                    pos,
                    format!("label {have} looks like a typo of {want}, which {svc_ref} selects: the Service matches no pods"),
                )
                .with_args(&[&have, &want, &svc_ref]),
            );
        }
    }
}
