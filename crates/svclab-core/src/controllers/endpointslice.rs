//! The EndpointSlice controller (spec §3): for every Service with a selector, slices named
//! `<service>-<5 chars>` listing each matching pod with an IP, its conditions
//! (`ready = publishNotReadyAddresses || (serving && !terminating)`), hostname only when the
//! pod's subdomain is the Service's name, ports resolved per pod (named targetPorts against
//! the pod's container ports), at most 100 endpoints per slice, and one placeholder slice
//! when nothing matches.

use crate::api::*;
use crate::cluster::{Cluster, ObjKey, SimEvent};
use crate::names::generate_name;
use std::collections::BTreeMap;

pub const MANAGED_BY: &str = "endpointslice.kubernetes.io/managed-by";
pub const CONTROLLER_NAME: &str = "endpointslice-controller.k8s.io";
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
pub const MAX_ENDPOINTS_PER_SLICE: usize = 100;

/// Resolve a Service port's targetPort for one pod (`findPort`): a number as is, a name
/// against the pod's container ports with the same name and protocol.
pub fn find_port(pod: &Pod, sp: &ServicePort) -> Option<i32> {
    match &sp.target_port {
        IntOrString::Int(i) => Some(*i),
        IntOrString::Str(name) => pod
            .spec
            .containers
            .iter()
            .chain(pod.spec.init_containers.iter().filter(|c| c.restart_policy.as_deref() == Some("Always")))
            .flat_map(|c| c.ports.iter())
            .find(|p| p.name.as_deref() == Some(name.as_str()) && p.protocol == sp.protocol)
            .map(|p| p.container_port),
    }
}

/// The address families a Service's slices are built for.
fn families(c: &Cluster, svc: &Service) -> Vec<IpFamily> {
    if !svc.spec.ip_families.is_empty() {
        return svc.spec.ip_families.clone();
    }
    super::ipam::service_cidrs(c)
        .first()
        .map(|c| vec![if c.is_ipv6() { IpFamily::IPv6 } else { IpFamily::IPv4 }])
        .unwrap_or(vec![IpFamily::IPv4])
}

/// (name, resolved port, protocol, appProtocol) of one Service port for one pod.
type PortKey = (Option<String>, i32, String, Option<String>);

/// Desired slices for one Service: (ports, endpoints) groups per family, before naming.
fn desired(c: &Cluster, svc: &Service) -> Vec<(IpFamily, Vec<EndpointPort>, Vec<Endpoint>)> {
    let selector = svc.spec.selector.clone().unwrap_or_default();
    let ns = &svc.metadata.namespace;
    // Node → its zone label, looked up once per Service rather than twice per pod.
    let nodes: BTreeMap<&str, Option<&String>> = c
        .list::<Node>(None)
        .map(|n| (n.metadata.name.as_str(), n.metadata.labels.get("topology.kubernetes.io/zone")))
        .collect();
    let mut out = Vec::new();
    for fam in families(c, svc) {
        let mut groups: BTreeMap<Vec<PortKey>, Vec<Endpoint>> = BTreeMap::new();
        for pod in c.pods_matching(ns, &selector) {
            if matches!(pod.status.phase, PodPhase::Succeeded | PodPhase::Failed) {
                continue;
            }
            let addrs: Vec<String> = pod
                .status
                .pod_ips
                .iter()
                .filter(|ip| IpFamily::of(ip) == fam)
                .map(|ip| crate::net::canonical(ip).unwrap_or_else(|| ip.clone()))
                .collect();
            if addrs.is_empty() {
                continue;
            }
            let node_exists = pod.spec.node_name.as_deref().is_some_and(|n| nodes.contains_key(n));
            if !node_exists && !svc.spec.publish_not_ready_addresses {
                continue;
            }
            let serving = pod.status.ready;
            let terminating = pod.metadata.deletion_timestamp.is_some();
            let ready = svc.spec.publish_not_ready_addresses || (serving && !terminating);
            let hostname = match (&pod.spec.hostname, &pod.spec.subdomain) {
                (Some(h), Some(sd)) if !h.is_empty() && *sd == svc.metadata.name => Some(h.clone()),
                _ => None,
            };
            let zone = pod.spec.node_name.as_deref().and_then(|n| nodes.get(n).copied().flatten().cloned());
            let ep = Endpoint {
                addresses: addrs,
                conditions: EndpointConditions {
                    ready: Some(ready),
                    serving: Some(serving),
                    terminating: Some(terminating),
                },
                hostname,
                node_name: pod.spec.node_name.clone(),
                zone,
                target_ref: Some(ObjectReference {
                    kind: "Pod".into(),
                    namespace: ns.clone(),
                    name: pod.metadata.name.clone(),
                    uid: pod.metadata.uid.clone(),
                }),
            };
            let ports: Vec<PortKey> = svc
                .spec
                .ports
                .iter()
                .filter_map(|sp| {
                    find_port(pod, sp).map(|p| (sp.name.clone(), p, sp.protocol.clone(), sp.app_protocol.clone()))
                })
                .collect();
            groups.entry(ports).or_default().push(ep);
        }
        if groups.is_empty() {
            out.push((fam, Vec::new(), Vec::new()));
            continue;
        }
        for (ports, eps) in groups {
            let ports: Vec<EndpointPort> = ports
                .into_iter()
                .map(|(name, port, protocol, app_protocol)| EndpointPort {
                    name: Some(name.unwrap_or_default()),
                    port: Some(port),
                    protocol: Some(protocol),
                    app_protocol,
                })
                .collect();
            for chunk in eps.chunks(MAX_ENDPOINTS_PER_SLICE) {
                out.push((fam, ports.clone(), chunk.to_vec()));
            }
        }
    }
    out
}

