//! Guided lessons: a plain-text lesson file (both languages in one file), its parser, the check
//! language evaluated against the live lab, and a player that runs a lesson's setup and
//! solutions while keeping the learner's command log (the terminal's).
//!
//! Invariants: parsing never fails (a [`Lesson`] plus located [`Diagnostic`]s; a lesson with an
//! error diagnostic must not be offered to a learner); a check only looks ([`check::evaluate`]
//! goes through [`crate::Cluster::observe`] and read-only queries, so evaluating it after every
//! command changes neither the run nor its logs); every user-visible text exists in English and
//! zh-CN (a missing translation is an error). The file format is documented in
//! `docs/LESSONS.md`.

pub mod check;
mod format;
pub mod markdown;
pub mod pattern;
pub mod play;
pub mod verify;

pub use check::{Check, CheckStatus, Probe, Value};
pub use format::parse;
pub use play::{expand, lab_at_step, play_line, start_lab, Entry, LessonRun, Progress};

use crate::diag::{Diagnostic, Pos};
use serde::{Deserialize, Serialize};

/// The most setup and solution lines a lesson may have: opening step N plays the lines of the
/// steps before it, and a lesson may come from a link (a teacher's own), so it is input and
/// its work is bounded, like a link's journal (1000 actions).
pub const MAX_SCRIPT_LINES: usize = 1_000;

/// The most simulated time opening a step may let pass (the setup and the earlier solutions):
/// four hours, as for a link's journal. Lines after that are not played.
pub const MAX_PLAY_MS: u64 = 4 * 60 * 60 * 1000;

/// The two languages every lesson is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    En,
    ZhCn,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }
}

/// A text in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tr {
    pub en: String,
    pub zh: String,
}

impl Tr {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh,
        }
    }
}

/// The panels of the page a step can point at (others are dimmed, not hidden).
pub const PANELS: &[&str] = &["cluster", "traffic", "dns", "terminal", "analogies", "editor"];

/// One line of a script (setup or solution): a terminal line (heredoc bodies included, line by
/// line) or a `lab ...` action line (docs/ACTIONS.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptLine {
    pub text: String,
    /// The line in the lesson file.
    pub line: usize,
    /// Written `! command` in the file: the command is expected to fail (an apply the API
    /// server rejects); the `! ` is not part of [`Self::text`].
    pub expect_failure: bool,
}

/// Where a lesson starts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Start {
    /// A built-in scenario id ([`crate::scenario::by_id`]); `None`: an empty kind cluster.
    pub scenario: Option<String>,
    /// A kind `Cluster` config (dual stack, kube-proxy mode), as `svclab run --cluster-config`.
    pub cluster_config: Option<String>,
    /// Script lines run after the scenario (an `svclab` script).
    pub setup: Vec<ScriptLine>,
    /// The simulation seed (default 1).
    pub seed: u64,
}

/// A predict-then-reveal question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Predict {
    pub question: Tr,
    pub choices: Vec<Tr>,
    /// Index into [`Self::choices`] of the right one.
    pub answer: usize,
    /// The live value shown after the action, next to the learner's guess.
    pub reveal: Probe,
    pub explain: Tr,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    /// The `step` line in the file.
    pub line: usize,
    pub title: Tr,
    /// Markdown subset: paragraphs, `*emphasis*`, `**strong**`, `inline code`, fenced code
    /// blocks, `- ` lists.
    pub text: Tr,
    pub panels: Vec<String>,
    pub task: Tr,
    pub check: Check,
    /// Progressive hints, the gentlest first.
    pub hints: Vec<Tr>,
    pub predict: Option<Predict>,
    pub solution: Vec<ScriptLine>,
    /// Speaker notes for presenter mode.
    pub notes: Option<Tr>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub id: String,
    pub title: Tr,
    pub summary: Tr,
    pub start: Start,
    pub steps: Vec<Step>,
}

impl Lesson {
    /// The panels an embedded lesson shows (`?embed=1&lesson=ID`), in the order of [`PANELS`]:
    /// those its steps talk about, and the terminal when a solution types into it (so "show
    /// me" has somewhere to type).
    pub fn panels(&self) -> Vec<&'static str> {
        let types = self.steps.iter().flat_map(|s| &s.solution).any(|l| !crate::action::is_lab_line(&l.text));
        PANELS
            .iter()
            .copied()
            .filter(|p| (types && *p == "terminal") || self.steps.iter().any(|s| s.panels.iter().any(|q| q == p)))
            .collect()
    }
}

/// A lesson and what the parser said about it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    pub lesson: Lesson,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    pub fn ok(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

fn err(code: &str, line: usize, col: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(code, Pos::new(line, col), message.into())
}

/// The commands a step's text shows: lines in fenced code blocks that start with a prompt
/// (`$ ` for the learner's terminal, `/ # ` for a pod shell), with their line offsets inside
/// the text. Lines without a prompt are quoted material (YAML, output); a heredoc's body
/// after a prompted command is skipped up to its delimiter.
pub fn text_commands(markdown: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_code = false;
    let mut in_heredoc: Option<String> = None;
    for (i, line) in markdown.lines().enumerate() {
        let t = line.trim();
        if t.starts_with("```") {
            in_code = !in_code;
            in_heredoc = None;
            continue;
        }
        if !in_code {
            continue;
        }
        if let Some(d) = &in_heredoc {
            if t == d || t.strip_prefix("> ").is_some_and(|x| x.trim() == d) {
                in_heredoc = None;
            }
            continue;
        }
        let Some(cmd) = t.strip_prefix("$ ").or_else(|| t.strip_prefix("/ # ")) else { continue };
        if let Ok(parsed) = crate::shell::parse_line(cmd) {
            if let Some((d, _)) = parsed.heredoc() {
                in_heredoc = Some(d);
            }
        }
        out.push((i, cmd.to_string()));
    }
    out
}
