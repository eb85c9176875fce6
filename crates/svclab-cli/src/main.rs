//! `svclab`: the Service Lab terminal for scripts and docs authors.
//!
//! `svclab run [--seed N] [--cluster-config FILE] [--strict] SCRIPT|-` prints a transcript;
//! `svclab` alone is an interactive terminal on stdin/stdout; `svclab --version` prints the
//! version. `svclab --help` documents the options and exit statuses.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;
use svclab_core::{ClusterConfig, Lab};

mod lesson;

const USAGE: &str = "usage: svclab [--version] [run [--seed N] [--cluster-config FILE] [--strict] SCRIPT|-]

  svclab                  an interactive terminal on stdin/stdout
  svclab run SCRIPT|-     run a script (one command per line, # comments, heredocs) and print
                          the transcript; failures are also listed on stderr as SCRIPT:LINE: ...
    --seed N              the simulation's seed (default 1): the same seed and script always
                          print the same transcript (pod names, IPs, DNS answer order)
    --cluster-config FILE a kind Cluster config (nodes, networking, kube-proxy mode)
    --strict              exit 1 if any command failed, a line was not UTF-8 (reported by
                          number and skipped) or the script ends inside a heredoc
  svclab lesson check [FILE...]
                          check lessons (default: every lessons/*.lesson): each step's check
                          fails before its solution and passes after, commands parse, both
                          languages are complete; prints a table, exit 1 on any problem
  svclab lesson run FILE  print the transcript of playing the lesson's solutions
  svclab lesson link [--base URL] FILE
                          check the lesson, then print a link that opens it in the page (the
                          text deflated into the URL's `lessontext=`; nothing is fetched);
                          --base is where the lab is served (default http://127.0.0.1:8080/)
  svclab --version        print the version

exit status: 0 success (without --strict, also when commands failed); 1 --strict and a
command failed or the script ended inside a heredoc; 2 bad arguments, an unreadable file or
an invalid --cluster-config.
";

struct Opts {
    seed: u64,
    config: Option<String>,
    strict: bool,
    script: Option<String>,
}

fn parse(args: &[String]) -> Result<(bool, Opts), String> {
    let mut o = Opts { seed: 1, config: None, strict: false, script: None };
    let mut run = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "run" if !run && i == 0 => run = true,
            "--seed" => {
                i += 1;
                o.seed = args.get(i).and_then(|s| s.parse().ok()).ok_or("--seed needs a whole number")?;
            }
            "--cluster-config" => {
                i += 1;
                o.config = Some(args.get(i).cloned().ok_or("--cluster-config needs a file")?);
            }
            "--strict" => o.strict = true,
            "-h" | "--help" => return Err("help".into()),
            s if run && o.script.is_none() => o.script = Some(s.to_string()),
            s => return Err(format!("unexpected argument '{s}'")),
        }
        i += 1;
    }
    if run && o.script.is_none() {
        return Err("run needs a SCRIPT file or - for stdin".into());
    }
    Ok((run, o))
}

fn read_source(path: &str) -> Result<String, String> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| format!("{path}: {e}"))
}

fn read_bytes(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).map_err(|e| format!("reading stdin: {e}"))?;
        Ok(b)
    } else {
        std::fs::read(path).map_err(|e| format!("{path}: {e}"))
    }
}

/// Why a line is not UTF-8, as `invalid UTF-8 (byte 0xff at column 5)`.
fn utf8_problem(line: &[u8]) -> Option<String> {
    let e = std::str::from_utf8(line).err()?;
    let at = e.valid_up_to();
    Some(format!("invalid UTF-8 (byte 0x{:02x} at column {})", line[at], at + 1))
}

/// A script's lines as text: a line that is not UTF-8 becomes empty (so line numbers stay
/// right) and is reported with its number; the other lines run.
fn script_lines(bytes: &[u8]) -> (String, Vec<String>) {
    let mut text = String::with_capacity(bytes.len());
    let mut bad = Vec::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if i > 0 {
            text.push('\n');
        }
        match std::str::from_utf8(line) {
            Ok(l) => text.push_str(l),
            Err(_) => bad.push(format!("line {}: {}; line skipped", i + 1, utf8_problem(line).unwrap_or_default())),
        }
    }
    (text, bad)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("lesson") {
        return lesson::main(&args[1..]);
    }
    if args.iter().any(|a| a == "--version" || a == "-V") {
        println!("svclab {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let (run, opts) = match parse(&args) {
        Ok(x) => x,
        Err(e) if e == "help" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("svclab: {e}");
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let config = match &opts.config {
        Some(path) => match read_source(path) {
            Ok(text) => {
                let (cfg, diags) = ClusterConfig::from_kind_yaml(&text);
                if let Some(d) = diags.iter().find(|d| d.is_error()) {
                    eprintln!("svclab: {path}:{}:{}: {}", d.pos.line, d.pos.col, d.message);
                    return ExitCode::from(2);
                }
                cfg
            }
            Err(e) => {
                eprintln!("svclab: {e}");
                return ExitCode::from(2);
            }
        },
        None => ClusterConfig::default(),
    };
    let mut lab = Lab::new(config, opts.seed);
    if run {
        let bytes = match read_bytes(opts.script.as_deref().unwrap_or("-")) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("svclab: {e}");
                return ExitCode::from(2);
            }
        };
        let (script, bad_lines) = script_lines(&bytes);
        let mut t = lab.run_script(&script);
        print!("{}", t.text);
        let name = opts.script.as_deref().unwrap_or("-");
        let name = if name == "-" { "<stdin>" } else { name };
        if !bad_lines.is_empty() {
            t.failed = true;
        }
        for e in bad_lines.iter().chain(&t.errors) {
            // `line N: ...` becomes `SCRIPT:N: ...`, as compilers and shells point at lines.
            eprintln!("svclab: {name}:{}", e.strip_prefix("line ").unwrap_or(e));
        }
        return if opts.strict && t.failed { ExitCode::from(1) } else { ExitCode::SUCCESS };
    }
    // Interactive: prompt, read a line, print the output.
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    if stdin.is_terminal() {
        let _ = writeln!(
            out,
            "Service Lab {} — a simulated kind cluster (seed {}). Type `help` for commands, `exit` or Ctrl+D to leave.",
            env!("CARGO_PKG_VERSION"),
            opts.seed
        );
    }
    let mut number = 0usize;
    loop {
        let _ = write!(out, "{}", lab.terminal.prompt());
        let _ = out.flush();
        let mut raw = Vec::new();
        match stdin.lock().read_until(b'\n', &mut raw) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("svclab: reading stdin: {e}");
                return ExitCode::from(2);
            }
        }
        number += 1;
        let line = match String::from_utf8(raw) {
            Ok(l) => l,
            Err(e) => {
                // Say so and go on: one bad byte must not end the session silently.
                let problem = utf8_problem(e.as_bytes()).unwrap_or_default();
                eprintln!("svclab: line {number}: {problem}; line ignored");
                continue;
            }
        };
        let line = line.trim_end_matches(['\n', '\r']);
        if line == "exit" && !lab.terminal.in_pod_shell() {
            break;
        }
        if let Some(o) = lab.input(line) {
            if o.clear {
                let _ = write!(out, "\x1b[2J\x1b[H");
            }
            let _ = write!(out, "{}", o.text);
            if o.edit.is_some() {
                // No editor here: kubectl's words for an unchanged file, and how to edit instead.
                let _ = writeln!(out, "Edit cancelled, no changes made.");
                let _ = writeln!(out, "(to edit here, pass the new YAML as a heredoc: kubectl edit TYPE NAME << EOF)");
            }
        }
    }
    if let Some(delim) = lab.terminal.open_heredoc() {
        // bash's warning when input ends inside a heredoc; the lab drops the command.
        eprintln!("svclab: warning: here-document delimited by end-of-file (wanted `{delim}'); command not run");
    }
    ExitCode::SUCCESS
}
