//! Playing a lesson: the lab a step starts from (the lesson's start plus the solutions of the
//! steps before it), the learner's terminal journal (what `ran` and `saw` checks read), and
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
use crate::traffic::{ClientSpec, ConnectionMode, DnsCaching, Strategy};
use crate::Lab;
use serde::{Deserialize, Serialize};

/// One command the learner (or "show me") ran, with what it printed: the terminal's journal.
pub use crate::shell::JournalEntry as Entry;

/// Where the learner is in a lesson: the step, and where it began (the terminal journal's
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
        Progress { step, began_seq: lab.terminal.journal.next_seq, began_at: lab.cluster.now }
    }

    /// The step's check against the live lab (changes nothing). After every command.
    pub fn check(&self, lesson: &Lesson, lab: &mut Lab) -> CheckStatus {
        let Some(step) = lesson.steps.get(self.step) else { return CheckStatus::default() };
        let journal: Vec<Entry> = lab.terminal.journal.since(self.began_seq).to_vec();
        evaluate(&step.check, lab, Since { journal: &journal, at: self.began_at })
    }
}

/// A lab running a lesson (the CLI's driver; the page holds a `Lab` and a [`Progress`]).
#[derive(Clone, Debug)]
pub struct LessonRun {
    pub lab: Lab,
    pub progress: Progress,
}

/// A `lab ...` action line, parsed (the subset of docs/ACTIONS.md lessons use).
#[derive(Clone, Debug, PartialEq)]
pub enum LabAction {
    Advance(u64),
    Readiness { namespace: String, pod: String, failing: bool },
    AddClient(ClientSpec),
    ProxyMode(crate::cluster::config::ProxyMode),
    ResetHits,
}

fn duration_ms(s: &str) -> Option<u64> {
    let (num, mult) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60_000)
    } else {
        return None;
    };
    num.parse::<u64>().ok().map(|n| n * mult)
}

/// Parse a `lab ...` line. The error carries the 0-based column of the offending word.
pub fn parse_lab_line(line: &str) -> Result<LabAction, (usize, String)> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut col = 0;
    for w in line.split(' ') {
        if !w.is_empty() {
            words.push((col, w));
        }
        col += w.len() + 1;
    }
    let end = line.len();
    let at = |i: usize| words.get(i).map(|w| w.0).unwrap_or(end);
    let word = |i: usize| words.get(i).map(|w| w.1).unwrap_or("");
    let ns_flag = |from: usize| -> Result<String, (usize, String)> {
        match (word(from), words.get(from + 1)) {
            ("", _) => Ok("default".into()),
            ("-n" | "--namespace", Some((_, ns))) => Ok(ns.to_string()),
            (w, _) => Err((at(from), format!("unknown flag: {w}"))),
        }
    };
    match word(1) {
        "advance" => duration_ms(word(2))
            .filter(|ms| *ms <= crate::shell::MAX_ADVANCE_MS)
            .map(LabAction::Advance)
            .ok_or((at(2), format!("lab advance: expected a duration up to 10m (500ms, 5s, 1m), found '{}'", word(2)))),
        "readiness" => {
            let failing = match word(2) {
                "fail" => true,
                "pass" => false,
                w => return Err((at(2), format!("lab readiness: expected fail or pass, found '{w}'"))),
            };
            let Some(pod) = word(3).strip_prefix("pod/").filter(|p| !p.is_empty()) else {
                return Err((at(3), "lab readiness: expected pod/NAME".into()));
            };
            Ok(LabAction::Readiness { namespace: ns_flag(4)?, pod: pod.into(), failing })
        }
        "proxy-mode" => crate::cluster::config::ProxyMode::parse(word(2))
            .filter(|_| !word(2).is_empty())
            .map(LabAction::ProxyMode)
            .ok_or((at(2), format!("lab proxy-mode: expected iptables, ipvs or nftables, found '{}'", word(2)))),
        "hits" if word(2) == "reset" => Ok(LabAction::ResetHits),
        "client" if word(2) == "add" => {
            let mut spec = ClientSpec::new("", "", "", 80);
            let mut i = 3;
            while i < words.len() {
                let (flag, value) = match word(i).split_once('=') {
                    Some((f, v)) => (f, v.to_string()),
                    None => {
                        i += 1;
                        (word(i - 1), word(i).to_string())
                    }
                };
                let vcol = at(i);
                let bad = |what: &str| (vcol, format!("lab client add: {flag} expects {what}, found '{value}'"));
                match flag {
                    "--from" => {
                        let (ns, pod) = value.split_once('/').ok_or_else(|| bad("NAMESPACE/POD"))?;
                        spec.namespace = ns.into();
                        spec.pod = pod.into();
                    }
                    "--to" => {
                        let (t, p) = value.rsplit_once(':').ok_or_else(|| bad("NAME:PORT"))?;
                        spec.target = t.into();
                        spec.port = p.parse().map_err(|_| bad("NAME:PORT"))?;
                    }
                    "--conn" => {
                        spec.connection = match value.as_str() {
                            "per-request" => ConnectionMode::PerRequest,
                            "keep-alive" => ConnectionMode::KeepAlive,
                            _ => return Err(bad("per-request or keep-alive")),
                        }
                    }
                    "--pick" => {
                        spec.strategy = match value.as_str() {
                            "first" => Strategy::PickFirst,
                            "random" => Strategy::Random,
                            "round-robin" => Strategy::RoundRobin,
                            "all" => Strategy::All,
                            "lowest-latency" => Strategy::LowestLatency,
                            _ => return Err(bad("first, random, round-robin, all or lowest-latency")),
                        }
                    }
                    "--dns-cache" => {
                        spec.dns = match value.as_str() {
                            "off" => DnsCaching::NoCache,
                            "ttl" => DnsCaching::HonorTtl,
                            "forever" => DnsCaching::IgnoreTtl,
                            _ => return Err(bad("off, ttl or forever")),
                        }
                    }
                    "--every" => {
                        spec.interval_ms = duration_ms(&value)
                            .filter(|ms| *ms >= 100)
                            .ok_or_else(|| bad("a duration of at least 100ms"))?
                    }
                    f => {
                        return Err((
                            at(i.min(words.len().saturating_sub(1))),
                            format!("lab client add: unknown flag {f}"),
                        ))
                    }
                }
                i += 1;
            }
            if spec.pod.is_empty() || spec.target.is_empty() {
                return Err((end, "lab client add: --from NAMESPACE/POD and --to NAME:PORT are required".into()));
            }
            Ok(LabAction::AddClient(spec))
        }
        "" => Err((end, "lab: expected an action (advance, readiness, client add, proxy-mode, hits reset)".into())),
        w => {
            Err((at(1), format!("lab: unknown action '{w}' (advance, readiness, client add, proxy-mode, hits reset)")))
        }
    }
}

