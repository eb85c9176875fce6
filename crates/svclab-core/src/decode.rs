//! Manifest decoding: a YAML [`Node`] becomes a typed API [`Object`], the way the API server's
//! strict decoder reads JSON. Unknown fields are collected with their full path
//! (`strict decoding error: unknown field "spec.selectr"`), type mismatches read as Go's
//! encoding/json says them (`json: cannot unmarshal string into Go struct field
//! ServicePort.spec.ports.port of type int32`), and every problem keeps the line and column
//! of the offending node. Defaults the API server applies (protocol TCP, targetPort = port,
//! replicas 1, ...) are filled in here so the rest of the core sees complete objects.

use crate::api::*;
use crate::diag::{Diagnostic, Pos};
use crate::yaml::{scalar_text, Node, NodeKind};

/// Why a document could not become an object.
#[derive(Clone, Debug, PartialEq)]
pub enum DecodeError {
    /// `apiVersion` or `kind` missing: kubectl refuses the document before sending it.
    MissingTypeMeta { field: &'static str, pos: Pos },
    /// A kind (or apiVersion) the lab does not know: kubectl's "resource mapping not found".
    UnknownKind { kind: String, api_version: String, name: String, pos: Pos },
    /// The object decoded with problems: strict-decoding and type errors, each with a position.
    Invalid { kind: Kind, name: String, diagnostics: Vec<Diagnostic> },
}

/// What decoding one document yields: the object and the identity needed for messages.
pub fn decode_object(root: &Node) -> Result<Object, DecodeError> {
    let api_version = root.get("apiVersion").map(scalar_text).unwrap_or_default();
    let kind_text = root.get("kind").map(scalar_text).unwrap_or_default();
    if !matches!(root.kind, NodeKind::Map(_)) {
        return Err(DecodeError::MissingTypeMeta { field: "kind", pos: root.pos });
    }
    if api_version.is_empty() {
        return Err(DecodeError::MissingTypeMeta { field: "apiVersion", pos: root.pos });
    }
    if kind_text.is_empty() {
        return Err(DecodeError::MissingTypeMeta { field: "kind", pos: root.pos });
    }
    let name = root.get("metadata").and_then(|m| m.get("name")).map(scalar_text).unwrap_or_default();
    let kind = match Kind::from_kind(&kind_text) {
        Some(k) if k.api_version() == api_version => k,
        _ => {
            let pos = root.get("kind").map(|n| n.pos).unwrap_or(root.pos);
            return Err(DecodeError::UnknownKind { kind: kind_text, api_version, name, pos });
        }
    };
    let mut d = Dec::new();
    let obj = d.object(kind, root);
    d.finish(kind, name)?;
    Ok(obj)
}

/// `spec.ports[0].port` → `spec.ports.port`.
fn strip_indexes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    for ch in path.chars() {
        match ch {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// Collects problems while walking one object.
struct Dec {
    unknown: Vec<(String, Pos)>,
    errors: Vec<Diagnostic>,
}

/// Fields we accept but do not model: their contents are not checked.
const OPAQUE: &[&str] = &[
    "env",
    "envFrom",
    "resources",
    "volumeMounts",
    "volumeDevices",
    "workingDir",
    "securityContext",
    "lifecycle",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "stdin",
    "stdinOnce",
    "tty",
    "startupProbe",
    "resizePolicy",
];

impl Dec {
    fn new() -> Self {
        Dec { unknown: Vec::new(), errors: Vec::new() }
    }

    fn finish(self, kind: Kind, name: String) -> Result<(), DecodeError> {
        let mut diagnostics = self.errors;
        if !self.unknown.is_empty() {
            let text =
                self.unknown.iter().map(|(p, _)| format!("unknown field \"{p}\"")).collect::<Vec<_>>().join(", ");
            for (path, pos) in &self.unknown {
                diagnostics.push(
                    Diagnostic::error("decode.unknown_field", *pos, format!("strict decoding error: {text}"))
                        .with_args(&[path]),
                );
            }
        }
        if diagnostics.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::Invalid { kind, name, diagnostics })
        }
    }

    /// The entries of a map node; records a type error for anything else. `known` lists the
    /// accepted keys; others are unknown fields (reported with `path.key`).
    fn fields<'n>(&mut self, node: &'n Node, path: &str, go_type: &str, known: &[&str]) -> Vec<(&'n str, &'n Node)> {
        match &node.kind {
            NodeKind::Map(entries) => {
                let mut out = Vec::new();
                for (k, v) in entries {
                    if known.contains(&k.as_str()) {
                        out.push((k.as_str(), v));
                    } else if !OPAQUE.contains(&k.as_str()) {
                        let full = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                        self.unknown.push((full, v.key_or_pos()));
                    }
                }
                out
            }
            NodeKind::Null => Vec::new(),
            _ => {
                self.type_error(node, go_type, path, go_type);
                Vec::new()
            }
        }
    }

    /// `json: cannot unmarshal <json type> into Go struct field <Struct>.<path> of type <go type>`.
    fn type_error(&mut self, node: &Node, go_struct: &str, path: &str, go_type: &str) {
        // encoding/json's field path has no sequence indexes (`ServicePort.spec.ports.port`),
        // unlike the strict decoder's unknown-field path (`spec.ports[0].nme`).
        let path = &strip_indexes(path);
        let msg = if path.is_empty() {
            format!("json: cannot unmarshal {} into Go value of type {}", node.type_name(), go_type)
        } else {
            format!(
                "json: cannot unmarshal {} into Go struct field {}.{} of type {}",
                node.type_name(),
                go_struct,
                path,
                go_type
            )
        };
        self.errors.push(Diagnostic::error("decode.type", node.pos, msg).with_args(&[path, go_type, node.type_name()]));
    }