fn is_managed_for(s: &EndpointSlice, svc: &str) -> bool {
    s.metadata.labels.get(MANAGED_BY).map(String::as_str) == Some(CONTROLLER_NAME)
        && s.metadata.labels.get(SERVICE_NAME_LABEL).map(String::as_str) == Some(svc)
}

pub fn reconcile(c: &mut Cluster) {
    // Slices whose Service is gone or no longer selects: garbage-collected.
    let orphans: Vec<ObjKey> = c
        .list::<EndpointSlice>(None)
        .filter(|s| s.metadata.labels.get(MANAGED_BY).map(String::as_str) == Some(CONTROLLER_NAME))
        .filter(|s| s.metadata.controller().is_some())
        .filter(|s| {
            let svc = s.metadata.labels.get(SERVICE_NAME_LABEL).cloned().unwrap_or_default();
            c.get::<Service>(&s.metadata.namespace, &svc)
                .is_none_or(|svc| !svc.has_selector() || svc.spec.type_ == ServiceType::ExternalName)
        })
        .map(|s| ObjKey::new(Kind::EndpointSlice, &s.metadata.namespace, &s.metadata.name))
        .collect();
    for k in orphans {
        c.remove(&k);
    }

    for (ns, name) in c.names::<Service>(None) {
        let Some(svc) = c.get::<Service>(&ns, &name).cloned() else { continue };
        if !svc.has_selector() || svc.spec.type_ == ServiceType::ExternalName {
            continue;
        }
        sync_service(c, &svc);
    }
}

/// Bring one Service's slices to the desired set, touching only slices whose content
/// changes: identical slices are kept as they are (name, resourceVersion), changed ones are
/// rewritten in place (reusing a name of the same address type), extra ones deleted, and
/// new ones named `<service>-<5 chars>`.
fn sync_service(c: &mut Cluster, svc: &Service) {
    let (ns, name) = (svc.metadata.namespace.clone(), svc.metadata.name.clone());
    let mut want = desired(c, svc);
    let mut have: Vec<EndpointSlice> =
        c.list::<EndpointSlice>(Some(&ns)).filter(|s| is_managed_for(s, &name)).cloned().collect();
    let labels = slice_labels(svc);
    // Keep slices that already say exactly what is wanted.
    let mut kept = Vec::new();
    want.retain(|(fam, ports, eps)| {
        match have.iter().position(|h| {
            h.address_type == fam.as_str() && h.ports == *ports && h.endpoints == *eps && h.metadata.labels == labels
        }) {
            Some(i) => {
                kept.push(have.remove(i));
                false
            }
            None => true,
        }
    });
    if want.is_empty() && have.is_empty() {
        return;
    }
    let now = c.now;
    for (fam, ports, eps) in want {
        let slice_name = match have.iter().position(|h| h.address_type == fam.as_str()) {
            Some(i) => have.remove(i).metadata.name,
            None => loop {
                let n = c.with_rng(|r| generate_name(&format!("{name}-"), r));
                if c.get::<EndpointSlice>(&ns, &n).is_none() {
                    break n;
                }
            },
        };
        let mut annotations = Labels::new();
        annotations.insert("endpoints.kubernetes.io/last-change-trigger-time".into(), crate::time::rfc3339(now));
        let slice = EndpointSlice {
            metadata: ObjectMeta {
                name: slice_name,
                generate_name: Some(format!("{name}-")),
                namespace: ns.clone(),
                labels: labels.clone(),
                annotations,
                owner_references: vec![OwnerReference {
                    api_version: "v1".into(),
                    kind: "Service".into(),
                    name: name.clone(),
                    uid: svc.metadata.uid.clone(),
                    controller: true,
                }],
                ..Default::default()
            },
            address_type: fam.as_str().into(),
            endpoints: eps,
            ports,
        };
        c.put(Object::EndpointSlice(slice));
    }
    for h in have {
        c.remove(&ObjKey::new(Kind::EndpointSlice, &ns, &h.metadata.name));
    }
    c.emit(SimEvent::EndpointSliceChanged { at: now, namespace: ns, service: name });
}

/// Service labels (reserved ones dropped) + service-name + managed-by (+ headless) —
/// `setEndpointSliceLabels`.
fn slice_labels(svc: &Service) -> Labels {
    let mut labels: Labels =
        svc.metadata.labels.iter().filter(|(k, _)| !is_reserved(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
    labels.insert(SERVICE_NAME_LABEL.into(), svc.metadata.name.clone());
    labels.insert(MANAGED_BY.into(), CONTROLLER_NAME.into());
    if svc.is_headless() || svc.spec.cluster_ip.as_deref().is_some_and(str::is_empty) {
        labels.insert("service.kubernetes.io/headless".into(), String::new());
    }
    labels
}

fn is_reserved(label: &str) -> bool {
    matches!(label, SERVICE_NAME_LABEL | MANAGED_BY | "service.kubernetes.io/headless")
}
