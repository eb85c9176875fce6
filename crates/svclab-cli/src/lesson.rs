//! `svclab lesson check [FILE...]` and `svclab lesson run FILE`: the CLI side of
//! `svclab_core::lesson`, for teachers and for `./lab test`.

use std::process::ExitCode;
use svclab_core::lesson::{self, verify::verify, Lang, Lesson};

const LESSON_USAGE: &str = "usage: svclab lesson check [FILE...] | svclab lesson run FILE\n";

pub fn main(args: &[String]) -> ExitCode {
    match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("run") if args.len() == 2 => run(&args[1]),
        Some("-h" | "--help") => {
            print!("{LESSON_USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("svclab: {LESSON_USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Every `*.lesson` file of `lessons/`, sorted (the curriculum's order is its file names').
fn default_files() -> Result<Vec<String>, String> {
    let dir = std::fs::read_dir("lessons")
        .map_err(|e| format!("lessons/: {e} (run from the repository root or name files)"))?;
    let mut files: Vec<String> = dir
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "lesson"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    Ok(files)
}

fn load(path: &str) -> Result<(Lesson, Vec<String>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let parsed = lesson::parse(&text);
    let errors = parsed
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{path}:{}:{}: {}", d.pos.line, d.pos.col, d.message))
        .collect();
    Ok((parsed.lesson, errors))
}

fn mark(b: bool) -> &'static str {
    if b {
        "pass"
    } else {
        "FAIL"
    }
}

fn check(files: &[String]) -> ExitCode {
    let files = if files.is_empty() {
        match default_files() {
            Ok(f) if !f.is_empty() => f,
            Ok(_) => {
                eprintln!("svclab: no lessons/*.lesson files");
                return ExitCode::from(2);
            }
            Err(e) => {
                eprintln!("svclab: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        files.to_vec()
    };
    let mut bad = 0;
    let mut steps = 0;
    println!("{:<22} {:<24} {:<7} {:<7} result", "lesson", "step", "before", "after");
    for path in &files {
        let (lesson, errors) = match load(path) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("svclab: {e}");
                bad += 1;
                continue;
            }
        };
        if !errors.is_empty() {
            for e in &errors {
                println!("{e}");
            }
            println!("{:<22} {:<24} {:<7} {:<7} {} parse error(s)", lesson.id, "-", "-", "-", errors.len());
            bad += 1;
            continue;
        }
        for r in verify(&lesson) {
            steps += 1;
            // The check must FAIL before: print "fail" as the good outcome there.
            let before = if r.before.passed { "PASS" } else { "fail" };
            let ok = r.problems.is_empty();
            println!(
                "{:<22} {:<24} {:<7} {:<7} {}",
                lesson.id,
                r.id,
                before,
                mark(r.after.passed),
                if ok { "ok" } else { "ERROR" }
            );
            for p in &r.problems {
                println!("  {path}:{}: {p}", r.line);
            }
            if !ok {
                bad += 1;
            }
        }
    }
    println!("{} lesson(s), {steps} step(s), {bad} problem(s)", files.len());
    if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run(path: &str) -> ExitCode {
    let (lesson, errors) = match load(path) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("svclab: {e}");
            return ExitCode::from(2);
        }
    };
    for e in &errors {
        eprintln!("{e}");
    }
    if !errors.is_empty() {
        return ExitCode::from(1);
    }
    let mut run = lesson::LessonRun::start(&lesson);
    println!("# {} — {}", lesson.id, lesson.title.get(Lang::En));
    for (n, step) in lesson.steps.iter().enumerate() {
        run.begin_step(n);
        println!("\n## step {}: {} — {}", n + 1, step.id, step.title.get(Lang::En));
        for l in &step.solution {
            let line = run.expand(&l.text);
            // A `lab` line from a pod shell is a lab action, not typed in the terminal.
            let prompt = if svclab_core::action::is_lab_line(&line)
                && run.lab.terminal.in_pod_shell()
                && run.lab.terminal.open_heredoc().is_none()
            {
                "[lab] "
            } else {
                run.lab.terminal.prompt()
            };
            println!("{prompt}{line}");
            if let Some(o) = run.play(&line) {
                print!("{}", o.text);
            }
        }
        let status = run.check(&lesson);
        for c in &status.conditions {
            println!("# check {}: {} (now: {})", mark(c.passed), c.source, c.observed);
        }
    }
    ExitCode::SUCCESS
}
