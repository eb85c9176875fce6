//! Scripts (`svclab run`): one command per line, `#` comments, heredocs; the transcript shows
//! each command after its prompt, heredoc bodies after `> `, then the output. Failures are
//! also listed in `errors` by script line, for the CLI to report on stderr.

use super::{Output, Terminal};
use crate::cluster::Cluster;

/// What a script talks to: a prompt and a line at a time. The [`crate::Lab`] is one (it
/// journals each line); a bare cluster and terminal are another.
pub trait Console {
    fn prompt(&self) -> &'static str;
    /// Feed one line; `None` while a heredoc is still collecting lines.
    fn input(&mut self, line: &str) -> Option<Output>;
    fn open_heredoc(&self) -> Option<String>;
    /// Abandon an open heredoc.
    fn interrupt(&mut self);
}

struct Bare<'a> {
    c: &'a mut Cluster,
    term: &'a mut Terminal,
}

impl Console for Bare<'_> {
    fn prompt(&self) -> &'static str {
        self.term.prompt()
    }
    fn input(&mut self, line: &str) -> Option<Output> {
        self.term.input(self.c, line)
    }
    fn open_heredoc(&self) -> Option<String> {
        self.term.open_heredoc().map(str::to_string)
    }
    fn interrupt(&mut self) {
        self.term.interrupt()
    }
}

/// The transcript of a script and whether any command failed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Transcript {
    pub text: String,
    pub failed: bool,
    /// One entry per failed command or script error: `line N: ...` (1-based script lines).
    pub errors: Vec<String>,
}

pub fn run_script(c: &mut Cluster, term: &mut Terminal, script: &str) -> Transcript {
    run(&mut Bare { c, term }, script)
}

/// Run a script on any [`Console`].
pub fn run(term: &mut impl Console, script: &str) -> Transcript {
    let mut t = Transcript::default();
    // The line that started the command now running (a heredoc's command line).
    let mut started = 0;
    for (i, line) in script.lines().enumerate() {
        let prompt = term.prompt();
        let in_heredoc = prompt == "> ";
        if !in_heredoc && line.trim_start().starts_with('#') {
            continue;
        }
        if !in_heredoc && line.trim().is_empty() {
            continue;
        }
        if !in_heredoc {
            started = i + 1;
        }
        t.text.push_str(prompt);
        t.text.push_str(line);
        t.text.push('\n');
        if let Some(out) = term.input(line) {
            t.text.push_str(&out.text);
            if out.edit.is_some() {
                // No editor in a script: kubectl reports an unchanged file like this.
                t.text.push_str("Edit cancelled, no changes made.\n");
            }
            if out.exit_code != 0 {
                t.failed = true;
                let first = out.text.lines().next().unwrap_or("").trim();
                t.errors.push(format!("line {started}: exit status {}: {first}", out.exit_code));
            }
        }
    }
    if let Some(delim) = term.open_heredoc() {
        // bash's words for a heredoc cut off by the end of the script; the command is dropped
        // (a script is a lesson: running half a manifest would teach the wrong thing).
        term.interrupt();
        t.failed = true;
        t.errors.push(format!(
            "line {started}: here-document at line {started} delimited by end-of-file (wanted `{delim}'); command not run"
        ));
    }
    t
}
