//! ReplicaSet controller: creates pods (`generateName: <rs>-`) until the owned, non-terminating
//! pods match `replicas`, and deletes the surplus (not-ready and newest first, as the real
//! controller ranks them).

use crate::api::*;
use crate::cluster::Cluster;
use crate::names::generate_name;

pub fn reconcile(c: &mut Cluster) {
    for (ns, name) in c.names::<ReplicaSet>(None) {
        let Some(rs) = c.get::<ReplicaSet>(&ns, &name).cloned() else { continue };
        let owned: Vec<Pod> = c
            .list::<Pod>(Some(&ns))
            .filter(|p| p.metadata.controller().is_some_and(|o| o.uid == rs.metadata.uid))
            .filter(|p| {
                p.metadata.deletion_timestamp.is_none()
                    && !matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed)
            })
            .cloned()
            .collect();
        let want = rs.spec.replicas.max(0) as usize;
        if owned.len() < want {
            for _ in owned.len()..want {
                let pod_name = loop {
                    let n = c.with_rng(|r| generate_name(&format!("{name}-"), r));
                    if c.get::<Pod>(&ns, &n).is_none() {
                        break n;
                    }
                };
                let pod = Pod {
                    metadata: ObjectMeta {
                        name: pod_name.clone(),
                        generate_name: Some(format!("{name}-")),
                        namespace: ns.clone(),
                        labels: rs.spec.template.metadata.labels.clone(),
                        annotations: rs.spec.template.metadata.annotations.clone(),
                        owner_references: vec![OwnerReference {
                            api_version: "apps/v1".into(),
                            kind: "ReplicaSet".into(),
                            name: name.clone(),
                            uid: rs.metadata.uid.clone(),
                            controller: true,
                        }],
                        ..Default::default()
                    },
                    spec: rs.spec.template.spec.clone(),
                    status: PodStatus::default(),
                };
                c.put(Object::Pod(pod));
                c.record(
                    Kind::ReplicaSet,
                    &ns,
                    &name,
                    "Normal",
                    "SuccessfulCreate",
                    format!("Created pod: {pod_name}"),
                );
            }
        } else if owned.len() > want {
            let mut victims = owned.clone();
            // Unscheduled < scheduled, not ready < ready, newer < older: delete the first ones.
            victims.sort_by_key(|p| {
                (p.status.scheduled, p.status.ready, std::cmp::Reverse(p.metadata.creation_timestamp))
            });
            for p in victims.iter().take(owned.len() - want) {
                super::kubelet::begin_termination(c, &ns, &p.metadata.name, None);
                c.record(
                    Kind::ReplicaSet,
                    &ns,
                    &name,
                    "Normal",
                    "SuccessfulDelete",
                    format!("Deleted pod: {}", p.metadata.name),
                );
            }
        }
        let ready = owned.iter().filter(|p| p.status.ready).count() as i32;
        let total = owned.len() as i32;
        let changed = c
            .get::<ReplicaSet>(&ns, &name)
            .is_some_and(|r| r.status.ready_replicas != ready || r.status.replicas != total);
        if changed {
            if let Some(r) = c.get_mut::<ReplicaSet>(&ns, &name) {
                r.status.replicas = total;
                r.status.ready_replicas = ready;
                r.status.available_replicas = ready;
            }
        }
    }
}
