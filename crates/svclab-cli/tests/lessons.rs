//! The shipped curriculum through the real binary: `svclab lesson check` passes for every
//! lesson in `lessons/` (each step's check fails before its solution and passes after), and
//! a broken lesson is reported with its file, line and column and a failing exit status.

use std::process::Command;

fn svclab(args: &[&str], dir: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_svclab")).args(args).current_dir(dir).output().expect("run svclab");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

#[test]
fn every_shipped_lesson_passes_check() {
    let (code, text) = svclab(&["lesson", "check"], ROOT);
    assert_eq!(code, 0, "{text}");
    let lessons = std::fs::read_dir(format!("{ROOT}/lessons"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "lesson"))
        .count();
    assert!(lessons >= 1);
    assert!(text.contains(&format!("{lessons} lesson(s)")), "{text}");
    assert!(!text.contains("ERROR"), "{text}");
}

#[test]
fn a_check_that_cannot_fail_and_a_broken_line_are_reported() {
    let dir = std::env::temp_dir().join(format!("svclab-lesson-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let always = "id: always\ntitle: A\ntitle@zh-CN: A\nsummary: S\nsummary@zh-CN: S\nstart: empty\n\nstep s\ntitle: a\ntitle@zh-CN: a\ntext: a\ntext@zh-CN: a\ntask: a\ntask@zh-CN: a\ncheck:\n  service kubernetes exists\nsolution:\n  kubectl get svc\n";
    std::fs::write(dir.join("always.lesson"), always).unwrap();
    std::fs::write(
        dir.join("broken.lesson"),
        always.replace("  service kubernetes exists", "  service kubernetes exits"),
    )
    .unwrap();
    let d = dir.to_str().unwrap();
    let (code, text) = svclab(&["lesson", "check", "always.lesson", "broken.lesson"], d);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("the check already passes before the solution"), "{text}");
    assert!(text.contains("broken.lesson:16:22: check: expected a predicate"), "{text}");
    let (code, text) = svclab(&["lesson", "run", "always.lesson"], d);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("$ kubectl get svc\nNAME"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_worked_example_of_docs_lessons_md_passes_check() {
    let doc = std::fs::read_to_string(format!("{ROOT}/docs/LESSONS.md")).unwrap();
    let start = doc.find("```text\n").expect("a ```text block") + "```text\n".len();
    let len = doc[start..].find("\n```\n").expect("its end") + 1;
    let dir = std::env::temp_dir().join(format!("svclab-lesson-doc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("example.lesson"), &doc[start..start + len]).unwrap();
    let (code, text) = svclab(&["lesson", "check", "example.lesson"], dir.to_str().unwrap());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("headless-dns           lookup"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}
