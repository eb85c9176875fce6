//! API server validation and allocation on create/update (spec §2, §7): field errors with the
//! API server's paths and texts, rendered as kubectl prints them. Allocation (ClusterIPs,
//! families) happens here too, because its failures read as validation errors.

use crate::api::*;
use crate::cluster::Cluster;
use crate::controllers::ipam;

/// `field.Error`: `<field>: <Type>[: <value>][: <detail>]`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub field: String,
    /// `Required value`, `Invalid value`, `Unsupported value`, `Duplicate value`, `Forbidden`, ...
    pub type_: &'static str,
    /// Rendered value (strings Go-quoted, ints bare), if the type shows one.
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

/// kubectl's rendering of an Invalid status: one error inline, several as `* ` lines.
pub fn render_invalid(kind: Kind, name: &str, errors: &[FieldError], _source: &str, _update: bool) -> String {
    let mut uniq: Vec<String> = Vec::new();
    for e in errors {
        let s = e.to_string();
        if !uniq.contains(&s) {
            uniq.push(s);
        }
    }
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

const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

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

/// Validate (and, for Services, allocate) an object about to be stored.
pub fn validate(c: &mut Cluster, obj: &mut Object, existing: Option<&Object>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = obj.meta().name.clone();
    match obj {
        Object::Service(s) => {
            if !is_dns1035_label(&name) {
                errs.push(FieldError::invalid("metadata.name", quote(&name), DNS1035_MSG));
            }
            service(c, s, existing, &mut errs);
        }
        _ => {
            if !is_dns1123_subdomain(&name) {
                errs.push(FieldError::invalid("metadata.name", quote(&name), DNS1123_SUBDOMAIN_MSG));
            }
        }
    }
    errs
}

fn service(c: &mut Cluster, s: &mut Service, existing: Option<&Object>, errs: &mut Vec<FieldError>) {
    let external = s.spec.type_ == ServiceType::ExternalName;
    if s.spec.ports.is_empty() && !s.is_headless() && !external {
        errs.push(FieldError::required("spec.ports", ""));
    }
    for (i, p) in s.spec.ports.iter().enumerate() {
        if !(1..=65535).contains(&p.port) {
            errs.push(FieldError::invalid(
                &format!("spec.ports[{i}].port"),
                p.port.to_string(),
                "must be between 1 and 65535, inclusive",
            ));
        }
        if !matches!(p.protocol.as_str(), "TCP" | "UDP" | "SCTP") {
            errs.push(FieldError {
                field: format!("spec.ports[{i}].protocol"),
                type_: "Unsupported value",
                value: Some(quote(&p.protocol)),
                detail: "supported values: \"SCTP\", \"TCP\", \"UDP\"".into(),
            });
        }
        if let IntOrString::Int(t) = p.target_port {
            if !(1..=65535).contains(&t) {
                errs.push(FieldError::invalid(
                    &format!("spec.ports[{i}].targetPort"),
                    t.to_string(),
                    "must be between 1 and 65535, inclusive",
                ));
            }
        }
    }
    if external {
        match s.spec.external_name.as_deref() {
            None | Some("") => errs.push(FieldError::required("spec.externalName", "")),
            Some(n) if !is_dns1123_subdomain(n.trim_end_matches('.')) => {
                errs.push(FieldError::invalid("spec.externalName", quote(n), DNS1123_SUBDOMAIN_MSG))
            }
            _ => {}
        }
    }
    if !errs.is_empty() {
        return;
    }
    // Allocation: kept from the stored object on update, else from the service range.
    if let Some(Object::Service(old)) = existing {
        if old.spec.cluster_ip.is_some() && s.spec.cluster_ip.is_none() {
            s.spec.cluster_ip = old.spec.cluster_ip.clone();
            s.spec.cluster_ips = old.spec.cluster_ips.clone();
            s.spec.ip_families = old.spec.ip_families.clone();
            return;
        }
    }
    if external {
        return;
    }
    let cidrs = ipam::service_cidrs(c);
    if s.is_headless() {
        s.spec.cluster_ips = vec!["None".into()];
        if s.spec.ip_families.is_empty() {
            s.spec.ip_families =
                cidrs.iter().take(1).map(|c| if c.is_ipv6() { IpFamily::IPv6 } else { IpFamily::IPv4 }).collect();
        }
        s.spec.ip_family_policy.get_or_insert_with(|| "SingleStack".into());
        return;
    }
    let Some(primary) = cidrs.first().copied() else { return };
    let requested = s.spec.cluster_ip.clone();
    match ipam::allocate_cluster_ip(c, &primary, requested.as_deref()) {
        Ok(ip) => {
            s.spec.cluster_ip = Some(ip.clone());
            s.spec.cluster_ips = vec![ip];
            s.spec.ip_families = vec![if primary.is_ipv6() { IpFamily::IPv6 } else { IpFamily::IPv4 }];
            s.spec.ip_family_policy.get_or_insert_with(|| "SingleStack".into());
            s.spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".into());
        }
        Err(e) => {
            let shown = format!("[]string{{{}}}", quote(requested.as_deref().unwrap_or("")));
            errs.push(FieldError::invalid("spec.clusterIPs", shown, &e.message()));
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
            render_invalid(Kind::Service, "x", &[e], "-", false),
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
