//! CoreDNS's `kubernetes` plugin, case by case (spec §4), over the objects of CoreDNS's own
//! handler_test / reverse_test / kubernetes_apex_test and the coredns/ci integration names
//! (`svc-unready`). Answers are compared as sets (`loadbalance` shuffles; here we call
//! `dns::serve`, which does not).

use svclab_core::apply::apply_text;
use svclab_core::dns::{self, RType, Rcode};
use svclab_core::{Cluster, ClusterConfig};

fn cluster() -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default(), 7);
    let text = include_str!("fixtures/dns/handler.yaml");
    let report = apply_text(&mut c, text, "handler.yaml", "default");
    assert!(report.ok(), "{:?}", report);
    c.settle();
    c
}

/// `name ttl TYPE rdata`, sorted, for one section.
fn lines(records: &[dns::Record]) -> Vec<String> {
    let mut v: Vec<String> =
        records.iter().map(|r| format!("{} {} {} {}", r.name, r.ttl, r.rtype().as_str(), r.rdata_text())).collect();
    v.sort();
    v
}

struct Case {
    qname: &'static str,
    qtype: RType,
    rcode: Rcode,
    answer: &'static [&'static str],
    /// Extra expectations: `soa` = negative answer with the zone SOA in authority;
    /// otherwise the expected ADDITIONAL lines.
    extra: Extra,
}

enum Extra {
    None,
    Soa,
    Additional(&'static [&'static str]),
}

fn check(c: &Cluster, cases: &[Case]) {
    let cf = dns::active_corefile(c);
    for case in cases {
        let r = dns::serve(c, &cf, case.qname, case.qtype);
        let want: Vec<String> = {
            let mut v: Vec<String> = case.answer.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        };
        assert_eq!(r.rcode, case.rcode, "{} {:?}: {:?}", case.qname, case.qtype, r);
        assert_eq!(lines(&r.answers), want, "{} {:?}", case.qname, case.qtype);
        match case.extra {
            Extra::None => {}
            Extra::Soa => {
                assert_eq!(r.authority.len(), 1, "{} {:?}", case.qname, case.qtype);
                assert_eq!(r.authority[0].rtype(), RType::SOA);
                assert!(r.authority[0].rdata_text().starts_with("ns.dns.cluster.local. hostmaster.cluster.local. "));
            }
            Extra::Additional(a) => {
                let mut want: Vec<String> = a.iter().map(|s| s.to_string()).collect();
                want.sort();
                assert_eq!(lines(&r.additional), want, "{} {:?} additional", case.qname, case.qtype);
            }
        }
    }
}

use Extra::*;
use RType::*;
use Rcode::*;

#[test]
fn clusterip_services_answer_their_clusterip_regardless_of_endpoints() {
    check(
        &cluster(),
        &[
            Case {
                qname: "svc1.testns.svc.cluster.local.",
                qtype: A,
                rcode: NoError,
                answer: &["svc1.testns.svc.cluster.local. 30 A 10.96.100.1"],
                extra: None,
            },
            Case {
                qname: "svcempty.testns.svc.cluster.local.",
                qtype: A,
                rcode: NoError,
                answer: &["svcempty.testns.svc.cluster.local. 30 A 10.96.100.2"],
                extra: None,
            },
            Case { qname: "svc1.testns.svc.cluster.local.", qtype: AAAA, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "svc1.testns.svc.cluster.local.", qtype: TXT, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "nosvc.testns.svc.cluster.local.", qtype: A, rcode: NxDomain, answer: &[], extra: Soa },
            // Endpoint names also resolve under a ClusterIP Service (spec §4.4, CCI `172-17-0-222.new-svc`).
            Case {
                qname: "172-0-0-2.svc1.testns.svc.cluster.local.",
                qtype: A,
                rcode: NoError,
                answer: &["172-0-0-2.svc1.testns.svc.cluster.local. 30 A 172.0.0.2"],
                extra: None,
            },
            Case {
                qname: "172-0-0-9.svc1.testns.svc.cluster.local.",
                qtype: A,
                rcode: NxDomain,
                answer: &[],
                extra: Soa,
            },
            // Three or more labels before the service: too long.
            Case { qname: "a.b.c.svc1.testns.svc.cluster.local.", qtype: A, rcode: NxDomain, answer: &[], extra: Soa },
        ],
    );
}

