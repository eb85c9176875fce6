//! Node ports through `kubectl apply` (validation allocates with `ipam`, spec §2): one
//! allocator for all protocols, the same `port` under TCP and UDP sharing one node port
//! within a Service, dynamic picks from the upper band, and the API server's errors.

use svclab_core::api::Service;
use svclab_core::{ClusterConfig, Lab};

fn svc(name: &str, ports: &str) -> String {
    format!(
        "cat > {name}.yaml << EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: NodePort\n  selector:\n    app: x\n  ports:\n{ports}EOF\nkubectl apply -f {name}.yaml\n"
    )
}

fn node_ports(lab: &Lab, name: &str) -> Vec<i32> {
    lab.cluster
        .get::<Service>("default", name)
        .map(|s| s.spec.ports.iter().filter_map(|p| p.node_port).collect())
        .unwrap_or_default()
}

#[test]
fn node_port_allocation_cases() {
    let dns =
        "  - name: dns-tcp\n    port: 53\n    protocol: TCP\n  - name: dns-udp\n    port: 53\n    protocol: UDP\n";
    let fixed = |np: i32, proto: &str| format!("  - port: 80\n    protocol: {proto}\n    nodePort: {np}\n");
    // (first Service's ports, second Service's ports, second's error or None)
    let cases: Vec<(String, String, Option<&str>)> = vec![
        // Another protocol does not free a port: the allocator is protocol-agnostic.
        (
            fixed(30080, "TCP"),
            fixed(30080, "UDP"),
            Some("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"),
        ),
        (
            fixed(30080, "TCP"),
            fixed(29999, "TCP"),
            Some("spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767"),
        ),
        (fixed(30080, "TCP"), dns.to_string(), None),
    ];
    for (first, second, err) in cases {
        let mut lab = Lab::new(ClusterConfig::default(), 1);
        let out = lab.run_script(&format!("{}{}", svc("a", &first), svc("b", &second))).text;
        match err {
            Some(e) => {
                assert!(out.contains(e), "{out}");
                assert!(lab.cluster.get::<Service>("default", "b").is_none());
            }
            None => {
                let b = node_ports(&lab, "b");
                // dns-tcp and dns-udp share one node port, from the dynamic (upper) band:
                // 30000-32767 has a static band of min(max(16, 2768/32), 128) = 86 ports.
                assert_eq!(b.len(), 2, "{out}");
                assert_eq!(b[0], b[1], "{out}");
                assert!(b[0] >= 30086 && b[0] <= 32767 && b[0] != 30080, "{b:?}");
            }
        }
    }
}

#[test]
fn node_ports_survive_an_update() {
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    let ports = "  - port: 80\n    protocol: TCP\n";
    lab.run_script(&svc("a", ports));
    let before = node_ports(&lab, "a");
    let out = lab.run_script("kubectl label svc a tier=web\n").text;
    assert!(out.contains("service/a labeled"), "{out}");
    lab.run_script(&svc("a", ports));
    assert_eq!(node_ports(&lab, "a"), before);
    assert_eq!(before.len(), 1);
}
