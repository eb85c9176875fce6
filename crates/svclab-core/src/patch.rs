//! The API server's patch behaviour (`PATCH` with `application/strategic-merge-patch+json`,
//! `merge-patch+json`, `json-patch+json`): the patch is applied to the object's stored JSON
//! form and the result goes through the same update path as apply and edit
//! ([`crate::apply::apply_object`]), so validation, `metadata.generation` and rollouts follow
//! one set of rules ([`crate::update`]).
//!
//! Invariant: a patch that leaves the object as stored is no write (`Ok(false)`, kubectl's
//! `patched (no change)`): no resourceVersion, no generation, no rollout.

use crate::api::*;
use crate::apply::{apply_object, Outcome};
use crate::cluster::{Cluster, ObjKey};
use crate::decode::decode_object;
use crate::diag::Pos;
use crate::encode::encode;
use crate::yaml::{self, Node, NodeKind};

/// Patch `kind/name` in `ns` with `text` of type `patch_type` (`strategic`, `merge`, `json`).
/// `Ok(true)` when the object changed, `Ok(false)` when the patch changed nothing; `Err` is
/// kubectl's message.
pub fn patch(
    c: &mut Cluster,
    kind: Kind,
    ns: &str,
    name: &str,
    text: &str,
    kind_of_patch: &str,
) -> Result<bool, String> {
    let Some(obj) = c.get_object(&ObjKey::new(kind, ns, name)).cloned() else {
        return Err(format!("Error from server (NotFound): {} \"{name}\" not found", kind.resource()));
    };
    let (docs, diags) = yaml::parse_documents(text);
    let Some(p) = docs.into_iter().find_map(|d| d.root).filter(|_| diags.iter().all(|d| !d.is_error())) else {
        return Err(format!("error: unable to parse \"{text}\": yaml: invalid patch"));
    };
    let mut node = encode(&obj);
    let want_list = kind_of_patch == "json";
    let shape_ok = if want_list { matches!(p.kind, NodeKind::Seq(_)) } else { matches!(p.kind, NodeKind::Map(_)) };
    if !shape_ok {
        let go_type = if want_list { "jsonpatch.Patch" } else { "map[string]interface {}" };
        return Err(format!(
            "error: unable to parse \"{text}\": json: cannot unmarshal {} into Go value of type {go_type}",
            p.type_name()
        ));
    }
    let res = match kind_of_patch {
        "json" => json_patch(&mut node, &p),
        "merge" => {
            merge(&mut node, &p, false, "");
            Ok(())
        }
        "strategic" => {
            merge(&mut node, &p, true, "");
            Ok(())
        }
        other => Err(format!("error: --type must be one of [json merge strategic], not \"{other}\"")),
    };
    res?;
    update_from_node(c, &node, kind, ns, name)
}

/// Lists merged by key in a strategic merge patch (the `patchMergeKey`s of k8s.io/api).
fn merge_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "containers" | "initContainers" => "name",
        "ports" => "port",
        "env" => "name",
        _ => return None,
    })
}

/// RFC 7386 JSON merge patch; with `strategic`, lists of objects with a merge key are merged
/// item by item (container ports are keyed by `containerPort`).
fn merge(target: &mut Node, patch: &Node, strategic: bool, field: &str) {
    match (&mut target.kind, &patch.kind) {
        (NodeKind::Map(t), NodeKind::Map(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.retain(|(tk, _)| tk != k);
                } else if let Some((_, tv)) = t.iter_mut().find(|(tk, _)| tk == k) {
                    merge(tv, v, strategic, k);
                } else {
                    let mut nv = Node::map();
                    if matches!(v.kind, NodeKind::Map(_)) {
                        merge(&mut nv, v, strategic, k);
                        t.push((k.clone(), nv));
                    } else {
                        t.push((k.clone(), v.clone()));
                    }
                }
            }
        }
        (NodeKind::Seq(t), NodeKind::Seq(p)) if strategic && merge_key(field).is_some() => {
            let key = merge_key(field).unwrap_or("name");
            for item in p {
                let k = item.get(key).or_else(|| item.get("containerPort")).map(yaml::scalar_text);
                let pos = k.as_ref().and_then(|k| {
                    t.iter().position(|x| {
                        x.get(key).or_else(|| x.get("containerPort")).map(yaml::scalar_text).as_ref() == Some(k)
                    })
                });
                match pos {
                    Some(i) => merge(&mut t[i], item, strategic, ""),
                    None => t.push(item.clone()),
                }
            }
        }
        _ => *target = patch.clone(),
    }
}

