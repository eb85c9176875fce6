//! Lab actions: every way a learner changes the lab, as one value ([`Action`]) with one text
//! form (`docs/ACTIONS.md`). The page's buttons, the terminal, the editor, lessons, shared
//! links (the action journal) and `svclab run` scripts all send the same actions through
//! [`crate::Lab::act`], so whatever was done in the page replays as a script.
//!
//! Invariants: [`parse`] of [`Action::to_text`] gives the action back (apply bodies end with a
//! newline); parsing never panics and a malformed `lab` line is a located [`Diagnostic`] that
//! changes nothing; [`perform`] is the only code that carries out a non-terminal action, used
//! by `Lab::act` and by the terminal's `lab` command alike.

use crate::api::{Kind, Pod};
use crate::apply::ApplyReport;
use crate::cluster::config::ProxyMode;
use crate::cluster::Cluster;
use crate::diag::{Diagnostic, Pos};
use crate::traffic::{ClientSpec, ConnectionMode, DnsCaching, Strategy};
use serde::{Deserialize, Serialize};

/// Client programs a lab runs at once: each one sends requests on every tick it is due.
pub const MAX_CLIENTS: usize = 8;

/// One change to the lab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Terminal lines, exactly as typed (one per line).
    Terminal(String),
    /// The editor's Apply: every document or none.
    Apply { text: String },
    /// A workload's replicas (the API server's scale subresource, as `kubectl scale`).
    Scale { kind: Kind, namespace: String, name: String, replicas: i32 },
    /// The pod menu's Delete (graceful, as `kubectl delete pod`).
    DeletePod { namespace: String, name: String },
    /// Make a pod's readiness probe fail, or pass again.
    SetReadiness { namespace: String, name: String, failing: bool },
    /// Stop or start a node (`docker stop` of a kind node).
    SetNode { name: String, running: bool },
    /// Start a traffic client program in a pod.
    AddClient(ClientSpec),
    /// Change a client's settings.
    UpdateClient { id: u64, spec: ClientSpec },
    /// Stop a client.
    RemoveClient { id: u64 },
    /// kube-proxy's mode (the `kube-system/kube-proxy` ConfigMap).
    SetProxyMode(ProxyMode),
    /// Zero the per-pod hit counters.
    ResetHits,
    /// Let simulated time pass.
    Advance { ms: u64 },
}

/// What a non-terminal action did: the text a terminal shows (kubectl's words for the
/// API-server actions), whether it succeeded, and the apply report or new client id where
/// there is one. ([`crate::ActionOutcome`] adds the terminal's output for terminal lines.)
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Effect {
    pub text: String,
    pub ok: bool,
    /// `Apply`: the per-document report (the editor's problems list).
    pub report: Option<ApplyReport>,
    /// `AddClient`: the new client's id.
    pub client: Option<u64>,
}

impl Effect {
    fn done(text: String) -> Self {
        Effect { text, ok: true, ..Default::default() }
    }
    fn failed(text: String) -> Self {
        Effect { text, ok: false, ..Default::default() }
    }
}

// -------------------------------------------------------------------------------------------
// Text form

pub fn duration_text(ms: u64) -> String {
    if ms > 0 && ms.is_multiple_of(60_000) {
        format!("{}m", ms / 60_000)
    } else if ms > 0 && ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

fn ns_flag(namespace: &str) -> String {
    if namespace == "default" {
        String::new()
    } else {
        format!(" -n {namespace}")
    }
}

fn conn_text(c: ConnectionMode) -> &'static str {
    match c {
        ConnectionMode::PerRequest => "per-request",
        ConnectionMode::KeepAlive => "keep-alive",
    }
}

fn pick_text(s: Strategy) -> &'static str {
    match s {
        Strategy::PickFirst => "first",
        Strategy::Random => "random",
        Strategy::RoundRobin => "round-robin",
        Strategy::All => "all",
        Strategy::LowestLatency => "lowest-latency",
    }
}

fn cache_text(d: DnsCaching) -> &'static str {
    match d {
        DnsCaching::NoCache => "off",
        DnsCaching::HonorTtl => "ttl",
        DnsCaching::IgnoreTtl => "forever",
    }
}

