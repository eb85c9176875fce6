//! `kubectl apply`: every document of a manifest is decoded, validated and stored on its own,
//! as the API server does, so one bad object never stops the others. Successes read as kubectl
//! prints them (`service/x created`, `configured`, `unchanged`); failures are collected and
//! printed after them, client-side ones (YAML, mapping, schema) first, as kubectl's `checkErr`
//! does: one failure alone (an Invalid status as `The Service "x" is invalid: ...`), several
//! one per line (`Error from server (Invalid): error when creating "x.yaml": ...`; for an
//! existing object `error when applying patch:` with the document, spec §7.1).
//! Parsing never fails: the report carries diagnostics with positions for the editor, moved
//! onto the node of the field each error names.

use crate::api::*;
use crate::cluster::{display_ref, Cluster, ObjKey, SimEvent};
use crate::decode::{decode_object, DecodeError};
use crate::diag::{Diagnostic, Pos};
use crate::validation;
use crate::yaml::{json_str, node_at_path, parse_documents, scalar_text, Node, NodeKind};

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Created,
    Configured,
    Unchanged,
}

/// One failed document, in the two shapes kubectl prints it: alone (`checkErr` on a single
/// error: an Invalid status becomes `The Service "x" is invalid: ...`, anything else gets
/// `error: ` or `Error from server (<Reason>): `), or as one line of several
/// (`MultipleErrors`: the status message behind `Error from server (<Reason>): `).
#[derive(Clone, Debug, PartialEq)]
pub struct KubectlError {
    pub single: String,
    pub listed: String,
    /// Client-side errors (parsing, mapping, schema) are collected before any request is
    /// sent, so kubectl lists them before the server's.
    pub client_side: bool,
}

impl KubectlError {
    fn client(message: String) -> Self {
        KubectlError { single: format!("error: {message}"), listed: message, client_side: true }
    }
}

/// What happened to one document.
#[derive(Clone, Debug, PartialEq)]
pub struct ApplyResult {
    /// `kind/name` as kubectl prints it, if known.
    pub reference: String,
    /// The object this document names, once it decoded far enough to know.
    pub key: Option<ObjKey>,
    pub pos: Pos,
    pub outcome: Result<Outcome, KubectlError>,
}

impl ApplyResult {
    /// The line kubectl prints for a success (`service/x created`).
    pub fn line(&self) -> Option<String> {
        match &self.outcome {
            Ok(Outcome::Created) => Some(format!("{} created", self.reference)),
            Ok(Outcome::Configured) => Some(format!("{} configured", self.reference)),
            Ok(Outcome::Unchanged) => Some(format!("{} unchanged", self.reference)),
            Err(_) => None,
        }
    }

