//! The canonical text of a pod template that `pod-template-hash` (Deployment) and
//! `controller-revision-hash` (StatefulSet, DaemonSet) hash.
//!
//! Invariant: every dump here is byte for byte the text `format!("{:?}")` gives for the same
//! value (the derived `Debug` of the api types, non-alternate). The hashes, and so the generated
//! ReplicaSet and pod names the terminal transcripts pin, were first computed from `Debug`; the
//! tests below compare each writer with `Debug` and pin a few hash values. A field added to one
//! of these types shows in `Debug` but not here, so `dumps_equal_debug_text` fails until its
//! writer lists it; decide then whether existing hashes must stay (as `PodSpec::hash_dump`
//! does for `tolerations`).
//!
//! Why not `Debug` itself: calling it at run time kept every derived `Debug` impl of the pod
//! template's types and core's `DebugStruct`/`DebugList`/`DebugMap` builders in the browser's
//! wasm. These plain writers are smaller, and nothing else in the app calls `Debug`, so link-time
//! optimisation drops it. Strings still go through `<str as Debug>` for the exact escaping
//! (`"`, `\`, control and non-printable characters).

use super::*;
use crate::time::SimTime;
use std::collections::BTreeMap;
use std::fmt::Write;

/// A value that can write its `Debug` text without the `Debug` machinery.
pub(crate) trait Dump {
    fn dump(&self, out: &mut String);
}

/// The `Debug` text of `v`, written by [`Dump`].
pub(crate) fn dump<T: Dump + ?Sized>(v: &T) -> String {
    let mut out = String::new();
    v.dump(&mut out);
    out
}

/// `Name { a: .., b: .. }`, as `#[derive(Debug)]` writes a struct (or a struct variant).
fn fields(out: &mut String, name: &str, fields: &[(&str, &dyn Dump)]) {
    out.push_str(name);
    for (i, (field, value)) in fields.iter().enumerate() {
        out.push_str(if i == 0 { " { " } else { ", " });
        out.push_str(field);
        out.push_str(": ");
        value.dump(out);
    }
    if !fields.is_empty() {
        out.push_str(" }");
    }
}

/// `Name(..)`, a tuple struct or tuple variant with one field.
fn tuple1(out: &mut String, name: &str, value: &dyn Dump) {
    out.push_str(name);
    out.push('(');
    value.dump(out);
    out.push(')');
}

impl Dump for str {
    fn dump(&self, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = write!(out, "{self:?}");
    }
}

impl Dump for String {
    fn dump(&self, out: &mut String) {
        self.as_str().dump(out);
    }
}