#[test]
fn names_match_case_insensitively_and_echo_the_querys_case() {
    check(
        &cluster(),
        &[
            Case {
                qname: "SvC1.TestNS.svc.Cluster.Local.",
                qtype: A,
                rcode: NoError,
                answer: &["SvC1.TestNS.svc.Cluster.Local. 30 A 10.96.100.1"],
                extra: None,
            },
            Case { qname: "nosvc.testns.svc.Cluster.LOCAL.", qtype: A, rcode: NxDomain, answer: &[], extra: None },
        ],
    );
    let c = cluster();
    let r = dns::serve(&c, &dns::active_corefile(&c), "nosvc.testns.svc.Cluster.LOCAL.", A);
    assert_eq!(r.authority[0].name, "Cluster.LOCAL.");
}

#[test]
fn srv_records_carry_ports_weights_and_additional_addresses() {
    check(
        &cluster(),
        &[
            Case { qname: "_http._tcp.svc1.testns.svc.cluster.local.", qtype: SRV, rcode: NoError, answer: &["_http._tcp.svc1.testns.svc.cluster.local. 30 SRV 0 100 80 svc1.testns.svc.cluster.local."], extra: Additional(&["svc1.testns.svc.cluster.local. 30 A 10.96.100.1"]) },
            Case { qname: "svc1.testns.svc.cluster.local.", qtype: SRV, rcode: NoError, answer: &["svc1.testns.svc.cluster.local. 30 SRV 0 100 80 svc1.testns.svc.cluster.local."], extra: None },
            Case { qname: "_*._TCP.svc1.testns.svc.cluster.local.", qtype: SRV, rcode: NoError, answer: &["_*._TCP.svc1.testns.svc.cluster.local. 30 SRV 0 100 80 svc1.testns.svc.cluster.local."], extra: None },
            Case { qname: "_https._tcp.svc1.testns.svc.cluster.local.", qtype: SRV, rcode: NxDomain, answer: &[], extra: Soa },
            Case { qname: "_http._udp.svc1.testns.svc.cluster.local.", qtype: SRV, rcode: NxDomain, answer: &[], extra: Soa },
            // Headless: one SRV per (ready endpoint × port), weight floor(100/4) counted before
            // the duplicate dup-name target is dropped (spec §4.5).
            Case {
                qname: "_http._tcp.hdls1.testns.svc.cluster.local.",
                qtype: SRV,
                rcode: NoError,
                answer: &[
                    "_http._tcp.hdls1.testns.svc.cluster.local. 30 SRV 0 25 80 172-0-0-2.hdls1.testns.svc.cluster.local.",
                    "_http._tcp.hdls1.testns.svc.cluster.local. 30 SRV 0 25 80 dup-name.hdls1.testns.svc.cluster.local.",
                    "_http._tcp.hdls1.testns.svc.cluster.local. 30 SRV 0 25 80 5678-abcd--1.hdls1.testns.svc.cluster.local.",
                ],
                extra: Additional(&[
                    "172-0-0-2.hdls1.testns.svc.cluster.local. 30 A 172.0.0.2",
                    "dup-name.hdls1.testns.svc.cluster.local. 30 A 172.0.0.3",
                    "dup-name.hdls1.testns.svc.cluster.local. 30 A 172.0.0.4",
                    "5678-abcd--1.hdls1.testns.svc.cluster.local. 30 AAAA 5678:abcd::1",
                ]),
            },
            // Headless without ports: addresses but no SRV.
            Case { qname: "hdlsprtls.testns.svc.cluster.local.", qtype: SRV, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "hdlsprtls.testns.svc.cluster.local.", qtype: A, rcode: NoError, answer: &["hdlsprtls.testns.svc.cluster.local. 30 A 172.0.0.20"], extra: None },
        ],
    );
}

