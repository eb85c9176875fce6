//! `kubectl get events -o yaml|json|name|jsonpath`: the recorded events as core/v1 `Event`
//! objects, in kubectl's `List` wrapper (an empty `List` when there are none), as for every
//! other resource. The table form lives in `get.rs`.
//!
//! Invariant: a pure function of the event log; names are `<object>.<hex of the first
//! occurrence in Unix nanoseconds>` as client-go's event recorder makes them
//! (tools/record/event.go `makeEvent`: `fmt.Sprintf("%v.%x", ref.Name, t.UnixNano())`).

use super::output;
use crate::api::Kind;
use crate::cluster::{Cluster, KubeEvent};
use crate::time::{rfc3339, EPOCH_UNIX_SECS};
use crate::yaml::{self, Node};

/// The component that reports an event, by reason and object kind (the recorder each
/// Kubernetes component creates: `kubelet`, `default-scheduler`, `<kind>-controller`).
fn component(e: &KubeEvent) -> &'static str {
    match (e.reason.as_str(), e.kind) {
        ("Scheduled" | "FailedScheduling", _) => "default-scheduler",
        ("ScalingReplicaSet", _) => "deployment-controller",
        ("WaitForFirstConsumer", _) => "persistentvolume-controller",
        ("ProvisioningSucceeded", _) => "rancher.io/local-path_local-path-provisioner",
        (_, Kind::ReplicaSet) => "replicaset-controller",
        (_, Kind::StatefulSet) => "statefulset-controller",
        (_, Kind::DaemonSet) => "daemonset-controller",
        (_, Kind::Deployment) => "deployment-controller",
        (_, Kind::Service) => "service-controller",
        (_, Kind::Pod) => "kubelet",
        _ => "",
    }
}

/// `seq` (the event's place in the log) stands in for the nanoseconds a real clock would
/// differ by, so two events of one object in the same tick keep distinct names.
fn event_node(e: &KubeEvent, seq: usize) -> Node {
    let nanos = (EPOCH_UNIX_SECS + e.first.secs()) as u128 * 1_000_000_000
        + (e.first.millis() % 1000) as u128 * 1_000_000
        + seq as u128;
    let name = format!("{}.{nanos:x}", e.name);
    let mut involved = Node::map()
        .with("apiVersion", Node::str(e.kind.api_version()))
        .with("kind", Node::str(e.kind.name()))
        .with("name", Node::str(&e.name));
    if e.kind.namespaced() {
        involved.set("namespace", Node::str(&e.namespace));
    }
    let comp = component(e);
    Node::map()
        .with("apiVersion", Node::str("v1"))
        .with("count", Node::int(e.count.into()))
        .with("eventTime", Node::null())
        .with("firstTimestamp", Node::str(rfc3339(e.first)))
        .with("involvedObject", involved)
        .with("kind", Node::str("Event"))
        .with("lastTimestamp", Node::str(rfc3339(e.last)))
        .with("message", Node::str(&e.message))
        .with(
            "metadata",
            Node::map()
                .with("creationTimestamp", Node::str(rfc3339(e.first)))
                .with("name", Node::str(name))
                .with("namespace", Node::str(&e.namespace)),
        )
        .with("reason", Node::str(&e.reason))
        .with("reportingComponent", Node::str(comp))
        .with("reportingInstance", Node::str(""))
        .with("source", Node::map().with("component", Node::str(comp)))
        .with("type", Node::str(&e.type_))
}

/// `--field-selector` over events: the fields the API server indexes for them
/// (`involvedObject.kind|name|namespace`, `reason`, `type`, `source`, `metadata.namespace`;
/// pkg/registry/core/event/strategy.go `ToSelectableFields`), with `=`, `==`, `!=`. `Err`
/// names a field it does not support.
pub fn field_selector_matches(e: &KubeEvent, sel: &str) -> Result<bool, String> {
    for term in sel.split(',').filter(|t| !t.is_empty()) {
        let (field, value, negate) = if let Some((f, v)) = term.split_once("!=") {
            (f, v, true)
        } else if let Some((f, v)) = term.split_once("==") {
            (f, v, false)
        } else if let Some((f, v)) = term.split_once('=') {
            (f, v, false)
        } else {
            return Err(term.to_string());
        };
        let actual = match field {
            "involvedObject.kind" => e.kind.name(),
            "involvedObject.name" => e.name.as_str(),
            "involvedObject.namespace" | "metadata.namespace" => e.namespace.as_str(),
            "reason" => e.reason.as_str(),
            "type" => e.type_.as_str(),
            "source" => component(e),
            _ => return Err(field.to_string()),
        };
        if (actual == value) == negate {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The events of `ns` (all namespaces when `None`) that `keep` accepts, oldest first, in an
/// object format.
pub fn print(c: &Cluster, ns: Option<&str>, keep: &dyn Fn(&KubeEvent) -> bool, format: &str) -> Result<String, String> {
    let mut evs: Vec<(usize, &KubeEvent)> =
        c.events().enumerate().filter(|(_, e)| ns.is_none_or(|n| e.namespace == n) && keep(e)).collect();
    evs.sort_by_key(|(_, e)| e.last);
    let nodes: Vec<Node> = evs.into_iter().map(|(i, e)| event_node(e, i)).collect();
    if format == "name" {
        let name = |n: &Node| n.get("metadata").and_then(|m| m.get("name")).and_then(Node::as_str).map(str::to_string);
        return Ok(nodes.iter().filter_map(name).map(|n| format!("event/{n}\n")).collect());
    }
    let root = crate::encode::list(nodes);
    match format {
        "yaml" => Ok(yaml::to_yaml(&root)),
        "json" => Ok(yaml::to_json(&root)),
        f => {
            let tmpl = f
                .strip_prefix("jsonpath=")
                .or_else(|| f.strip_prefix("jsonpath-as-json="))
                .ok_or_else(|| "error: template format specified but no template given".to_string())?;
            output::jsonpath(&root, tmpl)
        }
    }
}
