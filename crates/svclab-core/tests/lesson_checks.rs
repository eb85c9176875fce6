//! Check evaluation against a live lab: the answers of the seed's scenario, the journal, the
//! traffic counters, and that looking changes nothing.

use svclab_core::lesson::check::{evaluate, parse_check, Check, Since};
use svclab_core::lesson::{Entry, LessonRun};
use svclab_core::scenario::SEED_001;

fn check(src: &str) -> Check {
    let (c, d) = parse_check(src, 1, 1);
    assert!(d.is_empty(), "{src}: {d:?}");
    c
}

fn holds(lab: &mut svclab_core::Lab, journal: &[Entry], src: &str) -> bool {
    evaluate(&check(src), lab, Since { journal, at: Default::default() }).passed
}

#[test]
fn dns_and_service_checks_read_the_live_lab() {
    let mut lab = SEED_001.start(1);
    let j: &[Entry] = &[];
    assert!(holds(&mut lab, j, "nslookup headless-service from default/client returns 5 addresses"));
    assert!(!holds(&mut lab, j, "nslookup headless-service from default/client returns 3 addresses"));
    assert!(holds(&mut lab, j, "nslookup normal-service from default/client returns 1 address"));
    assert!(holds(&mut lab, j, "nslookup nothing-here from default/client fails"));
    assert!(holds(&mut lab, j, "nslookup normal-service returns 1 address"), "from the learner's terminal");
    assert!(holds(&mut lab, j, "service headless-service has clusterIP None"));
    assert!(!holds(&mut lab, j, "service normal-service has clusterIP None"));
    assert!(holds(&mut lab, j, "service normal-service clusterIP is not None"));
    assert!(holds(&mut lab, j, "service headless-service has 5 ready endpoints"));
    assert!(holds(&mut lab, j, "deployment api-deployment has 5 ready pods"));
    assert!(holds(
        &mut lab,
        j,
        "dns headless-service.default.svc.cluster.local A from default/client returns 5 records"
    ));
    assert!(holds(&mut lab, j, "dns normal-service AAAA from default/client returns no records"));
    assert!(holds(&mut lab, j, "pod client is ready"));
    assert!(holds(&mut lab, j, "service web does not exist"));
    assert!(holds(&mut lab, j, "kube-proxy mode is iptables"));
    assert!(holds(&mut lab, j, "command \"kubectl get svc\" contains \"None\""));
    // A missing pod to ask from is a failed check, not a panic.
    assert!(!holds(&mut lab, j, "nslookup normal-service from default/nobody returns 1 address"));
}

#[test]
fn looking_changes_nothing() {
    let mut lab = SEED_001.start(1);
    let before = (lab.cluster.log().len(), lab.cluster.dns().log.len(), lab.terminal.history.len());
    let mut twin = lab.clone();
    for src in [
        "nslookup headless-service from default/client returns 5 addresses",
        "dns normal-service A returns 1 record",
        "command \"nslookup headless-service\" in default/client contains \"Address 5\"",
        "command \"kubectl get pods\" contains \"api\"",
    ] {
        assert!(holds(&mut lab, &[], src), "{src}");
    }
    assert_eq!(before, (lab.cluster.log().len(), lab.cluster.dns().log.len(), lab.terminal.history.len()));
    // The same future either way: the RNG was not touched.
    lab.cluster.advance(5_000);
    twin.cluster.advance(5_000);
    assert_eq!(
        lab.exec("default", "client", "nslookup headless-service").text,
        twin.exec("default", "client", "nslookup headless-service").text
    );
}

#[test]
fn traffic_and_journal_checks() {
    let lesson = svclab_core::lesson::parse(
        "id: t\ntitle: T\ntitle@zh-CN: T\nsummary: S\nsummary@zh-CN: S\nstart: scenario headless-vs-clusterip\n\nstep s\ntitle: a\ntitle@zh-CN: a\ntext: a\ntext@zh-CN: a\ntask: a\ntask@zh-CN: a\ncheck:\n  traffic from default/client to normal-service: at least 20 requests reached 3 or more different pods\n  ran kubectl get (svc|services)\nsolution:\n  lab client add --from default/client --to normal-service:80\n  lab advance 25s\n  kubectl get services\n",
    );
    assert!(lesson.ok(), "{:?}", lesson.diagnostics);
    let lesson = lesson.lesson;
    let mut run = LessonRun::start(&lesson);
    let s = run.check(&lesson);
    assert!(!s.passed);
    assert_eq!(s.conditions.len(), 2);
    run.play("lab client add --from default/client --to normal-service:80");
    run.play("lab advance 25s");
    let s = run.check(&lesson);
    assert!(s.conditions[0].passed, "{s:?}");
    assert!(!s.conditions[1].passed);
    run.play("kubectl get svc");
    assert!(run.check(&lesson).passed);
    // A headless client picking the first answer stays on one pod within the TTL.
    let one = check("traffic from default/client to headless-service: at least 10 requests reached 1 pod");
    run.play("lab client add --from default/client --to headless-service:3000");
    run.begin_step(0);
    run.play("lab advance 20s");
    let since = Since { journal: &[], at: run.progress.began_at };
    assert!(evaluate(&one, &mut run.lab, since).passed);
}

#[test]
fn an_apply_error_is_checked_by_its_text() {
    let mut run = LessonRun::start(&svclab_core::lesson::Lesson::default());
    run.play("kubectl create service loadbalancer web --tcp=80:80 --clusterip=None");
    run.play("cat > lb.yaml << EOF");
    for l in [
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        "  name: lb",
        "spec:",
        "  type: LoadBalancer",
        "  clusterIP: None",
        "  ports:",
        "  - port: 80",
        "EOF",
    ] {
        run.play(l);
    }
    run.play("kubectl apply -f lb.yaml");
    let journal = run.lab.terminal.commands.entries.clone();
    let last = journal.last().unwrap();
    assert_eq!(last.line, "kubectl apply -f lb.yaml");
    assert_ne!(last.exit_code, 0, "{}", last.output);
    let c = check("apply failed with \"may not be set to 'None' for LoadBalancer services\"");
    assert!(evaluate(&c, &mut run.lab, Since { journal: &journal, at: Default::default() }).passed, "{}", last.output);
}

#[test]
fn the_journal_marks_a_step_and_survives_trimming() {
    let mut lab = SEED_001.start(1);
    for _ in 0..450 {
        lab.input("kubectl get svc");
    }
    let j = &lab.terminal.commands;
    assert!(j.entries.len() <= 2 * svclab_core::shell::CommandLog::KEEP);
    assert_eq!(j.next_seq, 450);
    assert_eq!(j.since(440).len(), 10);
    assert_eq!(j.since(440)[0].seq, 440);
    assert!(j.since(450).is_empty());
    // A step opened from a link starts with the solutions of the steps before it played, and
    // its own check fails until the learner acts.
    let lesson = svclab_core::lesson::parse(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons/02-no-door.lesson")).unwrap(),
    );
    assert!(lesson.ok(), "{:?}", lesson.diagnostics);
    let mut run = LessonRun::at_step(&lesson.lesson, 2);
    assert_eq!(run.progress.step, 2);
    assert!(!run.check(&lesson.lesson).passed);
    run.play("kubectl exec -it client -- sh");
    run.play("nslookup headless-service");
    assert!(run.check(&lesson.lesson).passed);
}