/// A client's flags; the defaults of [`ClientSpec::new`] are left out.
fn client_flags(s: &ClientSpec) -> String {
    let target = if s.target.contains(':') { format!("[{}]", s.target) } else { s.target.clone() };
    let mut out = format!("--from {}/{} --to {target}:{}", s.namespace, s.pod, s.port);
    let d = ClientSpec::new(&s.namespace, &s.pod, &s.target, s.port);
    if s.connection != d.connection {
        out.push_str(&format!(" --conn {}", conn_text(s.connection)));
    }
    if s.strategy != d.strategy {
        out.push_str(&format!(" --pick {}", pick_text(s.strategy)));
    }
    if s.dns != d.dns {
        out.push_str(&format!(" --dns-cache {}", cache_text(s.dns)));
    }
    if s.interval_ms != d.interval_ms {
        out.push_str(&format!(" --every {}", duration_text(s.interval_ms)));
    }
    out
}

impl Action {
    /// The action's script form (`docs/ACTIONS.md`): one line, or a heredoc for `Apply`.
    pub fn to_text(&self) -> String {
        match self {
            Action::Terminal(line) => line.clone(),
            Action::Apply { text } => {
                // A delimiter that no line of the body equals, so the body comes back whole.
                let mut delim = "EOF".to_string();
                let mut n = 0;
                while text.lines().any(|l| l == delim) {
                    n += 1;
                    delim = format!("EOF{n}");
                }
                let nl = if text.ends_with('\n') || text.is_empty() { "" } else { "\n" };
                format!("lab apply <<{delim}\n{text}{nl}{delim}")
            }
            Action::Scale { kind, namespace, name, replicas } => {
                format!("lab scale {}/{name} --replicas={replicas}{}", kind_word(*kind), ns_flag(namespace))
            }
            Action::DeletePod { namespace, name } => format!("lab delete pod/{name}{}", ns_flag(namespace)),
            Action::SetReadiness { namespace, name, failing } => {
                let verb = if *failing { "fail" } else { "pass" };
                format!("lab readiness {verb} pod/{name}{}", ns_flag(namespace))
            }
            Action::SetNode { name, running } => {
                format!("lab node {} {name}", if *running { "start" } else { "stop" })
            }
            Action::AddClient(spec) => format!("lab client add {}", client_flags(spec)),
            Action::UpdateClient { id, spec } => format!("lab client set {id} {}", client_flags(spec)),
            Action::RemoveClient { id } => format!("lab client remove {id}"),
            Action::SetProxyMode(mode) => format!("lab proxy-mode {}", mode.as_str()),
            Action::ResetHits => "lab hits reset".into(),
            Action::Advance { ms } => format!("lab advance {}", duration_text(*ms)),
        }
    }
}

/// The resource word of a scalable kind in `lab scale KIND/NAME`.
fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::StatefulSet => "statefulset",
        Kind::ReplicaSet => "replicaset",
        _ => "deployment",
    }
}

/// A word of a `lab` line and its 1-based column.
#[derive(Clone, Copy, Debug)]
struct Word<'a> {
    col: usize,
    text: &'a str,
}

fn words(line: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in line.char_indices() {
        if ch.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(Word { col: line[..s].chars().count() + 1, text: &line[s..i] });
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(Word { col: line[..s].chars().count() + 1, text: &line[s..] });
    }
    out
}

/// A malformed `lab` line; the arguments are the column and kubectl-style English detail.
fn err(line: usize, col: usize, message: String) -> Diagnostic {
    let c = col.to_string();
    Diagnostic::error("action.syntax", Pos::new(line, col), message.clone()).with_args(&[&c, &message])
}

/// Whether a script line is a lab action rather than a terminal line.
pub fn is_lab_line(line: &str) -> bool {
    let t = line.trim_start();
    t == "lab" || t.starts_with("lab ") || t.starts_with("lab\t")
}

