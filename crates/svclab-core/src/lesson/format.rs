//! The lesson file format (docs/LESSONS.md): `key: value` lines and indented blocks, a header
//! then `step ID` sections; a translated key is written twice, `key:` (English) and
//! `key@zh-CN:`. The parser never fails: it returns what it could read and a located
//! diagnostic for everything else.

use super::check::{parse_check, parse_probe, Check};
use super::{err, text_commands, Lang, Lesson, Parsed, Predict, ScriptLine, Start, Step, Tr, PANELS};
use crate::diag::Diagnostic;

/// One `key: value` or `key:` + block, as read.
struct Field {
    key: String,
    lang: Option<Lang>,
    /// Line of the key (1-based).
    line: usize,
    /// The value's lines: (file line, column of the first character, text).
    value: Vec<(usize, usize, String)>,
    block: bool,
}

impl Field {
    fn text(&self) -> String {
        self.value.iter().map(|(_, _, t)| t.as_str()).collect::<Vec<_>>().join("\n")
    }
    fn pos(&self) -> (usize, usize) {
        self.value.first().map(|(l, c, _)| (*l, *c)).unwrap_or((self.line, self.key.len() + 2))
    }
}

struct Section {
    id: String,
    line: usize,
    fields: Vec<Field>,
}

const HEADER_KEYS: &[&str] = &["id", "title", "summary", "start", "cluster", "setup", "seed"];
const STEP_KEYS: &[&str] = &[
    "title", "text", "panels", "task", "check", "hint", "predict", "choice", "answer", "reveal", "explain", "solution",
    "notes",
];
const TRANSLATED: &[&str] = &["title", "summary", "text", "task", "hint", "predict", "choice", "explain", "notes"];

/// Parse a lesson file.
pub fn parse(source: &str) -> Parsed {
    let mut diags = Vec::new();
    let lines: Vec<&str> = source.lines().collect();
    let mut header = Section { id: String::new(), line: 1, fields: Vec::new() };
    let mut steps: Vec<Section> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let no = i + 1;
        i += 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            diags.push(err(
                "lesson.indent",
                no,
                1,
                "an indented line outside a block: indent only the lines of a `key:` block",
            ));
            continue;
        }
        if let Some(rest) = line.strip_prefix("step ").or_else(|| (line == "step").then_some("")) {
            let id = rest.trim().to_string();
            if !valid_id(&id) {
                diags.push(
                    err(
                        "lesson.step_id",
                        no,
                        6,
                        format!("step id '{id}' must be lower-case letters, digits and '-' (e.g. `step scale-down`)"),
                    )
                    .with_args(&[&id]),
                );
            } else if steps.iter().any(|s| s.id == id) {
                diags.push(
                    err("lesson.duplicate_step", no, 6, format!("step '{id}' is defined twice")).with_args(&[&id]),
                );
            }
            steps.push(Section { id, line: no, fields: Vec::new() });
            continue;
        }
        let Some(colon) = line.find(':') else {
            diags.push(err(
                "lesson.syntax",
                no,
                1,
                "expected `key: value`, `key:` followed by an indented block, or `step ID`",
            ));
            continue;
        };
        let (name, lang_part) = match line[..colon].split_once('@') {
            Some((n, l)) => (n, Some((l, n.chars().count() + 2))),
            None => (&line[..colon], None),
        };
        let lang = match lang_part {
            None | Some(("en", _)) => None,
            Some(("zh-CN", _)) => Some(Lang::ZhCn),
            Some((l, col)) => {
                diags.push(
                    err(
                        "lesson.language",
                        no,
                        col,
                        format!("unknown language '{l}': a lesson is written in en (no suffix) and zh-CN (`@zh-CN`)"),
                    )
                    .with_args(&[l]),
                );
                continue;
            }
        };
        let value_col = colon + 2;
        let after = &line[colon + 1..];
        let mut field = Field { key: name.trim().to_string(), lang, line: no, value: Vec::new(), block: false };
        if after.trim().is_empty() {
            field.block = true;
            // The block: following lines that are blank or indented.
            while i < lines.len() && (lines[i].trim().is_empty() || lines[i].starts_with(char::is_whitespace)) {
                let l = lines[i];
                let stripped = l.strip_prefix("  ").unwrap_or(l.trim_start());
                let col = l.chars().count() - stripped.chars().count() + 1;
                field.value.push((i + 1, col, stripped.to_string()));
                i += 1;
            }
            while field.value.last().is_some_and(|(_, _, t)| t.trim().is_empty()) {
                field.value.pop();
            }
            if field.value.is_empty() {
                let key = line[..colon].trim();
                diags.push(err("lesson.empty", no, value_col, format!("`{key}` has no value")).with_args(&[key]));
                continue;
            }
        } else {
            let lead = after.len() - after.trim_start().len();
            field.value.push((no, colon + 2 + lead, after.trim().to_string()));
        }
        match steps.last_mut() {
            Some(s) => s.fields.push(field),
            None => header.fields.push(field),
        }
    }

    let mut lesson = Lesson::default();
    read_header(&header, &mut lesson, &mut diags);
    for s in &steps {
        if let Some(step) = read_step(s, &mut diags) {
            lesson.steps.push(step);
        }
    }
    if steps.is_empty() {
        diags.push(err("lesson.no_steps", lines.len().max(1), 1, "a lesson needs at least one `step ID`"));
    }
    // A lesson is input too (a teacher's link): opening a step plays every script line before
    // it, so their number is bounded like a link's journal.
    let script_lines =
        lesson.start.setup.iter().chain(lesson.steps.iter().flat_map(|s| s.solution.iter())).collect::<Vec<_>>();
    if let Some(l) = script_lines.get(super::MAX_SCRIPT_LINES) {
        let max = super::MAX_SCRIPT_LINES.to_string();
        diags.push(
            err(
                "lesson.too_long",
                l.line,
                1,
                format!("a lesson may have at most {max} setup and solution lines (a lab limit: opening a step plays them all)"),
            )
            .with_args(&[&max]),
        );
    }
    diags.sort_by_key(|d| d.pos);
    Parsed { lesson, diagnostics: diags }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 63
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

