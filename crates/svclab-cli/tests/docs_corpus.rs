//! The docs corpus: networking examples of the Kubernetes documentation, written as
//! `svclab run` scripts in `tests/docs-corpus/NAME.sh` (each cites its page in a `# Source:`
//! line), run through the real `svclab` binary; the transcript must equal `NAME.out` byte for
//! byte. `NAME.kind.yaml`, when present, is the kind cluster config the script runs on.
//!
//! The expected transcripts pin the documented outcomes (accepted, or the documented error;
//! the DNS answers and kubectl output the pages show). After a deliberate change, run with
//! `UPDATE_EXPECT=1` and review the diff against the cited page before committing it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/docs-corpus");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("docs-corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    v.sort();
    v
}

fn transcript(script: &Path) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_svclab"));
    cmd.arg("run");
    let config = script.with_extension("kind.yaml");
    if config.exists() {
        cmd.arg("--cluster-config").arg(&config);
    }
    let out = cmd.arg(script).output().expect("run svclab");
    assert_eq!(out.status.code(), Some(0), "{}", script.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn docs_examples_keep_their_documented_outcomes() {
    let scripts = scripts();
    assert!(scripts.len() >= 7, "the corpus lost scripts: {scripts:?}");
    let mut failures = Vec::new();
    for script in &scripts {
        let src = std::fs::read_to_string(script).expect("read script");
        assert!(
            src.lines().any(|l| l.starts_with("# Source") && l.contains("https://kubernetes.io/docs/")),
            "{}: cite the documentation page in a `# Source:` line",
            script.display()
        );
        let got = transcript(script);
        let expect_path = script.with_extension("out");
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&expect_path, &got).expect("write expected");
            continue;
        }
        let want = std::fs::read_to_string(&expect_path).unwrap_or_default();
        if got != want {
            let line = got.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(0);
            failures.push(format!(
                "{}: transcript differs at line {}\n--- expected\n{}\n--- got\n{}",
                script.display(),
                line + 1,
                want.lines().skip(line.saturating_sub(2)).take(6).collect::<Vec<_>>().join("\n"),
                got.lines().skip(line.saturating_sub(2)).take(6).collect::<Vec<_>>().join("\n"),
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
