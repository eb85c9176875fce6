//! The check language: one condition a line, in the words the learner is learning
//! (`nslookup headless-service from default/client returns 3 addresses`,
//! `service web has clusterIP None`, `ran kubectl get (svc|services)`). A step's check passes
//! when all its conditions hold. Parsing returns located diagnostics; evaluation only looks at
//! the lab ([`crate::Cluster::observe`], [`crate::Lab::peek`], read-only store queries).
//!
//! A [`Probe`] names a live value (the part before the predicate); it is also what a
//! predict-then-reveal question shows after the action.

use super::pattern::Pattern;
use super::play::Entry;
use crate::api::{Deployment, Endpoints, Pod, Service, StatefulSet};
use crate::cluster::SimEvent;
use crate::diag::{Diagnostic, Pos};
use crate::dns::{self, DnsClient, RType};
use crate::time::SimTime;
use crate::Lab;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A pod to ask from: `namespace/name`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodRef {
    pub namespace: String,
    pub pod: String,
}

/// A live value of the lab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Probe {
    /// The addresses `nslookup NAME` prints (A then AAAA, through the pod's search list).
    /// `from: None`: the learner's terminal.
    Nslookup { name: String, from: Option<PodRef> },
    /// The records of one type (`dig NAME TYPE`, through the search list).
    Dns { name: String, rtype: RType, from: Option<PodRef> },
    /// A Service, or one of its fields (`clusterIP`, `type`, `externalName`, `ipFamilies`,
    /// `ipFamilyPolicy`, `endpoints` = its ready endpoint addresses, `ingress` = the load
    /// balancer's addresses, `nodePorts`).
    Service { namespace: String, name: String, prop: Option<String> },
    /// A Deployment or StatefulSet (`kind` = `deployment`/`statefulset`) and `ready pods`,
    /// `pods` or `replicas`.
    Workload { kind: String, namespace: String, name: String, prop: Option<String> },
    /// A pod, or its `ip`, `ready`, `phase`, `node`.
    Pod { namespace: String, name: String, prop: Option<String> },
    /// The addresses of the legacy Endpoints object.
    Endpoints { namespace: String, name: String },
    /// The output of a command run where no one sees it (in the learner's terminal's context,
    /// or in a pod), e.g. `command "iptables-save"`.
    Command { line: String, in_pod: Option<PodRef> },
    /// The pods that answered a traffic client's requests since the step began.
    Traffic { from: PodRef, target: String },
    /// kube-proxy's mode.
    ProxyMode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    Eq,
    AtLeast,
    AtMost,
    MoreThan,
    FewerThan,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub op: Op,
    pub n: u64,
}

impl Count {
    pub fn holds(&self, v: u64) -> bool {
        match self.op {
            Op::Eq => v == self.n,
            Op::AtLeast => v >= self.n,
            Op::AtMost => v <= self.n,
            Op::MoreThan => v > self.n,
            Op::FewerThan => v < self.n,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pred {
    Count(Count),
    Is { value: String, negated: bool },
    Contains { text: String, negated: bool },
    Exists(bool),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cond {
    /// The learner ran a terminal line matching the pattern during this step.
    Ran(Pattern),
    /// Some output of the learner's commands during this step contains the text.
    Saw(String),
    /// A `kubectl apply` (or `lab apply`) of this step failed with output containing the text.
    ApplyFailed(String),
    /// `traffic from NS/POD to TARGET: COUNT requests reached COUNT pods`.
    Traffic {
        from: PodRef,
        target: String,
        requests: Count,
        pods: Option<Count>,
    },
    /// `traffic from NS/POD to TARGET: COUNT requests failed` (refused, timed out, no answer).
    TrafficFailed {
        from: PodRef,
        target: String,
        failed: Count,
    },
    Probe {
        probe: Probe,
        pred: Pred,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub source: String,
    pub line: usize,
    pub cond: Cond,
}

/// A step's check: every condition must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub conditions: Vec<Condition>,
}

// ---------------------------------------------------------------------------------------------
// Parsing

#[derive(Clone, Debug)]
struct Tok {
    text: String,
    /// 0-based character column in the condition.
    col: usize,
    quoted: bool,
}

fn tokenize(s: &str) -> Result<Vec<Tok>, (usize, String)> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if chars[i] == '"' {
            let mut t = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err((start, "unterminated \"...\"".into())),
                    Some('"') => break,
                    Some('\\') if i + 1 < chars.len() => {
                        t.push(chars[i + 1]);
                        i += 2;
                    }
                    Some(c) => {
                        t.push(*c);
                        i += 1;
                    }
                }
            }
            i += 1;
            out.push(Tok { text: t, col: start, quoted: true });
        } else {
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(Tok { text, col: start, quoted: false });
        }
    }
    Ok(out)
}

