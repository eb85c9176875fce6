//! The API server's update path for writes that are not a whole-object apply: the scale
//! subresource (`kubectl scale`, the page's replicas buttons, `lab scale`).
//!
//! Invariant: `metadata.generation` increases exactly when the spec changes (a scale to the
//! current replica count is a write that changes nothing), as the API server's registry
//! strategies do (`PrepareForUpdate`: generation+1 when `!apiequality.Semantic.DeepEqual(spec)`).

use crate::api::{Deployment, Kind, ReplicaSet, StatefulSet};
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
