//! Hostile input in the terminal (issue 13 §2): files, heredocs and history stay bounded, and
//! `cat f >> f` is refused as coreutils and busybox refuse it.
use svclab_core::{ClusterConfig, Lab};

fn lab() -> Lab {
    Lab::new(ClusterConfig::default(), 1)
}

fn run(lab: &mut Lab, line: &str) -> String {
    lab.input(line).map(|o| o.text).unwrap_or_default()
}

/// Reproduces §2: `echo x > f` then `cat f >> f` repeated doubled the file until a
/// `capacity overflow` panic killed the page's terminal (the CLI aborted at 2.1 GB).
#[test]
fn cat_f_appending_to_f_is_refused_and_files_are_capped() {
    let mut lab = lab();
    run(&mut lab, "echo x > f");
    let out = lab.input("cat f >> f").unwrap();
    assert_eq!((out.text.as_str(), out.exit_code), ("cat: f: input file is output file\n", 1));
    assert_eq!(run(&mut lab, "cat f"), "x\n");
    // `>` empties the file before the command runs, as the shell opens it first.
    run(&mut lab, "echo y > h");
    run(&mut lab, "cat h > h");
    assert_eq!(run(&mut lab, "cat h"), "");
    // Doubling through a second file reaches the per-file cap and stops there.
    let mut last = String::new();
    for _ in 0..30 {
        run(&mut lab, "cat f > g");
        last = run(&mut lab, "cat g >> f");
    }
    assert_eq!(last, "cat: write error: No space left on device\n");
    assert_eq!(lab.terminal.files["f"].len(), svclab_core::shell::MAX_FILE_BYTES);
    // The disk as a whole is capped too.
    let outs: Vec<String> = (0..10).map(|i| run(&mut lab, &format!("cat f > copy{i}"))).collect();
    assert!(outs.contains(&"cat: write error: No space left on device\n".to_string()), "{outs:?}");
    assert_eq!(outs[9], "sh: can't create copy9: No space left on device\n");
    let used: usize = lab.terminal.files.iter().map(|(k, v)| k.len() + v.len()).sum();
    assert!(used <= svclab_core::shell::MAX_FILES_BYTES, "{used}");
    // One line naming a big file many times prints a bounded amount.
    let many = format!("cat {}", "f ".repeat(50));
    let out = run(&mut lab, &many);
    assert!(out.len() <= svclab_core::shell::MAX_OUTPUT_BYTES + 200, "{}", out.len());
    assert!(out.ends_with("per command; stopped\n"));
}

/// A heredoc that never ends holds at most one file's worth of text.
#[test]
fn an_oversized_heredoc_is_refused_when_it_closes() {
    let mut lab = lab();
    assert!(lab.input("cat > big << EOF").is_none());
    let line = "z".repeat(10_000);
    for _ in 0..200 {
        assert!(lab.input(&line).is_none());
    }
    let out = lab.input("EOF").unwrap();
    assert_eq!(out.text, "sh: can't create temp file for here document: No space left on device\n");
    assert!(!lab.terminal.files.contains_key("big"));
    for i in 0..2500 {
        run(&mut lab, &format!("echo {i}"));
    }
    let h = run(&mut lab, "history");
    assert!(h.lines().count() <= 2 * svclab_core::shell::HISTORY_KEEP);
    assert!(h.trim_end().ends_with("history"), "numbers continue to the newest line");
    assert!(h.lines().last().unwrap().trim_start().starts_with("2502"), "{}", h.lines().last().unwrap());
}