struct P<'a> {
    toks: &'a [Tok],
    i: usize,
    end_col: usize,
}

type PErr = (usize, String);

impl P<'_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.i).map(|t| t.text.as_str())
    }
    fn peek_word(&self, w: &str) -> bool {
        self.toks.get(self.i).is_some_and(|t| !t.quoted && t.text == w)
    }
    fn col(&self) -> usize {
        self.toks.get(self.i).map(|t| t.col).unwrap_or(self.end_col)
    }
    fn next(&mut self, what: &str) -> Result<Tok, PErr> {
        match self.toks.get(self.i) {
            Some(t) => {
                self.i += 1;
                Ok(t.clone())
            }
            None => Err((self.end_col, format!("expected {what}"))),
        }
    }
    fn word(&mut self, w: &str) -> bool {
        if self.peek_word(w) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, w: &str) -> Result<(), PErr> {
        if self.word(w) {
            Ok(())
        } else {
            Err((self.col(), format!("expected `{w}`{}", self.found())))
        }
    }
    fn found(&self) -> String {
        match self.peek() {
            Some(t) => format!(", found `{t}`"),
            None => " at the end".into(),
        }
    }
    fn done(&self) -> bool {
        self.i >= self.toks.len()
    }
}

fn pod_ref(t: &Tok) -> Result<PodRef, PErr> {
    match t.text.split_once('/') {
        Some((ns, pod)) if !ns.is_empty() && !pod.is_empty() && !pod.contains('/') => {
            Ok(PodRef { namespace: ns.into(), pod: pod.into() })
        }
        _ => Err((t.col, format!("expected NAMESPACE/POD (e.g. default/client), found `{}`", t.text))),
    }
}

fn namespace(p: &mut P) -> Result<String, PErr> {
    if p.word("-n") || p.word("in") {
        return Ok(p.next("a namespace")?.text);
    }
    Ok("default".into())
}

const SERVICE_PROPS: &[&str] =
    &["clusterIP", "type", "externalName", "ipFamilies", "ipFamilyPolicy", "endpoints", "ingress", "nodePorts"];
const WORKLOAD_PROPS: &[&str] = &["ready pods", "pods", "replicas"];
const POD_PROPS: &[&str] = &["ip", "ready", "phase", "node"];

/// A property name at the cursor (one or two words), if it is one of `props`.
fn prop(p: &mut P, props: &[&str]) -> Option<String> {
    let one = p.toks.get(p.i).filter(|t| !t.quoted)?.text.clone();
    if let Some(two) = p.toks.get(p.i + 1).filter(|t| !t.quoted) {
        let both = format!("{one} {}", two.text);
        if props.contains(&both.as_str()) {
            p.i += 2;
            return Some(both);
        }
    }
    if props.contains(&one.as_str()) {
        p.i += 1;
        return Some(one);
    }
    None
}

fn parse_probe_at(p: &mut P) -> Result<Probe, PErr> {
    let start = p.col();
    let head = p.next("what to look at (nslookup, dns, service, deployment, statefulset, pod, endpoints, command, traffic, kube-proxy)")?;
    let from = |p: &mut P| -> Result<Option<PodRef>, PErr> {
        if p.word("from") {
            let t = p.next("NAMESPACE/POD after `from`")?;
            return pod_ref(&t).map(Some);
        }
        Ok(None)
    };
    Ok(match head.text.as_str() {
        "nslookup" => {
            let name = p.next("a name to look up")?.text;
            Probe::Nslookup { name, from: from(p)? }
        }
        "dns" | "dig" => {
            let name = p.next("a name")?.text;
            let t = p.next("a record type (A, AAAA, SRV, CNAME, PTR, TXT)")?;
            let rtype = RType::parse(&t.text.to_ascii_uppercase())
                .ok_or((t.col, format!("unknown record type `{}` (A, AAAA, SRV, CNAME, PTR, TXT, ...)", t.text)))?;
            Probe::Dns { name, rtype, from: from(p)? }
        }
        "service" | "svc" => {
            let name = p.next("a Service name")?.text;
            let namespace = namespace(p)?;
            Probe::Service { namespace, name, prop: prop(p, SERVICE_PROPS) }
        }
        "deployment" | "statefulset" => {
            let name = p.next("a name")?.text;
            let namespace = namespace(p)?;
            Probe::Workload { kind: head.text.clone(), namespace, name, prop: prop(p, WORKLOAD_PROPS) }
        }
        "pod" => {
            let name = p.next("a pod name")?.text;
            let namespace = namespace(p)?;
            Probe::Pod { namespace, name, prop: prop(p, POD_PROPS) }
        }
        "endpoints" => {
            let name = p.next("a name")?.text;
            let namespace = namespace(p)?;
            Probe::Endpoints { namespace, name }
        }
        "command" => {
            let t = p.next("the command in quotes")?;
            if !t.quoted {
                return Err((t.col, "write the command in double quotes: command \"kubectl get svc\"".into()));
            }
            if let Err(e) = crate::shell::parse_line(&t.text) {
                return Err((t.col, format!("sh: {}", e.0)));
            }
            let in_pod = if p.word("in") { Some(pod_ref(&p.next("NAMESPACE/POD after `in`")?)?) } else { None };
            Probe::Command { line: t.text, in_pod }
        }
        "traffic" => {
            p.expect("from")?;
            let from = pod_ref(&p.next("NAMESPACE/POD")?)?;
            p.expect("to")?;
            let target = p.next("the client's target")?.text;
            Probe::Traffic { from, target: target.trim_end_matches(':').to_string() }
        }
        "kube-proxy" => {
            p.expect("mode")?;
            Probe::ProxyMode
        }
        other => return Err((start, format!("unknown subject `{other}` (nslookup, dns, service, deployment, statefulset, pod, endpoints, command, traffic, kube-proxy mode)"))),
    })
}

