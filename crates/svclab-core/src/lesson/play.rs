//! Playing a lesson: the lab a step starts from (the lesson's start plus the solutions of the
//! steps before it), the learner's command log (the terminal's) (what `ran` and `saw` checks read), and
//! `lab ...` action lines (docs/ACTIONS.md).
//!
//! The page and the CLI drive a lesson the same way: [`LessonRun::at_step`] to open a step
//! (or a link `?lesson=ID&step=N`), [`LessonRun::play`] for every line the learner types or
//! "show me" plays, [`LessonRun::check`] after each of them, [`LessonRun::reveal`] for a
//! prediction's live value. Deterministic: the same lesson and lines give the same lab.

use super::check::{evaluate, probe, CheckStatus, Probe, Since, Value};
use super::{Lesson, ScriptLine};
use crate::shell::Output;
use crate::time::SimTime;
use crate::Lab;
use serde::{Deserialize, Serialize};

/// One command the learner (or "show me") ran, with what it printed: the terminal's command log.
pub use crate::shell::CommandRecord as Entry;

/// Where the learner is in a lesson: the step, and where it began (the terminal's command log's
/// sequence number and the simulated time). Plain data next to the [`Lab`]: the page keeps it
/// beside its one `Lab`, the CLI in a [`LessonRun`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The step being worked on (0-based).
    pub step: usize,
    pub began_seq: u64,
    pub began_at: SimTime,
}

impl Progress {
    /// Step `step` begins now.
    pub fn begin(lab: &Lab, step: usize) -> Progress {
        Progress { step, began_seq: lab.terminal.commands.next_seq, began_at: lab.cluster.now }
    }

    /// The step's check against the live lab (changes nothing). After every command.
    pub fn check(&self, lesson: &Lesson, lab: &mut Lab) -> CheckStatus {
        let Some(step) = lesson.steps.get(self.step) else { return CheckStatus::default() };
        let journal: Vec<Entry> = lab.terminal.commands.since(self.began_seq).to_vec();
        evaluate(&step.check, lab, Since { journal: &journal, at: self.began_at })
    }
}

/// A lab running a lesson (the CLI's driver; the page holds a `Lab` and a [`Progress`]).
#[derive(Clone, Debug)]
pub struct LessonRun {
    pub lab: Lab,
    pub progress: Progress,
}

/// A `lab ...` line's problem, with its 0-based column (for the lesson file's diagnostics).
/// A `lab apply <<EOF` line is checked with its body when played; here only its first line.
pub fn check_lab_line(line: &str) -> Result<(), (usize, String)> {
    if line.contains("<<") {
        return Ok(());
    }
    crate::action::parse(line).map(|_| ()).map_err(|d| (d.pos.col.saturating_sub(1), d.message))
}

/// A fresh lab at the lesson's start (scenario, cluster config, setup lines), settled for 5 s.
pub fn start_lab(lesson: &Lesson) -> Lab {
    let s = &lesson.start;
    let config = s.cluster_config.as_deref().map(|t| crate::ClusterConfig::from_kind_yaml(t).0).unwrap_or_default();
    let mut lab = Lab::new(config, s.seed);
    if let Some(sc) = s.scenario.as_deref().and_then(crate::scenario::by_id) {
        let _ = crate::apply::apply_text(&mut lab.cluster, sc.manifests, "scenario.yaml", "default");
    }
    lab.cluster.advance(5_000);
    let began = lab.cluster.now;
    for l in &s.setup {
        if lab.cluster.now.since(began) > super::MAX_PLAY_MS {
            break;
        }
        play_line(&mut lab, &l.text);
    }
    // The setup's commands are not the learner's: a fresh terminal, the same cluster.
    let files = std::mem::take(&mut lab.terminal.files);
    lab.terminal = crate::Terminal::new();
    lab.terminal.files = files;
    lab
}

