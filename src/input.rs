//! What the learner types into the page's fields and what a link carries back: names to look
//! up or send requests to, and ports. Below the panels and the URL state, which both check
//! with it.

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

/// A TCP port, 1–65535.
pub fn valid_port(s: &str) -> Option<i32> {
    s.trim().parse::<i32>().ok().filter(|p| (1..=65535).contains(p))
}