    /// What kubectl prints for this document alone: the success line or the error.
    pub fn text(&self) -> String {
        match &self.outcome {
            Ok(_) => self.line().unwrap_or_default(),
            Err(e) => e.single.clone(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApplyReport {
    pub results: Vec<ApplyResult>,
    /// Client-side failures that belong to no decoded document (a YAML syntax error).
    pub stream_errors: Vec<KubectlError>,
    /// Errors and warnings with positions, for the editor.
    pub diagnostics: Vec<Diagnostic>,
}

impl ApplyReport {
    pub fn ok(&self) -> bool {
        self.stream_errors.is_empty() && self.results.iter().all(|r| r.outcome.is_ok())
    }
    /// The failures in the order kubectl reports them: client-side first, then the server's.
    pub fn errors(&self) -> Vec<&KubectlError> {
        let per_doc = self.results.iter().filter_map(|r| r.outcome.as_ref().err());
        let mut client: Vec<&KubectlError> = per_doc.clone().filter(|e| e.client_side).collect();
        client.extend(self.stream_errors.iter());
        client.extend(per_doc.filter(|e| !e.client_side));
        client
    }
    /// kubectl's output: successes as they happen (stdout), then the collected errors
    /// (stderr): one alone as `checkErr` prints it, several one per line.
    pub fn output(&self) -> String {
        let mut out = String::new();
        for line in self.results.iter().filter_map(ApplyResult::line) {
            out.push_str(&line);
            out.push('\n');
        }
        let errors = self.errors();
        match errors.as_slice() {
            [] => {}
            [one] => {
                out.push_str(&one.single);
                out.push('\n');
            }
            many => {
                for e in many {
                    out.push_str(&e.listed);
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// Apply a manifest (one or more YAML documents) read from `source` (a file name, or `-`
/// for stdin, or `STDIN` for the editor), into namespace `default_ns` where none is given.
pub fn apply_text(c: &mut Cluster, text: &str, source: &str, default_ns: &str) -> ApplyReport {
    let (docs, yaml_diags) = parse_documents(text);
    let mut report = ApplyReport::default();
    for d in yaml_diags {
        if d.is_error() {
            // kubectl's stream visitor stops at the first document it cannot parse (spec §7).
            report.stream_errors.push(KubectlError::client(format!(
                "error parsing {source}: error converting YAML to JSON: {}",
                d.message
            )));
        }
        report.diagnostics.push(d);
    }
    for doc in &docs {
        let Some(root) = &doc.root else { continue };
        let result = match decode_object(root) {
            Ok(obj) => apply_object_at(c, obj, source, default_ns, root, &mut report.diagnostics),
            Err(e) => decode_failure(c, e, source, default_ns, root, &mut report.diagnostics),
        };
        report.results.push(result);
    }
    if report.results.is_empty() && report.stream_errors.is_empty() {
        report.stream_errors.push(KubectlError::client("no objects passed to apply".into()));
    }
    c.settle();
    report.diagnostics.extend(crate::lint::lint_documents(c, &docs, default_ns));
    report
}

/// `Resource: "/v1, Resource=services", GroupVersionKind: "/v1, Kind=Service"` + name line:
/// resource.Info's `String()`, which kubectl prints in patch errors.
fn info_string(kind: Kind, name: &str, ns: &str) -> String {
    let gv = kind.api_version();
    let gv = if gv.contains('/') { gv.to_string() } else { format!("/{gv}") };
    format!(
        "Resource: \"{gv}, Resource={}\", GroupVersionKind: \"{gv}, Kind={}\"\nName: \"{name}\", Namespace: \"{ns}\"",
        kind.resource(),
        kind.name()
    )
}

/// kubectl's `AddSourceToErr` verb: `creating` for a new object; for an existing one the
/// patch header (kubectl apply.go: `applying patch:\n%s\nto:\n%v\nfor:`). The patch shown is
/// the submitted document as compact JSON: kubectl's three-way strategic merge patch (with
/// the last-applied annotation) is not modelled.
fn verb(c: &Cluster, kind: Kind, name: &str, ns: &str, root: &Node) -> String {
    let key = ObjKey::new(kind, if kind.namespaced() { ns } else { "" }, name);
    if c.get_object(&key).is_some() {
        format!("applying patch:\n{}\nto:\n{}\nfor:", compact_json(root), info_string(kind, name, ns))
    } else {
        "creating".to_string()
    }
}

fn compact_json(n: &Node) -> String {
    let mut out = String::new();
    write_json(n, &mut out);
    out
}

fn write_json(n: &Node, out: &mut String) {
    match &n.kind {
        NodeKind::Null => out.push_str("null"),
        NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeKind::Int(i) => out.push_str(&i.to_string()),
        NodeKind::Float(f) => out.push_str(&f.to_string()),
        NodeKind::Str(s) => json_str(s, out),
        NodeKind::Seq(items) => {
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(it, out);
            }
            out.push(']');
        }
        NodeKind::Map(entries) => {
            // encoding/json sorts map keys.
            let mut sorted: Vec<&(String, Node)> = entries.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_str(k, out);
                out.push(':');
                write_json(v, out);
            }
            out.push('}');
        }
    }
}

/// An API status error (`Error from server (<reason>): error when <verb> "<file>": <message>`).
fn server_error(reason: &str, verb: &str, source: &str, message: &str) -> KubectlError {
    let text = format!("Error from server ({reason}): error when {verb} \"{source}\": {message}");
    KubectlError { single: text.clone(), listed: text, client_side: false }
}

fn decode_failure(
    c: &Cluster,
    e: DecodeError,
    source: &str,
    default_ns: &str,
    root: &Node,
    diags: &mut Vec<Diagnostic>,
) -> ApplyResult {
    match e {
        DecodeError::MissingTypeMeta { field, pos } => {
            let msg = format!("error validating \"{source}\": error validating data: {field} not set; if you choose to ignore these errors, turn validation off with --validate=false");
            diags.push(Diagnostic::error("decode.missing_type", pos, format!("error: {msg}")).with_args(&[field]));
            ApplyResult { reference: String::new(), key: None, pos, outcome: Err(KubectlError::client(msg)) }
        }
        DecodeError::UnknownKind { kind, api_version, name, pos } => {
            let ns = root.get("metadata").and_then(|m| m.get("namespace")).map(scalar_text).unwrap_or_default();
            let msg = format!(
                "resource mapping not found for name: \"{name}\" namespace: \"{ns}\" from \"{source}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first"
            );
            diags.push(
                Diagnostic::error("decode.unknown_kind", pos, format!("error: {msg}"))
                    .with_args(&[&kind, &api_version]),
            );
            ApplyResult { reference: String::new(), key: None, pos, outcome: Err(KubectlError::client(msg)) }
        }
        DecodeError::Invalid { kind, name, diagnostics } => {
            let pos = diagnostics.first().map(|d| d.pos).unwrap_or(root.pos);
            // encoding/json stops at the first type error; strict-decoding errors are one
            // message listing every unknown field (its diagnostics all carry it).
            let first = diagnostics.first().map(|d| d.message.clone()).unwrap_or_default();
            let version = kind.api_version().rsplit('/').next().unwrap_or("v1");
            let message =
                format!("{} in version \"{version}\" cannot be handled as a {}: {first}", kind.name(), kind.name());
            let ns = root
                .get("metadata")
                .and_then(|m| m.get("namespace"))
                .map(scalar_text)
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| default_ns.to_string());
            let verb = verb(c, kind, &name, &ns, root);
            // Values the typed model cannot hold (an unknown Service `type`) are validation
            // errors on a real API server: an Invalid status, not a decoding failure.
            if diagnostics.iter().all(|d| d.code.starts_with("validation.")) {
                let errors: Vec<String> = diagnostics.iter().map(|d| d.message.clone()).collect();
                let single = if errors.len() == 1 {
                    format!("The {} \"{name}\" is invalid: {}", kind.name(), errors[0])
                } else {
                    format!("The {} \"{name}\" is invalid: \n* {}", kind.name(), errors.join("\n* "))
                };
                let body = if errors.len() == 1 { errors[0].clone() } else { format!("[{}]", errors.join(", ")) };
                let qualified = match kind.api_version().rsplit_once('/') {
                    Some((group, _)) => format!("{}.{group}", kind.name()),
                    None => kind.name().to_string(),
                };
                let listed =
                    server_error("Invalid", &verb, source, &format!("{qualified} \"{name}\" is invalid: {body}"))
                        .listed;
                diags.extend(diagnostics);
                return ApplyResult {
                    reference: display_ref(kind, &name),
                    key: Some(ObjKey::new(kind, &ns, &name)),
                    pos,
                    outcome: Err(KubectlError { single, listed, client_side: false }),
                };
            }
            diags.extend(diagnostics);
            ApplyResult {
                reference: display_ref(kind, &name),
                key: Some(ObjKey::new(kind, &ns, &name)),
                pos,
                outcome: Err(server_error("BadRequest", &verb, source, &message)),
            }
        }
    }
}

/// The node a field error is about. Some API paths name what the manifest spells
/// differently (`spec.clusterIPs` for a `clusterIP:` line) or a field that is missing (then the
/// field that made it required is the useful place).
fn field_node<'n>(root: &'n Node, field: &str) -> Option<&'n Node> {
    let alias = match field {
        "spec.clusterIPs" | "spec.clusterIPs[0]" => Some("spec.clusterIP"),
        "spec.dnsConfig" => Some("spec.dnsPolicy"),
        "spec.template.spec.dnsConfig" => Some("spec.template.spec.dnsPolicy"),
        "spec.externalName" => Some("spec.type"),
        "metadata.namespace" => Some("metadata.namespace"),
        _ => None,
    };
    let exact = |p: &str| {
        let mut cur = root;
        for seg in p.split('.') {
            let (key, idx) = match seg.split_once('[') {
                Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (seg, None),
            };
            cur = cur.get(key)?;
            if let Some(i) = idx {
                match &cur.kind {
                    NodeKind::Seq(items) => cur = items.get(i)?,
                    _ => return None,
                }
            }
        }
        Some(cur)
    };
    exact(field).or_else(|| alias.and_then(exact)).or_else(|| node_at_path(root, field))
}

/// Apply one decoded object: default the namespace, validate, then create or update.
/// Validation diagnostics point at the field's node in `root`.
pub fn apply_object_at(
    c: &mut Cluster,
    obj: Object,
    source: &str,
    default_ns: &str,
    root: &Node,
    diags: &mut Vec<Diagnostic>,
) -> ApplyResult {
    let mut field_diags = Vec::new();
    let selector_written = root.get("spec").and_then(|s| s.get("selector")).is_some();
    let doc = DocFacts { json: compact_json(root), selector_written, from_apply: true };
    let result = apply_inner(c, obj, source, default_ns, root.pos, &mut field_diags, &doc);
    for mut d in field_diags {
        if let Some(field) = d.args.first() {
            if let Some(n) = field_node(root, field) {
                d.pos = n.key_or_pos();
            }
        }
        diags.push(d);
    }
    result
}

/// Apply one decoded object: default the namespace, validate, then create or update.
pub fn apply_object(
    c: &mut Cluster,
    obj: Object,
    source: &str,
    default_ns: &str,
    pos: Pos,
    diags: &mut Vec<Diagnostic>,
) -> ApplyResult {
    // Without a manifest there is no document to show in a patch error.
    let doc = DocFacts { json: "{}".into(), selector_written: false, from_apply: false };
    apply_inner(c, obj, source, default_ns, pos, diags, &doc)
}

/// What the manifest says beyond the decoded object.
struct DocFacts {
    /// The document as compact JSON, shown in patch errors.
    json: String,
    /// `spec.selector` is written (so an empty selector is `{}`, not missing).
    selector_written: bool,
    /// The object comes from a manifest `kubectl apply` read (it adds the last-applied annotation).
    from_apply: bool,
}

/// The annotation `kubectl apply` keeps the applied manifest in.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn apply_inner(
    c: &mut Cluster,
    mut obj: Object,
    source: &str,
    default_ns: &str,
    pos: Pos,
    diags: &mut Vec<Diagnostic>,
    doc: &DocFacts,
) -> ApplyResult {
    let kind = obj.kind();
    if kind.namespaced() && obj.meta().namespace.is_empty() {
        obj.meta_mut().namespace = default_ns.to_string();
    }
    let name = obj.meta().name.clone();
    let ns = obj.meta().namespace.clone();
    let reference = display_ref(kind, &name);
    let key = Some(ObjKey::new(kind, &ns, &name));
    if name.is_empty() {
        let gv = kind.api_version();
        let gv = if gv.contains('/') { gv.to_string() } else { format!("/{gv}") };
        let msg = format!("error when retrieving current configuration of:\nResource: \"{gv}, Resource={}\", GroupVersionKind: \"{gv}, Kind={}\"\nName: \"\", Namespace: \"{ns}\"\nfrom server for: \"{source}\": resource name may not be empty", kind.resource(), kind.name());
        diags.push(
            Diagnostic::error("validation.name_required", pos, format!("error: {msg}")).with_args(&["metadata.name"]),
        );
        return ApplyResult {
            reference,
            key,
            pos,
            outcome: Err(KubectlError { client_side: false, ..KubectlError::client(msg) }),
        };
    }
    if kind.namespaced() && !c.namespace_exists(&ns) {
        let msg = format!("namespaces \"{ns}\" not found");
        diags.push(
            Diagnostic::error("apply.namespace_not_found", pos, format!("Error from server (NotFound): {msg}"))
                .with_args(&["metadata.namespace", &ns]),
        );
        return ApplyResult { reference, key, pos, outcome: Err(server_error("NotFound", "creating", source, &msg)) };
    }
    let obj_key = ObjKey::of(&obj);
    let existing = c.get_object(&obj_key).cloned();
    if kind == Kind::Pod && existing.is_none() {
        if let Err(msg) = c.pod_room(&name) {
            diags.push(
                Diagnostic::error("apply.pod_limit", pos, format!("Error from server (Forbidden): {msg}"))
                    .with_args(&["", &name, &c.config().max_pods.to_string()]),
            );
            return ApplyResult {
                reference,
                key,
                pos,
                outcome: Err(server_error("Forbidden", "creating", source, &msg)),
            };
        }
    }
    // `kubectl apply` stores the manifest in the `last-applied-configuration` annotation, so
    // it counts toward the 256 KiB of annotations (JSON plus a newline, under its key).
    let last_applied = if doc.from_apply { LAST_APPLIED.len() + doc.json.len() + 1 } else { 0 };
    let mut errors = validation::validate_with(c, &mut obj, existing.as_ref(), last_applied);
    if doc.selector_written {
        validation::empty_selector(&mut errors, kind);
    }
    if let Some(e) = errors.iter().find(|e| e.is_internal()) {
        let detail = e.detail.clone();
        diags.push(
            Diagnostic::error("validation.internal", pos, format!("Internal error occurred: {detail}"))
                .with_args(&["", "", &detail]),
        );
        let verb = match &existing {
            None => "creating".to_string(),
            Some(_) => format!("applying patch:\n{}\nto:\n{}\nfor:", doc.json, info_string(kind, &name, &ns)),
        };
        let err = server_error("InternalError", &verb, source, &format!("Internal error occurred: {detail}"));
        return ApplyResult { reference, key, pos, outcome: Err(err) };
    }
    if !errors.is_empty() {
        for e in &errors {
            diags.push(e.diagnostic(pos));
        }
        let single = validation::render_invalid(kind, &name, &errors);
        let verb = match &existing {
            None => "creating".to_string(),
            Some(_) => format!("applying patch:\n{}\nto:\n{}\nfor:", doc.json, info_string(kind, &name, &ns)),
        };
        let listed = server_error("Invalid", &verb, source, &validation::status_message(kind, &name, &errors)).listed;
        return ApplyResult { reference, key, pos, outcome: Err(KubectlError { single, listed, client_side: false }) };
    }
    let outcome = match existing {
        None => {
            c.put(obj);
            Outcome::Created
        }
        Some(old) => {
            let mut merged = merge_update(old.clone(), obj);
            crate::update::keep_equal_spec(&old, &mut merged);
            if merged == old {
                Outcome::Unchanged
            } else {
                if spec_changed(&old, &merged) {
                    merged.meta_mut().generation = old.meta().generation.max(1) + 1;
                }
                c.put(merged);
                Outcome::Configured
            }
        }
    };
    c.emit(SimEvent::ObjectApplied { at: c.now, kind, namespace: ns, name, created: outcome == Outcome::Created });
    ApplyResult { reference, key, pos, outcome: Ok(outcome) }
}

/// An update keeps what the server owns (identity, status, allocated IPs, generated fields)
/// and takes the spec from the manifest.
fn merge_update(old: Object, new: Object) -> Object {
    let mut merged = new;
    {
        let m = merged.meta_mut();
        let om = old.meta();
        m.uid = om.uid.clone();
        m.creation_timestamp = om.creation_timestamp;
        m.resource_version = om.resource_version;
        m.generation = om.generation;
        m.owner_references =
            if m.owner_references.is_empty() { om.owner_references.clone() } else { m.owner_references.clone() };
        m.deletion_timestamp = om.deletion_timestamp;
        m.deletion_grace_period_seconds = om.deletion_grace_period_seconds;
        if m.generate_name.is_none() {
            m.generate_name = om.generate_name.clone();
        }
        // Annotations the server or controllers added (e.g. a Deployment's revision) survive
        // kubectl's three-way merge, which only removes what the user applied before.
        for (k, v) in &om.annotations {
            m.annotations.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    match (&old, &mut merged) {
        (Object::Pod(o), Object::Pod(n)) => {
            n.status = o.status.clone();
            if n.spec.node_name.is_none() {
                n.spec.node_name = o.spec.node_name.clone();
            }
        }
        (Object::Service(o), Object::Service(n)) => {
            n.status = o.status.clone();
            // Validation kept or allocated the ClusterIP; an ExternalName Service has none.
            // (Validation's own result wins when it set one: a family-policy change on update.)
            if n.spec.type_ != ServiceType::ExternalName
                && o.spec.type_ != ServiceType::ExternalName
                && n.spec.cluster_ips.is_empty()
            {
                n.spec.cluster_ip = o.spec.cluster_ip.clone();
                n.spec.cluster_ips = o.spec.cluster_ips.clone();
                n.spec.ip_families = o.spec.ip_families.clone();
            }
            if n.spec.ip_family_policy.is_none() {
                n.spec.ip_family_policy = o.spec.ip_family_policy.clone();
            }
            if n.spec.internal_traffic_policy.is_none() {
                n.spec.internal_traffic_policy = o.spec.internal_traffic_policy.clone();
            }
            // Node ports were kept or allocated by validation (validation::node_ports).
            if n.spec.external_traffic_policy.is_none() {
                n.spec.external_traffic_policy = o.spec.external_traffic_policy.clone();
            }
        }
        (Object::Deployment(o), Object::Deployment(n)) => n.status = o.status.clone(),
        (Object::ReplicaSet(o), Object::ReplicaSet(n)) => n.status = o.status.clone(),
        (Object::StatefulSet(o), Object::StatefulSet(n)) => n.status = o.status.clone(),
        (Object::DaemonSet(o), Object::DaemonSet(n)) => n.status = o.status.clone(),
        (Object::Node(o), Object::Node(n)) => {
            n.pod_cidrs = o.pod_cidrs.clone();
            n.addresses = o.addresses.clone();
            n.ready = o.ready;
            n.control_plane = o.control_plane;
        }
        _ => {}
    }
    merged
}

fn spec_changed(old: &Object, new: &Object) -> bool {
    match (old, new) {
        (Object::Deployment(a), Object::Deployment(b)) => a.spec != b.spec,
        (Object::StatefulSet(a), Object::StatefulSet(b)) => a.spec != b.spec,
        (Object::ReplicaSet(a), Object::ReplicaSet(b)) => a.spec != b.spec,
        (Object::DaemonSet(a), Object::DaemonSet(b)) => a.spec != b.spec,
        (Object::Service(a), Object::Service(b)) => a.spec != b.spec,
        _ => false,
    }
}