/// Check keys, duplicates and translations of a section; returns the fields by key.
fn check_keys(sec: &Section, allowed: &[&str], what: &str, diags: &mut Vec<Diagnostic>) {
    for (n, f) in sec.fields.iter().enumerate() {
        if !allowed.contains(&f.key.as_str()) {
            diags.push(
                err(
                    "lesson.unknown_key",
                    f.line,
                    1,
                    format!("unknown key `{}` in {what} (expected one of: {})", f.key, allowed.join(", ")),
                )
                .with_args(&[&f.key, &allowed.join(", ")]),
            );
            continue;
        }
        let translated = TRANSLATED.contains(&f.key.as_str());
        if f.lang.is_some() && !translated {
            diags.push(
                err(
                    "lesson.not_translated",
                    f.line,
                    f.key.len() + 1,
                    format!("`{}` is not translated: write it once, without `@zh-CN`", f.key),
                )
                .with_args(&[&f.key]),
            );
        }
        let repeatable = matches!(f.key.as_str(), "hint" | "choice");
        if !repeatable && sec.fields[..n].iter().any(|g| g.key == f.key && g.lang == f.lang) {
            diags.push(
                err("lesson.duplicate_key", f.line, 1, format!("`{}` is given twice in {what}", key_name(f)))
                    .with_args(&[&key_name(f)]),
            );
        }
    }
}

fn key_name(f: &Field) -> String {
    match f.lang {
        Some(Lang::ZhCn) => format!("{}@zh-CN", f.key),
        _ => f.key.clone(),
    }
}

fn first<'a>(sec: &'a Section, key: &str) -> Option<&'a Field> {
    sec.fields.iter().find(|f| f.key == key && f.lang.is_none())
}

