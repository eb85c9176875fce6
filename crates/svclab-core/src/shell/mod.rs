//! The terminal: one interpreter for the browser terminal and the `svclab` CLI. It starts in
//! the toolbox pod (kubectl, busybox tools, dig); `kubectl run -it ... -- sh` and
//! `kubectl exec -it` push a shell inside another pod (prompt `/ # `), `exit` pops it.
//! Input arrives a line at a time; a line that opens a heredoc collects the following lines
//! up to its delimiter. Files written with `cat > f` live in the terminal, not the cluster.
//!
//! Invariant: nothing typed grows without bound. Files are capped per file and in total
//! ([`MAX_FILE_BYTES`], [`MAX_FILES_BYTES`], "No space left on device" as on a full disk), an
//! open heredoc holds at most [`MAX_FILE_BYTES`], `history` keeps the newest
//! [`HISTORY_KEEP`] lines, and `cat` prints at most [`MAX_OUTPUT_BYTES`] per command.

mod complete;
mod context;
mod dnstools;
pub mod kubectl;
mod lexer;
mod nettools;
pub mod script;
mod tools;

pub use complete::complete;
pub use lexer::{parse_line, LexError};

use crate::cluster::Cluster;
use crate::controllers::{TOOLBOX_IMAGE, TOOLBOX_NAMESPACE, TOOLBOX_POD};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where commands run: a pod, its image (which decides the tools), and the prompt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub namespace: String,
    pub pod: String,
    pub image: String,
    /// Delete the pod when the shell exits (`kubectl run --rm`).
    pub remove_on_exit: bool,
}

impl Session {
    pub fn is_toolbox(&self) -> bool {
        self.namespace == TOOLBOX_NAMESPACE && self.pod == TOOLBOX_POD
    }
}

/// The result of one line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    /// Everything the commands printed (stdout and stderr, interleaved as on a terminal).
    pub text: String,
    pub exit_code: i32,
    /// `clear` was run.
    pub clear: bool,
    /// `kubectl edit`: the object's YAML, for the editor (the browser) to open.
    pub edit: Option<String>,
}

impl Output {
    pub fn ok(text: impl Into<String>) -> Self {
        Output { text: text.into(), ..Default::default() }
    }
    pub fn fail(text: impl Into<String>, code: i32) -> Self {
        Output { text: text.into(), exit_code: code, ..Default::default() }
    }
    fn push(&mut self, other: Output) {
        self.text.push_str(&other.text);
        self.exit_code = other.exit_code;
        self.clear |= other.clear;
        if other.edit.is_some() {
            self.edit = other.edit;
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct PendingHeredoc {
    line: String,
    delimiter: String,
    strip_tabs: bool,
    body: Vec<String>,
    /// Bytes in `body` (lines past [`MAX_FILE_BYTES`] are dropped and `full` set).
    #[serde(default)]
    bytes: usize,
    #[serde(default)]
    full: bool,
}

/// The most one terminal file may hold (1 MiB: more than any manifest the API server takes).
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// The most all the terminal's files may hold together, names included (the lab's "disk").
pub const MAX_FILES_BYTES: usize = 4 << 20;
/// The most `cat` prints in one command (a line naming one file a thousand times would
/// otherwise print gigabytes).
pub const MAX_OUTPUT_BYTES: usize = 4 << 20;
/// `history` keeps this many of the newest lines (busybox ash keeps 255 by default).
pub const HISTORY_KEEP: usize = 1000;

/// One command the learner ran and what it printed (a heredoc's command line; its body is
/// not repeated). Lesson checks (`ran …`, `saw …`, `apply failed with …`) read these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandRecord {
    /// Increasing over the terminal's life, so a mark survives trimming.
    pub seq: u64,
    pub line: String,
    pub output: String,
    pub exit_code: i32,
    pub at: crate::time::SimTime,
}

/// The newest commands with their outputs, at most [`CommandLog::KEEP`] of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandLog {
    pub entries: Vec<CommandRecord>,
    pub next_seq: u64,
}

impl CommandLog {
    /// Outputs can be long (`iptables-save`): keep the newest 200 commands, trimmed in halves.
    pub const KEEP: usize = 200;

    pub fn push(&mut self, line: &str, out: &Output, at: crate::time::SimTime) {
        if self.entries.len() >= 2 * Self::KEEP {
            self.entries.drain(..Self::KEEP);
        }
        self.entries.push(CommandRecord {
            seq: self.next_seq,
            line: line.to_string(),
            output: out.text.clone(),
            exit_code: out.exit_code,
            at,
        });
        self.next_seq += 1;
    }

