//! The Endpoints controller (pkg/controller/endpoint): the legacy `Endpoints` object, named
//! like its Service, for every Service with a selector (`kubectl get endpoints` shows it).
//!
//! Differences from EndpointSlices that are real: terminating pods are left out
//! (`ShouldPodBeInEndpoints(pod, includeTerminating=false)`); ready pods go to `addresses`,
//! others to `notReadyAddresses` (all to `addresses` with publishNotReadyAddresses); pods
//! are grouped into subsets by their resolved port list; addresses sorted by IP; at most
//! 1000 addresses (beyond that the object is truncated and annotated
//! `endpoints.kubernetes.io/over-capacity: truncated`). Headless Services' Endpoints carry
//! `service.kubernetes.io/headless: ""`.
//!
//! Endpoints of Services without a selector belong to the user (and are mirrored into
//! EndpointSlices by `mirroring`); this controller never touches them. It deletes only the
//! Endpoints it wrote, when their Service is gone or loses its selector.

use super::endpointslice::find_port;
use crate::api::*;
use crate::cluster::{Cluster, ObjKey};
use std::collections::BTreeMap;

pub const MAX_ADDRESSES: usize = 1000;
pub const OVER_CAPACITY: &str = "endpoints.kubernetes.io/over-capacity";

/// (name, resolved port, protocol) of one Service port for one pod.
type PortKey = (Option<String>, i32, String);

/// The desired subsets of a Service's Endpoints, and whether they were truncated.
pub fn desired_subsets(c: &Cluster, svc: &Service) -> (Vec<EndpointSubset>, bool) {
    let selector = svc.spec.selector.clone().unwrap_or_default();
    let ns = &svc.metadata.namespace;
    let mut groups: BTreeMap<Vec<PortKey>, (Vec<EndpointAddress>, Vec<EndpointAddress>)> = BTreeMap::new();
    let mut total = 0usize;
    let mut truncated = false;
    for pod in c.pods_matching(ns, &selector) {
        if matches!(pod.status.phase, PodPhase::Succeeded | PodPhase::Failed)
            || pod.metadata.deletion_timestamp.is_some()
        {
            continue;
        }
        let Some(ip) = pod.status.pod_ip.clone() else { continue };
        if total >= MAX_ADDRESSES {
            truncated = true;
            break;
        }
        total += 1;
        let hostname = match (&pod.spec.hostname, &pod.spec.subdomain) {
            (Some(h), Some(sd)) if !h.is_empty() && *sd == svc.metadata.name => Some(h.clone()),
            _ => None,
        };
        let addr = EndpointAddress {
            ip,
            hostname,
            node_name: pod.spec.node_name.clone(),
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
            .filter_map(|sp| find_port(pod, sp).map(|p| (sp.name.clone(), p, sp.protocol.clone())))
            .collect();
        let g = groups.entry(ports).or_default();
        if pod.status.ready || svc.spec.publish_not_ready_addresses {
            g.0.push(addr);
        } else {
            g.1.push(addr);
        }
    }
    let subsets = groups
        .into_iter()
        .map(|(ports, (mut ready, mut not_ready))| {
            ready.sort_by(|a, b| a.ip.cmp(&b.ip));
            not_ready.sort_by(|a, b| a.ip.cmp(&b.ip));
            EndpointSubset {
                addresses: ready,
                not_ready_addresses: not_ready,
                ports: ports
                    .into_iter()
                    .map(|(name, port, protocol)| EndpointPort {
                        name,
                        port: Some(port),
                        protocol: Some(protocol),
                        app_protocol: None,
                    })
                    .collect(),
            }
        })
        .collect();
    (subsets, truncated)
}

pub fn reconcile(c: &mut Cluster) {
    // Endpoints this controller wrote whose Service is gone or no longer selects.
    let stale: Vec<String> = c
        .ctl
        .managed_endpoints
        .iter()
        .filter(|k| {
            let (ns, name) = k.split_once('/').unwrap_or(("", ""));
            c.get::<Service>(ns, name).is_none_or(|s| !s.has_selector() || s.spec.type_ == ServiceType::ExternalName)
        })
        .cloned()
        .collect();
    for k in stale {
        let (ns, name) = k.split_once('/').unwrap_or(("", ""));
        c.remove(&ObjKey::new(Kind::Endpoints, ns, name));
        c.ctl.managed_endpoints.remove(&k);
    }
    for (ns, name) in c.names::<Service>(None) {
        let Some(svc) = c.get::<Service>(&ns, &name) else { continue };
        if !svc.has_selector() || svc.spec.type_ == ServiceType::ExternalName {
            continue;
        }
        let svc = svc.clone();
        let (subsets, truncated) = desired_subsets(c, &svc);
        let mut labels: Labels = svc.metadata.labels.clone();
        if svc.is_headless() {
            labels.insert("service.kubernetes.io/headless".into(), String::new());
        }
        let existing = c.get::<Endpoints>(&ns, &name);
        let over = existing.and_then(|e| e.metadata.annotations.get(OVER_CAPACITY)).is_some();
        if existing.is_some_and(|e| e.subsets == subsets && e.metadata.labels == labels) && over == truncated {
            c.ctl.managed_endpoints.insert(super::pod_key(&ns, &name));
            continue;
        }
        let existing_uid = c.get::<Endpoints>(&ns, &name).map(|e| e.metadata.uid.clone());
        let mut annotations = Labels::new();
        annotations.insert("endpoints.kubernetes.io/last-change-trigger-time".into(), crate::time::rfc3339(c.now));
        if truncated {
            annotations.insert(OVER_CAPACITY.into(), "truncated".into());
        }
        let ep = Endpoints {
            metadata: ObjectMeta {
                name: name.clone(),
                namespace: ns.clone(),
                uid: existing_uid.unwrap_or_else(|| super::derived_uid(&format!("endpoints/{}", svc.metadata.uid))),
                labels,
                annotations,
                ..Default::default()
            },
            subsets,
        };
        c.put(Object::Endpoints(ep));
        c.ctl.managed_endpoints.insert(super::pod_key(&ns, &name));
    }
}
