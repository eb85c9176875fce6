//! What the simulated containers answer. The lab runs no real programs, so each image gets
//! a fixed, documented behaviour:
//!
//! - A container listens on every `containerPort` it declares, plus its image's well-known
//!   port: `nginx*`/`httpd` 80, `eddiehale/hellonodeapi` 3000 (the seeds' app),
//!   `serve_hostname` 9376, `hashicorp/http-echo` 5678 (or its `-listen=:PORT`). Anything
//!   else is refused (as a closed port answers with a TCP RST).
//! - Each known image answers as the real one does: nginx its default welcome page; `httpd`
//!   `<html><body><h1>It works!</h1></body></html>`; `serve_hostname` (and agnhost
//!   `serve-hostname`) the bare hostname, no newline (agnhost serve_hostname.go
//!   `fmt.Fprintf(w, "%s", hostname)`, the Debug Services walkthrough); `hashicorp/http-echo`
//!   its `-text` and a newline; the seeds' hello app `Hello from <pod name>`.
//! - An image the lab does not simulate (tool images included, when their manifest declares
//!   a port) answers with a line that says so and names the pod, rather than pretending to be
//!   another program ([`UNKNOWN_IMAGE`]).
//!
//! - The control-plane node's address answers on 6443: the API server (kind runs it as the
//!   static pod `kube-apiserver-<node>`, which the lab does not list). It speaks only TLS:
//!   a plain HTTP request gets Go's `Client sent an HTTP request to an HTTPS server.`, and
//!   an anonymous HTTPS request a 403 `Status` ([`APISERVER_FORBIDDEN`]).
//!
//! A pod serves while its containers run (phase Running), including while it terminates
//! (the grace period), as a real process does until it exits.

use crate::api::{Pod, PodPhase};

/// nginx's default `index.html` (nginx 1.27).
pub const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// The API server's port on control-plane nodes (the `kubernetes` Service's targetPort).
pub const APISERVER_PORT: i32 = 6443;

/// Name the API server answers under (kind's static pod name).
pub fn apiserver_pod(node: &str) -> String {
    format!("kube-apiserver-{node}")
}

/// Go's net/http answer to plain HTTP on a TLS port (status 400).
pub const HTTP_TO_HTTPS: &str = "Client sent an HTTP request to an HTTPS server.\n";

/// The API server's answer to an anonymous `GET /` (status 403).
pub const APISERVER_FORBIDDEN: &str = "{
  \"kind\": \"Status\",
  \"apiVersion\": \"v1\",
  \"metadata\": {},
  \"status\": \"Failure\",
  \"message\": \"forbidden: User \\\"system:anonymous\\\" cannot get path \\\"/\\\"\",
  \"reason\": \"Forbidden\",
  \"details\": {},
  \"code\": 403
}";

/// The repository part of an image reference, without registry host, tag or digest
/// (`docker.io/library/nginx:1.27` → `nginx`, `eddiehale/hellonodeapi` → `eddiehale/hellonodeapi`).
pub fn image_repo(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or(image);
    let no_tag = match no_digest.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => r,
        _ => no_digest,
    };
    let mut parts: Vec<&str> = no_tag.split('/').collect();
    if parts.len() > 1 && parts.first().is_some_and(|p| p.contains('.') || p.contains(':') || *p == "localhost") {
        parts.remove(0);
    }
    if parts.first() == Some(&"library") && parts.len() > 1 {
        parts.remove(0);
    }
    parts.join("/")
}

/// The tag of an image reference: `latest` when it names none (a digest is not a tag).
pub fn image_tag(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    match no_digest.rsplit_once(':') {
        Some((_, t)) if !t.contains('/') => t,
        _ => "latest",
    }
}

/// What the lab answers for an image it does not simulate: `{image}` and `{pod}` are filled
/// in. Not a real program's output, and worded so that nobody mistakes it for one.
pub const UNKNOWN_IMAGE: &str = "Service Lab does not simulate image \"{image}\"; pod {pod} accepted the connection\n";

/// The images the lab simulates, by what they answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Known {
    Nginx,
    Httpd,
    HelloNode,
    ServeHostname,
    HttpEcho,
}

fn known(ct: &crate::api::Container) -> Option<Known> {
    let repo = image_repo(&ct.image);
    let base = repo.rsplit('/').next().unwrap_or(&repo);
    if base.starts_with("nginx") {
        return Some(Known::Nginx);
    }
    match repo.as_str() {
        "httpd" => Some(Known::Httpd),
        "eddiehale/hellonodeapi" => Some(Known::HelloNode),
        "hashicorp/http-echo" => Some(Known::HttpEcho),
        _ if base == "serve_hostname" => Some(Known::ServeHostname),
        // agnhost's serve-hostname mode (`args: [serve-hostname]`), HTTP by default.
        _ if base == "agnhost" && ct.args.first().map(String::as_str) == Some("serve-hostname") => {
            Some(Known::ServeHostname)
        }
        _ => None,
    }
}

