//! Scripts (`svclab run`): one command per line, `#` comments, heredocs; the transcript shows
//! each command after its prompt, heredoc bodies after `> `, then the output.

use super::Terminal;
use crate::cluster::Cluster;

/// The transcript of a script and whether any command failed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Transcript {
    pub text: String,
    pub failed: bool,
}

pub fn run_script(c: &mut Cluster, term: &mut Terminal, script: &str) -> Transcript {
    let mut t = Transcript::default();
    for line in script.lines() {
        let prompt = term.prompt();
        let in_heredoc = prompt == "> ";
        if !in_heredoc && line.trim_start().starts_with('#') {
            continue;
        }
        if !in_heredoc && line.trim().is_empty() {
            continue;
        }
        t.text.push_str(prompt);
        t.text.push_str(line);
        t.text.push('\n');
        if let Some(out) = term.input(c, line) {
            t.text.push_str(&out.text);
            if out.edit.is_some() {
                // No editor in a script: kubectl reports an unchanged file like this.
                t.text.push_str("Edit cancelled, no changes made.\n");
            }
            if out.exit_code != 0 {
                t.failed = true;
            }
        }
    }
    t
}
