//! Built-in scenarios: the manifests a lab opens with. The default is seed 001's example:
//! `api-deployment` with five replicas behind `normal-service` (ClusterIP) and
//! `headless-service` (`clusterIP: None`), plus a busybox client pod to ask DNS from.

use crate::Lab;

pub struct Scenario {
    pub id: &'static str,
    pub manifests: &'static str,
    /// Namespace and name of the pod the lab's own lookups come from.
    pub client: (&'static str, &'static str),
    /// Names whose answers the lab shows from the start.
    pub pinned: &'static [&'static str],
}

pub const SEED_001: Scenario = Scenario {
    id: "headless-vs-clusterip",
    manifests: include_str!("../scenarios/headless-vs-clusterip.yaml"),
    client: ("default", "client"),
    pinned: &["normal-service", "headless-service"],
};

pub const ALL: &[&Scenario] = &[&SEED_001];

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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
