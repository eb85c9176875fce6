//! The EndpointSliceMirroring controller (spec §3 "Mirroring"; pkg/controller/
//! endpointslicemirroring): user-written `Endpoints` of a Service **without a selector** are
//! mirrored into EndpointSlices, so kube-proxy and CoreDNS (which read slices) see them.
//!
//! Mirrored only when the Service exists and has no selector, and the Endpoints has neither
//! the label `endpointslice.kubernetes.io/skip-mirror: "true"` nor the annotation
//! `control-plane.alpha.kubernetes.io/leader`. One slice per (subset port list × address
//! family), `generateName: <endpoints>-`, owned by the Endpoints, labels = the Endpoints'
//! labels + `kubernetes.io/service-name` + managed-by `endpointslicemirroring-controller.k8s.io`,
//! annotations copied except `kubectl.kubernetes.io/last-applied-configuration` and
//! `endpoints.kubernetes.io/last-change-trigger-time`. `addresses` → `ready: true`,
//! `notReadyAddresses` → `ready: false` (serving/terminating unset). At most 1000 addresses
//! per subset; the rest are skipped with a `TooManyAddressesToMirror` warning.
//!
//! EndpointSlices the user writes for a selector-less Service (any other managed-by) are
//! theirs: nothing here touches them.

use super::endpointslice::{MANAGED_BY, SERVICE_NAME_LABEL};
use crate::api::*;
use crate::cluster::{Cluster, ObjKey, SimEvent};
use crate::names::generate_name;
use std::collections::BTreeMap;

pub const MIRROR_CONTROLLER_NAME: &str = "endpointslicemirroring-controller.k8s.io";
pub const SKIP_MIRROR_LABEL: &str = "endpointslice.kubernetes.io/skip-mirror";
pub const LEADER_ANNOTATION: &str = "control-plane.alpha.kubernetes.io/leader";
pub const MAX_ADDRESSES_PER_SUBSET: usize = 1000;

fn should_mirror(c: &Cluster, ep: &Endpoints) -> bool {
    let svc_ok = c.get::<Service>(&ep.metadata.namespace, &ep.metadata.name).is_some_and(|s| s.spec.selector.is_none());
    svc_ok
        && ep.metadata.labels.get(SKIP_MIRROR_LABEL).map(String::as_str) != Some("true")
        && !ep.metadata.annotations.contains_key(LEADER_ANNOTATION)
}

fn is_mirrored_for(s: &EndpointSlice, ep: &str) -> bool {
    s.metadata.labels.get(MANAGED_BY).map(String::as_str) == Some(MIRROR_CONTROLLER_NAME)
        && s.metadata.labels.get(SERVICE_NAME_LABEL).map(String::as_str) == Some(ep)
}

type Desired = Vec<(String, Vec<EndpointPort>, Vec<Endpoint>)>;
/// (name, port, protocol) of a subset port.
type MirrorPort = (Option<String>, Option<i32>, Option<String>);

/// Desired slices (address type, ports, endpoints) and the number of skipped addresses.
fn desired(ep: &Endpoints) -> (Desired, usize) {
    let mut groups: BTreeMap<(Vec<MirrorPort>, String), Vec<Endpoint>> = BTreeMap::new();
    let mut skipped = 0;
    for subset in &ep.subsets {
        let ports: Vec<MirrorPort> = subset
            .ports
            .iter()
            .map(|p| (p.name.clone(), p.port, Some(p.protocol.clone().unwrap_or_else(|| "TCP".into()))))
            .collect();
        let all =
            subset.addresses.iter().map(|a| (a, true)).chain(subset.not_ready_addresses.iter().map(|a| (a, false)));
        for (n, (a, ready)) in all.enumerate() {
            if n >= MAX_ADDRESSES_PER_SUBSET {
                skipped += 1;
                continue;
            }
            // Addresses are re-stringified; invalid ones are dropped.
            let Some(ip) = crate::net::canonical(&a.ip) else { continue };
            let fam = IpFamily::of(&ip).as_str().to_string();
            groups.entry((ports.clone(), fam)).or_default().push(Endpoint {
                addresses: vec![ip],
                conditions: EndpointConditions { ready: Some(ready), serving: None, terminating: None },
                hostname: a.hostname.clone(),
                node_name: a.node_name.clone(),
                zone: None,
                target_ref: a.target_ref.clone(),
            });
        }
    }
    let out = groups
        .into_iter()
        .map(|((ports, fam), eps)| {
            let ports = ports
                .into_iter()
                .map(|(name, port, protocol)| EndpointPort { name, port, protocol, app_protocol: None })
                .collect();
            (fam, ports, eps)
        })
        .collect();
    (out, skipped)
}

