//! `svclab lesson check [FILE...]`, `svclab lesson run FILE` and `svclab lesson link FILE`: the
//! CLI side of `svclab_core::lesson`, for teachers and for `./lab test`.

use std::process::ExitCode;
use svclab_core::lesson::{self, verify::verify, Lang, Lesson};

const LESSON_USAGE: &str =
    "usage: svclab lesson check [FILE...] | svclab lesson run FILE | svclab lesson link [--base URL] FILE\n";

/// Where `./lab serve` serves the page.
const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";

/// The page refuses a packed parameter longer than this (src/url_state.rs, `unpack`).
const MAX_CODE_CHARS: usize = 400_000;

/// The page expands a link to at most this many characters (src/web.js, `MAX_STATE_CHARS`).
const MAX_TEXT_CHARS: usize = 512 * 1024;

pub fn main(args: &[String]) -> ExitCode {
    match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("run") if args.len() == 2 => run(&args[1]),
        Some("link") => link(&args[1..]),
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

/// `svclab lesson link [--base URL] FILE`: the lesson checked as `check` does, then a link
/// whose `lessontext=` carries the file deflated (raw deflate, base64url without padding: what
/// the page's `m=` and `j=` use, so the browser's `DecompressionStream` reads it back).
fn link(args: &[String]) -> ExitCode {
    let mut base = DEFAULT_BASE.to_string();
    let mut file = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--base" => {
                i += 1;
                match args.get(i) {
                    Some(b) if b.starts_with("http://") || b.starts_with("https://") || b.starts_with('/') => {
                        base = b.clone()
                    }
                    _ => {
                        eprintln!("svclab: --base needs the lab's address (http://, https:// or /path/)");
                        return ExitCode::from(2);
                    }
                }
            }
            f if file.is_none() && !f.starts_with("--") => file = Some(f.to_string()),
            other => {
                eprintln!("svclab: unexpected argument '{other}'\nsvclab: {LESSON_USAGE}");
                return ExitCode::from(2);
            }
        }
        i += 1;
    }
    let Some(path) = file else {
        eprint!("svclab: {LESSON_USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("svclab: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let (lesson, errors) = match load(&path) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("svclab: {e}");
            return ExitCode::from(2);
        }
    };
    if !errors.is_empty() {
        for e in &errors {
            eprintln!("{e}");
        }
        return ExitCode::from(1);
    }
    // The same proof as `lesson check`: a learner opening the link gets working steps.
    let mut bad = false;
    for r in verify(&lesson) {
        for p in &r.problems {
            eprintln!("{path}:{}: step {}: {p}", r.line, r.id);
            bad = true;
        }
    }
    if bad {
        eprintln!("svclab: {path}: not linked (`svclab lesson check {path}` shows the table)");
        return ExitCode::from(1);
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        eprintln!("svclab: {path}: longer than the {MAX_TEXT_CHARS} characters a link may carry");
        return ExitCode::from(1);
    }
    let code = pack(&text);
    if code.len() > MAX_CODE_CHARS {
        eprintln!(
            "svclab: {path}: the packed lesson is {} characters, more than a link may carry ({MAX_CODE_CHARS})",
            code.len()
        );
        return ExitCode::from(1);
    }
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}lessontext={code}");
    // Browsers take links of megabytes, but chat tools and QR codes do not.
    if url.len() > 8_000 {
        eprintln!("svclab: note: the link is {} characters long; some chat tools cut links over 8000", url.len());
    }
    println!("{url}");
    ExitCode::SUCCESS
}

/// Raw deflate (best compression), then base64url without padding.
pub fn pack(text: &str) -> String {
    base64url(&miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9))
}

fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n =
            (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for k in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    out
}