#[test]
fn headless_answers_only_ready_pods() {
    check(
        &cluster(),
        &[
            Case {
                qname: "hdls1.testns.svc.cluster.local.",
                qtype: A,
                rcode: NoError,
                answer: &[
                    "hdls1.testns.svc.cluster.local. 30 A 172.0.0.2",
                    "hdls1.testns.svc.cluster.local. 30 A 172.0.0.3",
                    "hdls1.testns.svc.cluster.local. 30 A 172.0.0.4",
                ],
                extra: None,
            },
            Case {
                qname: "hdls1.testns.svc.cluster.local.",
                qtype: AAAA,
                rcode: NoError,
                answer: &["hdls1.testns.svc.cluster.local. 30 AAAA 5678:abcd::1"],
                extra: None,
            },
            Case {
                qname: "dup-name.hdls1.testns.svc.cluster.local.",
                qtype: A,
                rcode: NoError,
                answer: &[
                    "dup-name.hdls1.testns.svc.cluster.local. 30 A 172.0.0.3",
                    "dup-name.hdls1.testns.svc.cluster.local. 30 A 172.0.0.4",
                ],
                extra: None,
            },
            Case {
                qname: "5678-abcd--1.hdls1.testns.svc.cluster.local.",
                qtype: AAAA,
                rcode: NoError,
                answer: &["5678-abcd--1.hdls1.testns.svc.cluster.local. 30 AAAA 5678:abcd::1"],
                extra: None,
            },
            // The not-ready endpoint has no name either.
            Case {
                qname: "172-0-0-5.hdls1.testns.svc.cluster.local.",
                qtype: A,
                rcode: NxDomain,
                answer: &[],
                extra: Soa,
            },
            // coredns/ci `svc-unready`: a headless Service whose endpoints are all unready.
            Case { qname: "svc-unready.testns.svc.cluster.local.", qtype: A, rcode: NxDomain, answer: &[], extra: Soa },
        ],
    );
}

#[test]
fn externalname_is_a_cname_followed_inside_the_cluster_and_upstream() {
    check(
        &cluster(),
        &[
            Case {
                qname: "external.testns.svc.cluster.local.",
                qtype: CNAME,
                rcode: NoError,
                answer: &["external.testns.svc.cluster.local. 30 CNAME ext.interwebs.test."],
                extra: None,
            },
            // The target is unknown upstream: the CNAME alone.
            Case {
                qname: "external.testns.svc.cluster.local.",
                qtype: A,
                rcode: NoError,
                answer: &["external.testns.svc.cluster.local. 30 CNAME ext.interwebs.test."],
                extra: None,
            },
            Case { qname: "external.testns.svc.cluster.local.", qtype: SRV, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "x.external.testns.svc.cluster.local.", qtype: A, rcode: NxDomain, answer: &[], extra: Soa },
            Case {
                qname: "external-to-service.testns.svc.cluster.local.",
                qtype: A,
                rcode: NoError,
                answer: &[
                    "external-to-service.testns.svc.cluster.local. 30 CNAME svc1.testns.svc.cluster.local.",
                    "svc1.testns.svc.cluster.local. 30 A 10.96.100.1",
                ],
                extra: None,
            },
            Case {
                qname: "ext-example.testns.svc.cluster.local.",
                qtype: A,
                rcode: NoError,
                answer: &[
                    "ext-example.testns.svc.cluster.local. 30 CNAME example.com.",
                    "example.com. 30 A 93.184.215.14",
                ],
                extra: None,
            },
            // An IP-looking externalName is not served (spec §4.6).
            Case { qname: "ext-ip.testns.svc.cluster.local.", qtype: A, rcode: NxDomain, answer: &[], extra: Soa },
        ],
    );
    // The CNAME comes before its target.
    let c = cluster();
    let r = dns::serve(&c, &dns::active_corefile(&c), "external-to-service.testns.svc.cluster.local.", A);
    assert_eq!(r.answers[0].rtype(), CNAME);
}

