//! The kubelet refuses a sandbox whose `setHostnameAsFQDN` FQDN is over 64 characters
//! (spec §5): the pod stays `ContainerCreating` with no IP and a `FailedCreatePodSandBox`
//! event in the kubelet's words; a short FQDN starts normally.

use svclab_core::{ClusterConfig, Lab};

fn pod_yaml(name: &str, subdomain: &str) -> String {
    format!(
        "cat > {name}.yaml << EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  hostname: {name}\n  subdomain: {subdomain}\n  setHostnameAsFQDN: true\n  containers:\n  - name: app\n    image: nginx\nEOF\nkubectl apply -f {name}.yaml\n"
    )
}

#[test]
fn set_hostname_as_fqdn_over_64_chars_stays_container_creating() {
    // (pod name, subdomain, starts?) — FQDN = <name>.<subdomain>.default.svc.cluster.local
    let cases = [
        ("short", "sub", true),
        // 27 + 1 + 11 + 26 = 65 characters: one over the limit.
        ("a-hostname-of-27-characters", "subdomain-x", false),
        // 27 + 1 + 10 + 26 = 64 characters: exactly the limit is accepted.
        ("a-hostname-of-27-characters", "subdomain", true),
    ];
    for (name, sub, starts) in cases {
        let mut lab = Lab::new(ClusterConfig::default(), 1);
        let fqdn = format!("{name}.{sub}.default.svc.cluster.local");
        let script = format!("{}sleep 30\nkubectl get pod {name}\nkubectl get events\n", pod_yaml(name, sub));
        let out = lab.run_script(&script).text;
        let row = out.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_default().to_string();
        let event = format!(
            "Warning   FailedCreatePodSandBox   pod/{name}   Failed to create pod sandbox: failed to construct FQDN from pod hostname and cluster domain, FQDN {fqdn} is too long (64 characters is the max, {} characters requested)",
            fqdn.len()
        );
        if starts {
            assert!(row.contains("1/1     Running"), "{fqdn} ({}): {out}", fqdn.len());
            assert!(!out.contains("FailedCreatePodSandBox"), "{out}");
        } else {
            assert!(row.contains("0/1     ContainerCreating"), "{fqdn} ({}): {out}", fqdn.len());
            assert!(out.contains(&event), "{out}");
            let c = &lab.cluster;
            let p = c.get::<svclab_core::api::Pod>("default", name).expect("pod");
            assert!(p.status.pod_ip.is_none() && p.status.pod_ips.is_empty());
        }
    }
}
