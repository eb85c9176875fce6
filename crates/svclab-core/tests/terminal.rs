//! Terminal transcripts: every `tests/fixtures/terminal/NAME.sh` is run as `svclab run` would
//! (seed 1, default kind-like cluster) and its transcript must equal `NAME.out` byte for byte.
//! Run with `UPDATE_EXPECT=1` to rewrite the `.out` files after a deliberate change, then
//! review the diff: the expected files are kubectl's formats, not whatever the code printed.

use std::path::{Path, PathBuf};
use svclab_core::{ClusterConfig, Lab};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terminal");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    v.sort();
    v
}

/// Replace each `# include: FILE` line with that file's text (FILE beside the script), so
/// scripts share their setup instead of repeating it.
fn expand_includes(script: &Path, src: &str) -> String {
    let mut out = String::new();
    for line in src.lines() {
        match line.strip_prefix("# include: ") {
            Some(name) => {
                let path = script.with_file_name(name.trim());
                out.push_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// Run one script and compare (or rewrite) its expected transcript. Returns a failure text.
fn check(script: &Path) -> Option<String> {
    let src = expand_includes(script, &std::fs::read_to_string(script).expect("read script"));
    let seed = src.lines().find_map(|l| l.strip_prefix("# seed: ")).and_then(|s| s.trim().parse().ok()).unwrap_or(1);
    let mut lab = Lab::new(ClusterConfig::default(), seed);
    let got = lab.run_script(&src).text;
    let expect_path = script.with_extension("out");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expect_path, &got).expect("write expected");
        return None;
    }
    let want = std::fs::read_to_string(&expect_path).unwrap_or_default();
    if got == want {
        return None;
    }
    let line = got
        .lines()
        .zip(want.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(got.lines().count().min(want.lines().count()));
    Some(format!(
        "{}: transcript differs at line {}\n--- expected\n{}\n--- got\n{}\n",
        script.display(),
        line + 1,
        want.lines().skip(line.saturating_sub(2)).take(8).collect::<Vec<_>>().join("\n"),
        got.lines().skip(line.saturating_sub(2)).take(8).collect::<Vec<_>>().join("\n"),
    ))
}

#[test]
fn terminal_transcripts_match_fixtures() {
    let scripts = fixtures();
    assert!(!scripts.is_empty(), "no fixtures");
    let failures: Vec<String> = scripts.iter().filter_map(|s| check(s)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
