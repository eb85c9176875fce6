//! API server validation and allocation on create/update (spec §2, §7): field errors with the
//! API server's paths and texts, rendered as kubectl prints them. Allocation (ClusterIPs,
//! families, node ports) happens here too, because its failures read as validation errors
//! (an exhausted range is the API server's InternalError).
//!
//! Invariants: checks run in the order the API server runs them (KV `ValidateService`, KA
//! for workloads), so multi-error messages list errors in its order; composite values use
//! Go's `%#v` as releases up to 1.33 print them (spec §9.4); an object with errors is never
//! allocated anything.

use crate::api::*;
use crate::cluster::Cluster;
use crate::controllers::ipam;
use crate::diag::{Diagnostic, Pos};

const INTERNAL: &str = "Internal error";

/// `field.Error`: `<field>: <Type>[: <value>][: <detail>]`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub field: String,
    /// `Required value`, `Invalid value`, `Unsupported value`, `Duplicate value`, `Forbidden`, ...
    pub type_: &'static str,
    /// Rendered value (strings Go-quoted, ints bare, composites as Go `%#v`), if the type shows one.
    pub value: Option<String>,
    pub detail: String,
}

impl FieldError {
    pub fn invalid(field: &str, value: String, detail: &str) -> Self {
        FieldError { field: field.into(), type_: "Invalid value", value: Some(value), detail: detail.into() }
    }
    pub fn required(field: &str, detail: &str) -> Self {
        FieldError { field: field.into(), type_: "Required value", value: None, detail: detail.into() }
    }
    pub fn forbidden(field: &str, detail: &str) -> Self {
        FieldError { field: field.into(), type_: "Forbidden", value: None, detail: detail.into() }
    }
    /// Not a field error: the allocator failed (`errors.NewInternalError`, HTTP 500), which
    /// kubectl prints as `Error from server (InternalError): ... Internal error occurred: <detail>`.
    pub fn internal(detail: &str) -> Self {
        FieldError { field: String::new(), type_: INTERNAL, value: None, detail: detail.into() }
    }
    pub fn is_internal(&self) -> bool {
        self.type_ == INTERNAL
    }
    pub fn duplicate(field: &str, value: String) -> Self {
        FieldError { field: field.into(), type_: "Duplicate value", value: Some(value), detail: String::new() }
    }
    /// `Unsupported value: "x": supported values: "a", "b"` (values sorted, as the API server does).
    pub fn unsupported(field: &str, value: &str, supported: &[&str]) -> Self {
        let mut sup: Vec<&str> = supported.to_vec();
        sup.sort_unstable();
        let detail = format!("supported values: {}", sup.iter().map(|v| quote(v)).collect::<Vec<_>>().join(", "));
        FieldError { field: field.into(), type_: "Unsupported value", value: Some(quote(value)), detail }
    }
    /// The diagnostic code for this error type (translated as `diag.<code>`).
    pub fn code(&self) -> &'static str {
        match self.type_ {
            "Required value" => "validation.required",
            "Forbidden" => "validation.forbidden",
            "Duplicate value" => "validation.duplicate",
            "Unsupported value" => "validation.unsupported",
            "Too many" => "validation.too_many",
            INTERNAL => "validation.internal",
            _ => "validation.invalid",
        }
    }
    /// A diagnostic whose first argument is the field path (apply moves it onto that node).
    pub fn diagnostic(&self, pos: Pos) -> Diagnostic {
        Diagnostic::error(self.code(), pos, self.to_string()).with_args(&[
            &self.field,
            self.value.as_deref().unwrap_or(""),
            &self.detail,
        ])
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.type_)?;
        if let Some(v) = &self.value {
            write!(f, ": {v}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// Go's `%q` for the strings we show.
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    crate::yaml::json_str(s, &mut out);
    out
}

/// Go `%#v` of a `map[string]string` (keys sorted, as fmt prints maps); `(nil)` when empty,
/// since the API types leave unset maps nil (spec §9.4, ≤1.33 rendering).
pub fn go_map(m: &Labels) -> String {
    if m.is_empty() {
        return "map[string]string(nil)".into();
    }
    let items: Vec<String> = m.iter().map(|(k, v)| format!("{}:{}", quote(k), quote(v))).collect();
    format!("map[string]string{{{}}}", items.join(", "))
}

/// Go `%#v` of a `[]string`.
pub fn go_strings(v: &[String]) -> String {
    if v.is_empty() {
        return "[]string(nil)".into();
    }
    format!("[]string{{{}}}", v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", "))
}

/// Go `%#v` of a `v1.LabelSelector` (the dereferenced pointer the apps validation reports).
pub fn go_label_selector(s: &LabelSelector) -> String {
    let exprs = if s.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        let items: Vec<String> = s
            .match_expressions
            .iter()
            .map(|r| {
                format!(
                    "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                    quote(&r.key),
                    quote(&r.operator),
                    go_strings(&r.values)
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
    };
    format!("v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{exprs}}}", go_map(&s.match_labels))
}

/// Go `%#v` of the internal `core.ServicePort` key the duplicate checks build.
fn go_service_port_key(protocol: &str, port: i32, node_port: i32) -> String {
    format!(
        "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:{node_port}}}",
        quote(protocol)
    )
}

fn unique_messages(errors: &[FieldError]) -> Vec<String> {
    let mut uniq: Vec<String> = Vec::new();
    for e in errors {
        let s = e.to_string();
        if !uniq.contains(&s) {
            uniq.push(s);
        }
    }
    uniq
}

/// `<Kind>[.<group>]` as `schema.GroupKind.String()` prints it.
fn qualified_kind(kind: Kind) -> String {
    match kind.api_version().rsplit_once('/') {
        Some((group, _)) => format!("{}.{group}", kind.name()),
        None => kind.name().to_string(),
    }
}

/// kubectl's rendering of an Invalid status on its own (`checkErr`): one error inline, several
/// after `is invalid: ` (trailing space, `MultilineError`) as `* ` lines (spec §7.1).
pub fn render_invalid(kind: Kind, name: &str, errors: &[FieldError]) -> String {
    let uniq = unique_messages(errors);
    if uniq.len() == 1 {
        format!("The {} \"{}\" is invalid: {}", kind.name(), name, uniq[0])
    } else {
        let mut out = format!("The {} \"{}\" is invalid: ", kind.name(), name);
        for e in uniq {
            out.push_str(&format!("\n* {e}"));
        }
        out
    }
}

/// The Status message of an Invalid error (`NewInvalid`): `Service "x" is invalid: <err>` or
/// `... is invalid: [<e1>, <e2>]` — what kubectl shows when it lists several failures.
pub fn status_message(kind: Kind, name: &str, errors: &[FieldError]) -> String {
    let uniq = unique_messages(errors);
    let body = if uniq.len() == 1 { uniq[0].clone() } else { format!("[{}]", uniq.join(", ")) };
    format!("{} \"{}\" is invalid: {body}", qualified_kind(kind), name)
}

const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const LABEL_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const CONFIG_KEY_MSG: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const PORT_RANGE_MSG: &str = "must be between 1 and 65535, inclusive";

pub fn is_dns1035_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_lowercase()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

pub fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

pub fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns1123_label)
}