    /// The entries from sequence number `seq` on (what a lesson step has seen).
    pub fn since(&self, seq: u64) -> &[CommandRecord] {
        let from = self.entries.partition_point(|e| e.seq < seq);
        &self.entries[from..]
    }
}

/// The terminal's state: files, history, the kubectl context's namespace, the shell stack.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Terminal {
    pub files: BTreeMap<String, String>,
    pub history: Vec<String>,
    /// Commands with their outputs (history has the lines only).
    #[serde(default)]
    pub commands: CommandLog,
    /// `kubectl config set-context --current --namespace`.
    pub namespace: String,
    sessions: Vec<Session>,
    pending: Option<PendingHeredoc>,
    /// Lines dropped from the front of `history` (so numbers continue, as in a shell).
    #[serde(default)]
    history_dropped: usize,
    /// The file the running command's output is appended to (`>> f`), for `cat`'s check.
    #[serde(skip)]
    appending_to: Option<String>,
    /// The work each command may make the cluster do ([`crate::cluster::WORK_BUDGET`]).
    #[serde(skip, default = "default_work_budget")]
    pub work_budget: u64,
}

fn default_work_budget() -> u64 {
    crate::cluster::WORK_BUDGET
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal {
            files: BTreeMap::new(),
            history: Vec::new(),
            commands: CommandLog::default(),
            namespace: "default".into(),
            sessions: vec![Session {
                namespace: TOOLBOX_NAMESPACE.into(),
                pod: TOOLBOX_POD.into(),
                image: TOOLBOX_IMAGE.into(),
                remove_on_exit: false,
            }],
            pending: None,
            history_dropped: 0,
            appending_to: None,
            work_budget: crate::cluster::WORK_BUDGET,
        }
    }
}

impl Terminal {
    pub fn new() -> Self {
        Self::default()
    }

    /// The current shell.
    pub fn session(&self) -> &Session {
        self.sessions.last().unwrap_or(&self.sessions[0])
    }

    pub fn in_pod_shell(&self) -> bool {
        self.sessions.len() > 1
    }