#[test]
fn zone_apex_namespaces_and_dns_version() {
    check(
        &cluster(),
        &[
            Case {
                qname: "cluster.local.",
                qtype: NS,
                rcode: NoError,
                answer: &["cluster.local. 30 NS kube-dns.kube-system.svc.cluster.local."],
                extra: Additional(&["kube-dns.kube-system.svc.cluster.local. 30 A 10.96.0.10"]),
            },
            Case { qname: "cluster.local.", qtype: A, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "svc.cluster.local.", qtype: A, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "pod.cluster.local.", qtype: A, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "testns.svc.cluster.local.", qtype: A, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "nons.svc.cluster.local.", qtype: A, rcode: NxDomain, answer: &[], extra: Soa },
            Case { qname: "svc1.nons.svc.cluster.local.", qtype: A, rcode: NxDomain, answer: &[], extra: Soa },
            Case { qname: "foo.cluster.local.", qtype: A, rcode: NxDomain, answer: &[], extra: Soa },
            Case {
                qname: "dns-version.cluster.local.",
                qtype: TXT,
                rcode: NoError,
                answer: &["dns-version.cluster.local. 28800 TXT \"1.1.0\""],
                extra: None,
            },
        ],
    );
    let c = cluster();
    let r = dns::serve(&c, &dns::active_corefile(&c), "cluster.local.", SOA);
    assert_eq!(lines(&r.answers).len(), 1);
    assert!(lines(&r.answers)[0].starts_with("cluster.local. 30 SOA ns.dns.cluster.local. hostmaster.cluster.local. "));
    assert!(lines(&r.answers)[0].ends_with(" 7200 1800 86400 30"));
}

#[test]
fn reverse_lookups_name_the_service_or_every_services_endpoint() {
    check(
        &cluster(),
        &[
            Case { qname: "1.100.96.10.in-addr.arpa.", qtype: PTR, rcode: NoError, answer: &["1.100.96.10.in-addr.arpa. 30 PTR svc1.testns.svc.cluster.local."], extra: None },
            // reverse_test: an endpoint IP in two Services gets two PTRs.
            Case {
                qname: "2.0.0.172.in-addr.arpa.",
                qtype: PTR,
                rcode: NoError,
                answer: &["2.0.0.172.in-addr.arpa. 30 PTR 172-0-0-2.hdls1.testns.svc.cluster.local.", "2.0.0.172.in-addr.arpa. 30 PTR 172-0-0-2.svc1.testns.svc.cluster.local."],
                extra: None,
            },
            Case { qname: "3.0.0.172.in-addr.arpa.", qtype: PTR, rcode: NoError, answer: &["3.0.0.172.in-addr.arpa. 30 PTR dup-name.hdls1.testns.svc.cluster.local."], extra: None },
            Case {
                qname: "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa.",
                qtype: PTR,
                rcode: NoError,
                answer: &["1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa. 30 PTR 5678-abcd--1.hdls1.testns.svc.cluster.local."],
                extra: None,
            },
        ],
    );
    // An unknown address falls through (kubeadm: `fallthrough in-addr.arpa ip6.arpa`) to the
    // upstream, which does not know it either and is not authoritative.
    let c = cluster();
    let r = dns::serve(&c, &dns::active_corefile(&c), "9.9.9.9.in-addr.arpa.", PTR);
    assert_eq!((r.rcode, r.authoritative), (NxDomain, false));
    // The not-ready endpoint has no PTR.
    let r = dns::serve(&c, &dns::active_corefile(&c), "5.0.0.172.in-addr.arpa.", PTR);
    assert_eq!(r.rcode, NxDomain);
}

#[test]
fn pod_records_follow_the_pods_mode() {
    // kubeadm: `pods insecure`.
    check(
        &cluster(),
        &[
            Case {
                qname: "172-0-0-9.testns.pod.cluster.local.",
                qtype: A,
                rcode: NoError,
                answer: &["172-0-0-9.testns.pod.cluster.local. 30 A 172.0.0.9"],
                extra: None,
            },
            Case {
                qname: "5678-abcd--1.testns.pod.cluster.local.",
                qtype: AAAA,
                rcode: NoError,
                answer: &["5678-abcd--1.testns.pod.cluster.local. 30 AAAA 5678:abcd::1"],
                extra: None,
            },
            Case { qname: "172-0-0-9.testns.pod.cluster.local.", qtype: AAAA, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "172-0-0-9.nons.pod.cluster.local.", qtype: A, rcode: NxDomain, answer: &[], extra: Soa },
            Case { qname: "notanip.testns.pod.cluster.local.", qtype: A, rcode: NxDomain, answer: &[], extra: Soa },
            // findPods with an empty pod name (coredns plugin/kubernetes/kubernetes.go): an
            // existing namespace is NODATA, a missing one NXDOMAIN.
            Case { qname: "testns.pod.cluster.local.", qtype: A, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "nons.pod.cluster.local.", qtype: A, rcode: NxDomain, answer: &[], extra: Soa },
        ],
    );
}

