//! The API server's update semantics, shared by every write to an existing object: apply,
//! patch and edit (through `apply::apply_object`), the scale subresource (`kubectl scale`,
//! the page's replicas buttons, `lab scale`), rollout restart and label/annotate.
//!
//! Invariants: `metadata.generation` increases exactly when the spec changes, as the API
//! server's registry strategies do (`PrepareForUpdate`: generation+1 when
//! `!apiequality.Semantic.DeepEqual(spec)`); a spec is compared as stored, i.e. with the API
//! server's defaults filled in ([`keep_equal_spec`]), so a round trip through kubectl's view of
//! the object (patch, edit) changes nothing it did not touch, and a Deployment rolls out (a new
//! pod-template-hash) only when `.spec.template` changes.

use crate::api::{Deployment, Kind, Object, PodTemplateSpec, ReplicaSet, StatefulSet};
use crate::cluster::{Cluster, ObjKey};
use crate::validation::{max_replicas_detail, render_invalid, FieldError, MAX_REPLICAS};

/// Set a workload's `spec.replicas` through the scale subresource. `Ok` is kubectl's line
/// (`deployment.apps/x scaled`); `Err` the API server's error as kubectl prints it.
pub fn scale(c: &mut Cluster, kind: Kind, ns: &str, name: &str, replicas: i32) -> Result<String, String> {
    if !matches!(kind, Kind::Deployment | Kind::StatefulSet | Kind::ReplicaSet) {
        return Err(format!("error: no objects passed to scale\n{}/{name} cannot be scaled", kind.resource()));
    }
    if !c.exists(&ObjKey::new(kind, ns, name)) {
        // `resource.group`, as the API server names it in a NotFound (`deployments.apps`).
        let group = kind.qualified().split_once('.').map(|(_, g)| format!(".{g}")).unwrap_or_default();
        return Err(format!("Error from server (NotFound): {}{group} \"{name}\" not found", kind.resource()));
    }
    if replicas > MAX_REPLICAS {
        let e = FieldError::invalid("spec.replicas", replicas.to_string(), &max_replicas_detail());
        return Err(render_invalid(kind, name, &[e]));
    }
    if replicas < 0 {
        let e = FieldError::invalid("spec.replicas", replicas.to_string(), "must be greater than or equal to 0");
        return Err(render_invalid(kind, name, &[e]));
    }
    let current = match kind {
        Kind::Deployment => c.get::<Deployment>(ns, name).map(|d| d.spec.replicas),
        Kind::StatefulSet => c.get::<StatefulSet>(ns, name).map(|d| d.spec.replicas),
        _ => c.get::<ReplicaSet>(ns, name).map(|d| d.spec.replicas),
    };
    if current != Some(replicas) {
        match kind {
            Kind::Deployment => {
                if let Some(d) = c.get_mut::<Deployment>(ns, name) {
                    d.spec.replicas = replicas;
                    d.metadata.generation += 1;
                }
            }
            Kind::StatefulSet => {
                if let Some(d) = c.get_mut::<StatefulSet>(ns, name) {
                    d.spec.replicas = replicas;
                    d.metadata.generation += 1;
                }
            }
            _ => {
                if let Some(d) = c.get_mut::<ReplicaSet>(ns, name) {
                    d.spec.replicas = replicas;
                    d.metadata.generation += 1;
                }
            }
        }
    }
    Ok(format!("{}/{name} scaled", kind.qualified()))
}

/// The object as the API server stores it, in its JSON form with every default filled in.
fn stored_json(obj: &Object) -> String {
    crate::encode::encode(obj).get("spec").map(crate::yaml::to_json).unwrap_or_default()
}

fn template_json(t: &PodTemplateSpec) -> String {
    crate::yaml::to_json(&crate::encode::template(t))
}

/// An update's spec against the stored one, semantically: what equals the stored spec once
/// defaulted (`restartPolicy: Always`, `dnsPolicy: ClusterFirst`, `maxSurge: 25%`, ... that
/// kubectl's view of the object spells out) is the stored spec, kept as it is; otherwise an
/// unchanged pod template is kept as it is. The API server stores objects defaulted, so there
/// an edit that writes a default back changes nothing; here the template's text (which
/// `pod-template-hash` hashes) must not move either, or an unrelated update would roll out.
pub(crate) fn keep_equal_spec(old: &Object, new: &mut Object) {
    if stored_json(old) == stored_json(new) {
        match (old, new) {
            (Object::Deployment(o), Object::Deployment(n)) => n.spec = o.spec.clone(),
            (Object::ReplicaSet(o), Object::ReplicaSet(n)) => n.spec = o.spec.clone(),
            (Object::StatefulSet(o), Object::StatefulSet(n)) => n.spec = o.spec.clone(),
            (Object::DaemonSet(o), Object::DaemonSet(n)) => n.spec = o.spec.clone(),
            (Object::Pod(o), Object::Pod(n)) => n.spec = o.spec.clone(),
            _ => {}
        }
        return;
    }
    let keep = |o: &PodTemplateSpec, n: &mut PodTemplateSpec| {
        if template_json(o) == template_json(n) {
            *n = o.clone();
        }
    };
    match (old, new) {
        (Object::Deployment(o), Object::Deployment(n)) => keep(&o.spec.template, &mut n.spec.template),
        (Object::ReplicaSet(o), Object::ReplicaSet(n)) => keep(&o.spec.template, &mut n.spec.template),
        (Object::StatefulSet(o), Object::StatefulSet(n)) => keep(&o.spec.template, &mut n.spec.template),
        (Object::DaemonSet(o), Object::DaemonSet(n)) => keep(&o.spec.template, &mut n.spec.template),
        _ => {}
    }
}