    fn string(&mut self, node: &Node, st: &str, path: &str) -> String {
        match &node.kind {
            NodeKind::Str(s) => s.clone(),
            NodeKind::Null => String::new(),
            _ => {
                self.type_error(node, st, path, "string");
                String::new()
            }
        }
    }

    fn opt_string(&mut self, node: &Node, st: &str, path: &str) -> Option<String> {
        if node.is_null() {
            None
        } else {
            Some(self.string(node, st, path))
        }
    }

    fn int(&mut self, node: &Node, st: &str, path: &str, go_type: &str) -> i64 {
        match &node.kind {
            NodeKind::Int(i) => {
                if go_type == "int32" && (*i > i32::MAX as i64 || *i < i32::MIN as i64) {
                    let path = strip_indexes(path);
                    self.errors.push(
                        Diagnostic::error(
                            "decode.type",
                            node.pos,
                            format!("json: cannot unmarshal number {i} into Go struct field {st}.{path} of type int32"),
                        )
                        .with_args(&[&path, "int32", &format!("number {i}")]),
                    );
                    return 0;
                }
                *i
            }
            NodeKind::Float(f) if f.fract() == 0.0 => *f as i64,
            NodeKind::Null => 0,
            _ => {
                self.type_error(node, st, path, go_type);
                0
            }
        }
    }

    fn bool(&mut self, node: &Node, st: &str, path: &str) -> bool {
        match &node.kind {
            NodeKind::Bool(b) => *b,
            NodeKind::Null => false,
            _ => {
                self.type_error(node, st, path, "bool");
                false
            }
        }
    }

