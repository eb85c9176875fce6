//! DNS tools in pod shells, byte for byte where spec §8 quotes real output: busybox 1.28
//! `nslookup` (the seeds), busybox ≥1.29 `nslookup` and its search-list bug, bind's
//! `nslookup`, `host`, and `dig` (header, sections, BIND column layout, real message size).

use svclab_core::apply::apply_text;
use svclab_core::{ClusterConfig, Lab};

const OBJECTS: &str = "apiVersion: v1
kind: Service
metadata:
  name: my-svc
spec:
  clusterIP: 10.96.5.5
  selector:
    app: web
  ports:
  - name: http
    port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: bb128
spec:
  containers:
  - name: c
    image: busybox:1.28
    command: [sleep, '3600']
---
apiVersion: v1
kind: Pod
metadata:
  name: bbnew
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [sleep, '3600']
---
apiVersion: v1
kind: Pod
metadata:
  name: du
  labels:
    app: web
spec:
  hostname: myhost
  subdomain: my-svc
  containers:
  - name: c
    image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3
    command: [sleep, '3600']
---
apiVersion: v1
kind: Pod
metadata:
  name: fq
spec:
  hostname: myhost
  subdomain: my-svc
  setHostnameAsFQDN: true
  containers:
  - name: c
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: nodedns
spec:
  dnsPolicy: Default
  containers:
  - name: c
    image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3
---
apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
  - name: c
    image: nginx
";

fn lab() -> Lab {
    let mut lab = Lab::new(ClusterConfig::default(), 11);
    let report = apply_text(&mut lab.cluster, OBJECTS, "objects.yaml", "default");
    assert!(report.ok(), "{report:?}");
    lab.cluster.advance(20_000);
    lab
}

