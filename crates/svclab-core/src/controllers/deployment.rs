//! Deployment controller: keeps one ReplicaSet per pod template, named
//! `<deployment>-<pod-template-hash>`, with the Deployment's replica count. (Rolling updates
//! between templates are the next layer on top of this.)

use crate::api::*;
use crate::cluster::Cluster;
use crate::names::pod_template_hash;

pub const HASH_LABEL: &str = "pod-template-hash";

/// The hash of a template, from a canonical dump of it (labels and spec).
pub fn template_hash(t: &PodTemplateSpec) -> String {
    pod_template_hash(&format!("{:?}|{:?}", t.metadata.labels, t.spec), 0)
}

pub fn reconcile(c: &mut Cluster) {
    for (ns, name) in c.names::<Deployment>(None) {
        let Some(d) = c.get::<Deployment>(&ns, &name).cloned() else { continue };
        let hash = template_hash(&d.spec.template);
        let rs_name = format!("{name}-{hash}");
        let ready: i32 = c
            .list::<ReplicaSet>(Some(&ns))
            .filter(|rs| rs.metadata.controller().is_some_and(|o| o.uid == d.metadata.uid))
            .map(|rs| rs.status.ready_replicas)
            .sum();
        match c.get::<ReplicaSet>(&ns, &rs_name).cloned() {
            Some(rs) => {
                if rs.spec.replicas != d.spec.replicas {
                    if let Some(rs) = c.get_mut::<ReplicaSet>(&ns, &rs_name) {
                        rs.spec.replicas = d.spec.replicas;
                    }
                    c.record(
                        Kind::Deployment,
                        &ns,
                        &name,
                        "Normal",
                        "ScalingReplicaSet",
                        format!("Scaled replica set {rs_name} from {} to {}", rs.spec.replicas, d.spec.replicas),
                    );
                }
            }
            None => {
                let mut template = d.spec.template.clone();
                template.metadata.labels.insert(HASH_LABEL.into(), hash.clone());
                let mut selector = d.spec.selector.clone();
                selector.match_labels.insert(HASH_LABEL.into(), hash.clone());
                let mut labels = template.metadata.labels.clone();
                labels.insert(HASH_LABEL.into(), hash.clone());
                let mut annotations = Labels::new();
                annotations.insert("deployment.kubernetes.io/desired-replicas".into(), d.spec.replicas.to_string());
                annotations.insert("deployment.kubernetes.io/max-replicas".into(), d.spec.replicas.to_string());
                annotations.insert("deployment.kubernetes.io/revision".into(), "1".into());
                let rs = ReplicaSet {
                    metadata: ObjectMeta {
                        name: rs_name.clone(),
                        namespace: ns.clone(),
                        labels,
                        annotations,
                        owner_references: vec![OwnerReference {
                            api_version: "apps/v1".into(),
                            kind: "Deployment".into(),
                            name: name.clone(),
                            uid: d.metadata.uid.clone(),
                            controller: true,
                        }],
                        ..Default::default()
                    },
                    spec: ReplicaSetSpec { replicas: d.spec.replicas, selector, template },
                    status: Default::default(),
                };
                c.put(Object::ReplicaSet(rs));
                c.record(
                    Kind::Deployment,
                    &ns,
                    &name,
                    "Normal",
                    "ScalingReplicaSet",
                    format!("Scaled up replica set {rs_name} to {}", d.spec.replicas),
                );
            }
        }
        let (rs_ready, rs_total) = c
            .get::<ReplicaSet>(&ns, &rs_name)
            .map(|rs| (rs.status.ready_replicas, rs.status.replicas))
            .unwrap_or((ready, 0));
        if let Some(dm) = c.get::<Deployment>(&ns, &name) {
            let s = &dm.status;
            if s.ready_replicas == rs_ready && s.replicas == rs_total && s.updated_replicas == rs_total {
                continue;
            }
        }
        if let Some(dm) = c.get_mut::<Deployment>(&ns, &name) {
            dm.status.replicas = rs_total;
            dm.status.ready_replicas = rs_ready;
            dm.status.available_replicas = rs_ready;
            dm.status.updated_replicas = rs_total;
            dm.status.observed_generation = dm.metadata.generation;
        }
    }
}