fn number(p: &mut P) -> Result<u64, PErr> {
    let t = p.next("a number")?;
    t.text.parse().map_err(|_| (t.col, format!("expected a number, found `{}`", t.text)))
}

fn count(p: &mut P) -> Result<Count, PErr> {
    let op = if p.word("no") {
        return Ok(Count { op: Op::Eq, n: 0 });
    } else if p.word("exactly") {
        Op::Eq
    } else if p.word("at") {
        if p.word("least") {
            Op::AtLeast
        } else if p.word("most") {
            Op::AtMost
        } else {
            return Err((p.col(), format!("expected `at least` or `at most`{}", p.found())));
        }
    } else if p.word("more") {
        p.expect("than")?;
        Op::MoreThan
    } else if p.word("fewer") || p.word("less") {
        p.expect("than")?;
        Op::FewerThan
    } else {
        Op::Eq
    };
    let n = number(p)?;
    if op == Op::Eq && p.peek_word("or") {
        p.i += 1;
        if p.word("more") {
            return Ok(Count { op: Op::AtLeast, n });
        }
        if p.word("fewer") || p.word("less") {
            return Ok(Count { op: Op::AtMost, n });
        }
        return Err((p.col(), format!("expected `or more` or `or fewer`{}", p.found())));
    }
    Ok(Count { op, n })
}

fn starts_count(p: &P) -> bool {
    matches!(p.peek(), Some("no" | "exactly" | "at" | "more" | "fewer" | "less"))
        || p.peek().is_some_and(|t| t.chars().all(|c| c.is_ascii_digit()))
}

fn rest_value(p: &mut P, what: &str) -> Result<String, PErr> {
    if p.done() {
        return Err((p.end_col, format!("expected {what}")));
    }
    let v: Vec<String> = p.toks[p.i..].iter().map(|t| t.text.clone()).collect();
    p.i = p.toks.len();
    Ok(v.join(" "))
}

fn set_prop(probe: &mut Probe, name: &str) -> bool {
    let slot = match probe {
        Probe::Service { prop, .. } if SERVICE_PROPS.contains(&name) => prop,
        Probe::Workload { prop, .. } if WORKLOAD_PROPS.contains(&name) => prop,
        Probe::Pod { prop, .. } if POD_PROPS.contains(&name) => prop,
        _ => return false,
    };
    if slot.is_none() {
        *slot = Some(name.to_string());
        true
    } else {
        false
    }
}