/// A translated single value: English and zh-CN, each required when `required`.
fn tr(sec: &Section, key: &str, required: bool, what: &str, diags: &mut Vec<Diagnostic>) -> Option<Tr> {
    let en = sec.fields.iter().find(|f| f.key == key && f.lang.is_none());
    let zh = sec.fields.iter().find(|f| f.key == key && f.lang == Some(Lang::ZhCn));
    match (en, zh) {
        (Some(e), Some(z)) => Some(Tr { en: e.text(), zh: z.text() }),
        (Some(e), None) => {
            diags.push(
                err("lesson.missing_zh", e.line, 1, format!("`{key}` has no zh-CN translation: add `{key}@zh-CN:`"))
                    .with_args(&[key]),
            );
            Some(Tr { en: e.text(), zh: String::new() })
        }
        (None, Some(z)) => {
            diags.push(
                err("lesson.missing_en", z.line, 1, format!("`{key}@zh-CN` has no English original: add `{key}:`"))
                    .with_args(&[key]),
            );
            Some(Tr { en: String::new(), zh: z.text() })
        }
        (None, None) => {
            if required {
                diags.push(
                    err("lesson.missing_key", sec.line, 1, format!("{what} needs `{key}:` (and `{key}@zh-CN:`)"))
                        .with_args(&[key]),
                );
            }
            None
        }
    }
}