impl Dump for bool {
    fn dump(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

/// Integers: `Debug` without `{:x?}` is their decimal `Display`.
macro_rules! dump_int {
    ($($t:ty),*) => {$(
        impl Dump for $t {
            fn dump(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
dump_int!(i32, i64, u64);

impl<T: Dump> Dump for Option<T> {
    fn dump(&self, out: &mut String) {
        match self {
            None => out.push_str("None"),
            Some(v) => tuple1(out, "Some", v),
        }
    }
}

impl<T: Dump> Dump for Vec<T> {
    fn dump(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            v.dump(out);
        }
        out.push(']');
    }
}

impl<K: Dump, V: Dump> Dump for BTreeMap<K, V> {
    fn dump(&self, out: &mut String) {
        out.push('{');
        for (i, (k, v)) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            k.dump(out);
            out.push_str(": ");
            v.dump(out);
        }
        out.push('}');
    }
}

impl<A: Dump, B: Dump> Dump for (A, B) {
    fn dump(&self, out: &mut String) {
        out.push('(');
        self.0.dump(out);
        out.push_str(", ");
        self.1.dump(out);
        out.push(')');
    }
}

impl Dump for SimTime {
    fn dump(&self, out: &mut String) {
        tuple1(out, "SimTime", &self.0);
    }
}

impl Dump for OwnerReference {
    fn dump(&self, out: &mut String) {
        fields(
            out,
            "OwnerReference",
            &[
                ("api_version", &self.api_version),
                ("kind", &self.kind),
                ("name", &self.name),
                ("uid", &self.uid),
                ("controller", &self.controller),
            ],
        );
    }
}

impl Dump for ObjectMeta {
    fn dump(&self, out: &mut String) {
        fields(
            out,
            "ObjectMeta",
            &[
                ("name", &self.name),
                ("generate_name", &self.generate_name),
                ("namespace", &self.namespace),
                ("uid", &self.uid),
                ("labels", &self.labels),
                ("annotations", &self.annotations),
                ("owner_references", &self.owner_references),
                ("creation_timestamp", &self.creation_timestamp),
                ("deletion_timestamp", &self.deletion_timestamp),
                ("deletion_grace_period_seconds", &self.deletion_grace_period_seconds),
                ("resource_version", &self.resource_version),
                ("generation", &self.generation),
            ],
        );
    }
}

impl Dump for IntOrString {
    fn dump(&self, out: &mut String) {
        match self {
            IntOrString::Int(i) => tuple1(out, "Int", i),
            IntOrString::Str(s) => tuple1(out, "Str", s),
        }
    }
}

impl Dump for ProbeHandler {
    fn dump(&self, out: &mut String) {
        match self {
            ProbeHandler::Exec(command) => tuple1(out, "Exec", command),
            ProbeHandler::HttpGet { path, port } => fields(out, "HttpGet", &[("path", path), ("port", port)]),
            ProbeHandler::TcpSocket { port } => fields(out, "TcpSocket", &[("port", port)]),
        }
    }
}

impl Dump for Probe {
    fn dump(&self, out: &mut String) {
        fields(
            out,
            "Probe",
            &[
                ("handler", &self.handler),
                ("initial_delay_seconds", &self.initial_delay_seconds),
                ("period_seconds", &self.period_seconds),
                ("timeout_seconds", &self.timeout_seconds),
                ("success_threshold", &self.success_threshold),
                ("failure_threshold", &self.failure_threshold),
            ],
        );
    }
}

impl Dump for ContainerPort {
    fn dump(&self, out: &mut String) {
        fields(
            out,
            "ContainerPort",
            &[("name", &self.name), ("container_port", &self.container_port), ("protocol", &self.protocol)],
        );
    }
}

impl Dump for Container {
    fn dump(&self, out: &mut String) {
        fields(
            out,
            "Container",
            &[
                ("name", &self.name),
                ("image", &self.image),
                ("command", &self.command),
                ("args", &self.args),
                ("ports", &self.ports),
                ("readiness_probe", &self.readiness_probe),
                ("liveness_probe", &self.liveness_probe),
                ("image_pull_policy", &self.image_pull_policy),
                ("restart_policy", &self.restart_policy),
                ("stdin", &self.stdin),
                ("tty", &self.tty),
                ("volume_mounts", &self.volume_mounts),
            ],
        );
    }
}

impl Dump for PodDnsConfig {
    fn dump(&self, out: &mut String) {
        fields(
            out,
            "PodDnsConfig",
            &[("nameservers", &self.nameservers), ("searches", &self.searches), ("options", &self.options)],
        );
    }
}

impl Dump for Toleration {
    fn dump(&self, out: &mut String) {
        fields(
            out,
            "Toleration",
            &[
                ("key", &self.key),
                ("operator", &self.operator),
                ("value", &self.value),
                ("effect", &self.effect),
                ("toleration_seconds", &self.toleration_seconds),
            ],
        );
    }
}

impl Dump for PodSpec {
    fn dump(&self, out: &mut String) {
        fields(
            out,
            "PodSpec",
            &[
                ("containers", &self.containers),
                ("init_containers", &self.init_containers),
                ("node_name", &self.node_name),
                ("node_selector", &self.node_selector),
                ("hostname", &self.hostname),
                ("subdomain", &self.subdomain),
                ("set_hostname_as_fqdn", &self.set_hostname_as_fqdn),
                ("restart_policy", &self.restart_policy),
                ("dns_policy", &self.dns_policy),
                ("dns_config", &self.dns_config),
                ("host_network", &self.host_network),
                ("termination_grace_period_seconds", &self.termination_grace_period_seconds),
                ("tolerations", &self.tolerations),
                ("volumes", &self.volumes),
            ],
        );
    }
}

impl Dump for VolumeMount {
    fn dump(&self, out: &mut String) {
        fields(
            out,
            "VolumeMount",
            &[("name", &self.name), ("mount_path", &self.mount_path), ("read_only", &self.read_only)],
        );
    }
}

impl Dump for Volume {
    fn dump(&self, out: &mut String) {
        fields(out, "Volume", &[("name", &self.name), ("claim_name", &self.claim_name)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controllers::{daemonset, deployment, statefulset};
    use crate::names::pod_template_hash;

    fn probe(handler: ProbeHandler) -> Option<Probe> {
        Some(Probe { handler, initial_delay_seconds: 5, period_seconds: 7, ..Probe::default() })
    }

    /// A template with every field set, strings that `Debug` escapes (quote, backslash, tab,
    /// newline, a control and a non-printable character) and non-ASCII text.
    fn full_template() -> PodTemplateSpec {
        let container = |name: &str| Container {
            name: name.into(),
            image: "registry.k8s.io/e2e-test-images/agnhost:2.39".into(),
            command: vec!["/agnhost".into(), "netexec".into()],
            args: vec!["--http-port=8080".into(), "say \"hi\"\t\\ \n\u{7}\u{200b} 你好".into()],
            ports: vec![
                ContainerPort { name: Some("http".into()), container_port: 8080, protocol: "TCP".into() },
                ContainerPort { name: None, container_port: -1, protocol: "UDP".into() },
            ],
            readiness_probe: probe(ProbeHandler::HttpGet { path: "/ready".into(), port: IntOrString::Int(8080) }),
            liveness_probe: probe(ProbeHandler::TcpSocket { port: IntOrString::Str("http".into()) }),
            image_pull_policy: Some("IfNotPresent".into()),
            restart_policy: Some("Always".into()),
            stdin: true,
            tty: false,
            volume_mounts: vec![],
        };
        let mut sidecar = container("sidecar");
        sidecar.readiness_probe = probe(ProbeHandler::Exec(vec!["cat".into(), "/tmp/ready".into()]));
        PodTemplateSpec {
            metadata: ObjectMeta {
                name: "web".into(),
                generate_name: Some("web-".into()),
                namespace: "default".into(),
                uid: "uid-1".into(),
                labels: [("app".into(), "web".into()), ("tier".into(), "front \"end\"".into())].into(),
                annotations: [(deployment::RESTARTED_AT_ANNOTATION.into(), "2024-01-01T00:00:00Z".into())].into(),
                owner_references: vec![OwnerReference {
                    api_version: "apps/v1".into(),
                    kind: "ReplicaSet".into(),
                    name: "web-1".into(),
                    uid: "uid-0".into(),
                    controller: true,
                }],
                creation_timestamp: SimTime(1_500),
                deletion_timestamp: Some(SimTime(u64::MAX)),
                deletion_grace_period_seconds: Some(i64::MIN),
                resource_version: 42,
                generation: 3,
            },
            spec: PodSpec {
                containers: vec![container("app"), sidecar],
                init_containers: vec![container("init")],
                node_name: Some("kind-worker".into()),
                node_selector: [("kubernetes.io/os".into(), "linux".into())].into(),
                hostname: Some("web-0".into()),
                subdomain: Some("web".into()),
                set_hostname_as_fqdn: Some(true),
                restart_policy: Some("Always".into()),
                dns_policy: Some("None".into()),
                dns_config: Some(PodDnsConfig {
                    nameservers: vec!["10.96.0.10".into(), "fd00:10:96::a".into()],
                    searches: vec!["svc.cluster.local".into()],
                    options: vec![("ndots".into(), Some("2".into())), ("edns0".into(), None)],
                }),
                host_network: true,
                termination_grace_period_seconds: Some(30),
                tolerations: vec![
                    Toleration {
                        key: Some("node-role.kubernetes.io/control-plane".into()),
                        operator: Some("Exists".into()),
                        value: None,
                        effect: Some("NoSchedule".into()),
                        toleration_seconds: None,
                    },
                    Toleration { toleration_seconds: Some(300), ..Toleration::default() },
                ],
                volumes: vec![],
            },
        }
    }

    /// The full template plus the storage fields (claim volumes, volume mounts).
    fn storage_template() -> PodTemplateSpec {
        let mut t = full_template();
        t.spec.volumes = vec![Volume { name: "www".into(), claim_name: "www-web-0".into() }];
        t.spec.containers[0].volume_mounts =
            vec![VolumeMount { name: "www".into(), mount_path: "/data \"x\"".into(), read_only: true }];
        t
    }

    /// The smallest template a manifest gives: one container, everything else default.
    fn minimal_template() -> PodTemplateSpec {
        let mut t = PodTemplateSpec::default();
        t.metadata.labels.insert("app".into(), "web".into());
        t.spec.containers.push(Container { name: "web".into(), image: "nginx".into(), ..Container::default() });
        t
    }

    #[test]
    fn dumps_equal_debug_text() {
        for t in [full_template(), storage_template(), minimal_template(), PodTemplateSpec::default()] {
            assert_eq!(dump(&t.spec), format!("{:?}", t.spec));
            assert_eq!(dump(&t.metadata), format!("{:?}", t.metadata));
            assert_eq!(dump(&t.metadata.labels), format!("{:?}", t.metadata.labels));
            assert_eq!(dump(&t.metadata.annotations), format!("{:?}", t.metadata.annotations));
        }
        let t = full_template();
        assert_eq!(dump(&t.spec.containers[0].liveness_probe), format!("{:?}", t.spec.containers[0].liveness_probe));
        assert_eq!(dump(&t.spec.dns_config), format!("{:?}", t.spec.dns_config));
        assert_eq!(dump(&t.spec.tolerations), format!("{:?}", t.spec.tolerations));
    }

    #[test]
    fn hash_dumps_equal_the_debug_based_ones() {
        for t in [full_template(), minimal_template(), PodTemplateSpec::default()] {
            // What PodSpec::hash_dump was: Debug without an empty `tolerations` field (and
            // without the storage fields, which came later still).
            let d = format!("{:?}", t.spec).replace(", volume_mounts: [] }", " }");
            let d = d.strip_suffix(", volumes: [] }").map(|h| format!("{h} }}")).unwrap_or(d);
            let old = d.strip_suffix(", tolerations: [] }").map(|h| format!("{h} }}")).unwrap_or(d);
            assert_eq!(t.spec.hash_dump(), old);
            assert_eq!(
                t.hash_dump(),
                format!("PodTemplateSpec {{ metadata: {:?}, spec: {} }}", t.metadata, t.spec.hash_dump())
            );
        }
    }

    /// Generated names the transcripts show depend on these values: they must never change.
    #[test]
    fn template_hashes_are_pinned() {
        let t = minimal_template();
        let s = StatefulSet {
            metadata: ObjectMeta { name: "web".into(), ..ObjectMeta::default() },
            spec: StatefulSetSpec { template: t.clone(), ..StatefulSetSpec::default() },
            ..StatefulSet::default()
        };
        let ds = DaemonSet {
            spec: DaemonSetSpec { template: t.clone(), ..DaemonSetSpec::default() },
            ..DaemonSet::default()
        };
        let full = full_template();
        let pinned = [
            deployment::template_hash(&t),
            deployment::template_hash(&full),
            statefulset::revision_name(&s),
            daemonset::revision_hash(&ds),
            pod_template_hash(&t.hash_dump(), 0),
            pod_template_hash(&full.hash_dump(), 0),
        ];
        assert_eq!(pinned, PINNED.map(String::from));
    }

    // Computed by the Debug-based dumps before this module replaced them.
    const PINNED: [&str; 6] = ["5d5df8df47", "855b574776", "web-77dfcf8bf9", "7559cc64c9", "6d575bbd97", "bbf956dd9"];
}
