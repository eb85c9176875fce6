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

fn svclab_err(args: &[&str], dir: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_svclab")).args(args).current_dir(dir).output().expect("run svclab");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// base64url without padding, as the page's `unpackState` reads it.
fn from_base64url(code: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => panic!("not base64url: {}", c as char),
    };
    let mut out = Vec::new();
    for chunk in code.as_bytes().chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &c)| n | (val(c) as u32) << (18 - 6 * i));
        for k in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * k)) as u8);
        }
    }
    out
}

#[test]
fn lesson_link_carries_the_checked_file_deflated_in_the_url() {
    let (code, url, err) = svclab_err(&["lesson", "link", "lessons/02-no-door.lesson"], ROOT);
    assert_eq!(code, 0, "{err}");
    let url = url.trim();
    let packed = url.strip_prefix("http://127.0.0.1:8080/?lessontext=").unwrap_or_else(|| panic!("{url}"));
    let bytes = miniz_oxide::inflate::decompress_to_vec(&from_base64url(packed)).expect("raw deflate");
    let file = std::fs::read_to_string(format!("{ROOT}/lessons/02-no-door.lesson")).unwrap();
    assert_eq!(String::from_utf8(bytes).unwrap(), file);
    // Deflated: shorter than the text itself even after base64.
    assert!(packed.len() < file.len() / 2, "{} vs {}", packed.len(), file.len());
    // A base with its own query gets `&`.
    let (code, url, _) = svclab_err(
        &["lesson", "link", "--base", "https://docs.example.org/lab/?lang=zh-CN", "lessons/02-no-door.lesson"],
        ROOT,
    );
    assert_eq!(code, 0);
    assert!(url.starts_with("https://docs.example.org/lab/?lang=zh-CN&lessontext="), "{url}");
}

#[test]
fn lesson_link_refuses_a_broken_lesson_with_located_errors() {
    let dir = std::env::temp_dir().join(format!("svclab-lesson-link-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = "id: mine\ntitle: A\nsummary: S\nsummary@zh-CN: S\nstart: empty\n\nstep s\ntitle: a\ntitle@zh-CN: a\ntext: a\ntext@zh-CN: a\ntask: a\ntask@zh-CN: a\ncheck:\n  service web exists\nsolution:\n  kubectl create service clusterip web --tcp=80:80\n";
    std::fs::write(dir.join("mine.lesson"), broken).unwrap();
    let d = dir.to_str().unwrap();
    let (code, out, err) = svclab_err(&["lesson", "link", "mine.lesson"], d);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("mine.lesson:2:1: `title` has no zh-CN translation"), "{err}");
    // Fixed, it links; a check that cannot fail is refused like `lesson check` does.
    std::fs::write(dir.join("mine.lesson"), broken.replace("title: A\n", "title: A\ntitle@zh-CN: 甲\n")).unwrap();
    let (code, out, err) = svclab_err(&["lesson", "link", "mine.lesson"], d);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("?lessontext="), "{out}");
    std::fs::write(
        dir.join("mine.lesson"),
        broken
            .replace("title: A\n", "title: A\ntitle@zh-CN: 甲\n")
            .replace("service web exists", "service kubernetes exists"),
    )
    .unwrap();
    let (code, out, err) = svclab_err(&["lesson", "link", "mine.lesson"], d);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("cannot fail"), "{err}");
    let (code, _, err) = svclab_err(&["lesson", "link", "--base", "nowhere", "mine.lesson"], d);
    assert_eq!(code, 2, "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
