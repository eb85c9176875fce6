//! Nothing a learner types into a Corefile or a DNS tool panics the core.

use proptest::prelude::*;
use svclab_core::dns::{self, corefile, RType};
use svclab_core::{ClusterConfig, Lab};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn corefile_parser_never_panics(text in "[ .:{}#\"a-z0-9\\n]{0,120}") {
        let _ = corefile::parse(&text);
    }

    #[test]
    fn reverse_names_never_panic(name in "[0-9a-f.:-]{0,80}(in-addr|ip6)\\.arpa\\.") {
        let _ = dns::kubernetes::reverse_ip(&name);
    }
}

#[test]
fn odd_tool_arguments_and_names_do_not_panic() {
    let mut lab = Lab::new(ClusterConfig::default(), 5);
    let lines = [
        "dig",
        "dig @",
        "dig -x",
        "dig -x nope",
        "dig -t",
        "dig -t BOGUS x",
        "dig +bogus",
        "dig +short",
        "dig +showsearch +short a.b.c.d.e.f",
        "dig ..",
        "dig _._.svc.cluster.local SRV",
        "dig -x ::1",
        "dig @10.96.0.10 . NS",
        "dig cluster.local AXFR",
        "dig AAAA",
        "host",
        "host -t",
        "host -t X y",
        "host 999.1.1.1",
        "nslookup",
        "nslookup -type=",
        "nslookup -type=BOGUS x",
        "nslookup ''",
        "nslookup a..b",
        "nslookup 1.2.3.4 5.6.7.8",
        "nslookup x 10.244.0.0",
        "dig 1-2-3-4.default.pod.cluster.local",
        "dig 1--.default.pod.cluster.local",
        "dig a.b.c.d.e.f.g.h.i.j.svc.cluster.local",
        "dig -x 0.0.0.0",
        "hostname -f",
    ];
    for l in lines {
        let _ = lab.input(l);
    }
    let c = &lab.cluster;
    for (q, t) in [("", RType::A), (".", RType::NS), ("..", RType::A), ("svc..cluster.local", RType::SRV)] {
        let _ = dns::resolve(c, q, t);
    }
}
