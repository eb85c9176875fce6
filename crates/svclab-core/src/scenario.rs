//! Built-in scenarios: the manifests a lab opens with, one per source document in `seeds/`
//! (the browser's `?scenario=` picks one). The default is seed 001's example:
//! `api-deployment` with five replicas behind `normal-service` (ClusterIP) and
//! `headless-service` (`clusterIP: None`), plus a busybox client pod to ask DNS from. Every
//! scenario has that `default/client` pod, so the lab's own lookups and the first visit's
//! traffic come from the same place whichever scenario runs.

use crate::Lab;

pub struct Scenario {
    pub id: &'static str,
    pub manifests: &'static str,
    /// Namespace and name of the pod the lab's own lookups come from.
    pub client: (&'static str, &'static str),
    /// Names whose answers the lab shows from the start.
    pub pinned: &'static [&'static str],
    /// Targets (`name`, port) of the traffic clients the browser lab starts in [`Self::client`]
    /// on a first visit, so requests flow through both kinds of Service at once. The terminal
    /// and `svclab run` start none: their transcripts stay those of the seeds.
    pub traffic: &'static [(&'static str, i32)],
}

pub const SEED_001: Scenario = Scenario {
    id: "headless-vs-clusterip",
    manifests: include_str!("../scenarios/headless-vs-clusterip.yaml"),
    client: ("default", "client"),
    pinned: &["normal-service", "headless-service"],
    // A headless Service has no virtual IP to map port 80 to targetPort 3000: its clients
    // dial the pods' own port (spec §6: kube-proxy programs no rules for it).
    traffic: &[("normal-service", 80), ("headless-service", 3000)],
};

/// Seed 000: nginx behind a ClusterIP, a LoadBalancer and a headless Service.
pub const SEED_000: Scenario = Scenario {
    id: "loadbalancer-vs-headless",
    manifests: include_str!("../scenarios/loadbalancer-vs-headless.yaml"),
    client: ("default", "client"),
    pinned: &["nginx-svc", "nginx-lb", "my-headless-service"],
    traffic: &[("nginx-svc", 80), ("my-headless-service", 80)],
};

/// Seed 002: a MongoDB StatefulSet behind its headless Service (per-pod names), and an
/// ordinary Service over the same pods.
pub const SEED_002: Scenario = Scenario {
    id: "mongodb-statefulset",
    manifests: include_str!("../scenarios/mongodb-statefulset.yaml"),
    client: ("default", "client"),
    pinned: &["mongodb-service", "mongodb-0.mongodb-service", "mongodb-clusterip"],
    // A member addressed by its stable name, as a replica set's configuration does; and the
    // ordinary Service, whose connections kube-proxy spreads.
    traffic: &[("mongodb-0.mongodb-service", 27017), ("mongodb-clusterip", 27017)],
};

/// Seed 003: the restaurant: chefs behind the front door (ClusterIP) and on the menu (headless).
pub const SEED_003: Scenario = Scenario {
    id: "restaurant",
    manifests: include_str!("../scenarios/restaurant.yaml"),
    client: ("default", "client"),
    pinned: &["front-door", "menu"],
    traffic: &[("front-door", 80), ("menu", 3000)],
};

/// Every scenario, in the seeds' order.
pub const ALL: &[&Scenario] = &[&SEED_000, &SEED_001, &SEED_002, &SEED_003];

pub fn by_id(id: &str) -> Option<&'static Scenario> {
    ALL.iter().copied().find(|s| s.id == id)
}

impl Scenario {
    /// A lab with this scenario applied and given time to start (pods Running and Ready).
    pub fn start(&self, seed: u64) -> Lab {
        let mut lab = Lab::new(crate::ClusterConfig::default(), seed);
        let _ = crate::apply::apply_text(&mut lab.cluster, self.manifests, "scenario.yaml", "default");
        lab.cluster.advance(5_000);
        lab
    }

