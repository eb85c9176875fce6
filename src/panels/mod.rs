//! The panels of the app. Each reads derived state from the [`crate::sim::SimController`]
//! and sends it commands; none holds simulation state of its own.

pub mod analogies;
pub mod cluster;
pub mod dns;
pub mod editor;
pub mod glossary;
pub mod header;
pub mod terminal;
pub mod traffic;
pub mod workbench;

/// A name the learner typed to look up or to send requests to: a DNS name (RFC 1123
/// subdomain, optionally absolute with a trailing dot; matched case-insensitively) or an IP
/// address. Returns it trimmed and lower-cased, or `None`. It goes into a command line, so
/// nothing else may pass.
pub fn dns_name_or_ip(s: &str) -> Option<String> {
    let t = s.trim();
    if t.parse::<std::net::IpAddr>().is_ok() {
        return Some(t.to_string());
    }
    let t = t.to_ascii_lowercase();
    let relative = t.strip_suffix('.').unwrap_or(&t);
    svclab_core::validation::is_dns1123_subdomain(relative).then_some(t)
}