/// coredns plugin/kubernetes/handler_case_test.go `TestPreserveCase`: the zone keeps the
/// query's spelling in the SOA (owner, `ns.dns.`, `hostmaster.`), in SRV targets (object
/// names in lower case, then the zone as asked) and in the glue that follows them.
#[test]
fn the_zone_keeps_the_querys_spelling() {
    let c = cluster();
    let cf = dns::active_corefile(&c);
    let r = dns::serve(&c, &cf, "Cluster.local.", SOA);
    let soa = lines(&r.answers);
    assert_eq!(soa.len(), 1);
    assert!(soa[0].starts_with("Cluster.local. 30 SOA ns.dns.Cluster.local. hostmaster.Cluster.local. "), "{soa:?}");
    let r = dns::serve(&c, &cf, "not-a-service.testns.svc.ClUsTeR.lOcAl.", A);
    assert_eq!(r.rcode, NxDomain);
    assert_eq!(r.authority[0].name, "ClUsTeR.lOcAl.");
    assert!(r.authority[0].rdata_text().starts_with("ns.dns.ClUsTeR.lOcAl. hostmaster.ClUsTeR.lOcAl. "));
    let r = dns::serve(&c, &cf, "_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL.", SRV);
    assert_eq!(
        lines(&r.answers),
        ["_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL. 30 SRV 0 100 80 svc1.testns.svc.cLuStEr.LoCaL."]
    );
    assert_eq!(lines(&r.additional), ["svc1.testns.svc.cLuStEr.LoCaL. 30 A 10.96.100.1"]);
    // Headless targets too.
    let r = dns::serve(&c, &cf, "_http._tcp.hdls1.testns.svc.Cluster.Local.", SRV);
    assert!(
        lines(&r.answers).iter().all(|l| l.ends_with(".hdls1.testns.svc.Cluster.Local.")),
        "{:?}",
        lines(&r.answers)
    );
    assert!(lines(&r.additional).iter().all(|l| l.contains(".hdls1.testns.svc.Cluster.Local. 30 ")));
}

#[test]
fn names_outside_the_cluster_go_to_the_simulated_upstream() {
    let c = cluster();
    let cf = dns::active_corefile(&c);
    let r = dns::serve(&c, &cf, "example.com", A);
    assert_eq!(lines(&r.answers), ["example.com. 30 A 93.184.215.14"]);
    assert!(!r.authoritative && r.recursion_available);
    let r = dns::serve(&c, &cf, "example.com.", AAAA);
    assert_eq!(lines(&r.answers), ["example.com. 30 AAAA 2606:2800:21f:cb07:6820:80da:af6b:8b2c"]);
    let r = dns::serve(&c, &cf, "kubernetes.default.", A);
    assert_eq!(r.rcode, NxDomain);
}

#[test]
fn unserved_types_are_nodata_or_nxdomain_and_transfers_are_refused() {
    check(
        &cluster(),
        &[
            // A "fake A lookup" decides: the name exists → NODATA, else NXDOMAIN (spec §4.3).
            Case { qname: "svc1.testns.svc.cluster.local.", qtype: HINFO, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "svc1.testns.svc.cluster.local.", qtype: MX, rcode: NoError, answer: &[], extra: Soa },
            Case { qname: "nosvc.testns.svc.cluster.local.", qtype: MX, rcode: NxDomain, answer: &[], extra: Soa },
            Case { qname: "cluster.local.", qtype: AXFR, rcode: Refused, answer: &[], extra: None },
        ],
    );
}