    /// Start the scenario's traffic clients with the default settings (a new connection per
    /// request, the first answer, DNS cached for its TTL, one request a second). Returns their ids.
    pub fn start_traffic(&self, lab: &mut Lab) -> Vec<u64> {
        let (ns, pod) = self.client;
        self.traffic
            .iter()
            .map(|(target, port)| {
                crate::traffic::add_client(&mut lab.cluster, crate::traffic::ClientSpec::new(ns, pod, target, *port))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_applies_cleanly_and_its_traffic_is_served() {
        for sc in ALL {
            let mut lab = Lab::new(crate::ClusterConfig::default(), 1);
            let report = crate::apply::apply_text(&mut lab.cluster, sc.manifests, "scenario.yaml", "default");
            assert!(report.ok(), "{}: {}", sc.id, report.output());
            lab.cluster.advance(5_000);
            for name in sc.pinned {
                let out = lab.exec(sc.client.0, sc.client.1, &format!("nslookup {name}"));
                assert_eq!(out.exit_code, 0, "{}: nslookup {name}\n{}", sc.id, out.text);
            }
            let ids = sc.start_traffic(&mut lab);
            lab.cluster.advance(3_000);
            for id in ids {
                let c = &lab.cluster.traffic.clients[&id];
                assert!(c.succeeded >= 2 && c.failed == 0, "{}: {:?} {:?}", sc.id, c.spec, c.last_error);
            }
        }
    }

    #[test]
    fn the_mongodb_scenario_gives_each_member_its_stable_name() {
        let mut lab = SEED_002.start(1);
        let ip_of = |lab: &Lab, name: &str| {
            lab.cluster
                .get::<crate::api::Pod>("default", name)
                .and_then(|p| p.status.pod_ip.clone())
                .unwrap_or_default()
        };
        for i in 0..3 {
            let out = lab.exec("default", "client", &format!("nslookup mongodb-{i}.mongodb-service"));
            // One A record: that member's own address (busybox prints a PTR name after it).
            let ip = ip_of(&lab, &format!("mongodb-{i}"));
            assert!(out.text.contains(&format!("Address 1: {ip} ")), "{}", out.text);
            assert!(!out.text.split("Name:").nth(1).unwrap_or_default().contains("Address 2:"), "{}", out.text);
        }
    }

    #[test]
    fn default_scenario_contrasts_one_vip_with_five_pod_ips() {
        let mut lab = SEED_001.start(1);
        let normal = lab.exec("default", "client", "nslookup normal-service");
        assert_eq!(normal.exit_code, 0, "{}", normal.text);
        assert_eq!(normal.text.matches("Address ").count(), 2, "{}", normal.text);
        let headless = lab.exec("default", "client", "nslookup headless-service");
        assert!(headless.text.contains("Address 5: "), "{}", headless.text);
        assert!(!headless.text.contains("Address 6: "), "{}", headless.text);
    }

    #[test]
    fn first_visit_traffic_reaches_pods_through_both_services() {
        let mut lab = SEED_001.start(1);
        assert_eq!(SEED_001.start_traffic(&mut lab).len(), 2);
        lab.cluster.advance(3_000);
        let hits = crate::traffic::hits(&lab.cluster);
        let served: u64 = hits.iter().filter(|(k, _)| k.starts_with("default/api-deployment-")).map(|(_, v)| v).sum();
        // Two clients, one request a second each, over three seconds (the first goes out at once).
        assert!(
            served >= 6,
            "{hits:?} {:?}",
            lab.cluster
                .traffic
                .clients
                .values()
                .map(|c| (c.sent, c.succeeded, c.failed, c.last_error.clone()))
                .collect::<Vec<_>>()
        );
        let via_vip = lab.cluster.log.iter().any(|e| {
            matches!(e, crate::cluster::SimEvent::ProxyDecided { decision, .. }
                if decision.service.as_deref().is_some_and(|s| s.starts_with("default/normal-service")))
        });
        assert!(via_vip, "the ClusterIP client goes through kube-proxy");
        assert!(lab.cluster.traffic.clients.values().all(|c| c.failed == 0 && c.sent >= 3));
    }

    #[test]
    fn the_clusterip_client_spreads_while_the_headless_one_stays_within_its_dns_ttl() {
        use crate::cluster::SimEvent;
        use std::collections::{BTreeMap, BTreeSet};
        let mut lab = SEED_001.start(1);
        SEED_001.start_traffic(&mut lab);
        let from = lab.cluster.log.len();
        // Within the 30 s TTL of the first answer (the hint on the first visit says so).
        lab.cluster.advance(25_000);
        let mut target_of: BTreeMap<u64, String> = BTreeMap::new();
        let mut served: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for e in lab.cluster.log.iter().skip(from) {
            match e {
                SimEvent::RequestSent { request, target, .. } => {
                    target_of.insert(*request, target.clone());
                }
                SimEvent::ResponseReceived { request, pod, .. } => {
                    let target = target_of.get(request).cloned().unwrap_or_default();
                    served.entry(target).or_default().insert(pod.clone());
                }
                _ => {}
            }
        }
        assert_eq!(served.get("headless-service").map(BTreeSet::len), Some(1), "{served:?}");
        assert!(served.get("normal-service").map_or(0, BTreeSet::len) >= 3, "{served:?}");
    }
}
