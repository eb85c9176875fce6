//! `kubectl apply`: every document of a manifest is decoded, validated and stored on its own,
//! as the API server does, so one bad object never stops the others. Each result reads as
//! kubectl prints it (`service/x created`, `configured`, `unchanged`, or the error).
//! Parsing never fails: the report carries diagnostics with positions for the editor.

use crate::api::*;
use crate::cluster::{display_ref, Cluster, ObjKey, SimEvent};
use crate::decode::{decode_object, DecodeError};
use crate::diag::{Diagnostic, Pos};
use crate::validation;
use crate::yaml::parse_documents;

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Created,
    Configured,
    Unchanged,
}

/// What happened to one document.
#[derive(Clone, Debug, PartialEq)]
pub struct ApplyResult {
    /// `kind/name` as kubectl prints it, if known.
    pub reference: String,
    pub pos: Pos,
    /// `Ok` with the outcome, or `Err` with kubectl's full error line.
    pub outcome: Result<Outcome, String>,
}

impl ApplyResult {
    /// The line kubectl prints for this document.
    pub fn line(&self) -> String {
        match &self.outcome {
            Ok(Outcome::Created) => format!("{} created", self.reference),
            Ok(Outcome::Configured) => format!("{} configured", self.reference),
            Ok(Outcome::Unchanged) => format!("{} unchanged", self.reference),
            Err(e) => e.clone(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApplyReport {
    pub results: Vec<ApplyResult>,
    /// Errors and warnings with positions, for the editor.
    pub diagnostics: Vec<Diagnostic>,
}

impl ApplyReport {
    pub fn ok(&self) -> bool {
        self.results.iter().all(|r| r.outcome.is_ok()) && !self.diagnostics.iter().any(|d| d.is_error())
    }
    /// kubectl's output: successes on stdout, errors on stderr (both here, in order).
    pub fn output(&self) -> String {
        let mut out = String::new();
        for r in &self.results {
            out.push_str(&r.line());
            out.push('\n');
        }
        for d in self.diagnostics.iter().filter(|d| d.code.starts_with("yaml.")) {
            out.push_str(&format!("error: error parsing {}\n", d.message));
        }
        out
    }
}

/// Apply a manifest (one or more YAML documents) read from `source` (a file name, or `-`
/// for stdin, or `STDIN` for the editor), into namespace `default_ns` where none is given.
pub fn apply_text(c: &mut Cluster, text: &str, source: &str, default_ns: &str) -> ApplyReport {
    let (docs, yaml_diags) = parse_documents(text);
    let mut report = ApplyReport { diagnostics: yaml_diags, ..Default::default() };
    let syntax_error = report.diagnostics.iter().any(|d| d.code == "yaml.syntax");
    for doc in &docs {
        let Some(root) = &doc.root else { continue };
        let result = match decode_object(root) {
            Ok(obj) => apply_object(c, obj, source, default_ns, root.pos, &mut report.diagnostics),
            Err(e) => decode_failure(e, source, &mut report.diagnostics),
        };
        report.results.push(result);
    }
    if docs.is_empty() && !syntax_error && report.diagnostics.is_empty() {
        report.results.push(ApplyResult {
            reference: String::new(),
            pos: Pos::default(),
            outcome: Err("error: no objects passed to apply".into()),
        });
    }
    c.settle();
    report.diagnostics.extend(crate::lint::lint_text(c, text, default_ns));
    report
}

fn decode_failure(e: DecodeError, source: &str, diags: &mut Vec<Diagnostic>) -> ApplyResult {
    match e {
        DecodeError::MissingTypeMeta { field, pos } => {
            let msg = format!("error: error validating \"{source}\": error validating data: {field} not set; if you choose to ignore these errors, turn validation off with --validate=false");
            diags.push(Diagnostic::error("decode.missing_type", pos, msg.clone()).with_args(&[field]));
            ApplyResult { reference: String::new(), pos, outcome: Err(msg) }
        }
        DecodeError::UnknownKind { kind, api_version, name, pos } => {
            let msg = format!(
                "error: resource mapping not found for name: \"{name}\" namespace: \"\" from \"{source}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first"
            );
            diags.push(Diagnostic::error("decode.unknown_kind", pos, msg.clone()).with_args(&[&kind, &api_version]));
            ApplyResult { reference: String::new(), pos, outcome: Err(msg) }
        }
        DecodeError::Invalid { kind, name, diagnostics } => {
            let pos = diagnostics.first().map(|d| d.pos).unwrap_or_default();
            // Strict-decoding errors are reported once for all unknown fields.
            let first = diagnostics.first().map(|d| d.message.clone()).unwrap_or_default();
            let msg = format!(
                "Error from server (BadRequest): error when creating \"{source}\": {} in version \"{}\" cannot be handled as a {}: {first}",
                kind.name(),
                kind.api_version().rsplit('/').next().unwrap_or("v1"),
                kind.name()
            );
            let _ = name;
            diags.extend(diagnostics);
            ApplyResult { reference: String::new(), pos, outcome: Err(msg) }
        }
    }
}

/// Apply one decoded object: default the namespace, validate, then create or update.
pub fn apply_object(
    c: &mut Cluster,
    mut obj: Object,
    source: &str,
    default_ns: &str,
    pos: Pos,
    diags: &mut Vec<Diagnostic>,
) -> ApplyResult {
    let kind = obj.kind();
    if kind.namespaced() && obj.meta().namespace.is_empty() {
        obj.meta_mut().namespace = default_ns.to_string();
    }
    let name = obj.meta().name.clone();
    let ns = obj.meta().namespace.clone();
    let reference = display_ref(kind, &name);
    if name.is_empty() {
        let msg = format!("error: error when retrieving current configuration of:\nResource: \"{}\", GroupVersionKind: \"{}, Kind={}\"\nName: \"\", Namespace: \"{ns}\"\nfrom server for: \"{source}\": resource name may not be empty", kind.resource(), kind.api_version(), kind.name());
        diags.push(Diagnostic::error("validation.name_required", pos, msg.clone()));
        return ApplyResult { reference, pos, outcome: Err(msg) };
    }
    if kind.namespaced() && !c.namespace_exists(&ns) {
        let msg =
            format!("Error from server (NotFound): error when creating \"{source}\": namespaces \"{ns}\" not found");
        diags.push(Diagnostic::error("apply.namespace_not_found", pos, msg.clone()).with_args(&[&ns]));
        return ApplyResult { reference, pos, outcome: Err(msg) };
    }
    let key = ObjKey::of(&obj);
    let existing = c.get_object(&key).cloned();
    let errors = validation::validate(c, &mut obj, existing.as_ref());
    if !errors.is_empty() {
        let msg = validation::render_invalid(kind, &name, &errors, source, existing.is_some());
        for e in &errors {
            diags.push(Diagnostic::error("validation.invalid", pos, e.to_string()).with_args(&[&e.field]));
        }
        return ApplyResult { reference, pos, outcome: Err(msg) };
    }
    let outcome = match existing {
        None => {
            c.put(obj);
            Outcome::Created
        }
        Some(old) => {
            let merged = merge_update(old.clone(), obj);
            if merged == old {
                Outcome::Unchanged
            } else {
                let generation_bump = spec_changed(&old, &merged);
                c.put(merged);
                if generation_bump {
                    if let Some(o) = c.get_object(&key).cloned() {
                        let mut o = o;
                        o.meta_mut().generation += 1;
                        c.put(o);
                    }
                }
                Outcome::Configured
            }
        }
    };
    c.emit(SimEvent::ObjectApplied { at: c.now, kind, namespace: ns, name, created: outcome == Outcome::Created });
    ApplyResult { reference, pos, outcome: Ok(outcome) }
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
            n.spec.cluster_ip = o.spec.cluster_ip.clone();
            n.spec.cluster_ips = o.spec.cluster_ips.clone();
            n.spec.ip_families = o.spec.ip_families.clone();
            if n.spec.ip_family_policy.is_none() {
                n.spec.ip_family_policy = o.spec.ip_family_policy.clone();
            }
            if n.spec.internal_traffic_policy.is_none() {
                n.spec.internal_traffic_policy = o.spec.internal_traffic_policy.clone();
            }
            for (np, op) in n.spec.ports.iter_mut().zip(&o.spec.ports) {
                if np.node_port.is_none() && np.port == op.port {
                    np.node_port = op.node_port;
                }
            }
            if n.spec.external_traffic_policy.is_none() {
                n.spec.external_traffic_policy = o.spec.external_traffic_policy.clone();
            }
        }
        (Object::Deployment(o), Object::Deployment(n)) => n.status = o.status.clone(),
        (Object::ReplicaSet(o), Object::ReplicaSet(n)) => n.status = o.status.clone(),
        (Object::StatefulSet(o), Object::StatefulSet(n)) => n.status = o.status.clone(),
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
        (Object::Service(a), Object::Service(b)) => a.spec != b.spec,
        _ => false,
    }
}
