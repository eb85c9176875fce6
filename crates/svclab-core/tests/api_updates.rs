//! One API-server write path for every update: `metadata.generation` moves exactly when the
//! spec changes, and a Deployment rolls out (a new pod-template-hash) only when
//! `.spec.template` changes, whether the update came from apply, patch, edit, scale,
//! rollout restart, label or the page's buttons.

use svclab_core::api::{Deployment, Pod, ReplicaSet};
use svclab_core::scenario::SEED_001;
use svclab_core::{Action, Lab};

fn lab() -> Lab {
    Lab::start(11, &SEED_001)
}

fn dep(l: &Lab) -> Deployment {
    l.cluster.get::<Deployment>("default", "api-deployment").cloned().unwrap()
}

fn replicasets(l: &Lab) -> Vec<String> {
    l.cluster.list::<ReplicaSet>(Some("default")).map(|r| r.metadata.name.clone()).collect()
}

fn run(l: &mut Lab, line: &str) -> String {
    let out = l.input(line).unwrap();
    assert_eq!(out.exit_code, 0, "{line}: {}", out.text);
    out.text
}

fn live_pods(l: &Lab) -> Vec<String> {
    l.cluster
        .list::<Pod>(Some("default"))
        .filter(|p| p.metadata.labels.get("app").map(String::as_str) == Some("api"))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .map(|p| p.metadata.name.clone())
        .collect()
}

#[test]
fn replicas_only_patch_scales_without_a_rollout() {
    let mut l = lab();
    let (g, rs, pods) = (dep(&l).metadata.generation, replicasets(&l), live_pods(&l));
    let before = dep(&l).spec.template.clone();
    assert_eq!(
        run(&mut l, "kubectl patch deployment api-deployment -p '{\"spec\":{\"replicas\":3}}'"),
        "deployment.apps/api-deployment patched\n"
    );
    assert_eq!(dep(&l).spec.template, before);
    assert_eq!(dep(&l).metadata.generation, g + 1);
    l.act(Action::Advance { ms: 40_000 });
    assert_eq!(replicasets(&l), rs, "a replicas-only patch started a rollout");
    let after = live_pods(&l);
    assert_eq!(after.len(), 3);
    assert!(after.iter().all(|p| pods.contains(p)), "remaining pods were recreated: {after:?} vs {pods:?}");
}

#[test]
fn a_no_op_patch_says_no_change_and_moves_nothing() {
    let mut l = lab();
    let (g, rs, rv) = (dep(&l).metadata.generation, replicasets(&l), dep(&l).metadata.resource_version);
    for patch in [
        "kubectl patch deployment api-deployment -p '{\"spec\":{\"replicas\":5}}'",
        "kubectl patch deployment api-deployment --type merge -p '{\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"Always\"}}}}'",
        "kubectl patch deployment api-deployment --type json -p '[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5}]'",
    ] {
        assert_eq!(run(&mut l, patch), "deployment.apps/api-deployment patched (no change)\n", "{patch}");
    }
    assert_eq!(dep(&l).metadata.generation, g);
    assert_eq!(dep(&l).metadata.resource_version, rv);
    l.act(Action::Advance { ms: 10_000 });
    assert_eq!(replicasets(&l), rs);
}

#[test]
fn a_metadata_only_patch_keeps_generation_and_pods() {
    let mut l = lab();
    let (g, rs, pods) = (dep(&l).metadata.generation, replicasets(&l), live_pods(&l));
    run(&mut l, "kubectl patch deployment api-deployment -p '{\"metadata\":{\"labels\":{\"team\":\"blue\"}}}'");
    assert_eq!(dep(&l).metadata.labels.get("team").map(String::as_str), Some("blue"));
    assert_eq!(dep(&l).metadata.generation, g);
    run(&mut l, "kubectl label deployment api-deployment tier=web");
    run(&mut l, "kubectl annotate deployment api-deployment note=hi");
    assert_eq!(dep(&l).metadata.generation, g);
    l.act(Action::Advance { ms: 40_000 });
    assert_eq!(replicasets(&l), rs);
    assert_eq!(live_pods(&l), pods);
}

#[test]
fn a_template_patch_rolls_out_once() {
    let mut l = lab();
    let (g, rs) = (dep(&l).metadata.generation, replicasets(&l));
    run(
        &mut l,
        "kubectl patch deployment api-deployment -p '{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"v\":\"2\"}}}}}'",
    );
    assert_eq!(dep(&l).metadata.generation, g + 1);
    l.act(Action::Advance { ms: 120_000 });
    let now = replicasets(&l);
    assert_eq!(now.len(), rs.len() + 1, "{now:?}");
    let labelled = |p: &String| l.cluster.get::<Pod>("default", p).unwrap().metadata.labels.contains_key("v");
    assert!(live_pods(&l).iter().all(labelled), "the new template's pods replaced the old");
}

#[test]
fn edit_and_apply_follow_the_same_rules() {
    let mut l = lab();
    let (g, rs) = (dep(&l).metadata.generation, replicasets(&l));
    // An edit that saves kubectl's full view unchanged but for replicas.
    let yaml = run(&mut l, "kubectl get deployment api-deployment -o yaml").replace("replicas: 5", "replicas: 4");
    let mut script = String::from("kubectl edit deployment api-deployment <<EOF\n");
    script.push_str(&yaml);
    script.push_str("EOF\n");
    let t = l.run_script(&script);
    assert!(t.text.contains("deployment.apps/api-deployment edited"), "{}", t.text);
    assert_eq!(dep(&l).spec.replicas, 4);
    assert_eq!(dep(&l).metadata.generation, g + 1);
    // The same YAML again: nothing to do.
    let t = l.run_script(&script);
    assert!(t.text.contains("Edit cancelled, no changes made."), "{}", t.text);
    assert_eq!(dep(&l).metadata.generation, g + 1);
    // Re-applying the scenario's manifest sets replicas back: a spec change, no rollout.
    let out = l.act(Action::Apply { text: SEED_001.manifests.to_string() });
    assert!(out.ok(), "{}", out.output.text);
    assert!(out.output.text.contains("deployment.apps/api-deployment configured"), "{}", out.output.text);
    assert_eq!(dep(&l).metadata.generation, g + 2);
    let out = l.act(Action::Apply { text: SEED_001.manifests.to_string() });
    assert!(out.output.text.contains("deployment.apps/api-deployment unchanged"), "{}", out.output.text);
    assert_eq!(dep(&l).metadata.generation, g + 2);
    l.act(Action::Advance { ms: 60_000 });
    assert_eq!(replicasets(&l), rs);
}

#[test]
fn scale_and_rollout_restart() {
    let mut l = lab();
    let (g, rs) = (dep(&l).metadata.generation, replicasets(&l));
    run(&mut l, "kubectl scale deployment api-deployment --replicas=5");
    assert_eq!(dep(&l).metadata.generation, g, "scaling to the current count is no spec change");
    run(&mut l, "kubectl scale deployment api-deployment --replicas=2");
    assert_eq!(dep(&l).metadata.generation, g + 1);
    l.act(Action::Advance { ms: 40_000 });
    assert_eq!(replicasets(&l), rs);
    run(&mut l, "kubectl rollout restart deployment api-deployment");
    assert_eq!(dep(&l).metadata.generation, g + 2);
    l.act(Action::Advance { ms: 120_000 });
    assert_eq!(replicasets(&l).len(), rs.len() + 1);
}
