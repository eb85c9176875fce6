//! The service controller of the cloud provider (cloud-provider-kind on kind): gives each
//! LoadBalancer Service an external IP in `status.loadBalancer.ingress` — from
//! `spec.loadBalancerIP` if set, else the next free address of the kind docker network
//! after the nodes (`ipam::allocate_load_balancer_ip`) — with the events `EnsuringLoadBalancer`
//! and `EnsuredLoadBalancer`. Without a cloud provider (`config.cloud_provider_kind =
//! false`) EXTERNAL-IP stays `<pending>`, as on a bare kind cluster. A Service that stops
//! being a LoadBalancer loses its ingress.

use crate::api::*;
use crate::cluster::Cluster;

pub fn reconcile(c: &mut Cluster) {
    for (ns, name) in c.names::<Service>(None) {
        let Some(svc) = c.get::<Service>(&ns, &name) else { continue };
        let is_lb = svc.spec.type_ == ServiceType::LoadBalancer;
        if !is_lb {
            if !svc.status.load_balancer_ingress.is_empty() {
                if let Some(s) = c.get_mut::<Service>(&ns, &name) {
                    s.status.load_balancer_ingress.clear();
                }
                c.record(Kind::Service, &ns, &name, "Normal", "DeletedLoadBalancer", "Deleted load balancer".into());
            }
            continue;
        }
        if !c.config.cloud_provider_kind || !svc.status.load_balancer_ingress.is_empty() {
            continue;
        }
        let svc = svc.clone();
        let Some(ip) = crate::controllers::ipam::allocate_load_balancer_ip(c, &svc) else { continue };
        c.record(Kind::Service, &ns, &name, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer".into());
        if let Some(s) = c.get_mut::<Service>(&ns, &name) {
            s.status.load_balancer_ingress = vec![ip];
        }
        c.record(Kind::Service, &ns, &name, "Normal", "EnsuredLoadBalancer", "Ensured load balancer".into());
    }
}