/// The value of a Go-style flag in a container's command and args (`-text=x`, `-text x`,
/// `--text=x`).
fn flag<'a>(ct: &'a crate::api::Container, name: &str) -> Option<&'a str> {
    let words: Vec<&str> = ct.command.iter().chain(&ct.args).map(String::as_str).collect();
    for (i, w) in words.iter().enumerate() {
        let bare = w.trim_start_matches('-');
        if !w.starts_with('-') {
            continue;
        }
        if let Some(v) = bare.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            return Some(v);
        }
        if bare == name {
            return words.get(i + 1).copied();
        }
    }
    None
}

/// The image's well-known listening port, if it has one.
fn default_port(ct: &crate::api::Container) -> Option<i32> {
    match known(ct)? {
        Known::Nginx | Known::Httpd => Some(80),
        Known::HelloNode => Some(3000),
        Known::ServeHostname => flag(ct, "port").and_then(|p| p.parse().ok()).or(Some(9376)),
        Known::HttpEcho => {
            flag(ct, "listen").and_then(|l| l.rsplit(':').next()).and_then(|p| p.parse().ok()).or(Some(5678))
        }
    }
}

/// Is some container of `pod` listening on `port`/`protocol`?
pub fn listens(pod: &Pod, port: i32, protocol: &str) -> bool {
    pod.spec.containers.iter().any(|ct| {
        ct.ports.iter().any(|p| p.container_port == port && p.protocol.eq_ignore_ascii_case(protocol))
            || (protocol.eq_ignore_ascii_case("TCP") && default_port(ct) == Some(port))
    })
}

/// Does the pod run (and so serve) at all?
pub fn serving(pod: &Pod) -> bool {
    pod.status.phase == PodPhase::Running
}

/// The HTTP response body the container listening on `port` sends for any path.
/// `hostname` is what `os.Hostname()` returns in the pod.
pub fn body(pod: &Pod, port: i32, hostname: &str) -> String {
    let ct = pod
        .spec
        .containers
        .iter()
        .find(|ct| default_port(ct) == Some(port))
        .or_else(|| pod.spec.containers.iter().find(|ct| ct.ports.iter().any(|p| p.container_port == port)))
        .or(pod.spec.containers.first());
    let Some(ct) = ct else { return String::new() };
    match known(ct) {
        Some(Known::Nginx) => NGINX_WELCOME.to_string(),
        Some(Known::Httpd) => "<html><body><h1>It works!</h1></body></html>\n".to_string(),
        Some(Known::HelloNode) => format!("Hello from {}\n", pod.metadata.name),
        Some(Known::ServeHostname) => hostname.to_string(),
        // http-echo's handler is `fmt.Fprintln(w, text)` (hashicorp/http-echo main.go).
        Some(Known::HttpEcho) => format!("{}\n", flag(ct, "text").unwrap_or("")),
        None => UNKNOWN_IMAGE.replace("{image}", &ct.image).replace("{pod}", &pod.metadata.name),
    }
}

/// Which images ship `curl` and which ship (busybox) `wget`.
pub fn has_curl(image: &str) -> bool {
    let repo = image_repo(image);
    let base = repo.rsplit('/').next().unwrap_or(&repo);
    image == crate::controllers::TOOLBOX_IMAGE
        || base.starts_with("nginx")
        || repo == "curlimages/curl"
        || base == "netshoot"
        || base == "curl"
}

pub fn has_wget(image: &str) -> bool {
    let repo = image_repo(image);
    let base = repo.rsplit('/').next().unwrap_or(&repo);
    image == crate::controllers::TOOLBOX_IMAGE
        || base == "busybox"
        || base == "alpine"
        || repo == "curlimages/curl"
        || base == "netshoot"
        || image.contains("alpine")
}

#[cfg(test)]
mod tests {
    #[test]
    fn image_repos_drop_registry_library_and_tag() {
        for (img, want) in [
            ("nginx", "nginx"),
            ("nginx:1.27-alpine", "nginx"),
            ("docker.io/library/nginx:latest", "nginx"),
            ("eddiehale/hellonodeapi", "eddiehale/hellonodeapi"),
            ("registry.k8s.io/e2e-test-images/agnhost:2.39", "e2e-test-images/agnhost"),
            ("localhost:5000/app@sha256:abc", "app"),
        ] {
            assert_eq!(super::image_repo(img), want, "{img}");
        }
    }
}
