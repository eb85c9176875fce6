//! `kubectl debug node/NAME -it --image=IMAGE`: a shell on a node. As kubectl does, it
//! creates a pod `node-debugger-<node>-<5 chars>` pinned to the node (`nodeName`), in the
//! host's network namespace (`hostNetwork: true`), and attaches to it. Inside, the node-level
//! tools (`iptables-save`, `ipvsadm -Ln`, `nft list ruleset`) show that node's kube-proxy rules.
//! The pod stays after the shell exits, as the real one does (delete it with kubectl).
//! Debugging a pod with an ephemeral container is not simulated.

use super::{Args, Output, Session, Terminal};
use crate::api::*;
use crate::cluster::Cluster;

pub fn debug(c: &mut Cluster, term: &mut Terminal, args: &Args) -> Output {
    let Some(target) = args.positional.first() else {
        return Output::fail(
            "error: you must specify an existing container or a new image when specifying args.\n".to_string(),
            1,
        );
    };
    let Some(node) = target.strip_prefix("node/").or_else(|| target.strip_prefix("nodes/")) else {
        return Output::fail(
            format!("error: \"kubectl debug {target}\" is not available in this lab yet; try: kubectl debug node/NAME -it --image=busybox\n"),
            1,
        );
    };
    if c.get::<Node>("", node).is_none() {
        return Output::fail(format!("Error from server (NotFound): nodes \"{node}\" not found\n"), 1);
    }
    let Some(image) = args.value(&["--image"]).map(str::to_string) else {
        return Output::fail("error: --image is required when debugging a node\n".to_string(), 1);
    };
    let ns = args.namespace(term).to_string();
    let base = format!("node-debugger-{node}-");
    let name = c.with_rng(|r| crate::names::generate_name(&base, r));
    if let Err(e) = c.pod_room(&name) {
        return Output::fail(format!("Error from server (Forbidden): {e}\n"), 1);
    }
    let mut labels = Labels::new();
    labels.insert("app.kubernetes.io/managed-by".into(), "kubectl-debug".into());
    let pod = Pod {
        metadata: ObjectMeta { name: name.clone(), namespace: ns.clone(), labels, ..Default::default() },
        spec: PodSpec {
            containers: vec![Container {
                name: "debugger".into(),
                image: image.clone(),
                image_pull_policy: Some("IfNotPresent".into()),
                ..Default::default()
            }],
            node_name: Some(node.to_string()),
            host_network: true,
            restart_policy: Some("Never".into()),
            ..Default::default()
        },
        status: Default::default(),
    };
    c.put(Object::Pod(pod));
    c.settle();
    let mut out = format!("Creating debugging pod {name} with container debugger on node {node}.\n");
    if !args.has(&["-i", "--stdin", "-it", "-ti"]) {
        return Output::ok(out);
    }
    // Wait (in simulated time) for the container to start, as kubectl attaches.
    for _ in 0..600 {
        if c.get::<Pod>(&ns, &name).is_some_and(|p| p.status.phase != PodPhase::Pending) {
            break;
        }
        c.advance(crate::cluster::TICK_MS);
    }
    term.push_session(Session { namespace: ns, pod: name, image, remove_on_exit: false });
    out.push_str("If you don't see a command prompt, try pressing enter.\n");
    Output::ok(out)
}
