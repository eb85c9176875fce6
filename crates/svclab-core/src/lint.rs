//! Teaching diagnostics the API server does not give: warnings placed on the line that
//! causes a surprise later, never rejections. Each has an id, a position and English text;
//! the UI translates by id with the arguments.

use crate::api::*;
use crate::cluster::Cluster;
use crate::diag::Diagnostic;
use crate::yaml::{parse_documents, scalar_text};

/// Lint the documents of `text` against the cluster they were just applied to.
pub fn lint_text(c: &Cluster, text: &str, default_ns: &str) -> Vec<Diagnostic> {
    let (docs, _) = parse_documents(text);
    let mut out = Vec::new();
    for root in docs.iter().filter_map(|d| d.root.as_ref()) {
        if root.get("kind").map(scalar_text).as_deref() != Some("Service") {
            continue;
        }
        let ns = root
            .get("metadata")
            .and_then(|m| m.get("namespace"))
            .map(scalar_text)
            .unwrap_or_else(|| default_ns.to_string());
        let Some(sel_node) = root.get("spec").and_then(|s| s.get("selector")) else { continue };
        let selector = sel_node.string_map();
        if selector.is_empty() {
            continue;
        }
        let matches = c.list::<Pod>(Some(&ns)).any(|p| map_selector_matches(&selector, &p.metadata.labels))
            || c.list::<Deployment>(Some(&ns))
                .any(|d| map_selector_matches(&selector, &d.spec.template.metadata.labels))
            || c.list::<StatefulSet>(Some(&ns))
                .any(|d| map_selector_matches(&selector, &d.spec.template.metadata.labels));
        if !matches {
            let sel_text = selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
            out.push(
                Diagnostic::warning(
                    "lint.selector_matches_nothing",
                    sel_node.pos,
                    format!(
                        "selector {sel_text} matches no pods in namespace {ns}: the Service will have no endpoints"
                    ),
                )
                .with_args(&[&sel_text, &ns]),
            );
        }
    }
    out
}