/// An action from its text form: a `lab ...` line (with its heredoc body for `lab apply`),
/// or any other text as terminal lines. Errors carry the line and column of the problem.
pub fn parse(text: &str) -> Result<Action, Diagnostic> {
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or("");
    if !is_lab_line(first) {
        return Ok(Action::Terminal(text.to_string()));
    }
    let ws = words(first);
    // A heredoc: `lab apply <<EOF` (also `<< EOF`, `<<'EOF'`, `<<"EOF"`), body up to EOF.
    let heredoc_at = ws.iter().position(|w| w.text.starts_with("<<"));
    let (ws, body) = match heredoc_at {
        None => {
            if lines.any(|l| !l.trim().is_empty()) {
                return Err(err(2, 1, "a lab action is one line (only `lab apply` takes a heredoc)".into()));
            }
            (ws, None)
        }
        Some(i) => {
            let w = ws[i];
            let (delim, used) = match w.text.strip_prefix("<<").filter(|d| !d.is_empty()) {
                Some(d) => (d, i + 1),
                None => match ws.get(i + 1) {
                    Some(n) => (n.text, i + 2),
                    None => return Err(err(1, w.col, "syntax error: here-document delimiter missing".into())),
                },
            };
            if used < ws.len() {
                return Err(err(1, ws[used].col, format!("unexpected argument \"{}\"", ws[used].text)));
            }
            let delim = delim.trim_matches(|c| c == '\'' || c == '"');
            let mut body = String::new();
            let mut closed = false;
            for l in lines.by_ref() {
                if l == delim {
                    closed = true;
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            if !closed {
                return Err(err(
                    1,
                    w.col,
                    format!("here-document delimited by end-of-file (wanted `{delim}'); action not run"),
                ));
            }
            if lines.any(|l| !l.trim().is_empty()) {
                return Err(err(1, w.col, "text after the here-document's end: one action at a time".into()));
            }
            (ws[..i].to_vec(), Some(body))
        }
    };
    parse_words(&ws, body)
}

/// The words of a `lab` command (the first is `lab`) and its heredoc body: what the terminal's
/// `lab` command calls with the words its lexer produced.
pub fn parse_command(args: &[String], body: Option<String>) -> Result<Action, Diagnostic> {
    let line = std::iter::once("lab").chain(args.iter().map(String::as_str)).collect::<Vec<_>>().join(" ");
    parse_words(&words(&line), body)
}

const USAGE: &str = "expected one of: apply, scale, delete, readiness, node, client, proxy-mode, hits, advance";

fn parse_words(ws: &[Word<'_>], body: Option<String>) -> Result<Action, Diagnostic> {
    let end_col = ws.last().map(|w| w.col + w.text.chars().count()).unwrap_or(1);
    let Some(verb) = ws.get(1) else {
        return Err(err(1, end_col, format!("lab: missing action; {USAGE}")));
    };
    let rest = &ws[2..];
    if body.is_some() && verb.text != "apply" {
        return Err(err(1, verb.col, format!("lab {} takes no here-document", verb.text)));
    }
    let mut flags = Flags::new(rest);
    let action = match verb.text {
        "apply" => {
            let Some(text) = body else {
                return Err(err(
                    1,
                    end_col,
                    "lab apply takes its manifests in a here-document: lab apply <<EOF".into(),
                ));
            };
            flags.exact::<0>(end_col)?;
            Action::Apply { text }
        }
        "scale" => {
            let ns = flags.namespace()?;
            let replicas = flags.required("--replicas", end_col)?;
            let n: i32 = replicas.text.parse().map_err(|_| {
                err(1, replicas.col, format!("invalid argument \"{}\" for \"--replicas\" flag", replicas.text))
            })?;
            if n < 0 {
                return Err(err(1, replicas.col, "--replicas must be greater than or equal to 0".into()));
            }
            let [target] = flags.exact::<1>(end_col)?;
            let (kind_text, name) = split_ref(target)?;
            let kind = match Kind::from_resource(kind_text) {
                Some(k @ (Kind::Deployment | Kind::StatefulSet | Kind::ReplicaSet)) => k,
                _ => {
                    return Err(err(
                        1,
                        target.col,
                        format!("cannot scale \"{kind_text}\": expected deployment/NAME or statefulset/NAME"),
                    ))
                }
            };
            Action::Scale { kind, namespace: ns, name, replicas: n }
        }
        "delete" => {
            let ns = flags.namespace()?;
            let [target] = flags.exact::<1>(end_col)?;
            let name = pod_ref(target)?;
            Action::DeletePod { namespace: ns, name }
        }
        "readiness" => {
            let ns = flags.namespace()?;
            let [how, target] = flags.exact::<2>(end_col)?;
            let failing = match how.text {
                "fail" => true,
                "pass" => false,
                other => return Err(err(1, how.col, format!("expected fail or pass, not \"{other}\""))),
            };
            Action::SetReadiness { namespace: ns, name: pod_ref(target)?, failing }
        }
        "node" => {
            let [how, name] = flags.exact::<2>(end_col)?;
            let running = match how.text {
                "start" => true,
                "stop" => false,
                other => return Err(err(1, how.col, format!("expected stop or start, not \"{other}\""))),
            };
            Action::SetNode { name: name.text.to_string(), running }
        }
        "client" => {
            let Some(sub) = flags.next_positional() else {
                return Err(err(1, end_col, "lab client: expected add, set or remove".into()));
            };
            match sub.text {
                "add" => {
                    let spec = flags.client_spec(end_col)?;
                    flags.exact::<0>(end_col)?;
                    Action::AddClient(spec)
                }
                "set" => {
                    let id =
                        flags.next_positional().ok_or_else(|| err(1, end_col, "lab client set: missing ID".into()))?;
                    let id = client_id(id)?;
                    let spec = flags.client_spec(end_col)?;
                    flags.exact::<0>(end_col)?;
                    Action::UpdateClient { id, spec }
                }
                "remove" => {
                    let [id] = flags.exact::<1>(end_col)?;
                    Action::RemoveClient { id: client_id(id)? }
                }
                other => {
                    return Err(err(1, sub.col, format!("lab client: expected add, set or remove, not \"{other}\"")))
                }
            }
        }
        "proxy-mode" => {
            let [mode] = flags.exact::<1>(end_col)?;
            match mode.text {
                "iptables" | "ipvs" | "nftables" => {
                    Action::SetProxyMode(ProxyMode::parse(mode.text).unwrap_or(ProxyMode::Iptables))
                }
                other => {
                    return Err(err(
                        1,
                        mode.col,
                        format!("unknown proxy mode \"{other}\": expected iptables, ipvs or nftables"),
                    ))
                }
            }
        }
        "hits" => {
            let [what] = flags.exact::<1>(end_col)?;
            if what.text != "reset" {
                return Err(err(1, what.col, format!("lab hits: expected reset, not \"{}\"", what.text)));
            }
            Action::ResetHits
        }
        "advance" => {
            let [d] = flags.exact::<1>(end_col)?;
            Action::Advance { ms: duration(d)? }
        }
        other => return Err(err(1, verb.col, format!("lab: unknown action \"{other}\"; {USAGE}"))),
    };
    Ok(action)
}

fn split_ref<'a>(w: Word<'a>) -> Result<(&'a str, String), Diagnostic> {
    match w.text.split_once('/') {
        Some((k, n)) if !k.is_empty() && !n.is_empty() => Ok((k, n.to_string())),
        _ => Err(err(1, w.col, format!("expected KIND/NAME, not \"{}\"", w.text))),
    }
}

fn pod_ref(w: Word<'_>) -> Result<String, Diagnostic> {
    let (kind, name) = split_ref(w)?;
    if Kind::from_resource(kind) != Some(Kind::Pod) {
        return Err(err(1, w.col, format!("expected pod/NAME, not \"{}\"", w.text)));
    }
    Ok(name)
}

fn client_id(w: Word<'_>) -> Result<u64, Diagnostic> {
    w.text.parse().map_err(|_| err(1, w.col, format!("expected a client id (a number), not \"{}\"", w.text)))
}

/// `1500ms`, `5s`, `2m`.
fn duration(w: Word<'_>) -> Result<u64, Diagnostic> {
    let t = w.text;
    let (num, unit) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1000)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60_000)
    } else {
        return Err(err(1, w.col, format!("invalid duration \"{t}\": expected a number with ms, s or m")));
    };
    num.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| err(1, w.col, format!("invalid duration \"{t}\": expected a number with ms, s or m")))
}