pub fn reconcile(c: &mut Cluster) {
    // Mirrored slices whose Endpoints is gone or no longer mirrored.
    let stale: Vec<ObjKey> = c
        .list::<EndpointSlice>(None)
        .filter(|s| s.metadata.labels.get(MANAGED_BY).map(String::as_str) == Some(MIRROR_CONTROLLER_NAME))
        .filter(|s| {
            let owner = s.metadata.labels.get(SERVICE_NAME_LABEL).cloned().unwrap_or_default();
            c.get::<Endpoints>(&s.metadata.namespace, &owner).is_none_or(|ep| !should_mirror(c, ep))
        })
        .map(|s| ObjKey::new(Kind::EndpointSlice, &s.metadata.namespace, &s.metadata.name))
        .collect();
    for k in stale {
        c.remove(&k);
    }
    for (ns, name) in c.names::<Endpoints>(None) {
        let Some(ep) = c.get::<Endpoints>(&ns, &name) else { continue };
        if !should_mirror(c, ep) {
            continue;
        }
        let ep = ep.clone();
        sync(c, &ep);
    }
}

fn sync(c: &mut Cluster, ep: &Endpoints) {
    let (ns, name) = (ep.metadata.namespace.clone(), ep.metadata.name.clone());
    let (mut want, skipped) = desired(ep);
    let mut labels = ep.metadata.labels.clone();
    labels.insert(SERVICE_NAME_LABEL.into(), name.clone());
    labels.insert(MANAGED_BY.into(), MIRROR_CONTROLLER_NAME.into());
    let annotations: Labels = ep
        .metadata
        .annotations
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "kubectl.kubernetes.io/last-applied-configuration" | "endpoints.kubernetes.io/last-change-trigger-time"
            )
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut have: Vec<EndpointSlice> =
        c.list::<EndpointSlice>(Some(&ns)).filter(|s| is_mirrored_for(s, &name)).cloned().collect();
    want.retain(|(fam, ports, eps)| {
        match have.iter().position(|h| {
            h.address_type == *fam
                && h.ports == *ports
                && h.endpoints == *eps
                && h.metadata.labels == labels
                && h.metadata.annotations == annotations
        }) {
            Some(i) => {
                have.remove(i);
                false
            }
            None => true,
        }
    });
    if want.is_empty() && have.is_empty() {
        return;
    }
    if skipped > 0 {
        c.record(
            Kind::Endpoints,
            &ns,
            &name,
            "Warning",
            "TooManyAddressesToMirror",
            format!("A max of {MAX_ADDRESSES_PER_SUBSET} addresses can be mirrored to EndpointSlices per Endpoints subset. {skipped} addresses were skipped"),
        );
    }
    for (fam, ports, eps) in want {
        let slice_name = match have.iter().position(|h| h.address_type == fam) {
            Some(i) => have.remove(i).metadata.name,
            None => loop {
                let n = c.with_rng(|r| generate_name(&format!("{name}-"), r));
                if c.get::<EndpointSlice>(&ns, &n).is_none() {
                    break n;
                }
            },
        };
        c.put(Object::EndpointSlice(EndpointSlice {
            metadata: ObjectMeta {
                name: slice_name,
                generate_name: Some(format!("{name}-")),
                namespace: ns.clone(),
                labels: labels.clone(),
                annotations: annotations.clone(),
                owner_references: vec![OwnerReference {
                    api_version: "v1".into(),
                    kind: "Endpoints".into(),
                    name: name.clone(),
                    uid: ep.metadata.uid.clone(),
                    controller: true,
                }],
                ..Default::default()
            },
            address_type: fam,
            endpoints: eps,
            ports,
        }));
    }
    for h in have {
        c.remove(&ObjKey::new(Kind::EndpointSlice, &ns, &h.metadata.name));
    }
    let now = c.now;
    c.emit(SimEvent::EndpointSliceChanged { at: now, namespace: ns, service: name });
}