/// A repeated translated key (`hint`, `choice`): the n-th English value pairs with the n-th
/// zh-CN one.
fn tr_list(sec: &Section, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<Tr> {
    let en: Vec<&Field> = sec.fields.iter().filter(|f| f.key == key && f.lang.is_none()).collect();
    let zh: Vec<&Field> = sec.fields.iter().filter(|f| f.key == key && f.lang == Some(Lang::ZhCn)).collect();
    for (n, e) in en.iter().enumerate().skip(zh.len()) {
        diags.push(
            err(
                "lesson.missing_zh_nth",
                e.line,
                1,
                format!("{key} {} has no zh-CN translation: add a `{key}@zh-CN:` (they pair in order)", n + 1),
            )
            .with_args(&[key, &(n + 1).to_string()]),
        );
    }
    for (n, z) in zh.iter().enumerate().skip(en.len()) {
        diags.push(
            err(
                "lesson.missing_en_nth",
                z.line,
                1,
                format!("{key}@zh-CN {} has no English original: add a `{key}:` (they pair in order)", n + 1),
            )
            .with_args(&[key, &(n + 1).to_string()]),
        );
    }
    en.iter().zip(zh.iter()).map(|(e, z)| Tr { en: e.text(), zh: z.text() }).collect()
}

fn script(f: &Field, diags: &mut Vec<Diagnostic>) -> Vec<ScriptLine> {
    let mut out = Vec::new();
    let mut heredoc: Option<String> = None;
    for (line, col, text) in &f.value {
        if let Some(d) = &heredoc {
            if text.trim_start_matches('\t') == d {
                heredoc = None;
            }
            out.push(ScriptLine { text: text.clone(), line: *line, expect_failure: false });
            continue;
        }
        if text.trim().is_empty() || text.trim_start().starts_with('#') {
            continue;
        }
        let (expect_failure, cmd) = match text.strip_prefix("! ") {
            Some(rest) => (true, rest.to_string()),
            None => (false, text.clone()),
        };
        // `{{ PROBE }}` placeholders (filled from the live lab when played) must parse.
        let mut from = 0;
        while let Some(open) = cmd[from..].find("{{").map(|o| o + from) {
            let Some(close) = cmd[open..].find("}}").map(|c| c + open) else {
                diags.push(err("lesson.placeholder", *line, col + open, "`{{` without its `}}`"));
                break;
            };
            let inner = &cmd[open + 2..close];
            let lead = inner.len() - inner.trim_start().len();
            let (_, d) = parse_probe(inner.trim(), *line, col + open + 2 + lead + if expect_failure { 2 } else { 0 });
            diags.extend(d);
            from = close + 2;
        }
        if !crate::action::is_lab_line(&cmd) || cmd.contains("<<") {
            match crate::shell::parse_line(&cmd) {
                Ok(p) => heredoc = p.heredoc().map(|(d, _)| d),
                Err(crate::shell::LexError(e)) => {
                    diags
                        .push(err("lesson.command", *line, *col, format!("sh: {e}")).with_args(&[&format!("sh: {e}")]));
                }
            }
        }
        if crate::action::is_lab_line(&cmd) {
            if let Err((c, e)) = super::play::check_lab_line(&without_placeholders(&cmd)) {
                diags.push(
                    err("lesson.action", *line, col + c + if expect_failure { 2 } else { 0 }, e.clone())
                        .with_args(&[&e]),
                );
            }
        }
        out.push(ScriptLine { text: cmd, line: *line, expect_failure });
    }
    if let Some(d) = heredoc {
        diags.push(
            err("lesson.heredoc", f.line, 1, format!("here-document delimited by end of block (wanted `{d}')"))
                .with_args(&[&d]),
        );
    }
    out
}

/// A line with each `{{ PROBE }}` replaced by one word of the same length, so a `lab` line
/// can be checked (and its columns kept) before the live value is known.
fn without_placeholders(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else { break };
        out.push_str(&rest[..open]);
        out.push_str(&"x".repeat(close + 2));
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

fn read_header(sec: &Section, lesson: &mut Lesson, diags: &mut Vec<Diagnostic>) {
    check_keys(sec, HEADER_KEYS, "the lesson header", diags);
    match first(sec, "id") {
        Some(f) => {
            lesson.id = f.text();
            if !valid_id(&lesson.id) {
                let (l, c) = f.pos();
                diags.push(err(
                    "lesson.id",
                    l,
                    c,
                    "a lesson id is lower-case letters, digits and '-' (it goes in the URL)",
                ));
            }
        }
        None => diags
            .push(err("lesson.missing_key", 1, 1, "the lesson needs `id:` before its first step").with_args(&["id"])),
    }
    lesson.title = tr(sec, "title", true, "the lesson", diags).unwrap_or_default();
    lesson.summary = tr(sec, "summary", true, "the lesson", diags).unwrap_or_default();
    let mut start = Start { seed: 1, ..Default::default() };
    match first(sec, "start") {
        Some(f) => {
            let t = f.text();
            let (l, c) = f.pos();
            let words: Vec<&str> = t.split_whitespace().collect();
            match words.as_slice() {
                ["empty"] => {}
                ["scenario", id] => {
                    if crate::scenario::by_id(id).is_none() {
                        let ids: Vec<&str> = crate::scenario::ALL.iter().map(|s| s.id).collect();
                        diags.push(
                            err(
                                "lesson.scenario",
                                l,
                                c + 9,
                                format!("unknown scenario '{id}' (known: {})", ids.join(", ")),
                            )
                            .with_args(&[id, &ids.join(", ")]),
                        );
                    }
                    start.scenario = Some(id.to_string());
                }
                _ => diags.push(err("lesson.start", l, c, "`start:` is `empty` or `scenario ID`")),
            }
        }
        None => diags.push(
            err("lesson.missing_key", 1, 1, "the lesson needs `start: empty` or `start: scenario ID`")
                .with_args(&["start"]),
        ),
    }
    if let Some(f) = first(sec, "cluster") {
        let text = f.text();
        let (_, cd) = crate::ClusterConfig::from_kind_yaml(&text);
        for d in cd.iter().filter(|d| d.is_error()) {
            let (l, c) = f.value.get(d.pos.line.saturating_sub(1)).map(|(l, c, _)| (*l, *c)).unwrap_or(f.pos());
            diags.push(
                err("lesson.cluster", l, c + d.pos.col.saturating_sub(1), d.message.clone()).with_args(&[&d.message]),
            );
        }
        start.cluster_config = Some(text);
    }
    if let Some(f) = first(sec, "seed") {
        match f.text().parse() {
            Ok(n) => start.seed = n,
            Err(_) => {
                let (l, c) = f.pos();
                diags.push(err("lesson.seed", l, c, "`seed:` is a whole number"));
            }
        }
    }
    if let Some(f) = first(sec, "setup") {
        start.setup = script(f, diags);
    }
    lesson.start = start;
}

fn read_step(sec: &Section, diags: &mut Vec<Diagnostic>) -> Option<Step> {
    let what = format!("step '{}'", sec.id);
    check_keys(sec, STEP_KEYS, &what, diags);
    let title = tr(sec, "title", true, &what, diags).unwrap_or_default();
    let text = tr(sec, "text", true, &what, diags).unwrap_or_default();
    for (lang, t) in [(Lang::En, &text.en), (Lang::ZhCn, &text.zh)] {
        let key = if lang == Lang::En { "text" } else { "text@zh-CN" };
        let field = sec.fields.iter().find(|f| key_name(f) == key);
        for (off, cmd) in text_commands(t) {
            let bad = if crate::action::is_lab_line(&cmd) {
                super::play::check_lab_line(&without_placeholders(&cmd)).err().map(|(_, e)| e)
            } else {
                crate::shell::parse_line(&cmd).err().map(|e| format!("sh: {}", e.0))
            };
            if let (Some(e), Some(f)) = (bad, field) {
                let (l, c) = f.value.get(off).map(|(l, c, _)| (*l, *c)).unwrap_or((f.line, 1));
                diags.push(
                    err("lesson.text_command", l, c, format!("{e} (in the text's command `{cmd}`)"))
                        .with_args(&[&e, &cmd]),
                );
            }
        }
    }
    let task = tr(sec, "task", true, &what, diags).unwrap_or_default();
    let mut panels = Vec::new();
    if let Some(f) = first(sec, "panels") {
        let (l, c) = f.pos();
        let t = f.text();
        let mut col = c;
        for part in t.split(',') {
            let name = part.trim();
            if !PANELS.contains(&name) {
                diags.push(
                    err(
                        "lesson.panel",
                        l,
                        col + part.len() - part.trim_start().len(),
                        format!("unknown panel '{name}' (panels: {})", PANELS.join(", ")),
                    )
                    .with_args(&[name, &PANELS.join(", ")]),
                );
            } else {
                panels.push(name.to_string());
            }
            col += part.chars().count() + 1;
        }
    }
    let check = match first(sec, "check") {
        Some(f) => {
            let mut conds = Vec::new();
            for (l, c, t) in &f.value {
                if t.trim().is_empty() || t.trim_start().starts_with('#') {
                    continue;
                }
                let (cond, d) = parse_check(t, *l, *c);
                diags.extend(d);
                conds.extend(cond.conditions);
            }
            Check { conditions: conds }
        }
        None => {
            diags.push(err("lesson.missing_key", sec.line, 1, format!("{what} needs `check:`")).with_args(&["check"]));
            Check::default()
        }
    };
    let hints = tr_list(sec, "hint", diags);
    let solution = match first(sec, "solution") {
        Some(f) => script(f, diags),
        None => {
            diags.push(
                err("lesson.missing_key", sec.line, 1, format!("{what} needs `solution:` (what \"show me\" plays)"))
                    .with_args(&["solution"]),
            );
            Vec::new()
        }
    };
    let notes = tr(sec, "notes", false, &what, diags);
    let predict = read_predict(sec, &what, diags);
    Some(Step { id: sec.id.clone(), line: sec.line, title, text, panels, task, check, hints, predict, solution, notes })
}

fn read_predict(sec: &Section, what: &str, diags: &mut Vec<Diagnostic>) -> Option<Predict> {
    let has = |k: &str| sec.fields.iter().any(|f| f.key == k);
    let question = tr(sec, "predict", false, what, diags);
    let Some(question) = question else {
        for k in ["choice", "answer", "reveal", "explain"] {
            if let Some(f) = sec.fields.iter().find(|f| f.key == k) {
                diags.push(
                    err(
                        "lesson.predict_orphan",
                        f.line,
                        1,
                        format!("`{k}` belongs to a `predict:` question, which {what} does not have"),
                    )
                    .with_args(&[k]),
                );
            }
        }
        return None;
    };
    let choices = tr_list(sec, "choice", diags);
    if choices.len() < 2 {
        diags.push(err(
            "lesson.predict_choices",
            sec.line,
            1,
            format!("the question of {what} needs at least two `choice:` lines"),
        ));
    }
    let answer = match first(sec, "answer") {
        Some(f) => {
            let (l, c) = f.pos();
            match f.text().trim().parse::<usize>() {
                Ok(n) if n >= 1 && n <= choices.len() => n - 1,
                _ => {
                    diags.push(
                        err(
                            "lesson.predict_answer",
                            l,
                            c,
                            format!("`answer:` is the number of the right choice, 1 to {}", choices.len()),
                        )
                        .with_args(&[&choices.len().to_string()]),
                    );
                    0
                }
            }
        }
        None => {
            diags.push(
                err("lesson.predict_missing", sec.line, 1, format!("the question of {what} needs `answer:`"))
                    .with_args(&["answer"]),
            );
            0
        }
    };
    let reveal = match first(sec, "reveal") {
        Some(f) => {
            let (l, c) = f.pos();
            let (p, d) = parse_probe(&f.text(), l, c);
            diags.extend(d);
            p
        }
        None => {
            diags.push(
                err(
                    "lesson.predict_missing",
                    sec.line,
                    1,
                    format!("the question of {what} needs `reveal:` (the live value to show)"),
                )
                .with_args(&["reveal"]),
            );
            None
        }
    };
    let explain = tr(sec, "explain", has("predict"), what, diags).unwrap_or_default();
    reveal.map(|reveal| Predict { question, choices, answer, reveal, explain })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "id: tiny
title: Tiny
title@zh-CN: 小
summary: S
summary@zh-CN: 摘要
start: scenario headless-vs-clusterip

step look
title: Look
title@zh-CN: 看
panels: terminal, dns
text:
  Run this:

  ```
  $ kubectl get svc
  ```
text@zh-CN:
  运行：

  ```
  $ kubectl get svc
  ```
task: List the Services.
task@zh-CN: 列出 Service。
check:
  ran kubectl get (svc|services)
hint: kubectl get svc
hint@zh-CN: kubectl get svc
predict: How many CLUSTER-IPs say None?
predict@zh-CN: 有几个 CLUSTER-IP 是 None？
choice: none
choice@zh-CN: 没有
choice: one
choice@zh-CN: 一个
answer: 2
reveal: service headless-service clusterIP
explain: The headless one.
explain@zh-CN: 无头的那个。
solution:
  kubectl get svc
";

    #[test]
    fn a_complete_lesson_parses_without_diagnostics() {
        let p = parse(GOOD);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let s = &p.lesson.steps[0];
        assert_eq!(p.lesson.start.scenario.as_deref(), Some("headless-vs-clusterip"));
        assert_eq!(s.panels, ["terminal", "dns"]);
        assert_eq!(s.hints.len(), 1);
        let q = s.predict.as_ref().unwrap();
        assert_eq!((q.choices.len(), q.answer), (2, 1));
        assert_eq!(s.solution[0].text, "kubectl get svc");
        assert!(s.text.zh.contains("```\n$ kubectl get svc\n```"), "{:?}", s.text.zh);
    }

    fn errors(src: &str) -> Vec<(usize, usize, String)> {
        parse(src)
            .diagnostics
            .into_iter()
            .filter(|d| d.is_error())
            .map(|d| (d.pos.line, d.pos.col, d.message))
            .collect()
    }

    #[test]
    fn a_missing_translation_is_an_error_at_the_english_key() {
        let src = GOOD.replace("task@zh-CN: 列出 Service。\n", "");
        let e = errors(&src);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].0, 24);
        assert!(e[0].2.contains("task@zh-CN"), "{e:?}");
        let src = GOOD.replace("hint@zh-CN: kubectl get svc\n", "");
        assert!(errors(&src)[0].2.contains("hint 1 has no zh-CN translation"));
    }

    #[test]
    fn check_errors_are_located_in_the_file() {
        let src = GOOD.replace("  ran kubectl get (svc|services)", "  service web has clusterIP");
        let e = errors(&src);
        assert_eq!(e.len(), 1, "{e:?}");
        // Line 27, the block's text starts at column 3; the value is missing at its end.
        assert_eq!((e[0].0, e[0].1), (27, 3 + 25), "{e:?}");
    }

    #[test]
    fn bad_keys_panels_answers_and_commands_are_located() {
        let src = GOOD
            .replace("panels: terminal, dns", "panels: terminal, dsn")
            .replace("answer: 2", "answer: 3")
            .replace("solution:\n  kubectl get svc", "solution:\n  kubectl get 'svc\n  lab frobnicate")
            .replace("start: scenario headless-vs-clusterip", "start: scenario nope\ncolour: red");
        let e = errors(&src);
        let at = |l: usize| e.iter().find(|x| x.0 == l).cloned().unwrap_or_else(|| panic!("no error at {l}: {e:?}"));
        assert_eq!(at(6).1, 17, "{e:?}"); // the scenario id
        assert!(at(7).2.contains("unknown key `colour`"));
        assert_eq!(at(12).1, 19, "{e:?}"); // dsn
        assert_eq!(at(37).1, 9, "{e:?}");
        assert!(at(37).2.contains("1 to 2"), "{e:?}");
        assert!(at(42).2.starts_with("sh: "), "{e:?}");
        assert_eq!(at(43).1, 7, "{e:?}"); // `frobnicate`
    }

    #[test]
    fn a_lesson_with_too_many_script_lines_is_refused_at_the_first_line_over() {
        let many: String = (0..crate::lesson::MAX_SCRIPT_LINES).map(|_| "  kubectl get pods\n").collect();
        let src = GOOD.replace("solution:\n  kubectl get svc\n", &format!("solution:\n{many}  kubectl get svc\n"));
        let e = errors(&src);
        assert_eq!(e.len(), 1, "{e:?}");
        let first_solution_line = GOOD.lines().position(|l| l == "solution:").unwrap() + 2;
        assert_eq!(e[0].0, first_solution_line + crate::lesson::MAX_SCRIPT_LINES, "{e:?}");
        assert!(e[0].2.contains("at most 1000"), "{e:?}");
    }

    #[test]
    fn every_error_carries_the_arguments_its_translation_needs() {
        // The page shows a broken lesson link's errors in zh-CN by code and args: the codes
        // whose message names a value carry it.
        let src = GOOD
            .replace("panels: terminal, dns", "panels: terminal, dsn")
            .replace("answer: 2", "answer: 3")
            .replace("task@zh-CN: 列出 Service。\n", "")
            .replace("start: scenario headless-vs-clusterip", "start: scenario nope\ncolour: red");
        let p = parse(&src);
        let by = |code: &str| {
            p.diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("{code}: {:?}", p.diagnostics))
        };
        assert_eq!(by("lesson.panel").args[0], "dsn");
        assert_eq!(by("lesson.predict_answer").args, ["2"]);
        assert_eq!(by("lesson.missing_zh").args, ["task"]);
        assert_eq!(by("lesson.scenario").args[0], "nope");
        assert_eq!(by("lesson.unknown_key").args[0], "colour");
    }

    #[test]
    fn an_embedded_lesson_shows_its_steps_panels_and_the_terminal_its_solutions_type_into() {
        let p = parse(GOOD);
        assert_eq!(p.lesson.panels(), ["dns", "terminal"]);
        let src = GOOD
            .replace("panels: terminal, dns", "panels: traffic")
            .replace("  kubectl get svc\n", "  lab hits reset\n");
        assert_eq!(parse(&src).lesson.panels(), ["traffic"]);
    }

    #[test]
    fn nothing_panics_on_junk() {
        for src in
            ["", "step", "step X", ":", "@:", "a@b:", "  indented", "id:\n", "step a\ncheck:\n  ", "\u{feff}id: x"]
        {
            let p = parse(src);
            assert!(!p.ok(), "{src:?} should not be a good lesson");
        }
    }
}