fn parse_pred(p: &mut P, probe: &mut Probe) -> Result<Pred, PErr> {
    if p.word("fails") {
        return Ok(Pred::Count(Count { op: Op::Eq, n: 0 }));
    }
    if p.word("resolves") {
        return Ok(Pred::Count(Count { op: Op::AtLeast, n: 1 }));
    }
    if p.word("exists") {
        return Ok(Pred::Exists(true));
    }
    if p.word("does") {
        p.expect("not")?;
        if p.word("exist") {
            return Ok(Pred::Exists(false));
        }
        if p.word("contain") || p.word("include") {
            let t = p.next("the text in quotes")?;
            return Ok(Pred::Contains { text: t.text, negated: true });
        }
        return Err((p.col(), format!("expected `does not exist` or `does not contain`{}", p.found())));
    }
    if p.word("contains") || p.word("includes") || p.word("shows") {
        let t = p.next("the text in quotes")?;
        return Ok(Pred::Contains { text: t.text, negated: false });
    }
    if p.word("is") {
        let negated = p.word("not");
        let col = p.col();
        let value = rest_value(p, "a value")?;
        if let Probe::Pod { prop: prop @ None, .. } = probe {
            if value == "ready" {
                *prop = Some("ready".into());
                return Ok(Pred::Is { value: "true".into(), negated });
            }
        }
        if matches!(
            probe,
            Probe::Service { prop: None, .. } | Probe::Workload { prop: None, .. } | Probe::Pod { prop: None, .. }
        ) {
            return Err((
                col,
                "say which field: e.g. `service web clusterIP is None` or `service web has clusterIP None`".into(),
            ));
        }
        return Ok(Pred::Is { value, negated });
    }
    if p.word("has") || p.word("returns") || p.word("answers") || p.word("reached") {
        if starts_count(p) {
            let c = count(p)?;
            // The noun: a field name when the subject has none yet (`has 3 ready pods`).
            let col = p.col();
            let noun: Vec<String> = p.toks[p.i..].iter().map(|t| t.text.clone()).collect();
            p.i = p.toks.len();
            let noun = noun.join(" ");
            let singular = noun.trim_end_matches('s');
            // `ready endpoints` of a Service are its endpoints (only ready ones are published).
            let unready = noun.strip_prefix("ready ").unwrap_or(&noun).trim_end_matches('s');
            for cand in [
                noun.as_str(),
                singular,
                &format!("{singular}s"),
                &format!("ready {singular}s"),
                &format!("{unready}s"),
            ] {
                if set_prop(probe, cand) {
                    break;
                }
            }
            if noun.is_empty() {
                return Err((col, "expected what is counted (addresses, records, ready pods, endpoints, ...)".into()));
            }
            return Ok(Pred::Count(c));
        }
        let col = p.col();
        let field = p.next("a count or a field")?.text;
        if !set_prop(probe, &field) {
            return Err((
                col,
                format!("expected a count (3, at least 3, no) or a field of the subject, found `{field}`"),
            ));
        }
        let value = rest_value(p, "a value")?;
        return Ok(Pred::Is { value, negated: false });
    }
    Err((
        p.col(),
        format!(
            "expected a predicate (returns/has COUNT, has FIELD VALUE, is VALUE, contains \"TEXT\", exists, fails){}",
            p.found()
        ),
    ))
}

fn parse_cond(src: &str) -> Result<Cond, PErr> {
    let trimmed = src.trim_start();
    let lead = src.chars().count() - trimmed.chars().count();
    let rest = trimmed.strip_prefix("the learner ").unwrap_or(trimmed);
    let skipped = lead + trimmed.chars().count() - rest.chars().count();
    if let Some(pat) = rest.strip_prefix("ran ") {
        let pat_lead = pat.chars().count() - pat.trim_start().chars().count();
        let pat = pat.trim();
        let (pat, tick) = match pat.strip_prefix('`').and_then(|p| p.strip_suffix('`')) {
            Some(inner) => (inner, 1),
            None => (pat, 0),
        };
        let base = skipped + 4 + pat_lead + tick;
        return Pattern::parse(pat).map(Cond::Ran).map_err(|(c, e)| (base + c, format!("in the pattern: {e}")));
    }
    let toks = tokenize(src)?;
    let mut p = P { toks: &toks, i: 0, end_col: src.chars().count() };
    if p.word("saw") {
        let t = p.next("the text in quotes")?;
        return finish(&p, Cond::Saw(t.text));
    }
    if p.peek_word("apply") {
        p.i += 1;
        p.expect("failed")?;
        p.expect("with")?;
        let t = p.next("the error text in quotes")?;
        return finish(&p, Cond::ApplyFailed(t.text));
    }
    let mut probe = parse_probe_at(&mut p)?;
    if let Probe::Traffic { from, target } = &probe {
        // `traffic from a/b to T: 20 requests reached 3 pods` (the `:` may stand alone).
        let colon = toks.get(p.i - 1).is_some_and(|t| t.text.ends_with(':')) || p.word(":");
        if colon {
            let requests = count(&mut p)?;
            if !(p.word("requests") || p.word("request")) {
                return Err((p.col(), format!("expected `requests`{}", p.found())));
            }
            if p.word("failed") {
                return finish(
                    &p,
                    Cond::TrafficFailed { from: from.clone(), target: target.clone(), failed: requests },
                );
            }
            let pods = if p.word("reached") {
                let c = count(&mut p)?;
                p.word("different");
                if !(p.word("pods") || p.word("pod")) {
                    return Err((p.col(), format!("expected `pods`{}", p.found())));
                }
                Some(c)
            } else {
                None
            };
            return finish(&p, Cond::Traffic { from: from.clone(), target: target.clone(), requests, pods });
        }
    }
    let pred = parse_pred(&mut p, &mut probe)?;
    finish(&p, Cond::Probe { probe, pred })
}

