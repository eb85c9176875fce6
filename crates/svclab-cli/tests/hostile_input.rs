//! Hostile bytes into the `svclab` binary (issue 13, should-fix): a script line that is not
//! UTF-8 is reported with its number and the other lines run; interactive `svclab` says so
//! and goes on; input that ends inside a heredoc is reported.

use std::io::Write;
use std::process::{Command, Stdio};

fn svclab(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_svclab"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn svclab");
    child.stdin.take().expect("stdin").write_all(stdin).expect("write");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Reproduces one byte 0xff on line 2 rejecting the whole script with no line number.
#[test]
fn a_line_that_is_not_utf8_is_reported_by_number_and_the_rest_runs() {
    let script = b"echo one\necho t\xffwo\necho three\n";
    let (code, out, err) = svclab(&["run", "-"], script);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("$ echo one\none\n") && out.contains("$ echo three\nthree\n"), "{out}");
    assert_eq!(err, "svclab: <stdin>:2: invalid UTF-8 (byte 0xff at column 7); line skipped\n");
    let (code, _, _) = svclab(&["run", "--strict", "-"], script);
    assert_eq!(code, 1);
}

/// Reproduces interactive `svclab` exiting 0 silently on such a line.
#[test]
fn interactive_svclab_reports_a_bad_line_and_an_open_heredoc() {
    let (code, out, err) = svclab(&[], b"echo a\xfe\necho still here\ncat > f << EOF\nhalf\n");
    assert_eq!(code, 0);
    assert!(out.contains("still here\n"), "{out}");
    assert!(err.contains("svclab: line 1: invalid UTF-8 (byte 0xfe at column 7); line ignored\n"), "{err}");
    assert!(
        err.contains("svclab: warning: here-document delimited by end-of-file (wanted `EOF'); command not run\n"),
        "{err}"
    );
}