/// Perform a `lab ...` line on the lab, as the page's controls do.
pub fn run_lab_line(lab: &mut Lab, line: &str) -> Output {
    match parse_lab_line(line) {
        Err((col, e)) => Output::fail(format!("{e} (column {})\n", col + 1), 2),
        Ok(LabAction::Advance(ms)) => {
            lab.cluster.advance(ms);
            Output::ok("")
        }
        Ok(LabAction::Readiness { namespace, pod, failing }) => {
            if crate::controllers::set_readiness_failed(&mut lab.cluster, &namespace, &pod, failing) {
                Output::ok("")
            } else {
                Output::fail(format!("Error from server (NotFound): pods \"{pod}\" not found\n"), 1)
            }
        }
        Ok(LabAction::AddClient(spec)) => {
            if lab.cluster.get::<crate::api::Pod>(&spec.namespace, &spec.pod).is_none() {
                return Output::fail(format!("Error from server (NotFound): pods \"{}\" not found\n", spec.pod), 1);
            }
            let id = crate::traffic::add_client(&mut lab.cluster, spec);
            Output::ok(format!("client {id} started\n"))
        }
        Ok(LabAction::ProxyMode(m)) => {
            crate::proxy::set_mode(&mut lab.cluster, m);
            Output::ok("")
        }
        Ok(LabAction::ResetHits) => {
            crate::traffic::reset_hits(&mut lab.cluster);
            Output::ok("")
        }
    }
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
    for l in &s.setup {
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
    for step in lesson.steps.iter().take(n) {
        for l in &step.solution {
            let line = expand(&mut lab, &l.text);
            play_line(&mut lab, &line);
        }
    }
    lab
}

/// One line as the learner types it: a terminal line, or a `lab ...` action line. `None`
/// while a heredoc is still collecting lines. Terminal lines enter the terminal's journal.
pub fn play_line(lab: &mut Lab, line: &str) -> Option<Output> {
    if lab.terminal.open_heredoc().is_none() && line.trim_start().starts_with("lab ") {
        return Some(run_lab_line(lab, line.trim()));
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

    /// Step `n` begins now (checks read the journal and traffic from here).
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
