//! The resolver inside a pod: resolv.conf from `dnsPolicy` and `dnsConfig` (spec §5), and
//! glibc/musl search-list behaviour: a name with fewer than `ndots` dots is tried with each
//! search suffix first, then as is; a name with enough dots (or a trailing dot) as is first.
//! Also the pod's hostname and FQDN (`hostname`, `setHostnameAsFQDN`).
//!
//! resolv.conf is written in containerd's layout (kind's runtime): `search`, then
//! `nameserver` lines, then `options` (the docs' Docker-era examples put `nameserver` first).
//! Merged options keep a fixed order here; the kubelet builds them from a Go map.

use super::{query, DnsClient, DnsResponse, RType, Rcode};
use crate::api::*;
use crate::cluster::Cluster;

/// The kubelet's limits on the merged search list (spec §5).
pub const MAX_DNS_SEARCH_PATHS: usize = 32;
pub const MAX_DNS_SEARCH_LIST_CHARS: usize = 2048;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResolvConf {
    pub nameservers: Vec<String>,
    pub searches: Vec<String>,
    pub ndots: usize,
    /// Options in order, as written (`ndots:5`, `edns0`).
    pub options: Vec<String>,
}

impl ResolvConf {
    /// The file's text, as `cat /etc/resolv.conf` shows it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if !self.searches.is_empty() {
            out.push_str(&format!("search {}\n", self.searches.join(" ")));
        }
        for ns in &self.nameservers {
            out.push_str(&format!("nameserver {ns}\n"));
        }
        if !self.options.is_empty() {
            out.push_str(&format!("options {}\n", self.options.join(" ")));
        }
        out
    }

    /// Names to try for `name`, in order.
    pub fn candidates(&self, name: &str) -> Vec<String> {
        if name.ends_with('.') {
            return vec![name.to_string()];
        }
        let dots = name.matches('.').count();
        let searched: Vec<String> = self.searches.iter().map(|s| format!("{name}.{s}")).collect();
        if dots >= self.ndots {
            std::iter::once(name.to_string()).chain(searched).collect()
        } else {
            searched.into_iter().chain(std::iter::once(name.to_string())).collect()
        }
    }
}

/// The kube-dns ClusterIP (the nameserver of ClusterFirst pods).
pub fn cluster_dns_ip(c: &Cluster) -> String {
    c.get::<Service>("kube-system", "kube-dns")
        .and_then(|s| s.spec.cluster_ip.clone())
        .unwrap_or_else(|| "10.96.0.10".into())
}

/// resolv.conf of a pod, per its dnsPolicy and dnsConfig.
pub fn resolv_conf(c: &Cluster, pod: &Pod) -> ResolvConf {
    let zone = c.config.dns_domain.clone();
    let ns = &pod.metadata.namespace;
    let policy = pod.spec.dns_policy.as_deref().unwrap_or("ClusterFirst");
    let cluster_first = match policy {
        "ClusterFirst" => !pod.spec.host_network,
        "ClusterFirstWithHostNet" => true,
        _ => false,
    };
    let mut rc = if cluster_first {
        ResolvConf {
            nameservers: vec![cluster_dns_ip(c)],
            searches: vec![format!("{ns}.svc.{zone}"), format!("svc.{zone}"), zone.clone()],
            ndots: 5,
            options: vec!["ndots:5".into()],
        }
    } else if policy == "None" {
        ResolvConf { ndots: 1, ..Default::default() }
    } else {
        // `Default`: the node's resolv.conf (kind nodes point at Docker's embedded DNS).
        ResolvConf { nameservers: vec!["172.18.0.1".into()], ndots: 1, ..Default::default() }
    };
    if let Some(cfg) = &pod.spec.dns_config {
        for n in &cfg.nameservers {
            if !rc.nameservers.contains(n) && rc.nameservers.len() < 3 {
                rc.nameservers.push(n.clone());
            }
        }
        for s in &cfg.searches {
            if !rc.searches.contains(s) {
                rc.searches.push(s.clone());
            }
        }
        // The kubelet keeps at most 32 search domains and 2048 characters (spec §5).
        rc.searches.truncate(MAX_DNS_SEARCH_PATHS);
        while rc.searches.join(" ").len() > MAX_DNS_SEARCH_LIST_CHARS {
            rc.searches.pop();
        }
        for (name, value) in &cfg.options {
            rc.options.retain(|o| o.split(':').next() != Some(name.as_str()));
            rc.options.push(match value {
                Some(v) => format!("{name}:{v}"),
                None => name.clone(),
            });
        }
        if let Some(nd) = rc.options.iter().find_map(|o| o.strip_prefix("ndots:")) {
            rc.ndots = nd.parse().unwrap_or(1);
        }
    }
    rc
}

/// Longest FQDN a pod's hostname may be with `setHostnameAsFQDN` (kubelet, spec §5).
pub const FQDN_MAX_LEN: usize = 64;

/// The kubelet's `GeneratePodHostNameAndDomain` (spec §5): the hostname is `spec.hostname`
/// or the pod name (truncated to 63 characters, trailing `-`/`.` trimmed), the domain
/// `<subdomain>.<ns>.svc.<zone>` when `spec.subdomain` is set.
pub fn pod_hostname_and_domain(c: &Cluster, pod: &Pod) -> (String, Option<String>) {
    let mut host = pod.spec.hostname.clone().filter(|h| !h.is_empty()).unwrap_or_else(|| pod.metadata.name.clone());
    if host.len() > 63 {
        // Names are validated ASCII, but never cut inside a character.
        let mut cut = 63;
        while !host.is_char_boundary(cut) {
            cut -= 1;
        }
        host.truncate(cut);
        while host.ends_with('-') || host.ends_with('.') {
            host.pop();
        }
    }
    let domain = pod
        .spec
        .subdomain
        .as_ref()
        .filter(|s| !s.is_empty())
        .map(|s| format!("{s}.{}.svc.{}", pod.metadata.namespace, c.config.dns_domain));
    (host, domain)
}

