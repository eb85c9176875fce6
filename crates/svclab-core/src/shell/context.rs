//! Where a tool runs: the pod the terminal is in, the tools its image carries, and how its
//! resolver is set up. Below the tools (`tools`, `dnstools`, `nettools`), which all read it.

use super::Terminal;
use crate::api::Pod;
use crate::cluster::Cluster;
use crate::dns::resolver::{self, ResolvConf};
use crate::dns::DnsClient;

/// The family of tools an image carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Toolset {
    /// The lab's toolbox: everything.
    Toolbox,
    /// busybox up to 1.28.4: the nslookup that honours the search list.
    Busybox128,
    /// busybox 1.29 and later: the rewritten nslookup.
    BusyboxNew,
    /// dnsutils images: bind's nslookup, dig, host.
    Dnsutils,
    /// Anything else (nginx, app images): a plain shell.
    Other,
}

pub fn toolset(image: &str) -> Toolset {
    // One image-reference parser for the lab (traffic::app): registry, digest and tag aside.
    let repo = crate::traffic::app::image_repo(image);
    let tag = crate::traffic::app::image_tag(image);
    let base = repo.rsplit('/').next().unwrap_or(&repo);
    if image == crate::controllers::TOOLBOX_IMAGE {
        return Toolset::Toolbox;
    }
    match base {
        "busybox" => {
            let mut parts = tag.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
            let (maj, min) = (parts.next().unwrap_or(99), parts.next().unwrap_or(99));
            if tag == "latest" || (maj, min) >= (1, 29) {
                Toolset::BusyboxNew
            } else {
                Toolset::Busybox128
            }
        }
        "dnsutils" | "jessie-dnsutils" | "netshoot" => Toolset::Dnsutils,
        _ => Toolset::Other,
    }
}

/// The pod the terminal is in, and how its resolver is set up.
pub fn client_context(c: &Cluster, term: &Terminal) -> (DnsClient, ResolvConf) {
    let s = term.session();
    let pod: Option<&Pod> = c.get::<Pod>(&s.namespace, &s.pod);
    let client = DnsClient {
        namespace: s.namespace.clone(),
        pod: s.pod.clone(),
        ip: pod.and_then(|p| p.status.pod_ip.clone()).unwrap_or_default(),
    };
    let mut rc = pod.map(|p| resolver::resolv_conf(c, p)).unwrap_or_default();
    if s.is_toolbox() {
        // The toolbox stands in for the learner's workstation: its search list follows the
        // kubectl context's namespace, so short names resolve where kubectl looks.
        let zone = &c.config.dns_domain;
        rc.searches = vec![format!("{}.svc.{zone}", term.namespace), format!("svc.{zone}"), zone.clone()];
    }
    (client, rc)
}
