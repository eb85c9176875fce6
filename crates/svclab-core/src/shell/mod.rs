//! The terminal: one interpreter for the browser terminal and the `svclab` CLI. It starts in
//! the toolbox pod (kubectl, busybox tools, dig); `kubectl run -it ... -- sh` and
//! `kubectl exec -it` push a shell inside another pod (prompt `/ # `), `exit` pops it.
//! Input arrives a line at a time; a line that opens a heredoc collects the following lines
//! up to its delimiter. Files written with `cat > f` live in the terminal, not the cluster.

mod complete;
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
}

/// The terminal's state: files, history, the kubectl context's namespace, the shell stack.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Terminal {
    pub files: BTreeMap<String, String>,
    pub history: Vec<String>,
    /// `kubectl config set-context --current --namespace`.
    pub namespace: String,
    sessions: Vec<Session>,
    pending: Option<PendingHeredoc>,
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal {
            files: BTreeMap::new(),
            history: Vec::new(),
            namespace: "default".into(),
            sessions: vec![Session {
                namespace: TOOLBOX_NAMESPACE.into(),
                pod: TOOLBOX_POD.into(),
                image: TOOLBOX_IMAGE.into(),
                remove_on_exit: false,
            }],
            pending: None,
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
                let mut body = p.body.join("\n");
                body.push('\n');
                return Some(self.execute(c, &p.line, Some(body)));
            }
            p.body.push(candidate.to_string());
            return None;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return Some(Output::default());
        }
        self.history.push(trimmed.to_string());
        match parse_line(trimmed) {
            Ok(parsed) => {
                if let Some((delimiter, strip_tabs)) = parsed.heredoc() {
                    self.pending =
                        Some(PendingHeredoc { line: trimmed.to_string(), delimiter, strip_tabs, body: Vec::new() });
                    return None;
                }
                Some(self.execute(c, trimmed, None))
            }
            Err(LexError(e)) => Some(Output::fail(format!("sh: {e}\n"), 2)),
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
        for (i, (and, pipeline)) in parsed.items.iter().enumerate() {
            if i > 0 && *and && out.exit_code != 0 {
                break;
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
                let mut r = self.run_command(c, &cmd.words, input);
                if let Some((file, append)) = &cmd.redirect {
                    let entry = self.files.entry(file.clone()).or_default();
                    if !*append {
                        entry.clear();
                    }
                    entry.push_str(&r.text);
                    r.text.clear();
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
                self.history.iter().enumerate().map(|(i, h)| format!("{:>5}  {h}\n", i + 1)).collect::<String>(),
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

/// The most simulated time one command may let pass (`sleep`, `kubectl wait --timeout`, curl's
/// and wget's timeouts): every 100 ms tick runs the controllers, so a day-long `sleep 86400`
/// would freeze the browser tab for minutes. Ten minutes, like `rollout status`'s watch.
pub const MAX_ADVANCE_MS: u64 = 600_000;

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
