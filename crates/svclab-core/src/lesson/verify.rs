//! What `svclab lesson check` asserts of every step: from the step's setup (the lesson's start
//! and the solutions of the steps before it) the check FAILS, the solution's commands succeed
//! (or fail where marked `! `), and then the check PASSES. A check that passes before the
//! solution cannot tell the learner anything and is reported as an error.

use super::check::CheckStatus;
use super::play::LessonRun;
use super::{Lang, Lesson};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepReport {
    pub id: String,
    pub line: usize,
    pub before: CheckStatus,
    pub after: CheckStatus,
    /// Everything wrong with the step, one sentence each (empty: the step is good).
    pub problems: Vec<String>,
}

/// Verify every step of a parsed lesson (parse diagnostics are reported by the caller).
pub fn verify(lesson: &Lesson) -> Vec<StepReport> {
    let mut run = LessonRun::start(lesson);
    let mut out = Vec::new();
    for (n, step) in lesson.steps.iter().enumerate() {
        run.begin_step(n);
        let mut r = StepReport { id: step.id.clone(), line: step.line, ..Default::default() };
        r.before = run.check(lesson);
        if r.before.passed {
            r.problems.push("the check already passes before the solution: it cannot fail".into());
        }
        for l in &step.solution {
            let line = run.expand(&l.text);
            if let Some(o) = run.play(&line) {
                let failed = o.exit_code != 0;
                if failed && !l.expect_failure {
                    let first = o.text.lines().next().unwrap_or("").to_string();
                    r.problems.push(format!("line {}: `{line}` failed: {first}", l.line));
                } else if !failed && l.expect_failure {
                    r.problems.push(format!(
                        "line {}: `{}` was marked `! ` (expected to fail) but succeeded",
                        l.line, l.text
                    ));
                }
            }
        }
        r.after = run.check(lesson);
        if !r.after.passed {
            let why: Vec<String> = r
                .after
                .conditions
                .iter()
                .filter(|c| !c.passed)
                .map(|c| format!("`{}` (now: {})", c.source, c.observed))
                .collect();
            r.problems.push(format!("the check fails after the solution: {}", why.join("; ")));
        }
        if let Some(p) = &step.predict {
            let v = run.reveal(&p.reveal);
            if let Some(m) = v.missing {
                r.problems.push(format!("the reveal shows nothing after the solution: {m}"));
            }
        }
        for lang in [Lang::En, Lang::ZhCn] {
            if step.text.get(lang).trim().is_empty() || step.task.get(lang).trim().is_empty() {
                r.problems.push(format!("the {} text or task is empty", lang.code()));
            }
        }
        out.push(r);
    }
    out
}