    /// The prompt to show before the next line: `$ ` in the toolbox, `/ # ` in a pod shell,
    /// `> ` while a heredoc is open.
    pub fn prompt(&self) -> &'static str {
        if self.pending.is_some() {
            "> "
        } else if self.in_pod_shell() {
            "/ # "
        } else {
            "$ "
        }
    }

    /// Feed one line. `None` while a heredoc is still collecting lines.
    pub fn input(&mut self, c: &mut Cluster, line: &str) -> Option<Output> {
        if let Some(p) = &mut self.pending {
            let candidate = if p.strip_tabs { line.trim_start_matches('\t') } else { line };
            if candidate == p.delimiter {
                let p = self.pending.take()?;
                if p.full {
                    // ash writes a heredoc to a temporary file first; the lab's disk is full.
                    return Some(Output::fail(
                        "sh: can't create temp file for here document: No space left on device\n",
                        2,
                    ));
                }
                let mut body = p.body.join("\n");
                body.push('\n');
                let out = self.execute(c, &p.line, Some(body));
                self.commands.push(&p.line, &out, c.now);
                return Some(out);
            }
            if p.full || p.bytes + candidate.len() + 1 > MAX_FILE_BYTES {
                p.full = true;
                p.body.clear();
            } else {
                p.bytes += candidate.len() + 1;
                p.body.push(candidate.to_string());
            }
            return None;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return Some(Output::default());
        }
        self.history.push(trimmed.to_string());
        if self.history.len() > 2 * HISTORY_KEEP {
            let excess = self.history.len() - HISTORY_KEEP;
            self.history.drain(..excess);
            self.history_dropped += excess;
        }
        match parse_line(trimmed) {
            Ok(parsed) => {
                if let Some((delimiter, strip_tabs)) = parsed.heredoc() {
                    self.pending = Some(PendingHeredoc {
                        line: trimmed.to_string(),
                        delimiter,
                        strip_tabs,
                        body: Vec::new(),
                        bytes: 0,
                        full: false,
                    });
                    return None;
                }
                let out = self.execute(c, trimmed, None);
                self.commands.push(trimmed, &out, c.now);
                Some(out)
            }
            Err(LexError(e)) => {
                let out = Output::fail(format!("sh: {e}\n"), 2);
                self.commands.push(trimmed, &out, c.now);
                Some(out)
            }
        }
    }

    /// The delimiter of the heredoc still collecting lines, if any.
    pub fn open_heredoc(&self) -> Option<&str> {
        self.pending.as_ref().map(|p| p.delimiter.as_str())
    }

    /// Abandon an open heredoc (Ctrl+C).
    pub fn interrupt(&mut self) {
        self.pending = None;
    }

    fn execute(&mut self, c: &mut Cluster, line: &str, heredoc: Option<String>) -> Output {
        let parsed = match parse_line(line) {
            Ok(p) => p,
            Err(LexError(e)) => return Output::fail(format!("sh: {e}\n"), 2),
        };
        let mut out = Output::default();
        let mut heredoc = heredoc;
        for (join, pipeline) in &parsed.items {
            // sh's and-or lists: a skipped pipeline leaves the status as it was.
            let skip = match join {
                lexer::Join::Seq => false,
                lexer::Join::And => out.exit_code != 0,
                lexer::Join::Or => out.exit_code == 0,
            };
            if skip {
                continue;
            }
            let mut stdin: Option<String> = None;
            let mut result = Output::default();
            for (j, cmd) in pipeline.iter().enumerate() {
                let input = if cmd.heredoc.is_some() {
                    heredoc.take()
                } else if let Some(f) = &cmd.input_file {
                    match self.files.get(f) {
                        Some(t) => Some(t.clone()),
                        None => {
                            result = Output::fail(format!("sh: can't open '{f}': No such file or directory\n"), 1);
                            break;
                        }
                    }
                } else {
                    stdin.take()
                };
                if let Some((file, append)) = &cmd.redirect {
                    // The shell opens the file before the command runs: `>` empties it first
                    // (so `cat f > f` leaves it empty), `>>` creates it.
                    if let Err(e) = self.open_for_writing(file, *append) {
                        result = Output::fail(e, 1);
                        break;
                    }
                    self.appending_to = append.then(|| file.clone());
                }
                let started = c.now;
                c.set_budget(Some(self.work_budget));
                let mut r = self.run_command(c, &cmd.words, input);
                if c.deadline_reached() {
                    // A bounded replay's time limit (`Lab::replay_bounded`), which drops this
                    // entry's effects and says so itself.
                    let name = cmd.words.first().map_or("sh", String::as_str);
                    r.text.push_str(&format!("{name}: stopped at the replay's time limit\n"));
                    r.exit_code = r.exit_code.max(1);
                } else if c.out_of_budget() {
                    let name = cmd.words.first().map_or("sh", String::as_str);
                    let secs = c.now.since(started) / 1000;
                    let max = self.work_budget;
                    r.text.push_str(&format!(
                        "{name}: Service Lab stopped this command after {secs}s of cluster time: one command may make the cluster do at most {max} units of work (a lab limit); run it again to go on\n"
                    ));
                    r.exit_code = r.exit_code.max(1);
                }
                c.set_budget(None);
                self.appending_to = None;
                if let Some((file, _)) = &cmd.redirect {
                    let name = cmd.words.first().map_or("sh", String::as_str);
                    let text = std::mem::take(&mut r.text);
                    let mut kept = String::new();
                    // Only stdout goes to the file; the lab interleaves stdout and stderr, so
                    // a failing command's message stays on the terminal.
                    let (to_file, to_term) =
                        if r.exit_code == 0 { (text, String::new()) } else { (String::new(), text) };
                    kept.push_str(&to_term);
                    if let Err(e) = self.write_file(file, &to_file, name) {
                        kept.push_str(&e);
                        r.exit_code = 1;
                    }
                    r.text = kept;
                }
                if j + 1 < pipeline.len() {
                    stdin = Some(std::mem::take(&mut r.text));
                }
                result = r;
            }
            out.push(result);
        }
        out
    }

    /// Run one simple command with its words and optional stdin.
    fn run_command(&mut self, c: &mut Cluster, words: &[String], stdin: Option<String>) -> Output {
        let Some(cmd) = words.first() else { return Output::default() };
        let args = &words[1..];
        let toolbox = self.session().is_toolbox();
        match cmd.as_str() {
            "exit" | "logout" => self.exit_shell(c),
            "clear" => Output { clear: true, ..Default::default() },
            "history" => Output::ok(
                self.history
                    .iter()
                    .enumerate()
                    .map(|(i, h)| format!("{:>5}  {h}\n", self.history_dropped + i + 1))
                    .collect::<String>(),
            ),
            "kubectl" | "k" if toolbox => kubectl::run(c, self, args, stdin),
            "kind" if toolbox => tools::kind(c, self, args),
            "lab" if toolbox => lab_command(c, args, stdin),
            _ => tools::run(c, self, cmd, args, stdin),
        }
    }

    fn exit_shell(&mut self, c: &mut Cluster) -> Output {
        if self.sessions.len() <= 1 {
            return Output::ok("");
        }
        let Some(s) = self.sessions.pop() else { return Output::default() };
        if s.remove_on_exit {
            crate::controllers::delete_pod_now(c, &s.namespace, &s.pod);
            let suffix =
                if s.namespace == self.namespace { String::new() } else { format!(" from {} namespace", s.namespace) };
            return Output::ok(format!("pod \"{}\" deleted{suffix}\n", s.pod));
        }
        Output::ok("")
    }

    /// A terminal attached to a shell in the pod's first container (its image decides the
    /// tools), outside the learner's terminal.
    pub fn in_pod(c: &Cluster, namespace: &str, pod: &str) -> Terminal {
        let image = c
            .get::<crate::api::Pod>(namespace, pod)
            .and_then(|p| p.spec.containers.first().map(|c| c.image.clone()))
            .unwrap_or_default();
        let mut t = Terminal::new();
        t.push_session(Session { namespace: namespace.into(), pod: pod.into(), image, remove_on_exit: false });
        t
    }

    /// Bytes the files use on the lab's disk (names and contents).
    fn disk_used(&self) -> usize {
        self.files.iter().map(|(k, v)| k.len() + v.len()).sum()
    }

    /// Open `file` for a redirect: `>` truncates, `>>` creates; a new name needs room.
    fn open_for_writing(&mut self, file: &str, append: bool) -> Result<(), String> {
        if !self.files.contains_key(file) && self.disk_used() + file.len() > MAX_FILES_BYTES {
            return Err(format!("sh: can't create {file}: No space left on device\n"));
        }
        let entry = self.files.entry(file.to_string()).or_default();
        if !append {
            entry.clear();
        }
        Ok(())
    }

    /// Append `text` to `file` (opened by [`Terminal::open_for_writing`]). What does not fit
    /// in the file's or the disk's room is not written: the command gets `No space left on
    /// device`, as a write to a full disk does, and the file keeps what fitted.
    pub fn write_file(&mut self, file: &str, text: &str, cmd: &str) -> Result<(), String> {
        let used = self.disk_used();
        let entry = self.files.entry(file.to_string()).or_default();
        let room = MAX_FILE_BYTES.saturating_sub(entry.len()).min(MAX_FILES_BYTES.saturating_sub(used));
        if text.len() <= room {
            entry.push_str(text);
            return Ok(());
        }
        let mut cut = room;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        entry.push_str(&text[..cut]);
        Err(format!("{cmd}: write error: No space left on device\n"))
    }

    /// The file `>>` appends the running command's output to, if any.
    pub fn appending_to(&self) -> Option<&str> {
        self.appending_to.as_deref()
    }

    /// Enter a shell inside a pod (`kubectl run -it`, `kubectl exec -it ... sh`).
    pub fn push_session(&mut self, s: Session) {
        self.sessions.push(s);
    }
}