    fn strings(&mut self, node: &Node, st: &str, path: &str) -> Vec<String> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().map(|n| self.string(n, st, path)).collect(),
            NodeKind::Null => Vec::new(),
            _ => {
                self.type_error(node, st, path, "[]string");
                Vec::new()
            }
        }
    }

    fn items<'n>(&mut self, node: &'n Node, st: &str, path: &str, go_type: &str) -> &'n [Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            NodeKind::Null => &[],
            _ => {
                self.type_error(node, st, path, go_type);
                &[]
            }
        }
    }

    fn string_map(&mut self, node: &Node, st: &str, path: &str) -> Labels {
        match &node.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .map(|(k, v)| {
                    let v = match &v.kind {
                        NodeKind::Str(s) => s.clone(),
                        NodeKind::Null => String::new(),
                        _ => {
                            self.type_error(v, st, path, "string");
                            String::new()
                        }
                    };
                    (k.clone(), v)
                })
                .collect(),
            NodeKind::Null => Labels::new(),
            _ => {
                self.type_error(node, st, path, "map[string]string");
                Labels::new()
            }
        }
    }

    fn int_or_string(&mut self, node: &Node, st: &str, path: &str) -> IntOrString {
        match &node.kind {
            NodeKind::Int(i) => IntOrString::Int(*i as i32),
            NodeKind::Str(s) => IntOrString::Str(s.clone()),
            _ => {
                self.type_error(node, st, path, "intstr.IntOrString");
                IntOrString::Int(0)
            }
        }
    }

    // -----------------------------------------------------------------------------------------

    fn object(&mut self, kind: Kind, root: &Node) -> Object {
        let mut known = vec!["apiVersion", "kind", "metadata"];
        match kind {
            Kind::ConfigMap => known.extend(["data", "binaryData", "immutable"]),
            Kind::Endpoints => known.push("subsets"),
            Kind::EndpointSlice => known.extend(["addressType", "endpoints", "ports"]),
            Kind::Namespace | Kind::Node => known.extend(["spec", "status"]),
            Kind::StorageClass => known.extend([
                "provisioner",
                "reclaimPolicy",
                "volumeBindingMode",
                "parameters",
                "allowVolumeExpansion",
                "mountOptions",
                "allowedTopologies",
            ]),
            _ => known.extend(["spec", "status"]),
        }
        let top = self.fields(root, "", kind.name(), &known);
        let get = |k: &str| top.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
        let metadata = get("metadata").map(|m| self.meta(m, "metadata")).unwrap_or_default();
        let null = Node::null();
        let spec = get("spec").unwrap_or(&null);
        let status = get("status").unwrap_or(&null);
        match kind {
            Kind::Namespace => Object::Namespace(Namespace { metadata }),
            Kind::Node => Object::Node(crate::api::Node { metadata, ready: true, ..Default::default() }),
            Kind::ConfigMap => {
                let data = get("data").map(|d| self.string_map(d, "ConfigMap", "data")).unwrap_or_default();
                Object::ConfigMap(ConfigMap { metadata, data })
            }
            Kind::Pod => {
                Object::Pod(Pod { metadata, spec: self.pod_spec(spec, "spec", "Pod"), status: PodStatus::default() })
            }
            Kind::Service => {
                let spec = self.service_spec(spec);
                let status = self.service_status(status);
                Object::Service(Service { metadata, spec, status })
            }
            Kind::Deployment => Object::Deployment(self.deployment(metadata, spec)),
            Kind::ReplicaSet => {
                let f = self.fields(
                    spec,
                    "spec",
                    "ReplicaSetSpec",
                    &["replicas", "selector", "template", "minReadySeconds"],
                );
                let mut rs = ReplicaSetSpec { replicas: 1, ..Default::default() };
                for (k, v) in f {
                    match k {
                        "replicas" => rs.replicas = self.int(v, "ReplicaSetSpec", "spec.replicas", "int32") as i32,
                        "selector" => rs.selector = self.label_selector(v, "spec.selector"),
                        "template" => rs.template = self.template(v, "spec.template"),
                        _ => {}
                    }
                }
                Object::ReplicaSet(ReplicaSet { metadata, spec: rs, status: WorkloadStatus::default() })
            }
            Kind::StatefulSet => Object::StatefulSet(self.statefulset(metadata, spec)),
            Kind::DaemonSet => Object::DaemonSet(self.daemonset(metadata, spec)),
            Kind::EndpointSlice => Object::EndpointSlice(self.endpoint_slice(metadata, &top)),
            Kind::Endpoints => {
                let subsets = get("subsets").map(|s| self.subsets(s)).unwrap_or_default();
                Object::Endpoints(Endpoints { metadata, subsets })
            }
            Kind::PersistentVolumeClaim => Object::PersistentVolumeClaim(PersistentVolumeClaim {
                metadata,
                spec: crate::api::read_pvc_spec(spec),
                status: PvcStatus { phase: "Pending".into(), capacity: None },
            }),
            Kind::StorageClass => Object::StorageClass(crate::api::read_storage_class(metadata, root)),
        }
    }

    fn meta(&mut self, node: &Node, path: &str) -> ObjectMeta {
        let f = self.fields(
            node,
            path,
            "ObjectMeta",
            &[
                "name",
                "generateName",
                "namespace",
                "labels",
                "annotations",
                "uid",
                "resourceVersion",
                "creationTimestamp",
                "ownerReferences",
                "generation",
                "finalizers",
                "managedFields",
                "selfLink",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
            ],
        );
        let mut m = ObjectMeta::default();
        for (k, v) in f {
            let p = format!("{path}.{k}");
            match k {
                "name" => m.name = self.string(v, "ObjectMeta", &p),
                "generateName" => m.generate_name = self.opt_string(v, "ObjectMeta", &p),
                "namespace" => m.namespace = self.string(v, "ObjectMeta", &p),
                "labels" => m.labels = self.string_map(v, "ObjectMeta", &p),
                "annotations" => m.annotations = self.string_map(v, "ObjectMeta", &p),
                _ => {}
            }
        }
        m
    }

    fn template(&mut self, node: &Node, path: &str) -> PodTemplateSpec {
        let f = self.fields(node, path, "PodTemplateSpec", &["metadata", "spec"]);
        let mut t = PodTemplateSpec::default();
        for (k, v) in f {
            match k {
                "metadata" => t.metadata = self.meta(v, &format!("{path}.metadata")),
                "spec" => t.spec = self.pod_spec(v, &format!("{path}.spec"), "PodTemplateSpec"),
                _ => {}
            }
        }
        t
    }

    fn label_selector(&mut self, node: &Node, path: &str) -> LabelSelector {
        let f = self.fields(node, path, "LabelSelector", &["matchLabels", "matchExpressions"]);
        let mut s = LabelSelector::default();
        for (k, v) in f {
            let p = format!("{path}.{k}");
            match k {
                "matchLabels" => s.match_labels = self.string_map(v, "LabelSelector", &p),
                "matchExpressions" => {
                    for (i, item) in
                        self.items(v, "LabelSelector", &p, "[]v1.LabelSelectorRequirement").iter().enumerate()
                    {
                        let mut r =
                            LabelSelectorRequirement { key: String::new(), operator: String::new(), values: vec![] };
                        let p = &format!("{p}[{i}]");
                        for (k2, v2) in self.fields(item, p, "LabelSelectorRequirement", &["key", "operator", "values"])
                        {
                            let p2 = format!("{p}.{k2}");
                            match k2 {
                                "key" => r.key = self.string(v2, "LabelSelectorRequirement", &p2),
                                "operator" => r.operator = self.string(v2, "LabelSelectorRequirement", &p2),
                                "values" => r.values = self.strings(v2, "LabelSelectorRequirement", &p2),
                                _ => {}
                            }
                        }
                        s.match_expressions.push(r);
                    }
                }
                _ => {}
            }
        }
        s
    }

    fn pod_spec(&mut self, node: &Node, path: &str, st: &str) -> PodSpec {
        let f = self.fields(
            node,
            path,
            st,
            &[
                "containers",
                "initContainers",
                "nodeName",
                "nodeSelector",
                "hostname",
                "subdomain",
                "setHostnameAsFQDN",
                "restartPolicy",
                "dnsPolicy",
                "dnsConfig",
                "hostNetwork",
                "terminationGracePeriodSeconds",
                "volumes",
                "affinity",
                "tolerations",
                "serviceAccountName",
                "securityContext",
                "imagePullSecrets",
                "priorityClassName",
                "topologySpreadConstraints",
                "enableServiceLinks",
                "automountServiceAccountToken",
                "schedulerName",
            ],
        );
        let mut s = PodSpec { volumes: crate::api::read_claim_volumes(node), ..PodSpec::default() };
        for (k, v) in f {
            let p = format!("{path}.{k}");
            match k {
                "containers" => {
                    s.containers = self
                        .items(v, "PodSpec", &p, "[]v1.Container")
                        .iter()
                        .enumerate()
                        .map(|(i, c)| self.container(c, &format!("{p}[{i}]")))
                        .collect()
                }
                "initContainers" => {
                    s.init_containers = self
                        .items(v, "PodSpec", &p, "[]v1.Container")
                        .iter()
                        .enumerate()
                        .map(|(i, c)| self.container(c, &format!("{p}[{i}]")))
                        .collect()
                }
                "nodeName" => s.node_name = self.opt_string(v, "PodSpec", &p),
                "nodeSelector" => s.node_selector = self.string_map(v, "PodSpec", &p),
                "hostname" => s.hostname = self.opt_string(v, "PodSpec", &p),
                "subdomain" => s.subdomain = self.opt_string(v, "PodSpec", &p),
                "setHostnameAsFQDN" => s.set_hostname_as_fqdn = Some(self.bool(v, "PodSpec", &p)),
                "restartPolicy" => s.restart_policy = self.opt_string(v, "PodSpec", &p),
                "dnsPolicy" => s.dns_policy = self.opt_string(v, "PodSpec", &p),
                "hostNetwork" => s.host_network = self.bool(v, "PodSpec", &p),
                "tolerations" => s.tolerations = self.tolerations(v, &p),
                "terminationGracePeriodSeconds" => {
                    s.termination_grace_period_seconds = Some(self.int(v, "PodSpec", &p, "int64"))
                }
                "dnsConfig" => {
                    let mut c = PodDnsConfig::default();
                    for (k2, v2) in self.fields(v, &p, "PodDNSConfig", &["nameservers", "searches", "options"]) {
                        let p2 = format!("{p}.{k2}");
                        match k2 {
                            "nameservers" => c.nameservers = self.strings(v2, "PodDNSConfig", &p2),
                            "searches" => c.searches = self.strings(v2, "PodDNSConfig", &p2),
                            "options" => {
                                for (i, o) in
                                    self.items(v2, "PodDNSConfig", &p2, "[]v1.PodDNSConfigOption").iter().enumerate()
                                {
                                    let mut name = String::new();
                                    let mut value = None;
                                    let p2 = &format!("{p2}[{i}]");
                                    for (k3, v3) in self.fields(o, p2, "PodDNSConfigOption", &["name", "value"]) {
                                        match k3 {
                                            "name" => {
                                                name = self.string(v3, "PodDNSConfigOption", &format!("{p2}.name"))
                                            }
                                            _ => {
                                                value =
                                                    self.opt_string(v3, "PodDNSConfigOption", &format!("{p2}.value"))
                                            }
                                        }
                                    }
                                    c.options.push((name, value));
                                }
                            }
                            _ => {}
                        }
                    }
                    s.dns_config = Some(c);
                }
                _ => {}
            }
        }
        s
    }

    fn tolerations(&mut self, node: &Node, path: &str) -> Vec<Toleration> {
        let mut out = Vec::new();
        for (i, item) in self.items(node, "PodSpec", path, "[]v1.Toleration").iter().enumerate() {
            let p = format!("{path}[{i}]");
            let mut t = Toleration::default();
            let known = ["key", "operator", "value", "effect", "tolerationSeconds"];
            for (k, v) in self.fields(item, &p, "Toleration", &known) {
                let p2 = format!("{p}.{k}");
                match k {
                    "key" => t.key = self.opt_string(v, "Toleration", &p2),
                    "operator" => t.operator = self.opt_string(v, "Toleration", &p2),
                    "value" => t.value = self.opt_string(v, "Toleration", &p2),
                    "effect" => t.effect = self.opt_string(v, "Toleration", &p2),
                    "tolerationSeconds" => t.toleration_seconds = Some(self.int(v, "Toleration", &p2, "int64")),
                    _ => {}
                }
            }
            out.push(t);
        }
        out
    }

    fn container(&mut self, node: &Node, path: &str) -> Container {
        let f = self.fields(
            node,
            path,
            "Container",
            &[
                "name",
                "image",
                "command",
                "args",
                "ports",
                "readinessProbe",
                "livenessProbe",
                "imagePullPolicy",
                "restartPolicy",
            ],
        );
        let mut c = Container { volume_mounts: crate::api::read_volume_mounts(node), ..Container::default() };
        for (k, v) in f {
            let p = format!("{path}.{k}");
            match k {
                "name" => c.name = self.string(v, "Container", &p),
                "image" => c.image = self.string(v, "Container", &p),
                "command" => c.command = self.strings(v, "Container", &p),
                "args" => c.args = self.strings(v, "Container", &p),
                "imagePullPolicy" => c.image_pull_policy = self.opt_string(v, "Container", &p),
                "restartPolicy" => c.restart_policy = self.opt_string(v, "Container", &p),
                "readinessProbe" => c.readiness_probe = Some(self.probe(v, &p)),
                "livenessProbe" => c.liveness_probe = Some(self.probe(v, &p)),
                "ports" => {
                    for (i, item) in self.items(v, "Container", &p, "[]v1.ContainerPort").iter().enumerate() {
                        let mut cp = ContainerPort { protocol: "TCP".into(), ..Default::default() };
                        let p = &format!("{p}[{i}]");
                        for (k2, v2) in self.fields(
                            item,
                            p,
                            "ContainerPort",
                            &["name", "containerPort", "protocol", "hostPort", "hostIP"],
                        ) {
                            let p2 = format!("{p}.{k2}");
                            match k2 {
                                "name" => cp.name = self.opt_string(v2, "ContainerPort", &p2),
                                "containerPort" => {
                                    cp.container_port = self.int(v2, "ContainerPort", &p2, "int32") as i32
                                }
                                "protocol" => cp.protocol = self.string(v2, "ContainerPort", &p2),
                                _ => {}
                            }
                        }
                        c.ports.push(cp);
                    }
                }
                _ => {}
            }
        }
        if c.image_pull_policy.is_none() {
            // API server defaulting: `:latest` or no tag ⇒ Always, else IfNotPresent.
            let tag = c.image.rsplit_once(':').filter(|(_, t)| !t.contains('/')).map(|(_, t)| t);
            c.image_pull_policy =
                Some(if tag.is_none_or(|t| t == "latest") { "Always" } else { "IfNotPresent" }.to_string());
        }
        c
    }

    fn probe(&mut self, node: &Node, path: &str) -> Probe {
        let f = self.fields(
            node,
            path,
            "Probe",
            &[
                "exec",
                "httpGet",
                "tcpSocket",
                "grpc",
                "initialDelaySeconds",
                "periodSeconds",
                "timeoutSeconds",
                "successThreshold",
                "failureThreshold",
                "terminationGracePeriodSeconds",
            ],
        );
        let mut pr = Probe::default();
        for (k, v) in f {
            let p = format!("{path}.{k}");
            match k {
                "exec" => {
                    let mut cmd = Vec::new();
                    for (_, v2) in self.fields(v, &p, "ExecAction", &["command"]) {
                        cmd = self.strings(v2, "ExecAction", &format!("{p}.command"));
                    }
                    pr.handler = ProbeHandler::Exec(cmd);
                }
                "httpGet" => {
                    let mut path_s = "/".to_string();
                    let mut port = IntOrString::Int(80);
                    for (k2, v2) in
                        self.fields(v, &p, "HTTPGetAction", &["path", "port", "host", "scheme", "httpHeaders"])
                    {
                        match k2 {
                            "path" => path_s = self.string(v2, "HTTPGetAction", &format!("{p}.path")),
                            "port" => port = self.int_or_string(v2, "HTTPGetAction", &format!("{p}.port")),
                            _ => {}
                        }
                    }
                    pr.handler = ProbeHandler::HttpGet { path: path_s, port };
                }
                "tcpSocket" | "grpc" => {
                    let mut port = IntOrString::Int(80);
                    for (k2, v2) in self.fields(v, &p, "TCPSocketAction", &["port", "host", "service"]) {
                        if k2 == "port" {
                            port = self.int_or_string(v2, "TCPSocketAction", &format!("{p}.port"));
                        }
                    }
                    pr.handler = ProbeHandler::TcpSocket { port };
                }
                "initialDelaySeconds" => pr.initial_delay_seconds = self.int(v, "Probe", &p, "int32"),
                "periodSeconds" => pr.period_seconds = self.int(v, "Probe", &p, "int32"),
                "timeoutSeconds" => pr.timeout_seconds = self.int(v, "Probe", &p, "int32"),
                "successThreshold" => pr.success_threshold = self.int(v, "Probe", &p, "int32"),
                "failureThreshold" => pr.failure_threshold = self.int(v, "Probe", &p, "int32"),
                _ => {}
            }
        }
        pr
    }

    fn service_spec(&mut self, node: &Node) -> ServiceSpec {
        let f = self.fields(
            node,
            "spec",
            "ServiceSpec",
            &[
                "type",
                "clusterIP",
                "clusterIPs",
                "selector",
                "ports",
                "sessionAffinity",
                "sessionAffinityConfig",
                "externalName",
                "externalIPs",
                "publishNotReadyAddresses",
                "internalTrafficPolicy",
                "externalTrafficPolicy",
                "ipFamilies",
                "ipFamilyPolicy",
                "loadBalancerIP",
                "loadBalancerSourceRanges",
                "loadBalancerClass",
                "allocateLoadBalancerNodePorts",
                "healthCheckNodePort",
                "trafficDistribution",
            ],
        );
        let mut s = ServiceSpec { session_affinity: "None".into(), ..Default::default() };
        for (k, v) in f {
            let p = format!("spec.{k}");
            match k {
                "type" => {
                    let t = self.string(v, "ServiceSpec", &p);
                    match ServiceType::parse(&t) {
                        Some(t) => s.type_ = t,
                        None => self.errors.push(
                            Diagnostic::error(
                                "validation.unsupported",
                                v.pos,
                                format!("spec.type: Unsupported value: \"{t}\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
                            )
                            .with_args(&[
                                "spec.type",
                                &format!("\"{t}\""),
                                "supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
                            ]),
                        ),
                    }
                }
                "clusterIP" => s.cluster_ip = self.opt_string(v, "ServiceSpec", &p).filter(|s| !s.is_empty()),
                "clusterIPs" => s.cluster_ips = self.strings(v, "ServiceSpec", &p),
                "selector" => s.selector = Some(self.string_map(v, "ServiceSpec", &p)),
                "sessionAffinity" => s.session_affinity = self.string(v, "ServiceSpec", &p),
                "externalName" => s.external_name = self.opt_string(v, "ServiceSpec", &p),
                "externalIPs" => s.external_ips = self.strings(v, "ServiceSpec", &p),
                "loadBalancerSourceRanges" => s.load_balancer_source_ranges = self.strings(v, "ServiceSpec", &p),
                "publishNotReadyAddresses" => s.publish_not_ready_addresses = self.bool(v, "ServiceSpec", &p),
                "internalTrafficPolicy" => s.internal_traffic_policy = self.opt_string(v, "ServiceSpec", &p),
                "externalTrafficPolicy" => s.external_traffic_policy = self.opt_string(v, "ServiceSpec", &p),
                "ipFamilyPolicy" => s.ip_family_policy = self.opt_string(v, "ServiceSpec", &p),
                "loadBalancerIP" => s.load_balancer_ip = self.opt_string(v, "ServiceSpec", &p),
                "allocateLoadBalancerNodePorts" => {
                    s.allocate_load_balancer_node_ports = Some(self.bool(v, "ServiceSpec", &p))
                }
                "healthCheckNodePort" => {
                    s.health_check_node_port = Some(self.int(v, "ServiceSpec", &p, "int32") as i32)
                }
                "ipFamilies" => {
                    for fam in self.strings(v, "ServiceSpec", &p) {
                        match fam.as_str() {
                            "IPv4" => s.ip_families.push(IpFamily::IPv4),
                            "IPv6" => s.ip_families.push(IpFamily::IPv6),
                            _ => self.errors.push(
                                Diagnostic::error(
                                    "validation.unsupported",
                                    v.pos,
                                    format!("spec.ipFamilies[0]: Unsupported value: \"{fam}\": supported values: \"IPv4\", \"IPv6\""),
                                )
                                .with_args(&[
                                    "spec.ipFamilies[0]",
                                    &format!("\"{fam}\""),
                                    "supported values: \"IPv4\", \"IPv6\"",
                                ]),
                            ),
                        }
                    }
                }
                "sessionAffinityConfig" => {
                    for (_, ci) in self.fields(v, &p, "SessionAffinityConfig", &["clientIP"]) {
                        for (_, t) in self.fields(ci, &format!("{p}.clientIP"), "ClientIPConfig", &["timeoutSeconds"]) {
                            s.session_affinity_timeout_seconds = Some(self.int(
                                t,
                                "ClientIPConfig",
                                "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                                "int32",
                            ));
                        }
                    }
                }
                "ports" => {
                    for (i, item) in self.items(v, "ServiceSpec", &p, "[]v1.ServicePort").iter().enumerate() {
                        let p = &format!("{p}[{i}]");
                        let mut sp = ServicePort {
                            name: None,
                            protocol: "TCP".into(),
                            port: 0,
                            target_port: IntOrString::Int(0),
                            node_port: None,
                            app_protocol: None,
                        };
                        let mut target = None;
                        for (k2, v2) in self.fields(
                            item,
                            p,
                            "ServicePort",
                            &["name", "protocol", "port", "targetPort", "nodePort", "appProtocol"],
                        ) {
                            let p2 = format!("{p}.{k2}");
                            match k2 {
                                "name" => sp.name = self.opt_string(v2, "ServicePort", &p2).filter(|n| !n.is_empty()),
                                "protocol" => sp.protocol = self.string(v2, "ServicePort", &p2),
                                "port" => sp.port = self.int(v2, "ServicePort", &p2, "int32") as i32,
                                "targetPort" => target = Some(self.int_or_string(v2, "ServicePort", &p2)),
                                "nodePort" => {
                                    sp.node_port =
                                        Some(self.int(v2, "ServicePort", &p2, "int32") as i32).filter(|p| *p != 0)
                                }
                                "appProtocol" => sp.app_protocol = self.opt_string(v2, "ServicePort", &p2),
                                _ => {}
                            }
                        }
                        // Defaulting: targetPort = port (an explicit 0 or "" also defaults).
                        sp.target_port = match target {
                            Some(IntOrString::Int(0)) | None => IntOrString::Int(sp.port),
                            Some(IntOrString::Str(s)) if s.is_empty() => IntOrString::Int(sp.port),
                            Some(t) => t,
                        };
                        s.ports.push(sp);
                    }
                }
                _ => {}
            }
        }
        s
    }

    fn service_status(&mut self, node: &Node) -> ServiceStatus {
        let mut st = ServiceStatus::default();
        if let Some(ingress) = node.get("loadBalancer").and_then(|lb| lb.get("ingress")) {
            if let NodeKind::Seq(items) = &ingress.kind {
                st.load_balancer_ingress = items.iter().filter_map(|i| i.get("ip").map(scalar_text)).collect();
            }
        }
        st
    }

    fn deployment(&mut self, metadata: ObjectMeta, node: &Node) -> Deployment {
        let f = self.fields(
            node,
            "spec",
            "DeploymentSpec",
            &[
                "replicas",
                "selector",
                "template",
                "strategy",
                "minReadySeconds",
                "revisionHistoryLimit",
                "progressDeadlineSeconds",
                "paused",
            ],
        );
        let mut s = DeploymentSpec {
            replicas: 1,
            strategy: "RollingUpdate".into(),
            revision_history_limit: 10,
            ..Default::default()
        };
        for (k, v) in f {
            let p = format!("spec.{k}");
            match k {
                "replicas" => s.replicas = self.int(v, "DeploymentSpec", &p, "int32") as i32,
                "selector" => s.selector = self.label_selector(v, &p),
                "template" => s.template = self.template(v, &p),
                "minReadySeconds" => s.min_ready_seconds = self.int(v, "DeploymentSpec", &p, "int32"),
                "revisionHistoryLimit" => s.revision_history_limit = self.int(v, "DeploymentSpec", &p, "int32") as i32,
                "strategy" => {
                    for (k2, v2) in self.fields(v, &p, "DeploymentStrategy", &["type", "rollingUpdate"]) {
                        match k2 {
                            "type" => s.strategy = self.string(v2, "DeploymentStrategy", "spec.strategy.type"),
                            _ => {
                                let ru = self.fields(
                                    v2,
                                    "spec.strategy.rollingUpdate",
                                    "RollingUpdateDeployment",
                                    &["maxSurge", "maxUnavailable"],
                                );
                                for (k3, v3) in ru {
                                    let val = Some(self.int_or_string(
                                        v3,
                                        "RollingUpdateDeployment",
                                        &format!("spec.strategy.rollingUpdate.{k3}"),
                                    ));
                                    if k3 == "maxSurge" {
                                        s.max_surge = val;
                                    } else {
                                        s.max_unavailable = val;
                                    }
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Deployment { metadata, spec: s, status: WorkloadStatus::default() }
    }

    fn statefulset(&mut self, metadata: ObjectMeta, node: &Node) -> StatefulSet {
        let f = self.fields(
            node,
            "spec",
            "StatefulSetSpec",
            &[
                "replicas",
                "selector",
                "template",
                "serviceName",
                "podManagementPolicy",
                "ordinals",
                "volumeClaimTemplates",
                "updateStrategy",
                "minReadySeconds",
                "revisionHistoryLimit",
                "persistentVolumeClaimRetentionPolicy",
            ],
        );
        let mut s = StatefulSetSpec {
            replicas: 1,
            pod_management_policy: "OrderedReady".into(),
            update_strategy: "RollingUpdate".into(),
            ..Default::default()
        };
        for (k, v) in f {
            let p = format!("spec.{k}");
            match k {
                "replicas" => s.replicas = self.int(v, "StatefulSetSpec", &p, "int32") as i32,
                "selector" => s.selector = self.label_selector(v, &p),
                "template" => s.template = self.template(v, &p),
                "serviceName" => s.service_name = self.string(v, "StatefulSetSpec", &p),
                "podManagementPolicy" => s.pod_management_policy = self.string(v, "StatefulSetSpec", &p),
                "minReadySeconds" => s.min_ready_seconds = self.int(v, "StatefulSetSpec", &p, "int32"),
                "ordinals" => {
                    if let Some(start) = v.get("start") {
                        s.ordinals_start =
                            self.int(start, "StatefulSetOrdinals", "spec.ordinals.start", "int32") as i32;
                    }
                }
                "persistentVolumeClaimRetentionPolicy" => {
                    (s.pvc_when_deleted, s.pvc_when_scaled) = crate::api::read_retention_policy(v);
                }
                "volumeClaimTemplates" => {
                    s.claim_templates = crate::api::read_claim_templates(v);
                    for t in self.items(v, "StatefulSetSpec", &p, "[]v1.PersistentVolumeClaim") {
                        if let Some(n) = t.get("metadata").and_then(|m| m.get("name")) {
                            s.volume_claim_templates.push(scalar_text(n));
                        }
                    }
                }
                "updateStrategy" => {
                    if let Some(t) = v.get("type") {
                        s.update_strategy = self.string(t, "StatefulSetUpdateStrategy", "spec.updateStrategy.type");
                    }
                    if let Some(part) = v.get("rollingUpdate").and_then(|r| r.get("partition")) {
                        s.update_partition = self.int(
                            part,
                            "RollingUpdateStatefulSetStrategy",
                            "spec.updateStrategy.rollingUpdate.partition",
                            "int32",
                        ) as i32;
                    }
                }
                _ => {}
            }
        }
        StatefulSet { metadata, spec: s, status: WorkloadStatus::default() }
    }

    /// apps/v1 DaemonSetSpec; defaults as the API server's (`RollingUpdate`, maxUnavailable 1,
    /// maxSurge 0, revisionHistoryLimit 10).
    fn daemonset(&mut self, metadata: ObjectMeta, node: &Node) -> DaemonSet {
        let f = self.fields(
            node,
            "spec",
            "DaemonSetSpec",
            &["selector", "template", "updateStrategy", "minReadySeconds", "revisionHistoryLimit"],
        );
        let mut s =
            DaemonSetSpec { update_strategy: "RollingUpdate".into(), revision_history_limit: 10, ..Default::default() };
        for (k, v) in f {
            let p = format!("spec.{k}");
            match k {
                "selector" => s.selector = self.label_selector(v, &p),
                "template" => s.template = self.template(v, &p),
                "minReadySeconds" => s.min_ready_seconds = self.int(v, "DaemonSetSpec", &p, "int32"),
                "revisionHistoryLimit" => s.revision_history_limit = self.int(v, "DaemonSetSpec", &p, "int32") as i32,
                "updateStrategy" => {
                    for (k2, v2) in self.fields(v, &p, "DaemonSetUpdateStrategy", &["type", "rollingUpdate"]) {
                        if k2 == "type" {
                            s.update_strategy = self.string(v2, "DaemonSetUpdateStrategy", "spec.updateStrategy.type");
                            continue;
                        }
                        let ru = self.fields(
                            v2,
                            "spec.updateStrategy.rollingUpdate",
                            "RollingUpdateDaemonSet",
                            &["maxSurge", "maxUnavailable"],
                        );
                        for (k3, v3) in ru {
                            let val = Some(self.int_or_string(
                                v3,
                                "RollingUpdateDaemonSet",
                                &format!("spec.updateStrategy.rollingUpdate.{k3}"),
                            ));
                            if k3 == "maxSurge" {
                                s.max_surge = val;
                            } else {
                                s.max_unavailable = val;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        DaemonSet { metadata, spec: s, status: DaemonSetStatus::default() }
    }

    fn endpoint_slice(&mut self, metadata: ObjectMeta, top: &[(&str, &Node)]) -> EndpointSlice {
        let mut es = EndpointSlice { metadata, ..Default::default() };
        for (k, v) in top {
            match *k {
                "addressType" => es.address_type = self.string(v, "EndpointSlice", "addressType"),
                "ports" => es.ports = self.endpoint_ports(v, "ports", "EndpointSlice"),
                "endpoints" => {
                    for (i, item) in self.items(v, "EndpointSlice", "endpoints", "[]v1.Endpoint").iter().enumerate() {
                        let mut ep = Endpoint::default();
                        let pe = format!("endpoints[{i}]");
                        for (k2, v2) in self.fields(
                            item,
                            &pe,
                            "Endpoint",
                            &[
                                "addresses",
                                "conditions",
                                "hostname",
                                "nodeName",
                                "zone",
                                "targetRef",
                                "hints",
                                "deprecatedTopology",
                            ],
                        ) {
                            let p = format!("{pe}.{k2}");
                            match k2 {
                                "addresses" => ep.addresses = self.strings(v2, "Endpoint", &p),
                                "hostname" => ep.hostname = self.opt_string(v2, "Endpoint", &p),
                                "nodeName" => ep.node_name = self.opt_string(v2, "Endpoint", &p),
                                "zone" => ep.zone = self.opt_string(v2, "Endpoint", &p),
                                "targetRef" => ep.target_ref = Some(self.object_ref(v2, &p)),
                                "conditions" => {
                                    for (k3, v3) in
                                        self.fields(v2, &p, "EndpointConditions", &["ready", "serving", "terminating"])
                                    {
                                        let b = Some(self.bool(v3, "EndpointConditions", &format!("{p}.{k3}")));
                                        match k3 {
                                            "ready" => ep.conditions.ready = b,
                                            "serving" => ep.conditions.serving = b,
                                            _ => ep.conditions.terminating = b,
                                        }
                                    }
                                }
                                _ => {}
                            }
                        }
                        es.endpoints.push(ep);
                    }
                }
                _ => {}
            }
        }
        es
    }

    fn endpoint_ports(&mut self, node: &Node, path: &str, st: &str) -> Vec<EndpointPort> {
        let mut out = Vec::new();
        for (i, item) in self.items(node, st, path, "[]v1.EndpointPort").iter().enumerate() {
            let mut p = EndpointPort::default();
            let ip = format!("{path}[{i}]");
            for (k, v) in self.fields(item, &ip, "EndpointPort", &["name", "port", "protocol", "appProtocol"]) {
                let fp = format!("{ip}.{k}");
                match k {
                    "name" => p.name = self.opt_string(v, "EndpointPort", &fp),
                    "port" => p.port = Some(self.int(v, "EndpointPort", &fp, "int32") as i32),
                    "protocol" => p.protocol = self.opt_string(v, "EndpointPort", &fp),
                    _ => p.app_protocol = self.opt_string(v, "EndpointPort", &fp),
                }
            }
            if p.protocol.is_none() {
                p.protocol = Some("TCP".into());
            }
            out.push(p);
        }
        out
    }

    fn object_ref(&mut self, node: &Node, path: &str) -> ObjectReference {
        let mut r = ObjectReference::default();
        for (k, v) in self.fields(
            node,
            path,
            "ObjectReference",
            &["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"],
        ) {
            let p = format!("{path}.{k}");
            match k {
                "kind" => r.kind = self.string(v, "ObjectReference", &p),
                "namespace" => r.namespace = self.string(v, "ObjectReference", &p),
                "name" => r.name = self.string(v, "ObjectReference", &p),
                "uid" => r.uid = self.string(v, "ObjectReference", &p),
                _ => {}
            }
        }
        r
    }

    fn subsets(&mut self, node: &Node) -> Vec<EndpointSubset> {
        let mut out = Vec::new();
        for (i, item) in self.items(node, "Endpoints", "subsets", "[]v1.EndpointSubset").iter().enumerate() {
            let mut sub = EndpointSubset::default();
            let ps = format!("subsets[{i}]");
            for (k, v) in self.fields(item, &ps, "EndpointSubset", &["addresses", "notReadyAddresses", "ports"]) {
                let p = format!("{ps}.{k}");
                match k {
                    "ports" => sub.ports = self.endpoint_ports(v, &p, "EndpointSubset"),
                    _ => {
                        let mut addrs = Vec::new();
                        for (j, a) in self.items(v, "EndpointSubset", &p, "[]v1.EndpointAddress").iter().enumerate() {
                            let mut ea = EndpointAddress::default();
                            let p = &format!("{p}[{j}]");
                            for (k2, v2) in
                                self.fields(a, p, "EndpointAddress", &["ip", "hostname", "nodeName", "targetRef"])
                            {
                                let p2 = format!("{p}.{k2}");
                                match k2 {
                                    "ip" => ea.ip = self.string(v2, "EndpointAddress", &p2),
                                    "hostname" => ea.hostname = self.opt_string(v2, "EndpointAddress", &p2),
                                    "nodeName" => ea.node_name = self.opt_string(v2, "EndpointAddress", &p2),
                                    _ => ea.target_ref = Some(self.object_ref(v2, &p2)),
                                }
                            }
                            addrs.push(ea);
                        }
                        if k == "addresses" {
                            sub.addresses = addrs;
                        } else {
                            sub.not_ready_addresses = addrs;
                        }
                    }
                }
            }
            out.push(sub);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;

    fn decode(src: &str) -> Result<Object, DecodeError> {
        let (docs, diags) = parse_documents(src);
        assert!(diags.is_empty(), "{diags:?}");
        decode_object(docs[0].root.as_ref().unwrap())
    }

    #[test]
    fn unknown_field_is_reported_with_full_path_and_line() {
        let err = decode("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  selectr:\n    app: api\n  ports:\n  - port: 80\n").unwrap_err();
        let DecodeError::Invalid { diagnostics, .. } = err else { panic!("{err:?}") };
        assert_eq!(diagnostics[0].message, "strict decoding error: unknown field \"spec.selectr\"");
        assert_eq!(diagnostics[0].pos.line, 6);
    }

    #[test]
    fn type_error_reads_like_encoding_json() {
        let err = decode("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  - port: eighty\n")
            .unwrap_err();
        let DecodeError::Invalid { diagnostics, .. } = err else { panic!() };
        assert_eq!(
            diagnostics[0].message,
            "json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32"
        );
        assert_eq!((diagnostics[0].pos.line, diagnostics[0].pos.col), (7, 11));
    }

    #[test]
    fn unknown_kind_is_a_mapping_error() {
        let err = decode("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n").unwrap_err();
        assert!(matches!(err, DecodeError::UnknownKind { ref kind, .. } if kind == "Ingress"));
    }

    #[test]
    fn service_defaults_target_port_and_protocol() {
        let Ok(Object::Service(s)) = decode(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  clusterIP: None\n  ports:\n  - port: 80\n",
        ) else {
            panic!()
        };
        assert!(s.is_headless());
        assert_eq!(s.spec.ports[0].target_port, IntOrString::Int(80));
        assert_eq!(s.spec.ports[0].protocol, "TCP");
    }
}