/// Replace what the seeded RNG and the clock choose (query id, cookie, time) so the rest can be
/// compared byte for byte.
fn normalize(out: &str) -> String {
    out.lines()
        .map(|l| {
            if let Some((head, _)) = l.split_once(", id: ") {
                format!("{head}, id: ID")
            } else if l.starts_with("; COOKIE: ") {
                "; COOKIE: COOKIE (echoed)".to_string()
            } else if l.starts_with(";; WHEN: ") {
                ";; WHEN: WHEN".to_string()
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect()
}

fn check(lab: &mut Lab, pod: &str, line: &str, want: impl AsRef<str>, code: i32) {
    let out = lab.exec("default", pod, line);
    assert_eq!(normalize(&out.text), want.as_ref(), "{pod}: {line}\n{}", out.text);
    assert_eq!(out.exit_code, code, "{pod}: {line}");
}

#[test]
fn busybox_128_nslookup_is_byte_exact() {
    let mut lab = lab();
    let cases: &[(&str, &str, i32)] = &[
        (
            "nslookup my-svc",
            "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      my-svc\nAddress 1: 10.96.5.5 my-svc.default.svc.cluster.local\n",
            0,
        ),
        (
            "nslookup kubernetes.default",
            "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n",
            0,
        ),
        (
            "nslookup nosuch",
            "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nnslookup: can't resolve 'nosuch'\n",
            1,
        ),
    ];
    for (line, want, code) in cases {
        check(&mut lab, "bb128", line, want, *code);
    }
}

/// busybox 1.28's nslookup resolves through libc (`getaddrinfo`, `getnameinfo`): the pod's
/// kubelet-managed /etc/hosts answers first, so a pod finds its own hostname (and names its
/// own IP) without DNS (busybox 1.28 networking/nslookup.c; kubelet `managedHostsFileContent`).
#[test]
fn busybox_128_nslookup_reads_etc_hosts_first() {
    let mut lab = lab();
    apply_text(
        &mut lab.cluster,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bbhost\n  labels:\n    app: web\nspec:\n  hostname: bbhost\n  subdomain: my-svc\n  containers:\n  - name: c\n    image: busybox:1.28\n    command: [sleep, '3600']\n",
        "p.yaml",
        "default",
    );
    lab.cluster.advance(20_000);
    let ip = lab
        .cluster
        .get::<svclab_core::api::Pod>("default", "bbhost")
        .and_then(|p| p.status.pod_ip.clone())
        .expect("ip");
    let fqdn = "bbhost.my-svc.default.svc.cluster.local";
    let server = "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n";
    check(&mut lab, "bbhost", "nslookup bbhost", format!("{server}Name:      bbhost\nAddress 1: {ip} {fqdn}\n"), 0);
    check(
        &mut lab,
        "bbhost",
        &format!("nslookup {ip}"),
        format!("{server}Name:      {ip}\nAddress 1: {ip} {fqdn}\n"),
        0,
    );
    check(
        &mut lab,
        "bbhost",
        "nslookup localhost",
        format!("{server}Name:      localhost\nAddress 1: 127.0.0.1 localhost\nAddress 2: ::1 localhost\n"),
        0,
    );
    // Another pod's shell has no such line: the short name is not a DNS name either.
    check(&mut lab, "bb128", "nslookup bbhost", format!("{server}nslookup: can't resolve 'bbhost'\n"), 1);
}

#[test]
fn busybox_new_nslookup_skips_the_search_list_for_dotted_names() {
    let mut lab = lab();
    check(
        &mut lab,
        "bbnew",
        "nslookup kubernetes.default",
        // busybox networking/nslookup.c: the AAAA reply shares the A query's transaction ID,
        // is dropped as a duplicate and ends as "No answer" (docker-library/busybox#61,
        // kubernetes/dns#253).
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find kubernetes.default: NXDOMAIN\n\n*** Can't find kubernetes.default: No answer\n\n",
        1,
    );
    check(
        &mut lab,
        "bbnew",
        "nslookup kubernetes.default.svc.cluster.local",
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n*** Can't find kubernetes.default.svc.cluster.local: No answer\n\n",
        0,
    );
}

#[test]
fn bind_nslookup_and_host_use_the_search_list() {
    let mut lab = lab();
    let cases: &[(&str, &str, i32)] = &[
        ("nslookup my-svc", "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tmy-svc.default.svc.cluster.local\nAddress: 10.96.5.5\n\n", 0),
        ("nslookup nosuch", "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nosuch: NXDOMAIN\n\n", 1),
        ("nslookup 10.96.5.5", "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n5.5.96.10.in-addr.arpa\tname = my-svc.default.svc.cluster.local.\n\n", 0),
        ("host my-svc", "my-svc.default.svc.cluster.local has address 10.96.5.5\n", 0),
        ("host nosuch", "Host nosuch not found: 3(NXDOMAIN)\n", 1),
        ("host -t SRV _http._tcp.my-svc", "_http._tcp.my-svc.default.svc.cluster.local has SRV record 0 100 80 my-svc.default.svc.cluster.local.\n", 0),
        ("host 10.96.5.5", "5.5.96.10.in-addr.arpa domain name pointer my-svc.default.svc.cluster.local.\n", 0),
        // The pod's own hostname.subdomain name (spec §4.5).
        ("host myhost.my-svc", "myhost.my-svc.default.svc.cluster.local has address 10.244.", 0),
    ];
    for (line, want, code) in cases {
        if line.starts_with("host myhost") {
            let out = lab.exec("default", "du", line);
            assert!(out.text.starts_with(want), "{}", out.text);
            continue;
        }
        check(&mut lab, "du", line, want, *code);
    }
}

#[test]
fn dig_prints_header_sections_and_real_message_size() {
    let mut lab = lab();
    check(
        &mut lab,
        "du",
        "dig my-svc.default.svc.cluster.local",
        "
; <<>> DiG 9.18.30 <<>> my-svc.default.svc.cluster.local
;; global options: +cmd
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: ID
;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1
;; WARNING: recursion requested but not available

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
; COOKIE: COOKIE (echoed)
;; QUESTION SECTION:
;my-svc.default.svc.cluster.local. IN\tA

;; ANSWER SECTION:
my-svc.default.svc.cluster.local. 30 IN\tA\t10.96.5.5

;; Query time: 0 msec
;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)
;; WHEN: WHEN
;; MSG SIZE  rcvd: 121

",
        0,
    );
    let now = lab.cluster.now.secs();
    check(
        &mut lab,
        "du",
        "dig nosuch.default.svc.cluster.local",
        "
; <<>> DiG 9.18.30 <<>> nosuch.default.svc.cluster.local
;; global options: +cmd
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: ID
;; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1
;; WARNING: recursion requested but not available

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
; COOKIE: COOKIE (echoed)
;; QUESTION SECTION:
;nosuch.default.svc.cluster.local. IN\tA

;; AUTHORITY SECTION:
cluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. SERIAL 7200 1800 86400 30

;; Query time: 0 msec
;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)
;; WHEN: WHEN
;; MSG SIZE  rcvd: 166

"
        .replace("SERIAL", &(1_767_225_600 + now).to_string()),
        0,
    );
}

#[test]
fn dig_options_short_search_answer_only_reverse_and_server() {
    let mut lab = lab();
    let cases: &[(&str, &str, i32)] = &[
        ("dig +short my-svc.default.svc.cluster.local", "10.96.5.5\n", 0),
        // Without +search dig asks `my-svc.` as is: upstream NXDOMAIN, nothing to print.
        ("dig +short my-svc", "", 0),
        ("dig +search +short my-svc", "10.96.5.5\n", 0),
        (
            "dig +noall +answer SRV _http._tcp.my-svc.default.svc.cluster.local",
            "_http._tcp.my-svc.default.svc.cluster.local. 30 IN SRV 0 100 80 my-svc.default.svc.cluster.local.\n",
            0,
        ),
        (
            "dig +noall +answer -x 10.96.0.10",
            "10.0.96.10.in-addr.arpa. 30\tIN\tPTR\tkube-dns.kube-system.svc.cluster.local.\n",
            0,
        ),
        (
            "dig +noall +answer @10.96.0.10 kubernetes.default.svc.cluster.local A",
            "kubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1\n",
            0,
        ),
        ("dig +short dns-version.cluster.local TXT", "\"1.1.0\"\n", 0),
        ("dig +short example.com", "93.184.215.14\n", 0),
        ("dig +short @8.8.8.8 example.com AAAA", "2606:2800:21f:cb07:6820:80da:af6b:8b2c\n", 0),
    ];
    for (line, want, code) in cases {
        check(&mut lab, "du", line, want, *code);
    }
    // Forwarded answers are not authoritative and have recursion available: no warning.
    let out = lab.exec("default", "du", "dig example.com");
    assert!(
        out.text.contains(";; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n"),
        "{}",
        out.text
    );
    assert!(!out.text.contains("WARNING"));
    // +showsearch prints every try of the search list.
    let out = lab.exec("default", "du", "dig +showsearch nosuch");
    assert_eq!(out.text.matches(";; ->>HEADER<<-").count(), 4, "{}", out.text);
    // A pod IP is not a DNS server.
    let out = lab.exec("default", "du", "dig @10.244.1.200 my-svc");
    assert!(out.text.ends_with(";; no servers could be reached\n") && out.exit_code == 9, "{}", out.text);
}

#[test]
fn tools_depend_on_the_image() {
    let mut lab = lab();
    check(&mut lab, "bb128", "dig my-svc", "sh: dig: not found\n", 127);
    check(&mut lab, "nginx", "nslookup my-svc", "sh: nslookup: not found\n", 127);
    check(&mut lab, "bbnew", "host my-svc", "sh: host: not found\n", 127);
}

#[test]
fn hostname_follows_hostname_subdomain_and_set_hostname_as_fqdn() {
    let mut lab = lab();
    check(&mut lab, "bb128", "hostname", "bb128\n", 0);
    check(&mut lab, "bb128", "hostname -f", "bb128\n", 0);
    check(&mut lab, "du", "hostname", "myhost\n", 0);
    check(&mut lab, "du", "hostname -f", "myhost.my-svc.default.svc.cluster.local\n", 0);
    check(&mut lab, "fq", "hostname", "myhost.my-svc.default.svc.cluster.local\n", 0);
    check(
        &mut lab,
        "du",
        "cat /etc/resolv.conf",
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
        0,
    );
}

#[test]
fn the_server_asked_decides_who_answers() {
    let mut lab = lab();
    // dnsPolicy Default: the node's resolver knows the internet, not the cluster.
    check(
        &mut lab,
        "nodedns",
        "host kubernetes.default.svc.cluster.local",
        "Host kubernetes.default.svc.cluster.local not found: 3(NXDOMAIN)\n",
        1,
    );
    check(
        &mut lab,
        "nodedns",
        "host example.com",
        "example.com has address 93.184.215.14\nexample.com has IPv6 address 2606:2800:21f:cb07:6820:80da:af6b:8b2c\n",
        0,
    );
    // A server named on the command line.
    check(
        &mut lab,
        "du",
        "nslookup example.com 8.8.8.8",
        "Server:\t\t8.8.8.8\nAddress:\t8.8.8.8#53\n\nNon-authoritative answer:\nName:\texample.com\nAddress: 93.184.215.14\nName:\texample.com\nAddress: 2606:2800:21f:cb07:6820:80da:af6b:8b2c\n\n",
        0,
    );
    check(&mut lab, "du", "nslookup my-svc 10.244.3.3", ";; connection timed out; no servers could be reached\n\n", 1);
    check(
        &mut lab,
        "bb128",
        "nslookup my-svc 10.96.0.10",
        "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      my-svc\nAddress 1: 10.96.5.5 my-svc.default.svc.cluster.local\n",
        0,
    );
}

#[test]
fn without_ready_coredns_pods_lookups_time_out() {
    let mut lab = lab();
    if let Some(d) = lab.cluster.get_mut::<svclab_core::api::Deployment>("kube-system", "coredns") {
        d.spec.replicas = 0;
    }
    lab.cluster.advance(60_000);
    // The busybox shape from the DNS debugging docs: no PTR name for the server, can't resolve.
    check(
        &mut lab,
        "bb128",
        "nslookup kubernetes.default",
        "Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\nnslookup: can't resolve 'kubernetes.default'\n",
        1,
    );
    let out = lab.exec("default", "du", "dig kubernetes.default.svc.cluster.local");
    assert!(out.text.contains(";; communications error to 10.96.0.10#53: timed out\n"), "{}", out.text);
    assert_eq!(out.exit_code, 9);
}