/// Flags (`--name value`, `--name=value`, `-n value`) and positional words, each used once.
struct Flags<'a> {
    words: Vec<Option<Word<'a>>>,
}

impl<'a> Flags<'a> {
    fn new(ws: &[Word<'a>]) -> Self {
        Flags { words: ws.iter().copied().map(Some).collect() }
    }

    /// The value of a flag (the last one given wins, as pflag does), removing it.
    fn take(&mut self, names: &[&str]) -> Result<Option<Word<'a>>, Diagnostic> {
        let mut found = None;
        let mut i = 0;
        while i < self.words.len() {
            let Some(w) = self.words[i] else {
                i += 1;
                continue;
            };
            if let Some((flag, value)) = w.text.split_once('=') {
                if names.contains(&flag) {
                    self.words[i] = None;
                    found = Some(Word { col: w.col + flag.chars().count() + 1, text: value });
                }
            } else if names.contains(&w.text) {
                self.words[i] = None;
                match self.words.get_mut(i + 1).and_then(Option::take) {
                    Some(v) => found = Some(v),
                    None => return Err(err(1, w.col, format!("flag needs an argument: {}", w.text))),
                }
                i += 1;
            }
            i += 1;
        }
        Ok(found)
    }

    fn required(&mut self, name: &str, end_col: usize) -> Result<Word<'a>, Diagnostic> {
        self.take(&[name])?
            .ok_or_else(|| err(1, end_col, format!("required flag \"{}\" not set", name.trim_start_matches('-'))))
    }

    fn namespace(&mut self) -> Result<String, Diagnostic> {
        Ok(self.take(&["-n", "--namespace"])?.map(|w| w.text.to_string()).unwrap_or_else(|| "default".into()))
    }

    fn next_positional(&mut self) -> Option<Word<'a>> {
        let i = self.words.iter().position(|w| w.is_some_and(|w| !w.text.starts_with('-')))?;
        self.words[i].take()
    }

    /// Exactly `N` remaining words, none of them an unknown flag.
    fn exact<const N: usize>(&mut self, end_col: usize) -> Result<[Word<'a>; N], Diagnostic> {
        let n = N;
        let rest: Vec<Word<'a>> = self.words.iter_mut().filter_map(Option::take).collect();
        if let Some(f) = rest.iter().find(|w| w.text.starts_with('-') && w.text.len() > 1) {
            return Err(err(1, f.col, format!("unknown flag: {}", f.text.split('=').next().unwrap_or(f.text))));
        }
        if rest.len() > n {
            return Err(err(1, rest[n].col, format!("unexpected argument \"{}\"", rest[n].text)));
        }
        rest.try_into().map_err(|_| err(1, end_col, "missing argument".into()))
    }

    fn client_spec(&mut self, end_col: usize) -> Result<ClientSpec, Diagnostic> {
        let from = self.required("--from", end_col)?;
        let (ns, pod) = match from.text.split_once('/') {
            Some((ns, pod)) if !ns.is_empty() && !pod.is_empty() => (ns, pod),
            _ => return Err(err(1, from.col, format!("--from: expected NAMESPACE/POD, not \"{}\"", from.text))),
        };
        let to = self.required("--to", end_col)?;
        let (target, port) = match to.text.strip_prefix('[').and_then(|t| t.split_once("]:")) {
            Some(tp) => tp,
            None => to.text.rsplit_once(':').unwrap_or((to.text, "")),
        };
        let port = port.parse::<i32>().ok().filter(|p| (1..=65535).contains(p)).ok_or_else(|| {
            err(1, to.col, format!("--to: expected TARGET:PORT with a port from 1 to 65535, not \"{}\"", to.text))
        })?;
        if target.is_empty() {
            return Err(err(1, to.col, "--to: the target is empty".into()));
        }
        let mut spec = ClientSpec::new(ns, pod, target, port);
        if let Some(w) = self.take(&["--conn"])? {
            spec.connection = match w.text {
                "per-request" => ConnectionMode::PerRequest,
                "keep-alive" => ConnectionMode::KeepAlive,
                o => return Err(err(1, w.col, format!("--conn: expected per-request or keep-alive, not \"{o}\""))),
            };
        }
        if let Some(w) = self.take(&["--pick"])? {
            spec.strategy = match w.text {
                "first" => Strategy::PickFirst,
                "random" => Strategy::Random,
                "round-robin" => Strategy::RoundRobin,
                "all" => Strategy::All,
                "lowest-latency" => Strategy::LowestLatency,
                o => {
                    return Err(err(
                        1,
                        w.col,
                        format!("--pick: expected first, random, round-robin, all or lowest-latency, not \"{o}\""),
                    ))
                }
            };
        }
        if let Some(w) = self.take(&["--dns-cache"])? {
            spec.dns = match w.text {
                "off" => DnsCaching::NoCache,
                "ttl" => DnsCaching::HonorTtl,
                "forever" => DnsCaching::IgnoreTtl,
                o => return Err(err(1, w.col, format!("--dns-cache: expected off, ttl or forever, not \"{o}\""))),
            };
        }
        if let Some(w) = self.take(&["--every"])? {
            spec.interval_ms = duration(w)?;
            if spec.interval_ms == 0 {
                return Err(err(1, w.col, "--every must be longer than 0ms".into()));
            }
        }
        Ok(spec)
    }
}

