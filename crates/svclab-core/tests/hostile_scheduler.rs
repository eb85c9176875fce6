//! Long runs at the lab's limits (issue 13 §3): a Deployment scaled to 1000 replicas on the
//! default three-node cluster leaves ~780 pods Pending; the scheduler used to re-evaluate all
//! of them (and rebuild their messages) every 100 ms tick, so `sleep 600` took 9.4 s and
//! `kubectl wait --all` 28 s. The `limits` benchmark measures the commands; these tests check
//! behaviour (parked pods still schedule when room appears), the pod limit and the per-command
//! work budget, with generous wall-time bounds that the old cost (minutes in a debug build)
//! could not meet.
use svclab_core::api::Pod;
use svclab_core::{ClusterConfig, Lab};

fn run(lab: &mut Lab, line: &str) -> String {
    lab.input(line).map(|o| o.text).unwrap_or_default()
}

fn scheduled(lab: &Lab, prefix: &str) -> usize {
    lab.cluster
        .list::<Pod>(Some("default"))
        .filter(|p| p.metadata.name.starts_with(prefix) && p.status.scheduled)
        .count()
}

/// Reproduces §3's `kubectl scale ... --replicas=1000` then `sleep 600`.
#[test]
fn pending_pods_wait_for_room_and_cost_nothing_meanwhile() {
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    run(&mut lab, "kubectl create deployment other --image=nginx --replicas=50");
    run(&mut lab, "sleep 5");
    run(&mut lab, "kubectl create deployment api-deployment --image=nginx");
    run(&mut lab, "kubectl scale deploy api-deployment --replicas=1000");
    let work = lab.cluster.work();
    assert_eq!(run(&mut lab, "sleep 600"), "");
    // Well inside the work budget: the budget is a backstop, not what ends normal commands.
    let used = lab.cluster.work() - work;
    eprintln!("sleep 600 at 1000 replicas: {used} units of work");
    assert!(used < svclab_core::cluster::WORK_BUDGET / 4, "{used}");
    let before = scheduled(&lab, "api-deployment-");
    assert!(before < 1000 && before > 100, "{before}");
    // The FailedScheduling message is recorded once per pod, as before.
    let events = run(&mut lab, "kubectl get events --field-selector reason=FailedScheduling");
    assert!(events.contains("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Too many pods."), "{events}");
    // Pods leaving a node wake the parked ones (kube-scheduler's queue on a pod delete).
    run(&mut lab, "kubectl scale deploy other --replicas=0");
    run(&mut lab, "sleep 60");
    assert_eq!(scheduled(&lab, "api-deployment-"), before + 50);
    let out = run(&mut lab, "kubectl wait --for=condition=Ready pod --all --timeout=600s");
    assert!(out.contains("error: timed out waiting for the condition on pods/"));
}

/// The pod limit: five 1000-replica Deployments stop at the lab's limit with a FailedCreate
/// event that says it is a lab limit; a `kubectl run` past it is refused.
#[test]
fn the_cluster_holds_at_most_the_pod_limit() {
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    for i in 0..3 {
        run(&mut lab, &format!("kubectl create deployment web{i} --image=nginx --replicas=1000"));
    }
    let pods = lab.cluster.list::<Pod>(None).count();
    assert_eq!(pods, svclab_core::cluster::MAX_PODS);
    let events = run(&mut lab, "kubectl get events --field-selector reason=FailedCreate");
    assert!(
        events.contains("Error creating: pods \"web1-")
            && events.contains(
                "is forbidden: Service Lab runs at most 2000 pods (a lab limit: every pod is simulated in memory)"
            ),
        "{events}"
    );
    let out = run(&mut lab, "kubectl run extra --image=nginx");
    assert_eq!(out, "Error from server (Forbidden): pods \"extra\" is forbidden: Service Lab runs at most 2000 pods (a lab limit: every pod is simulated in memory)\n");
    let out = run(&mut lab, "kubectl apply -f - << EOF");
    assert_eq!(out, "");
    for l in [
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        "  name: extra",
        "spec:",
        "  containers:",
        "  - name: c",
        "    image: nginx",
    ] {
        assert!(lab.input(l).is_none());
    }
    let out = lab.input("EOF").unwrap().text;
    assert_eq!(out, "Error from server (Forbidden): error when creating \"STDIN\": pods \"extra\" is forbidden: Service Lab runs at most 2000 pods (a lab limit: every pod is simulated in memory)\n");
    // Room again once pods go.
    run(&mut lab, "kubectl delete deploy web0 web2");
    run(&mut lab, "sleep 60");
    assert_eq!(run(&mut lab, "kubectl run extra --image=nginx"), "pod/extra created\n");
}

/// The work budget ends a command with a message instead of freezing; time stops where the
/// budget ran out and the next command goes on.
#[test]
fn a_command_past_its_work_budget_ends_with_a_message() {
    let mut lab = Lab::new(ClusterConfig::default(), 1);
    run(&mut lab, "kubectl create deployment api-deployment --image=nginx --replicas=1000");
    lab.terminal.work_budget = 500;
    let start = lab.cluster.now();
    let out = lab.input("sleep 600").unwrap();
    assert_eq!(out.exit_code, 1);
    assert!(out.text.starts_with("sleep: Service Lab stopped this command after "), "{}", out.text);
    assert!(out.text.ends_with(
        "one command may make the cluster do at most 500 units of work (a lab limit); run it again to go on\n"
    ));
    assert!(lab.cluster.now().since(start) < 600_000);
    for cmd in [
        "kubectl rollout status deploy/api-deployment",
        "kubectl wait --for=condition=Ready pod --all --timeout=600s",
        "kubectl get pods -w",
    ] {
        lab.terminal.work_budget = 50;
        let out = lab.input(cmd).unwrap();
        assert!(out.text.contains("units of work (a lab limit)"), "{cmd}: {}", out.text);
    }
    lab.terminal.work_budget = svclab_core::cluster::WORK_BUDGET;
    assert_eq!(run(&mut lab, "sleep 600"), "");
}