fn finish(p: &P, c: Cond) -> Result<Cond, PErr> {
    if p.done() {
        Ok(c)
    } else {
        Err((p.col(), format!("unexpected `{}` after the condition", p.peek().unwrap_or(""))))
    }
}

/// Parse one condition line; `line`/`col` locate it in the lesson file.
pub fn parse_check(src: &str, line: usize, col: usize) -> (Check, Vec<Diagnostic>) {
    match parse_cond(src) {
        Ok(cond) => (Check { conditions: vec![Condition { source: src.trim().to_string(), line, cond }] }, Vec::new()),
        Err((c, e)) => (
            Check::default(),
            vec![Diagnostic::error("lesson.check", Pos::new(line, col + c), format!("check: {e}")).with_args(&[&e])],
        ),
    }
}

/// Parse a probe alone (a predict question's `reveal:`).
pub fn parse_probe(src: &str, line: usize, col: usize) -> (Option<Probe>, Vec<Diagnostic>) {
    let r = tokenize(src).and_then(|toks| {
        let mut p = P { toks: &toks, i: 0, end_col: src.chars().count() };
        let probe = parse_probe_at(&mut p)?;
        if p.done() {
            Ok(probe)
        } else {
            Err((p.col(), format!("unexpected `{}` after the value", p.peek().unwrap_or(""))))
        }
    });
    match r {
        Ok(p) => (Some(p), Vec::new()),
        Err((c, e)) => (
            None,
            vec![Diagnostic::error("lesson.reveal", Pos::new(line, col + c), format!("reveal: {e}")).with_args(&[&e])],
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// A live value: its items (addresses, records, pod names, one field) and its text as shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Value {
    pub items: Vec<String>,
    pub text: String,
    /// Why there is nothing to show (`service "web" not found`).
    pub missing: Option<String>,
}

impl Value {
    fn list(items: Vec<String>) -> Value {
        let text = items.join(" ");
        Value { items, text, missing: None }
    }
    fn one(v: impl Into<String>) -> Value {
        let v = v.into();
        Value { items: vec![v.clone()], text: v, missing: None }
    }
    fn missing(why: String) -> Value {
        Value { items: Vec::new(), text: String::new(), missing: Some(why) }
    }
    /// One line for a status display.
    pub fn summary(&self) -> String {
        match &self.missing {
            Some(m) => m.clone(),
            None if self.items.len() > 1 => format!("{} ({})", self.items.len(), self.items.join(", ")),
            None if self.items.is_empty() && self.text.is_empty() => "none".into(),
            None => self.text.lines().take(3).collect::<Vec<_>>().join(" / "),
        }
    }
}

/// What the step's commands (the terminal's command log) and clock look like for the check.
#[derive(Clone, Copy, Debug)]
pub struct Since<'a> {
    /// The learner's commands since the step began.
    pub journal: &'a [Entry],
    /// When the step began (traffic is counted from here).
    pub at: SimTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionStatus {
    pub source: String,
    pub passed: bool,
    /// What the lab shows now, for the learner ("3 (10.244.1.2, ...)").
    pub observed: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckStatus {
    pub passed: bool,
    pub conditions: Vec<ConditionStatus>,
}

/// Evaluate a check. Changes nothing in the lab (see the module docs).
pub fn evaluate(check: &Check, lab: &mut Lab, since: Since) -> CheckStatus {
    let mut out = CheckStatus { passed: !check.conditions.is_empty(), conditions: Vec::new() };
    for c in &check.conditions {
        let (passed, observed) = eval_cond(&c.cond, lab, since);
        out.passed &= passed;
        out.conditions.push(ConditionStatus { source: c.source.clone(), passed, observed });
    }
    out
}

fn eval_cond(cond: &Cond, lab: &mut Lab, since: Since) -> (bool, String) {
    match cond {
        Cond::Ran(p) => match since.journal.iter().rev().find(|e| p.matches(&e.line)) {
            Some(e) => (true, e.line.clone()),
            None => (false, "not yet".into()),
        },
        Cond::Saw(t) => (since.journal.iter().any(|e| e.output.contains(t.as_str())), String::new()),
        Cond::ApplyFailed(t) => {
            let mut applies = since.journal.iter().filter(|e| e.line.contains("apply") && e.exit_code != 0);
            let hit = applies.clone().find(|e| e.output.contains(t.as_str()));
            match hit {
                Some(e) => (true, e.output.lines().next().unwrap_or("").to_string()),
                None => (
                    false,
                    applies.next_back().map(|e| e.output.lines().next().unwrap_or("").to_string()).unwrap_or_default(),
                ),
            }
        }
        Cond::TrafficFailed { from, target, failed } => {
            let n = traffic_failures(lab, from, target, since.at);
            (failed.holds(n), format!("{n} failed"))
        }
        Cond::Traffic { from, target, requests, pods } => {
            let hits = traffic_hits(lab, from, target, since.at);
            let total: u64 = hits.values().sum();
            let ok = requests.holds(total) && pods.is_none_or(|c| c.holds(hits.len() as u64));
            (ok, format!("{total} requests, {} pods", hits.len()))
        }
        Cond::Probe { probe: p, pred } => {
            let v = probe(p, lab);
            let ok = match pred {
                Pred::Count(c) => {
                    v.missing.is_none() && c.holds(v.items.len() as u64)
                        || v.missing.is_some() && c.n == 0 && c.holds(0)
                }
                Pred::Is { value, negated } => v.missing.is_none() && (v.text.eq_ignore_ascii_case(value) != *negated),
                Pred::Contains { text, negated } => v.missing.is_none() && (v.text.contains(text.as_str()) != *negated),
                Pred::Exists(want) => v.missing.is_none() == *want,
            };
            (ok, v.summary())
        }
    }
}

fn traffic_hits(lab: &Lab, from: &PodRef, target: &str, since: SimTime) -> BTreeMap<String, u64> {
    let mut ids = BTreeSet::new();
    let mut hits = BTreeMap::new();
    for e in &lab.cluster.log {
        match e {
            SimEvent::RequestSent { at, request, namespace, pod, target: t, .. }
                if *at >= since && namespace == &from.namespace && pod == &from.pod && t == target =>
            {
                ids.insert(*request);
            }
            SimEvent::ResponseReceived { request, namespace, pod, .. } if ids.contains(request) => {
                *hits.entry(format!("{namespace}/{pod}")).or_insert(0) += 1;
            }
            _ => {}
        }
    }
    hits
}

fn traffic_failures(lab: &Lab, from: &PodRef, target: &str, since: SimTime) -> u64 {
    let mut ids = BTreeSet::new();
    let mut failed = 0;
    for e in &lab.cluster.log {
        match e {
            SimEvent::RequestSent { at, request, namespace, pod, target: t, .. }
                if *at >= since && namespace == &from.namespace && pod == &from.pod && t == target =>
            {
                ids.insert(*request);
            }
            SimEvent::RequestFailed { request, .. } if ids.contains(request) => failed += 1,
            _ => {}
        }
    }
    failed
}

/// Resolve through a pod's resolver (or the learner's terminal's), as an observer.
fn lookup(lab: &mut Lab, from: &Option<PodRef>, name: &str, types: &[RType]) -> Result<Vec<dns::Record>, String> {
    let (ns, pod) = match from {
        Some(r) => (r.namespace.clone(), r.pod.clone()),
        None => (crate::controllers::TOOLBOX_NAMESPACE.to_string(), crate::controllers::TOOLBOX_POD.to_string()),
    };
    let Some(p) = lab.cluster.get::<Pod>(&ns, &pod).cloned() else {
        return Err(format!("pod \"{pod}\" not found in namespace \"{ns}\""));
    };
    let mut rc = dns::resolver::resolv_conf(&lab.cluster, &p);
    if from.is_none() {
        // The terminal resolves short names in the kubectl context's namespace (as shell::tools).
        let zone = lab.cluster.config.dns_domain.clone();
        rc.searches = vec![format!("{}.svc.{zone}", lab.terminal.namespace), format!("svc.{zone}"), zone];
    }
    let client = DnsClient { namespace: ns, pod, ip: p.status.pod_ip.clone().unwrap_or_default() };
    Ok(lab.cluster.observe(|c| {
        types.iter().flat_map(|t| dns::resolver::lookup(c, &client, &rc, name, *t).response.answers).collect()
    }))
}

/// Read a live value. Changes nothing in the lab.
pub fn probe(p: &Probe, lab: &mut Lab) -> Value {
    match p {
        Probe::Nslookup { name, from } => match lookup(lab, from, name, &[RType::A, RType::AAAA]) {
            Ok(recs) => {
                let mut v: Vec<String> = Vec::new();
                for r in recs {
                    if let dns::RData::A(ip) | dns::RData::AAAA(ip) = &r.data {
                        if !v.contains(ip) {
                            v.push(ip.clone());
                        }
                    }
                }
                Value::list(v)
            }
            Err(e) => Value::missing(e),
        },
        Probe::Dns { name, rtype, from } => match lookup(lab, from, name, &[*rtype]) {
            Ok(recs) => {
                let items = recs.iter().filter(|r| r.rtype() == *rtype).map(|r| r.rdata_text()).collect();
                let text = recs
                    .iter()
                    .map(|r| format!("{} {} {} {}", r.name, r.ttl, r.rtype().as_str(), r.rdata_text()))
                    .collect::<Vec<_>>()
                    .join("\n");
                Value { items, text, missing: None }
            }
            Err(e) => Value::missing(e),
        },
        Probe::Service { namespace, name, prop } => {
            let Some(s) = lab.cluster.get::<Service>(namespace, name) else {
                return Value::missing(format!("services \"{name}\" not found"));
            };
            match prop.as_deref() {
                None => Value::one(name.clone()),
                Some("clusterIP") => Value::one(s.spec.cluster_ip.clone().unwrap_or_else(|| "<none>".into())),
                Some("type") => Value::one(s.spec.type_.as_str()),
                Some("externalName") => match &s.spec.external_name {
                    Some(n) => Value::one(n.clone()),
                    None => Value::list(Vec::new()),
                },
                Some("ipFamilies") => Value::list(s.spec.ip_families.iter().map(|f| f.as_str().to_string()).collect()),
                Some("ipFamilyPolicy") => Value::one(s.spec.ip_family_policy.clone().unwrap_or_default()),
                Some("ingress") => Value::list(s.status.load_balancer_ingress.clone()),
                Some("nodePorts") => {
                    Value::list(s.spec.ports.iter().filter_map(|p| p.node_port).map(|n| n.to_string()).collect())
                }
                _ => {
                    let mut ips: Vec<String> = Vec::new();
                    for ep in dns::kubernetes::ready_endpoints(&lab.cluster, s) {
                        if !ips.contains(&ep.ip.to_string()) {
                            ips.push(ep.ip.to_string());
                        }
                    }
                    Value::list(ips)
                }
            }
        }
        Probe::Workload { kind, namespace, name, prop } => {
            let found = if kind == "statefulset" {
                lab.cluster.get::<StatefulSet>(namespace, name).map(|s| (s.spec.selector.clone(), s.spec.replicas))
            } else {
                lab.cluster.get::<Deployment>(namespace, name).map(|d| (d.spec.selector.clone(), d.spec.replicas))
            };
            let Some((selector, replicas)) = found else {
                let plural = if kind == "statefulset" { "statefulsets.apps" } else { "deployments.apps" };
                return Value::missing(format!("{plural} \"{name}\" not found"));
            };
            let pods = lab
                .cluster
                .list::<Pod>(Some(namespace))
                .filter(|p| selector.matches(&p.metadata.labels) && p.metadata.deletion_timestamp.is_none());
            match prop.as_deref() {
                None => Value::one(name.clone()),
                Some("replicas") => Value::one(replicas.to_string()),
                Some("pods") => Value::list(pods.map(|p| p.metadata.name.clone()).collect()),
                _ => Value::list(pods.filter(|p| p.status.ready).map(|p| p.metadata.name.clone()).collect()),
            }
        }
        Probe::Pod { namespace, name, prop } => {
            let Some(p) = lab.cluster.get::<Pod>(namespace, name) else {
                return Value::missing(format!("pods \"{name}\" not found"));
            };
            match prop.as_deref() {
                None => Value::one(name.clone()),
                Some("ip") => Value::one(p.status.pod_ip.clone().unwrap_or_default()),
                Some("ready") => Value::one(if p.status.ready { "true" } else { "false" }),
                Some("phase") => Value::one(format!("{:?}", p.status.phase)),
                _ => Value::one(p.spec.node_name.clone().unwrap_or_default()),
            }
        }
        Probe::Endpoints { namespace, name } => match lab.cluster.get::<Endpoints>(namespace, name) {
            Some(e) => Value::list(e.subsets.iter().flat_map(|s| s.addresses.iter().map(|a| a.ip.clone())).collect()),
            None => Value::missing(format!("endpoints \"{name}\" not found")),
        },
        Probe::Command { line, in_pod } => {
            let out = match in_pod {
                Some(r) => {
                    if lab.cluster.get::<Pod>(&r.namespace, &r.pod).is_none() {
                        return Value::missing(format!("pods \"{}\" not found", r.pod));
                    }
                    lab.peek(&r.namespace, &r.pod, line)
                }
                None => {
                    let mut t = lab.terminal.clone();
                    t.interrupt();
                    lab.cluster.observe(|c| t.input(c, line).unwrap_or_default())
                }
            };
            Value { items: out.text.lines().map(str::to_string).collect(), text: out.text, missing: None }
        }
        Probe::Traffic { from, target } => {
            // Counted from the start of the run: a reveal shows everything the client did.
            let hits = traffic_hits(lab, from, target, SimTime::default());
            let text = hits.iter().map(|(p, n)| format!("{p}: {n}")).collect::<Vec<_>>().join("\n");
            Value { items: hits.keys().cloned().collect(), text, missing: None }
        }
        Probe::ProxyMode => Value::one(crate::proxy::mode(&lab.cluster).as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(s: &str) -> Cond {
        let (c, d) = parse_check(s, 1, 1);
        assert!(d.is_empty(), "{s}: {d:?}");
        c.conditions[0].cond.clone()
    }

    fn error_col(s: &str) -> (usize, String) {
        let (_, d) = parse_check(s, 7, 3);
        assert_eq!(d.len(), 1, "{s}");
        assert_eq!(d[0].pos.line, 7);
        (d[0].pos.col, d[0].message.clone())
    }

    #[test]
    fn the_issue_examples_parse() {
        assert!(matches!(
            cond("nslookup headless-service from default/client returns 3 addresses"),
            Cond::Probe { probe: Probe::Nslookup { .. }, pred: Pred::Count(Count { op: Op::Eq, n: 3 }) }
        ));
        match cond("service web has clusterIP None") {
            Cond::Probe { probe: Probe::Service { prop, .. }, pred: Pred::Is { value, .. } } => {
                assert_eq!(prop.as_deref(), Some("clusterIP"));
                assert_eq!(value, "None");
            }
            c => panic!("{c:?}"),
        }
        match cond(
            "traffic from default/client to normal-service: at least 20 requests reached 3 or more different pods",
        ) {
            Cond::Traffic { requests, pods, .. } => {
                assert_eq!(requests, Count { op: Op::AtLeast, n: 20 });
                assert_eq!(pods, Some(Count { op: Op::AtLeast, n: 3 }));
            }
            c => panic!("{c:?}"),
        }
        assert!(matches!(cond("the learner ran kubectl get (svc|services)"), Cond::Ran(_)));
        assert!(matches!(cond("ran `kubectl get svc`"), Cond::Ran(_)));
        match cond("deployment api-deployment has 3 ready pods") {
            Cond::Probe { probe: Probe::Workload { prop, .. }, .. } => assert_eq!(prop.as_deref(), Some("ready pods")),
            c => panic!("{c:?}"),
        }
        match cond("service headless-service has at least 1 endpoint") {
            Cond::Probe { probe: Probe::Service { prop, .. }, .. } => assert_eq!(prop.as_deref(), Some("endpoints")),
            c => panic!("{c:?}"),
        }
        assert!(matches!(cond("dns _mongodb._tcp.mongodb-service SRV returns 3 records"), Cond::Probe { .. }));
        assert!(matches!(cond("apply failed with \"may not be headless\""), Cond::ApplyFailed(_)));
        assert!(matches!(cond("pod mongodb-0 is ready"), Cond::Probe { pred: Pred::Is { .. }, .. }));
        assert!(matches!(cond("command \"iptables-save\" contains \"probability\""), Cond::Probe { .. }));
    }

    #[test]
    fn errors_point_at_the_word() {
        // `7, 3`: the condition starts at line 7, column 3 of the file.
        let (col, m) = error_col("nslookup web from client returns 3 addresses");
        assert_eq!(col, 3 + 18, "{m}");
        assert!(m.contains("NAMESPACE/POD"), "{m}");
        let (col, m) = error_col("dns web AX returns 1 record");
        assert_eq!(col, 3 + 8, "{m}");
        let (col, m) = error_col("service web clusterIP equals None");
        assert_eq!(col, 3 + 22, "{m}");
        let (col, m) = error_col("ran kubectl get (svc");
        assert_eq!(col, 3 + 16, "{m}");
        let (col, m) = error_col("servce web exists");
        assert_eq!(col, 3, "{m}");
        let (col, m) = error_col("deployment web has at 3 ready pods");
        assert_eq!(col, 3 + 22, "{m}");
        let (_, m) = error_col("service web is None");
        assert!(m.contains("which field"), "{m}");
    }

    #[test]
    fn counts() {
        let c = |s: &str| {
            let toks = tokenize(s).unwrap();
            let mut p = P { toks: &toks, i: 0, end_col: s.len() };
            count(&mut p).unwrap()
        };
        assert!(c("3 or more").holds(4));
        assert!(!c("3 or more").holds(2));
        assert!(c("no").holds(0));
        assert!(c("fewer than 2").holds(1));
        assert!(!c("at most 2").holds(3));
    }
}