/// The lab at the beginning of step `n` (a link `?lesson=ID&step=N`): the start, then the
/// solutions of steps `0..n` played as "show me" would.
pub fn lab_at_step(lesson: &Lesson, n: usize) -> Lab {
    let mut lab = start_lab(lesson);
    let began = lab.cluster.now;
    for step in lesson.steps.iter().take(n) {
        for l in &step.solution {
            if lab.cluster.now.since(began) > super::MAX_PLAY_MS {
                return lab;
            }
            let line = expand(&mut lab, &l.text);
            play_line(&mut lab, &line);
        }
    }
    lab
}

/// One line as the learner types it: a terminal line, or a `lab ...` action line
/// (docs/ACTIONS.md). `None` while a heredoc is still collecting lines. In the learner's own
/// terminal (`$ `) a `lab` line is typed there like any command; from a pod shell, where
/// there is no `lab` command, it is carried out as the page's controls would
/// ([`Lab::act`]).
pub fn play_line(lab: &mut Lab, line: &str) -> Option<Output> {
    let in_toolbox = !lab.terminal.in_pod_shell() && lab.terminal.open_heredoc().is_none();
    if !in_toolbox && lab.terminal.open_heredoc().is_none() && crate::action::is_lab_line(line) {
        return Some(match crate::action::parse(line.trim()) {
            Ok(a) => lab.act(a).output,
            Err(d) => Output::fail(format!("{}\n", d.message), 2),
        });
    }
    lab.input(line)
}

/// Fill a solution line's `{{ PROBE }}` placeholders with the first item of the live value
/// (`kubectl delete pod {{ deployment api-deployment ready pods }}`), so "show me" names a pod
/// that exists in this learner's lab. Lines inside a heredoc are left as they are.
pub fn expand(lab: &mut Lab, line: &str) -> String {
    if lab.terminal.open_heredoc().is_some() || !line.contains("{{") {
        return line.to_string();
    }
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else { break };
        out.push_str(&rest[..open]);
        let inner = &rest[open + 2..open + close];
        let value = match super::check::parse_probe(inner.trim(), 0, 0) {
            (Some(p), _) => probe(&p, lab).items.into_iter().next().unwrap_or_default(),
            _ => String::new(),
        };
        out.push_str(&value);
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

impl LessonRun {
    /// A fresh lab at the lesson's start, at step 0.
    pub fn start(lesson: &Lesson) -> LessonRun {
        let lab = start_lab(lesson);
        let progress = Progress::begin(&lab, 0);
        LessonRun { lab, progress }
    }

    /// The lab at the beginning of step `n`.
    pub fn at_step(lesson: &Lesson, n: usize) -> LessonRun {
        let lab = lab_at_step(lesson, n);
        let progress = Progress::begin(&lab, n.min(lesson.steps.len()));
        LessonRun { lab, progress }
    }

    /// Step `n` begins now (checks read the command log and traffic from here).
    pub fn begin_step(&mut self, n: usize) {
        self.progress = Progress::begin(&self.lab, n);
    }

    /// See [`play_line`].
    pub fn play(&mut self, line: &str) -> Option<Output> {
        play_line(&mut self.lab, line)
    }

    /// See [`expand`].
    pub fn expand(&mut self, line: &str) -> String {
        expand(&mut self.lab, line)
    }

    /// Play script lines in order, each expanded first; returns each complete command, as
    /// typed, with its output.
    pub fn play_all(&mut self, lines: &[ScriptLine]) -> Vec<(String, Output)> {
        lines
            .iter()
            .filter_map(|l| {
                let line = self.expand(&l.text);
                self.play(&line).map(|o| (line, o))
            })
            .collect()
    }

    /// The current step's check against the live lab (changes nothing).
    pub fn check(&mut self, lesson: &Lesson) -> CheckStatus {
        self.progress.check(lesson, &mut self.lab)
    }

    /// A live value for a prediction's reveal (changes nothing).
    pub fn reveal(&mut self, p: &Probe) -> Value {
        probe(p, &mut self.lab)
    }
}