/// A `hostNetwork` pod shares its node's UTS namespace, so `hostname` there prints the node's
/// name (a kind node container's hostname is the node name), not the pod's.
fn host_network_node(pod: &Pod) -> Option<String> {
    pod.spec.node_name.clone().filter(|n| pod.spec.host_network && !n.is_empty())
}

/// The kubelet-managed `/etc/hosts` of a pod (kubelet `managedHostsFileContent`; the format
/// the Kubernetes docs show under "Adding entries to Pod /etc/hosts with HostAliases"): the
/// header, localhost lines, then each pod IP with `hostname` or `FQDN hostname` when the pod
/// has a subdomain. `None` for `hostNetwork` pods, whose file is the node's, not the kubelet's.
pub fn pod_hosts_file(c: &Cluster, pod: &Pod) -> Option<String> {
    if pod.spec.host_network {
        return None;
    }
    let mut s = String::from(
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n",
    );
    let (host, domain) = pod_hostname_and_domain(c, pod);
    let ips: Vec<&String> = if pod.status.pod_ips.is_empty() {
        pod.status.pod_ip.iter().collect()
    } else {
        pod.status.pod_ips.iter().collect()
    };
    for ip in ips {
        match &domain {
            Some(d) => s.push_str(&format!("{ip}\t{host}.{d}\t{host}\n")),
            None => s.push_str(&format!("{ip}\t{host}\n")),
        }
    }
    Some(s)
}

/// What `hostname` prints in the pod: the FQDN with `setHostnameAsFQDN: true` (when there is
/// a domain), else the short hostname.
pub fn pod_uts_hostname(c: &Cluster, pod: &Pod) -> String {
    if let Some(node) = host_network_node(pod) {
        return node;
    }
    let (host, domain) = pod_hostname_and_domain(c, pod);
    match domain {
        Some(d) if pod.spec.set_hostname_as_fqdn == Some(true) => format!("{host}.{d}"),
        _ => host,
    }
}

/// The kubelet's refusal to start a pod whose `setHostnameAsFQDN` FQDN exceeds 64 characters
/// (spec §5): the sandbox event text, or `None` when the pod is fine. For the kubelet
/// controller to record and keep the pod in `ContainerCreating` (not wired by the DNS module).
pub fn fqdn_too_long(c: &Cluster, pod: &Pod) -> Option<String> {
    if pod.spec.set_hostname_as_fqdn != Some(true) {
        return None;
    }
    let fqdn = pod_uts_hostname(c, pod);
    (fqdn.len() > FQDN_MAX_LEN).then(|| {
        format!(
            "Failed to create pod sandbox: failed to construct FQDN from pod hostname and cluster domain, FQDN {fqdn} is too long ({FQDN_MAX_LEN} characters is the max, {} characters requested)",
            fqdn.len()
        )
    })
}

/// What `hostname -f` prints: the first name of the pod's line in the kubelet-managed
/// /etc/hosts (`<ip>\t<host>.<domain>\t<host>`), i.e. the FQDN when there is a subdomain.
pub fn pod_fqdn(c: &Cluster, pod: &Pod) -> String {
    if let Some(node) = host_network_node(pod) {
        return node;
    }
    let (host, domain) = pod_hostname_and_domain(c, pod);
    match domain {
        Some(d) => format!("{host}.{d}"),
        None => host,
    }
}

/// The result of a resolver lookup: which candidate answered, and the answer.
#[derive(Clone, Debug)]
pub struct Lookup {
    /// Names tried, with their rcodes, in order.
    pub tried: Vec<(String, Rcode)>,
    /// The FQDN that produced the answer, if any did.
    pub name: Option<String>,
    pub response: DnsResponse,
}

/// Resolve `name` for `qtype` from a pod, walking the search list as libc does: stop at the
/// first candidate with answers of the type; NXDOMAIN and NODATA move on.
pub fn lookup(c: &mut Cluster, client: &DnsClient, rc: &ResolvConf, name: &str, qtype: RType) -> Lookup {
    let mut tried = Vec::new();
    let mut last = DnsResponse::empty(Rcode::NxDomain);
    for cand in rc.candidates(name) {
        let resp = query(c, client, &cand, qtype);
        tried.push((cand.clone(), resp.rcode));
        if resp.rcode == Rcode::NoError && !resp.answers.is_empty() {
            return Lookup { tried, name: Some(super::fqdn(&cand)), response: resp };
        }
        last = resp;
    }
    Lookup { tried, name: None, response: last }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_go_through_the_search_list_first() {
        let rc = ResolvConf {
            searches: vec!["test.svc.cluster.local".into(), "svc.cluster.local".into(), "cluster.local".into()],
            ndots: 5,
            ..Default::default()
        };
        let c = rc.candidates("data.prod");
        assert_eq!(c[0], "data.prod.test.svc.cluster.local");
        assert_eq!(c[1], "data.prod.svc.cluster.local");
        assert_eq!(c.last().unwrap(), "data.prod");
        assert_eq!(rc.candidates("x.").len(), 1);
    }
}