/// RFC 6902 JSON patch: `add`, `replace`, `remove` with JSON pointers.
fn json_patch(target: &mut Node, ops: &Node) -> Result<(), String> {
    let NodeKind::Seq(ops) = &ops.kind else {
        return Err(
            "error: unable to parse \"patch\": json: cannot unmarshal object into Go value of type jsonpatch.Patch"
                .into(),
        );
    };
    for op in ops {
        let kind = op.get("op").and_then(Node::as_str).unwrap_or("");
        let path = op.get("path").and_then(Node::as_str).unwrap_or("");
        let parts: Vec<String> = path.split('/').skip(1).map(|p| p.replace("~1", "/").replace("~0", "~")).collect();
        let Some((last, parents)) = parts.split_last() else {
            return Err(format!("error: jsonpatch {kind} operation does not apply: doc is missing path: \"{path}\""));
        };
        let mut cur = &mut *target;
        for p in parents {
            cur = match &mut cur.kind {
                NodeKind::Map(m) => match m.iter_mut().find(|(k, _)| k == p) {
                    Some((_, v)) => v,
                    None => return Err(format!("error: jsonpatch {kind} operation does not apply: doc is missing path: \"{path}\": missing value")),
                },
                NodeKind::Seq(s) => match p.parse::<usize>().ok().and_then(|i| s.get_mut(i)) {
                    Some(v) => v,
                    None => return Err(format!("error: jsonpatch {kind} operation does not apply: doc is missing path: \"{path}\": missing value")),
                },
                _ => return Err(format!("error: jsonpatch {kind} operation does not apply: doc is missing path: \"{path}\"")),
            };
        }
        let value = op.get("value").cloned();
        match (&mut cur.kind, kind) {
            (NodeKind::Map(m), "add" | "replace") => {
                let v = value.unwrap_or_else(Node::null);
                match m.iter_mut().find(|(k, _)| k == last) {
                    Some(e) => e.1 = v,
                    None if kind == "add" => m.push((last.clone(), v)),
                    None => {
                        return Err(format!(
                        "error: jsonpatch replace operation does not apply: doc is missing key: {path}: missing value"
                    ))
                    }
                }
            }
            (NodeKind::Map(m), "remove") => {
                let n = m.len();
                m.retain(|(k, _)| k != last);
                if m.len() == n {
                    return Err(format!("error: jsonpatch remove operation does not apply: doc is missing path: \"{path}\": missing value"));
                }
            }
            (NodeKind::Seq(s), op_kind) => {
                let idx = if last == "-" { Some(s.len()) } else { last.parse::<usize>().ok() };
                let Some(i) = idx else {
                    return Err(format!(
                        "error: jsonpatch {op_kind} operation does not apply: doc is missing path: \"{path}\""
                    ));
                };
                match op_kind {
                    "add" if i <= s.len() => s.insert(i, value.unwrap_or_else(Node::null)),
                    "replace" if i < s.len() => s[i] = value.unwrap_or_else(Node::null),
                    "remove" if i < s.len() => {
                        s.remove(i);
                    }
                    _ => return Err(format!("error: jsonpatch {op_kind} operation does not apply: doc is missing path: \"{path}\": missing value")),
                }
            }
            (_, other) => return Err(format!("error: Unexpected kind: {other}")),
        }
    }
    Ok(())
}

/// Apply an edited node back as an update of `kind/name`; `Ok(false)` when nothing changed.
pub(crate) fn update_from_node(c: &mut Cluster, node: &Node, kind: Kind, ns: &str, name: &str) -> Result<bool, String> {
    let mut obj = decode_object(node).map_err(decode_message)?;
    // An unchanged clusterIP is the Service's own, not a request for a new one (the
    // update keeps the allocated IPs; see apply.rs merge_update).
    if let (Object::Service(new), Some(old)) = (&mut obj, c.get::<Service>(ns, name)) {
        if new.spec.cluster_ip == old.spec.cluster_ip {
            new.spec.cluster_ip = None;
            new.spec.cluster_ips.clear();
        }
    }
    if obj.kind() != kind || obj.meta().name != name {
        return Err("error: At least one of apiVersion, kind and name was changed".into());
    }
    let r = apply_object(c, obj, "STDIN", ns, Pos::default(), &mut Vec::new());
    match r.outcome {
        Ok(Outcome::Unchanged) => Ok(false),
        Ok(_) => Ok(true),
        Err(e) => {
            Err(e.single.replace("error when creating \"STDIN\": ", "").replace(" error when applying patch:", ""))
        }
    }
}

/// A decoding error in kubectl's words.
fn decode_message(e: crate::decode::DecodeError) -> String {
    use crate::decode::DecodeError;
    match e {
        DecodeError::MissingTypeMeta { field, .. } => format!(
            "error: Object '{}' is missing in the edited object",
            if field == "kind" { "Kind" } else { "apiVersion" }
        ),
        DecodeError::UnknownKind { kind, api_version, .. } => {
            format!("error: no matches for kind \"{kind}\" in version \"{api_version}\"")
        }
        DecodeError::Invalid { kind, diagnostics, .. } => format!(
            "error: {} in version \"{}\" cannot be handled as a {}: {}",
            kind.name(),
            kind.api_version().rsplit('/').next().unwrap_or("v1"),
            kind.name(),
            diagnostics.first().map(|d| d.message.clone()).unwrap_or_default()
        ),
    }
}