// -------------------------------------------------------------------------------------------
// Effects

/// Carry out a non-terminal action on the cluster (a `Terminal` action needs the terminal:
/// see [`crate::Lab::act`]; here it is refused).
pub fn perform(c: &mut Cluster, action: &Action) -> Effect {
    match action {
        Action::Terminal(_) => Effect::failed("lab: a terminal line needs a terminal\n".into()),
        Action::Apply { text } => {
            // Checked on a copy first: if any document fails, nothing is applied and the last
            // good cluster stays (the learner fixes the text and applies again).
            let mut trial = c.clone();
            let report = crate::apply::apply_text(&mut trial, text, "STDIN", "default");
            let ok = report.ok();
            if ok {
                *c = trial;
            }
            Effect { text: report.output(), ok, report: Some(report), client: None }
        }
        Action::Scale { kind, namespace, name, replicas } => {
            match crate::update::scale(c, *kind, namespace, name, *replicas) {
                Ok(line) => Effect::done(format!("{line}\n")),
                Err(e) => Effect::failed(format!("{e}\n")),
            }
        }
        Action::DeletePod { namespace, name } => {
            if c.get::<Pod>(namespace, name).is_none() {
                return Effect::failed(format!("Error from server (NotFound): pods \"{name}\" not found\n"));
            }
            crate::controllers::delete_object(c, Kind::Pod, namespace, name, None);
            Effect::done(format!("pod \"{name}\" deleted\n"))
        }
        Action::SetReadiness { namespace, name, failing } => {
            if crate::controllers::set_readiness_failed(c, namespace, name, *failing) {
                let how = if *failing { "failing" } else { "passing" };
                Effect::done(format!("pod/{name} readiness probe {how}\n"))
            } else {
                Effect::failed(format!("Error from server (NotFound): pods \"{name}\" not found\n"))
            }
        }
        Action::SetNode { name, running } => {
            let found =
                if *running { crate::controllers::start_node(c, name) } else { crate::controllers::stop_node(c, name) };
            if found {
                Effect::done(format!("node/{name} {}\n", if *running { "started" } else { "stopped" }))
            } else {
                Effect::failed(format!("Error from server (NotFound): nodes \"{name}\" not found\n"))
            }
        }
        Action::AddClient(spec) => {
            if c.traffic.clients.len() >= MAX_CLIENTS {
                return Effect::failed(format!(
                    "lab: at most {MAX_CLIENTS} clients run at once (a Service Lab limit); remove one first\n"
                ));
            }
            let id = crate::traffic::add_client(c, spec.clone());
            Effect { client: Some(id), ..Effect::done(format!("client {id} started\n")) }
        }
        Action::UpdateClient { id, spec } => {
            if crate::traffic::update_client(c, *id, spec.clone()) {
                Effect::done(format!("client {id} restarted\n"))
            } else {
                Effect::failed(format!("lab: no client {id}\n"))
            }
        }
        Action::RemoveClient { id } => {
            if crate::traffic::remove_client(c, *id) {
                Effect::done(format!("client {id} stopped\n"))
            } else {
                Effect::failed(format!("lab: no client {id}\n"))
            }
        }
        Action::SetProxyMode(mode) => {
            crate::proxy::set_mode(c, *mode);
            Effect::done(format!("kube-proxy mode: {}\n", mode.as_str()))
        }
        Action::ResetHits => {
            crate::traffic::reset_hits(c);
            Effect::done("hit counters reset\n".into())
        }
        Action::Advance { ms } => {
            c.advance(*ms);
            Effect::done(String::new())
        }
    }
}