/// The terminal's `lab` command (`docs/ACTIONS.md`): parse its words (and heredoc) into an
/// [`Action`](crate::action::Action) and perform it, as [`crate::Lab::act`] does. Time one
/// command lets pass is bounded as for `sleep` ([`MAX_ADVANCE_MS`]).
fn lab_command(c: &mut Cluster, args: &[String], stdin: Option<String>) -> Output {
    use crate::action::{self, Action};
    match action::parse_command(args, stdin) {
        Err(d) => Output::fail(format!("error: {} (column {})\n", d.message, d.pos.col), 1),
        Ok(Action::Advance { ms }) if ms > MAX_ADVANCE_MS => Output::fail(
            format!(
                "error: lab advance: at most {} per command (a Service Lab limit)\n",
                action::duration_text(MAX_ADVANCE_MS)
            ),
            1,
        ),
        Ok(a) => {
            let e = action::perform(c, &a);
            Output { text: e.text, exit_code: if e.ok { 0 } else { 1 }, ..Default::default() }
        }
    }
}

pub use crate::time::MAX_ADVANCE_MS;

/// Help text for `help`.
pub const HELP: &str = "Service Lab terminal. Commands:
  kubectl apply|get|describe|delete|scale|run|exec|...   the cluster (try: kubectl get all)
  nslookup NAME, dig NAME, host NAME                       ask cluster DNS from this pod
  curl URL, wget -qO- URL                                  send a request
  cat > FILE << EOF ... EOF, cat FILE, ls, echo, rm         files in this terminal
  sleep N                                                  let N seconds of cluster time pass (at most 600 per command)
  kubectl wait --for=condition=Ready pod/NAME              also lets time pass (until true or --timeout)
  kubectl get pods -w                                      watch changes for 10 s of cluster time
  kind create cluster --config FILE                        start over with a kind config
  clear, history, exit
";