/// `(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?`
fn is_label_value_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.is_empty()
        || (b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')))
}

/// Name checks as `IsDNS1035Label`/`IsDNS1123Label`/`IsDNS1123Subdomain` report them: the
/// length error and the format error are separate (spec §7.2).
fn check_name(field: &str, name: &str, max: usize, ok: bool, msg: &str, errs: &mut Vec<FieldError>) {
    if name.len() > max {
        errs.push(FieldError::invalid(field, quote(name), &format!("must be no more than {max} characters")));
    }
    if !ok {
        errs.push(FieldError::invalid(field, quote(name), msg));
    }
}

fn check_dns1035(field: &str, name: &str, errs: &mut Vec<FieldError>) {
    check_name(field, name, 63, is_dns1035_label_shape(name), DNS1035_MSG, errs);
}

fn is_dns1035_label_shape(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

fn is_dns1123_label_shape(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

fn check_dns1123_label(field: &str, name: &str, errs: &mut Vec<FieldError>) {
    check_name(field, name, 63, is_dns1123_label_shape(name), DNS1123_LABEL_MSG, errs);
}

fn check_dns1123_subdomain(field: &str, name: &str, errs: &mut Vec<FieldError>) {
    let shape = !name.is_empty() && name.split('.').all(is_dns1123_label_shape);
    check_name(field, name, 253, shape, DNS1123_SUBDOMAIN_MSG, errs);
}

/// `ValidateLabels`: qualified-name keys (optional DNS prefix + `/`) and label values.
fn check_labels(field: &str, labels: &Labels, errs: &mut Vec<FieldError>) {
    for (k, v) in labels {
        let name = match k.rsplit_once('/') {
            Some((prefix, name)) => {
                if !is_dns1123_subdomain(prefix) {
                    errs.push(FieldError::invalid(field, quote(k), &format!("prefix part {DNS1123_SUBDOMAIN_MSG}")));
                }
                name
            }
            None => k.as_str(),
        };
        if name.is_empty() || name.len() > 63 || !is_label_value_shape(name) {
            if name.len() > 63 {
                errs.push(FieldError::invalid(field, quote(k), "name part must be no more than 63 characters"));
            } else {
                errs.push(FieldError::invalid(field, quote(k), LABEL_NAME_MSG));
            }
        }
        if v.len() > 63 {
            errs.push(FieldError::invalid(field, quote(v), "must be no more than 63 characters"));
        }
        if !is_label_value_shape(v) {
            errs.push(FieldError::invalid(field, quote(v), LABEL_VALUE_MSG));
        }
    }
}

/// `IsValidPortName` (IANA_SVC_NAME), each failed rule its own message (spec §7.2).
fn port_name_errors(name: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    if name.len() > 15 {
        out.push("must be no more than 15 characters");
    }
    if !name.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
        out.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if name.contains("--") {
        out.push("must not contain consecutive hyphens");
    }
    if !name.bytes().any(|c| c.is_ascii_lowercase()) {
        out.push("must contain at least one letter (a-z)");
    }
    if name.starts_with('-') || name.ends_with('-') {
        out.push("must not begin or end with a hyphen");
    }
    out
}

fn check_port_num_or_name(field: &str, p: &IntOrString, errs: &mut Vec<FieldError>) {
    match p {
        IntOrString::Int(n) if !(1..=65535).contains(n) => {
            errs.push(FieldError::invalid(field, n.to_string(), PORT_RANGE_MSG))
        }
        IntOrString::Str(name) => {
            for m in port_name_errors(name) {
                errs.push(FieldError::invalid(field, quote(name), m));
            }
        }
        _ => {}
    }
}

fn check_protocol(field: &str, protocol: &str, errs: &mut Vec<FieldError>) {
    if !matches!(protocol, "TCP" | "UDP" | "SCTP") {
        errs.push(FieldError::unsupported(field, protocol, &["TCP", "UDP", "SCTP"]));
    }
}

/// Validate (and, for Services, allocate) an object about to be stored.
pub fn validate(c: &mut Cluster, obj: &mut Object, existing: Option<&Object>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = obj.meta().name.clone();
    match obj {
        Object::Service(s) => {
            check_dns1035("metadata.name", &name, &mut errs);
            check_labels("metadata.labels", &s.metadata.labels, &mut errs);
            let old = match existing {
                Some(Object::Service(o)) => Some(o),
                _ => None,
            };
            service(c, s, old, &mut errs);
        }
        Object::Namespace(_) => check_dns1123_label("metadata.name", &name, &mut errs),
        Object::StatefulSet(sts) => {
            // spec §1.2: current releases require a DNS-1123 label.
            check_dns1123_label("metadata.name", &name, &mut errs);
            statefulset(sts, existing, &mut errs);
        }
        Object::Deployment(d) => {
            check_dns1123_subdomain("metadata.name", &name, &mut errs);
            deployment(d, existing, &mut errs);
        }
        Object::DaemonSet(ds) => {
            check_dns1123_subdomain("metadata.name", &name, &mut errs);
            daemonset(ds, existing, &mut errs);
        }
        Object::ReplicaSet(rs) => {
            check_dns1123_subdomain("metadata.name", &name, &mut errs);
            workload_common(rs.spec.replicas, &rs.spec.selector, &rs.spec.template, "replicaset", &mut errs);
        }
        Object::Pod(p) => {
            check_dns1123_subdomain("metadata.name", &name, &mut errs);
            check_labels("metadata.labels", &p.metadata.labels, &mut errs);
            pod_spec("spec", &p.spec, &["Always", "OnFailure", "Never"], &mut errs);
        }
        Object::ConfigMap(cm) => {
            check_dns1123_subdomain("metadata.name", &name, &mut errs);
            for k in cm.data.keys() {
                let valid = !k.is_empty()
                    && k.len() <= 253
                    && k.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'));
                if !valid {
                    errs.push(FieldError::invalid(&format!("data[{k}]"), quote(k), CONFIG_KEY_MSG));
                } else if k == "." || k == ".." {
                    errs.push(FieldError::invalid(&format!("data[{k}]"), quote(k), &format!("must not be '{k}'")));
                }
            }
        }
        Object::EndpointSlice(es) => {
            check_dns1123_subdomain("metadata.name", &name, &mut errs);
            endpoint_slice(es, existing, &mut errs);
        }
        _ => check_dns1123_subdomain("metadata.name", &name, &mut errs),
    }
    errs
}

fn service(c: &mut Cluster, s: &mut Service, old: Option<&Service>, errs: &mut Vec<FieldError>) {
    let type_ = s.spec.type_;
    let external_name = type_ == ServiceType::ExternalName;
    let external_access = matches!(type_, ServiceType::NodePort | ServiceType::LoadBalancer);
    if s.spec.ports.is_empty() && !s.is_headless() && !external_name {
        errs.push(FieldError::required("spec.ports", ""));
    }
    if external_name {
        if s.spec.cluster_ip.is_some() {
            errs.push(FieldError::forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
        }
        match s.spec.external_name.as_deref() {
            None | Some("") => errs.push(FieldError::required("spec.externalName", "")),
            Some(n) => {
                let bare = n.strip_suffix('.').unwrap_or(n);
                if !(!bare.is_empty() && bare.split('.').all(is_dns1123_label_shape) && bare.len() <= 253) {
                    errs.push(FieldError::invalid("spec.externalName", quote(n), DNS1123_SUBDOMAIN_MSG));
                }
            }
        }
    }
    if s.is_headless() && external_access {
        let t = if type_ == ServiceType::NodePort { "NodePort" } else { "LoadBalancer" };
        errs.push(FieldError::invalid(
            "spec.clusterIPs[0]",
            quote("None"),
            &format!("may not be set to 'None' for {t} services"),
        ));
    }
    // Ports (KV validateServicePort): names required when there are several, unique, labels.
    let require_name = s.spec.ports.len() > 1;
    let mut names: Vec<&str> = Vec::new();
    for (i, p) in s.spec.ports.iter().enumerate() {
        let path = format!("spec.ports[{i}]");
        match p.name.as_deref() {
            None | Some("") if require_name => errs.push(FieldError::required(&format!("{path}.name"), "")),
            None | Some("") => {}
            Some(n) => {
                if !is_dns1123_label(n) {
                    errs.push(FieldError::invalid(&format!("{path}.name"), quote(n), DNS1123_LABEL_MSG));
                }
                if names.contains(&n) {
                    errs.push(FieldError::duplicate(&format!("{path}.name"), quote(n)));
                }
                names.push(n);
            }
        }
        if !(1..=65535).contains(&p.port) {
            errs.push(FieldError::invalid(&format!("{path}.port"), p.port.to_string(), PORT_RANGE_MSG));
        }
        check_protocol(&format!("{path}.protocol"), &p.protocol, errs);
        check_port_num_or_name(&format!("{path}.targetPort"), &p.target_port, errs);
    }
    if let Some(sel) = &s.spec.selector {
        check_labels("spec.selector", sel, errs);
    }
    // KV ValidateService: source ranges only on LoadBalancers, each a CIDR once trimmed ("due
    // to a historical accident ... allowed to be space-padded"); the path keeps the API's
    // historical capital L.
    if !s.spec.load_balancer_source_ranges.is_empty() {
        if type_ != ServiceType::LoadBalancer {
            errs.push(FieldError::forbidden(
                "spec.LoadBalancerSourceRanges",
                "may only be used when `type` is 'LoadBalancer'",
            ));
        }
        for (i, r) in s.spec.load_balancer_source_ranges.iter().enumerate() {
            let v = r.trim();
            if crate::net::Cidr::parse(v).is_none() {
                errs.push(FieldError::invalid(
                    &format!("spec.LoadBalancerSourceRanges[{i}]"),
                    quote(v),
                    "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                ));
            }
        }
    }
    match s.spec.session_affinity.as_str() {
        "None" => {
            if s.spec.session_affinity_timeout_seconds.is_some() {
                errs.push(FieldError::forbidden(
                    "spec.sessionAffinityConfig",
                    "must not be set when session affinity is None",
                ));
            }
        }
        "ClientIP" => {
            let t = *s.spec.session_affinity_timeout_seconds.get_or_insert(10800);
            if !(1..=86400).contains(&t) {
                errs.push(FieldError::invalid(
                    "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                    t.to_string(),
                    "must be greater than 0 and less than 86400",
                ));
            }
        }
        other => errs.push(FieldError::unsupported("spec.sessionAffinity", other, &["ClientIP", "None"])),
    }
    if let Some(ip) = s.spec.cluster_ip.as_deref() {
        if ip != "None" && ip.parse::<std::net::IpAddr>().is_err() {
            errs.push(FieldError::invalid(
                "spec.clusterIPs[0]",
                quote(ip),
                "must be empty, 'None', or a valid IP address",
            ));
        }
    }
    // KV checks these after the per-port ones, each in its own loop.
    if type_ == ServiceType::ClusterIP {
        for (i, p) in s.spec.ports.iter().enumerate() {
            if p.node_port.is_some() {
                errs.push(FieldError::forbidden(
                    &format!("spec.ports[{i}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut node_keys: Vec<(&str, i32)> = Vec::new();
    for (i, p) in s.spec.ports.iter().enumerate() {
        let Some(np) = p.node_port else { continue };
        if node_keys.contains(&(p.protocol.as_str(), np)) {
            errs.push(FieldError::duplicate(&format!("spec.ports[{i}].nodePort"), np.to_string()));
        }
        node_keys.push((p.protocol.as_str(), np));
    }
    let mut keys: Vec<(&str, i32)> = Vec::new();
    for (i, p) in s.spec.ports.iter().enumerate() {
        if keys.contains(&(p.protocol.as_str(), p.port)) {
            errs.push(FieldError::duplicate(&format!("spec.ports[{i}]"), go_service_port_key(&p.protocol, p.port, 0)));
        }
        keys.push((p.protocol.as_str(), p.port));
    }
    match s.spec.external_traffic_policy.as_deref() {
        Some(p) if !external_access && s.spec.external_ips.is_empty() => errs.push(FieldError::invalid(
            "spec.externalTrafficPolicy",
            quote(p),
            "may only be set for externally-accessible services",
        )),
        Some(p) if !matches!(p, "Cluster" | "Local") => {
            errs.push(FieldError::unsupported("spec.externalTrafficPolicy", p, &["Cluster", "Local"]))
        }
        None if external_access => s.spec.external_traffic_policy = Some("Cluster".into()),
        _ => {}
    }
    if let Some(p) = s.spec.internal_traffic_policy.as_deref() {
        if !matches!(p, "Cluster" | "Local") {
            errs.push(FieldError::unsupported("spec.internalTrafficPolicy", p, &["Cluster", "Local"]));
        }
    }
    // Update: the ClusterIP is immutable (spec §2) unless the Service moves to or from
    // ExternalName.
    if let Some(old) = old {
        let changes_external = old.spec.type_ == ServiceType::ExternalName || external_name;
        if !changes_external {
            if let (Some(new_ip), Some(old_ip)) = (s.spec.cluster_ip.as_deref(), old.spec.cluster_ip.as_deref()) {
                if new_ip != old_ip {
                    errs.push(FieldError::invalid(
                        "spec.clusterIPs[0]",
                        go_strings(&[new_ip.to_string()]),
                        "may not change once set",
                    ));
                }
            }
        }
    }
    if !errs.is_empty() {
        return;
    }
    if external_name {
        s.spec.cluster_ip = None;
        s.spec.cluster_ips.clear();
        return;
    }
    if let Err(e) = node_ports(c, s, old) {
        errs.push(e);
        return;
    }
    let policy = s.spec.ip_family_policy.clone();
    if let Some(p) = policy.as_deref() {
        if !matches!(p, "SingleStack" | "PreferDualStack" | "RequireDualStack") {
            errs.push(FieldError::unsupported(
                "spec.ipFamilyPolicy",
                p,
                &["SingleStack", "PreferDualStack", "RequireDualStack"],
            ));
            return;
        }
    }
    // Allocation: kept from the stored object on update, else from the service range.
    if let Some(old) = old {
        let kept = (old.spec.cluster_ip.is_some() && s.spec.cluster_ip.is_none())
            || (old.spec.cluster_ip == s.spec.cluster_ip && s.spec.cluster_ip.is_some());
        if kept {
            s.spec.cluster_ip = old.spec.cluster_ip.clone();
            s.spec.cluster_ips = old.spec.cluster_ips.clone();
            s.spec.ip_families = old.spec.ip_families.clone();
            s.spec.ip_family_policy = old.spec.ip_family_policy.clone();
            s.spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".into());
            if let Some(p) = policy.filter(|p| Some(p) != old.spec.ip_family_policy.as_ref()) {
                change_family_policy(c, s, &p, errs);
            }
            return;
        }
    }
    // Dual-stack (spec §2, KEP-563): `ipFamilyPolicy` × `ipFamilies` × the cluster's service
    // ranges decide the families; `clusterIPs` (or `clusterIP`) request addresses per family.
    if s.is_headless() {
        // Headless: families and policy are settled as for any Service, but no address is
        // allocated (`clusterIPs: [None]`). Without a selector and a policy, the policy
        // defaults to `RequireDualStack` and the families to every family the cluster has, one
        // on a single-stack cluster without error (doc: dual-stack.md "Headless Services
        // without selector"; registry/core/service/storage/alloc.go `initIPFamilyFields`).
        if !s.has_selector() && policy.is_none() && s.spec.ip_families.is_empty() {
            s.spec.cluster_ips = vec!["None".into()];
            s.spec.ip_families = ipam::service_cidrs(c)
                .iter()
                .map(|c| if c.is_ipv6() { IpFamily::IPv6 } else { IpFamily::IPv4 })
                .collect();
            s.spec.ip_family_policy = Some("RequireDualStack".into());
            s.spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".into());
            return;
        }
        match ipam::service_families(c, policy.as_deref(), &s.spec.ip_families) {
            Ok((families, policy)) => {
                s.spec.cluster_ips = vec!["None".into()];
                s.spec.ip_families = families;
                s.spec.ip_family_policy = Some(policy);
                s.spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".into());
            }
            Err(e) => errs.push(FieldError::invalid(&e.field, e.value, &e.detail)),
        }
        return;
    }
    let requested: Vec<String> = if s.spec.cluster_ips.is_empty() {
        s.spec.cluster_ip.iter().cloned().collect()
    } else {
        s.spec.cluster_ips.clone()
    };
    match ipam::allocate_service_ips(c, policy.as_deref(), &s.spec.ip_families, &requested) {
        Ok(got) => {
            s.spec.cluster_ip = got.cluster_ips.first().cloned();
            s.spec.cluster_ips = got.cluster_ips;
            s.spec.ip_families = got.ip_families;
            s.spec.ip_family_policy = Some(got.ip_family_policy);
            s.spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".into());
        }
        // registry/core/service/storage/alloc.go: a full range is an InternalError, not a
        // field error.
        Err(e) if e.field == "spec.clusterIPs" && e.detail == ipam::AllocError::Full.message() => {
            errs.push(FieldError::internal("failed to allocate a serviceIP: range is full"));
        }
        Err(e) => errs.push(FieldError::invalid(&e.field, e.value, &e.detail)),
    }
}

/// An update changing `ipFamilyPolicy` of a Service that has its addresses (KEP-563): an
/// upgrade to `PreferDualStack`/`RequireDualStack` allocates the other family's ClusterIP
/// (headless: just the family); a downgrade to `SingleStack` keeps the primary only, as the
/// API server trims `clusterIPs`/`ipFamilies` (registry/core/service/strategy.go
/// `trimFieldsForDualStackDowngrade`) and releases the secondary.
fn change_family_policy(c: &mut Cluster, s: &mut Service, policy: &str, errs: &mut Vec<FieldError>) {
    if policy == "SingleStack" {
        s.spec.cluster_ips.truncate(1);
        s.spec.ip_families.truncate(1);
        s.spec.ip_family_policy = Some(policy.into());
        return;
    }
    let families = match ipam::service_families(c, Some(policy), &s.spec.ip_families) {
        Ok((families, _)) => families,
        Err(e) => {
            errs.push(FieldError::invalid(&e.field, e.value, &e.detail));
            return;
        }
    };
    if !s.is_headless() {
        let cidrs = ipam::service_cidrs(c);
        for f in families.iter().skip(s.spec.cluster_ips.len()) {
            let is_v6 = *f == IpFamily::IPv6;
            let Some(cidr) = cidrs.iter().find(|c| c.is_ipv6() == is_v6).copied() else { continue };
            match ipam::allocate_cluster_ip(c, &cidr, None) {
                Ok(ip) => s.spec.cluster_ips.push(ip),
                Err(_) => {
                    errs.push(FieldError::internal("failed to allocate a serviceIP: range is full"));
                    return;
                }
            }
        }
    }
    s.spec.ip_families = families;
    s.spec.ip_family_policy = Some(policy.into());
}

/// NodePort allocation (spec §2): NodePort and LoadBalancer Services (unless
/// `allocateLoadBalancerNodePorts: false`) get a node port per port, the requested one if in
/// the configured range and free, else a random free one. On update a port keeps the node
/// port it had (same port and protocol), as the API server patches allocated values.
fn node_ports(c: &mut Cluster, s: &mut Service, old: Option<&Service>) -> Result<(), FieldError> {
    let wants = match s.spec.type_ {
        ServiceType::NodePort => true,
        ServiceType::LoadBalancer => s.spec.allocate_load_balancer_node_ports != Some(false),
        _ => false,
    };
    if !wants {
        if s.spec.type_ != ServiceType::LoadBalancer {
            for p in &mut s.spec.ports {
                p.node_port = None;
            }
        }
        return Ok(());
    }
    // The API server's node-port allocator is one bitmap for all protocols (ipam); within one
    // Service the same `port` under two protocols (DNS on 53/TCP and 53/UDP) shares one node
    // port (registry/core/service/storage/alloc.go `initNodePorts`, `svcPortToNodePort`).
    let mut taken = ipam::used_node_ports(c, Some((s.metadata.namespace.as_str(), s.metadata.name.as_str())));
    let mut by_port: std::collections::BTreeMap<i32, i32> = std::collections::BTreeMap::new();
    for (i, p) in s.spec.ports.iter_mut().enumerate() {
        if p.node_port.is_none() {
            p.node_port = old.and_then(|o| {
                o.spec
                    .ports
                    .iter()
                    .find(|op| op.port == p.port && op.protocol == p.protocol)
                    .and_then(|op| op.node_port)
            });
        }
        if let Some(&shared) = by_port.get(&p.port) {
            if p.node_port.is_none() || p.node_port == Some(shared) {
                p.node_port = Some(shared);
                continue;
            }
        }
        match ipam::allocate_node_port(c, p.node_port, &taken) {
            Ok(np) => {
                taken.insert(np);
                by_port.entry(p.port).or_insert(np);
                p.node_port = Some(np);
            }
            // An InternalError, not a field error (alloc.go).
            Err(ipam::NodePortError::Full) => {
                return Err(FieldError::internal("failed to allocate a nodePort: range is full"));
            }
            Err(e) => {
                let np = p.node_port.unwrap_or_default();
                return Err(FieldError::invalid(&format!("spec.ports[{i}].nodePort"), np.to_string(), &e.message()));
            }
        }
    }
    // A LoadBalancer with externalTrafficPolicy Local gets a health-check node port too
    // (registry/core/service/storage/alloc.go `allocHealthCheckNodePort`, `needsHCNodePort`);
    // an update keeps the one it had.
    let needs_hc =
        s.spec.type_ == ServiceType::LoadBalancer && s.spec.external_traffic_policy.as_deref() == Some("Local");
    if needs_hc {
        if s.spec.health_check_node_port.is_none() {
            s.spec.health_check_node_port = old.and_then(|o| o.spec.health_check_node_port);
        }
        match ipam::allocate_node_port(c, s.spec.health_check_node_port, &taken) {
            Ok(np) => s.spec.health_check_node_port = Some(np),
            Err(ipam::NodePortError::Full) => {
                return Err(FieldError::internal("failed to allocate a nodePort: range is full"));
            }
            Err(e) => {
                let np = s.spec.health_check_node_port.unwrap_or_default();
                return Err(FieldError::invalid("spec.healthCheckNodePort", np.to_string(), &e.message()));
            }
        }
    }
    Ok(())
}

/// `selector: {}` written in the manifest: KA reports it as an empty selector, not a missing
/// one (`spec.selector: Invalid value: ...: empty selector is invalid for deployment`). An
/// empty selector selects everything, so the template-labels mismatch a missing one adds
/// (see [`workload_common`]) does not apply.
pub fn empty_selector(errs: &mut Vec<FieldError>, kind: Kind) {
    let what = match kind {
        Kind::Deployment => "deployment",
        Kind::StatefulSet => "statefulset",
        Kind::ReplicaSet => "replicaset",
        Kind::DaemonSet => "daemonset",
        _ => return,
    };
    if !errs.iter().any(|e| e.field == "spec.selector" && e.type_ == "Required value") {
        return;
    }
    errs.retain(|e| !(e.field == "spec.template.metadata.labels" && e.detail == SELECTOR_MISMATCH));
    for e in errs.iter_mut().filter(|e| e.field == "spec.selector" && e.type_ == "Required value") {
        *e = FieldError::invalid(
            "spec.selector",
            go_label_selector(&LabelSelector::default()),
            &format!("empty selector is invalid for {what}"),
        );
    }
}

/// KA's detail when the selector does not select the pod template.
const SELECTOR_MISMATCH: &str = "`selector` does not match template `labels`";

/// Service Lab's own limit on `spec.replicas`. The real API server accepts any int32 and the
/// ReplicaSet controller creates pods 500 at a time (`burstReplicas`) until the nodes are full
/// and the rest stay Pending; the lab keeps every pod in memory (in a browser tab) and runs its
/// controllers every 100 ms tick, so 10,000,000 replicas would hang it. This is the one
/// validation message that is not the API server's; it says so.
pub const MAX_REPLICAS: i32 = 1000;

/// The detail of the `spec.replicas` error above [`MAX_REPLICAS`].
pub fn max_replicas_detail() -> String {
    format!("must be less than or equal to {MAX_REPLICAS} (a Service Lab limit: every pod is simulated in memory)")
}

/// Selector/template checks shared by Deployments, ReplicaSets and StatefulSets (KA).
fn workload_common(
    replicas: i32,
    selector: &LabelSelector,
    template: &PodTemplateSpec,
    what: &str,
    errs: &mut Vec<FieldError>,
) {
    if replicas < 0 {
        errs.push(FieldError::invalid("spec.replicas", replicas.to_string(), "must be greater than or equal to 0"));
    }
    if replicas > MAX_REPLICAS {
        errs.push(FieldError::invalid("spec.replicas", replicas.to_string(), &max_replicas_detail()));
    }
    if selector.is_empty() {
        // The model cannot tell a missing selector from `selector: {}`; apply reports the
        // latter with `empty_selector` once it has seen the manifest. A missing selector gets
        // both errors: `Required value`, and, as `LabelSelectorAsSelector(nil)` is
        // `labels.Nothing()` which matches no labels, the template mismatch
        // (KA apps/validation ValidateDeploymentSpec / ValidatePodTemplateSpecForReplicaSet).
        errs.push(FieldError::required("spec.selector", ""));
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            go_map(&template.metadata.labels),
            SELECTOR_MISMATCH,
        ));
        let _ = what;
    } else {
        check_labels("spec.selector.matchLabels", &selector.match_labels, errs);
        if !selector.matches(&template.metadata.labels) {
            errs.push(FieldError::invalid(
                "spec.template.metadata.labels",
                go_map(&template.metadata.labels),
                SELECTOR_MISMATCH,
            ));
        }
    }
    check_labels("spec.template.metadata.labels", &template.metadata.labels, errs);
    pod_spec("spec.template.spec", &template.spec, &["Always"], errs);
}

fn deployment(d: &Deployment, existing: Option<&Object>, errs: &mut Vec<FieldError>) {
    workload_common(d.spec.replicas, &d.spec.selector, &d.spec.template, "deployment", errs);
    if !matches!(d.spec.strategy.as_str(), "RollingUpdate" | "Recreate") {
        errs.push(FieldError::unsupported("spec.strategy.type", &d.spec.strategy, &["Recreate", "RollingUpdate"]));
    }
    // apps/v1: the selector is immutable (KA ValidateDeploymentUpdate).
    if let Some(Object::Deployment(old)) = existing {
        if old.spec.selector != d.spec.selector {
            errs.push(FieldError::invalid("spec.selector", go_label_selector(&d.spec.selector), "field is immutable"));
        }
    }
}

fn statefulset(s: &StatefulSet, existing: Option<&Object>, errs: &mut Vec<FieldError>) {
    if !matches!(s.spec.pod_management_policy.as_str(), "OrderedReady" | "Parallel") {
        errs.push(FieldError::invalid(
            "spec.podManagementPolicy",
            quote(&s.spec.pod_management_policy),
            "must be 'OrderedReady' or 'Parallel'",
        ));
    }
    workload_common(s.spec.replicas, &s.spec.selector, &s.spec.template, "statefulset", errs);
    if s.spec.ordinals_start < 0 {
        errs.push(FieldError::invalid(
            "spec.ordinals.start",
            s.spec.ordinals_start.to_string(),
            "must be greater than or equal to 0",
        ));
    }
    // KA ValidateStatefulSetUpdateStrategy: the type is one of the two (the value is Go's
    // `%#v` of the strategy; the lab keeps no rollingUpdate pointer, so it prints nil).
    if !matches!(s.spec.update_strategy.as_str(), "" | "RollingUpdate" | "OnDelete") {
        errs.push(FieldError::invalid(
            "spec.updateStrategy",
            format!(
                "apps.StatefulSetUpdateStrategy{{Type:{}, RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}}",
                quote(&s.spec.update_strategy)
            ),
            "must be 'RollingUpdate' or 'OnDelete'",
        ));
    }
    if let Some(Object::StatefulSet(old)) = existing {
        // Only replicas, ordinals, template, updateStrategy, revisionHistoryLimit,
        // persistentVolumeClaimRetentionPolicy and minReadySeconds may change (spec §7.2).
        let o = &old.spec;
        let n = &s.spec;
        if o.selector != n.selector
            || o.service_name != n.service_name
            || o.pod_management_policy != n.pod_management_policy
            || o.volume_claim_templates != n.volume_claim_templates
        {
            errs.push(FieldError::forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
        }
    }
}

/// KA ValidateDaemonSetSpec / ValidateDaemonSetUpdate: selector and template as for the other
/// workloads (no replicas), `minReadySeconds` ≥ 0, the update strategy, an immutable selector.
fn daemonset(d: &DaemonSet, existing: Option<&Object>, errs: &mut Vec<FieldError>) {
    workload_common(0, &d.spec.selector, &d.spec.template, "daemonset", errs);
    if d.spec.min_ready_seconds < 0 {
        errs.push(FieldError::invalid(
            "spec.minReadySeconds",
            d.spec.min_ready_seconds.to_string(),
            "must be greater than or equal to 0",
        ));
    }
    match d.spec.update_strategy.as_str() {
        "OnDelete" => {}
        "RollingUpdate" => rolling_update_daemonset(d, errs),
        _ => {
            // KA reports the whole (internal) strategy struct, as Go's `%#v`.
            let ru = match (&d.spec.max_unavailable, &d.spec.max_surge) {
                (None, None) => "(*apps.RollingUpdateDaemonSet)(nil)".to_string(),
                (u, s) => format!(
                    "&apps.RollingUpdateDaemonSet{{MaxUnavailable:{}, MaxSurge:{}}}",
                    go_int_or_string(u.as_ref()),
                    go_int_or_string(s.as_ref())
                ),
            };
            errs.push(FieldError {
                field: "spec.updateStrategy".into(),
                type_: "Unsupported value",
                value: Some(format!(
                    "apps.DaemonSetUpdateStrategy{{Type:{}, RollingUpdate:{ru}}}",
                    quote(&d.spec.update_strategy)
                )),
                detail: "supported values: \"OnDelete\", \"RollingUpdate\"".into(),
            });
        }
    }
    if let Some(Object::DaemonSet(old)) = existing {
        if old.spec.selector != d.spec.selector {
            errs.push(FieldError::invalid("spec.selector", go_label_selector(&d.spec.selector), "field is immutable"));
        }
    }
}

fn go_int_or_string(v: Option<&IntOrString>) -> String {
    match v {
        None => "intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}".into(),
        Some(IntOrString::Int(i)) => format!("intstr.IntOrString{{Type:0, IntVal:{i}, StrVal:\"\"}}"),
        Some(IntOrString::Str(s)) => format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}", quote(s)),
    }
}

const PERCENT_MSG: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/// KA ValidateRollingUpdateDaemonSet: each of maxUnavailable/maxSurge a non-negative int or a
/// `[0-9]+%` percentage of at most 100%, and exactly one of them non-zero.
fn rolling_update_daemonset(d: &DaemonSet, errs: &mut Vec<FieldError>) {
    let path = "spec.updateStrategy.rollingUpdate";
    // Defaults (apps/v1): maxUnavailable 1, maxSurge 0.
    let unavailable = d.spec.max_unavailable.clone().unwrap_or(IntOrString::Int(1));
    let surge = d.spec.max_surge.clone().unwrap_or(IntOrString::Int(0));
    for (name, v) in [("maxUnavailable", &unavailable), ("maxSurge", &surge)] {
        let field = format!("{path}.{name}");
        match v {
            IntOrString::Int(i) if *i < 0 => {
                errs.push(FieldError::invalid(&field, i.to_string(), "must be greater than or equal to 0"))
            }
            IntOrString::Str(s) => {
                let digits = s.strip_suffix('%').filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
                match digits {
                    None => errs.push(FieldError::invalid(&field, quote(s), PERCENT_MSG)),
                    Some(n) if n.len() > 3 || n.parse::<u32>().unwrap_or(0) > 100 => {
                        errs.push(FieldError::invalid(&field, quote(s), "must not be greater than 100%"))
                    }
                    Some(_) => {}
                }
            }
            _ => {}
        }
    }
    // getIntOrPercentValue: the number, with or without `%` (a malformed string counts as 0
    // unless it parses).
    let value = |v: &IntOrString| match v {
        IntOrString::Int(i) => i64::from(*i),
        IntOrString::Str(s) => s.trim_end_matches('%').parse().unwrap_or(0),
    };
    let (has_unavailable, has_surge) = (value(&unavailable) != 0, value(&surge) != 0);
    if has_unavailable && has_surge {
        let v = match &surge {
            IntOrString::Int(i) => i.to_string(),
            IntOrString::Str(s) => quote(s),
        };
        errs.push(FieldError::invalid(
            &format!("{path}.maxSurge"),
            v,
            "may not be set when maxUnavailable is non-zero",
        ));
    } else if !has_unavailable && !has_surge {
        errs.push(FieldError::required(&format!("{path}.maxUnavailable"), "cannot be 0 when maxSurge is 0"));
    }
}

/// Pod spec checks (KV ValidatePodSpec, the parts the lab models), under `path`.
fn pod_spec(path: &str, spec: &PodSpec, restart_policies: &[&str], errs: &mut Vec<FieldError>) {
    if spec.containers.is_empty() {
        errs.push(FieldError::required(&format!("{path}.containers"), ""));
    }
    let mut names: Vec<&str> = Vec::new();
    let mut port_names: Vec<&str> = Vec::new();
    let groups = [("initContainers", &spec.init_containers), ("containers", &spec.containers)];
    for (field, list) in groups {
        for (i, c) in list.iter().enumerate() {
            let cpath = format!("{path}.{field}[{i}]");
            if c.name.is_empty() {
                errs.push(FieldError::required(&format!("{cpath}.name"), ""));
            } else {
                check_dns1123_label(&format!("{cpath}.name"), &c.name, errs);
                if names.contains(&c.name.as_str()) {
                    errs.push(FieldError::duplicate(&format!("{cpath}.name"), quote(&c.name)));
                }
                names.push(&c.name);
            }
            if c.image.trim().is_empty() {
                errs.push(FieldError::required(&format!("{cpath}.image"), ""));
            }
            for (j, p) in c.ports.iter().enumerate() {
                let ppath = format!("{cpath}.ports[{j}]");
                if let Some(n) = p.name.as_deref().filter(|n| !n.is_empty()) {
                    for m in port_name_errors(n) {
                        errs.push(FieldError::invalid(&format!("{ppath}.name"), quote(n), m));
                    }
                    if port_names.contains(&n) {
                        errs.push(FieldError::duplicate(&format!("{ppath}.name"), quote(n)));
                    }
                    port_names.push(n);
                }
                if !(1..=65535).contains(&p.container_port) {
                    errs.push(FieldError::invalid(
                        &format!("{ppath}.containerPort"),
                        p.container_port.to_string(),
                        PORT_RANGE_MSG,
                    ));
                }
                check_protocol(&format!("{ppath}.protocol"), &p.protocol, errs);
            }
        }
    }
    if let Some(rp) = spec.restart_policy.as_deref() {
        if !restart_policies.contains(&rp) {
            errs.push(FieldError::unsupported(&format!("{path}.restartPolicy"), rp, restart_policies));
        }
    }
    match spec.dns_policy.as_deref() {
        None | Some("ClusterFirst") | Some("ClusterFirstWithHostNet") | Some("Default") => {}
        Some("None") => {
            if spec.dns_config.is_none() {
                errs.push(FieldError::required(
                    &format!("{path}.dnsConfig"),
                    "must provide `dnsConfig` when `dnsPolicy` is None",
                ));
            } else if spec.dns_config.as_ref().is_some_and(|c| c.nameservers.is_empty()) {
                errs.push(FieldError::required(
                    &format!("{path}.dnsConfig.nameservers"),
                    "must provide at least one DNS nameserver when `dnsPolicy` is None",
                ));
            }
        }
        Some(other) => errs.push(FieldError::unsupported(
            &format!("{path}.dnsPolicy"),
            other,
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
    if let Some(cfg) = &spec.dns_config {
        if cfg.nameservers.len() > 3 {
            errs.push(FieldError::invalid(
                &format!("{path}.dnsConfig.nameservers"),
                go_strings(&cfg.nameservers),
                "must not have more than 3 nameservers",
            ));
        }
        for (i, ns) in cfg.nameservers.iter().enumerate() {
            if ns.parse::<std::net::IpAddr>().is_err() {
                errs.push(FieldError::invalid(
                    &format!("{path}.dnsConfig.nameservers[{i}]"),
                    quote(ns),
                    "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                ));
            }
        }
        if cfg.searches.len() > 32 {
            errs.push(FieldError::invalid(
                &format!("{path}.dnsConfig.searches"),
                go_strings(&cfg.searches),
                "must not have more than 32 search paths",
            ));
        }
    }
    for (field, v) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            check_dns1123_label(&format!("{path}.{field}"), v, errs);
        }
    }
}

fn endpoint_slice(es: &EndpointSlice, existing: Option<&Object>, errs: &mut Vec<FieldError>) {
    let at = es.address_type.as_str();
    if at.is_empty() {
        errs.push(FieldError::required("addressType", ""));
    } else if !matches!(at, "IPv4" | "IPv6" | "FQDN") {
        errs.push(FieldError::unsupported("addressType", at, &["IPv4", "IPv6", "FQDN"]));
    }
    for (i, ep) in es.endpoints.iter().enumerate() {
        let epath = format!("endpoints[{i}].addresses");
        if ep.addresses.is_empty() {
            errs.push(FieldError::required(&epath, "must contain at least 1 address"));
        } else if ep.addresses.len() > 100 {
            errs.push(FieldError {
                field: epath.clone(),
                type_: "Too many",
                value: Some(ep.addresses.len().to_string()),
                detail: "must have at most 100 items".into(),
            });
        }
        for (j, a) in ep.addresses.iter().enumerate() {
            let f = format!("{epath}[{j}]");
            match at {
                "IPv4" if a.parse::<std::net::Ipv4Addr>().is_err() => {
                    errs.push(FieldError::invalid(&f, quote(a), "must be a valid IPv4 address"))
                }
                "IPv6" if a.parse::<std::net::Ipv6Addr>().is_err() => {
                    errs.push(FieldError::invalid(&f, quote(a), "must be a valid IPv6 address"))
                }
                "FQDN" => check_dns1123_subdomain(&f, a, errs),
                _ => {}
            }
        }
        if let Some(h) = ep.hostname.as_deref() {
            check_dns1123_label(&format!("endpoints[{i}].hostname"), h, errs);
        }
    }
    for (i, p) in es.ports.iter().enumerate() {
        let ppath = format!("ports[{i}]");
        if let Some(n) = p.name.as_deref().filter(|n| !n.is_empty()) {
            check_dns1123_label(&format!("{ppath}.name"), n, errs);
        }
        if let Some(port) = p.port {
            if !(1..=65535).contains(&port) {
                errs.push(FieldError::invalid(&format!("{ppath}.port"), port.to_string(), PORT_RANGE_MSG));
            }
        }
        if let Some(proto) = p.protocol.as_deref() {
            check_protocol(&format!("{ppath}.protocol"), proto, errs);
        }
    }
    if let Some(Object::EndpointSlice(old)) = existing {
        if old.address_type != es.address_type {
            errs.push(FieldError::invalid("addressType", quote(&es.address_type), "field is immutable"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_error_rendering() {
        let e = FieldError::invalid("spec.ports[0].port", "70000".into(), "must be between 1 and 65535, inclusive");
        assert_eq!(
            render_invalid(Kind::Service, "x", &[e]),
            "The Service \"x\" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"
        );
    }

    #[test]
    fn labels() {
        assert!(is_dns1035_label("normal-service"));
        assert!(!is_dns1035_label("1abc"));
        assert!(is_dns1123_label("1abc"));
    }
}
