//! Emitters in kubectl's style: YAML with 2-space maps and un-indented sequences under a
//! key (`ports:\n- port: 80`), JSON with 4-space indentation as `kubectl get -o json` prints.

use super::{Node, NodeKind};
use std::fmt::Write;

/// `kubectl get -o yaml` style.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    yaml_block(node, 0, &mut out);
    out
}

fn yaml_block(node: &Node, indent: usize, out: &mut String) {
    match &node.kind {
        NodeKind::Map(entries) if entries.is_empty() => out.push_str("{}\n"),
        NodeKind::Seq(items) if items.is_empty() => out.push_str("[]\n"),
        NodeKind::Map(entries) => {
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    pad(out, indent);
                }
                yaml_entry(k, v, indent, out);
            }
        }
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    pad(out, indent);
                }
                out.push_str("- ");
                yaml_block(item, indent + 2, out);
            }
        }
        _ => {
            out.push_str(&yaml_scalar(node, indent));
            out.push('\n');
        }
    }
}

fn yaml_entry(k: &str, v: &Node, indent: usize, out: &mut String) {
    out.push_str(&yaml_key(k));
    out.push(':');
    match &v.kind {
        NodeKind::Map(e) if !e.is_empty() => {
            out.push('\n');
            pad(out, indent + 2);
            yaml_block(v, indent + 2, out);
        }
        NodeKind::Seq(items) if !items.is_empty() => {
            out.push('\n');
            pad(out, indent);
            yaml_block(v, indent, out);
        }
        _ => {
            out.push(' ');
            yaml_block(v, indent + 2, out);
        }
    }
}

fn pad(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn yaml_key(k: &str) -> String {
    quoted(k).unwrap_or_else(|| k.to_string())
}

fn yaml_scalar(node: &Node, indent: usize) -> String {
    match &node.kind {
        NodeKind::Null => "null".into(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Int(i) => i.to_string(),
        NodeKind::Float(f) => f.to_string(),
        // Control characters (ESC, BEL, ...) are escaped, never printed raw: an annotation
        // must not be able to clear the screen or retitle the window through `-o yaml`.
        NodeKind::Str(s) if needs_escapes(s) => yaml_double_quoted(s),
        NodeKind::Str(s) if s.contains('\n') => {
            let mut block = String::from("|");
            if !s.ends_with('\n') {
                block.push('-');
            }
            for line in s.trim_end_matches('\n').split('\n') {
                block.push('\n');
                if !line.is_empty() {
                    pad(&mut block, indent);
                    block.push_str(line);
                }
            }
            block
        }
        NodeKind::Str(s) => quoted(s).unwrap_or_else(|| s.clone()),
        NodeKind::Seq(_) | NodeKind::Map(_) => String::new(),
    }
}

/// How go-yaml v2 (behind kubectl's `-o yaml`) quotes a string, if it does: a string that
/// would read back as another type (number, bool including YAML 1.1's `yes`/`on`, null,
/// timestamp) is double-quoted (`resourceVersion: "41"`, `creationTimestamp: "2026-..."`,
/// `headless: ""`); one that merely can't be plain (`*`, `a: b`) is single-quoted.
fn quoted(s: &str) -> Option<String> {
    let other_type = s.is_empty()
        || !matches!(super::plain_scalar(s), NodeKind::Str(_))
        || is_timestamp(s)
        || matches!(s.to_ascii_lowercase().as_str(), "yes" | "no" | "on" | "off" | "y" | "n");
    if other_type {
        let mut out = String::new();
        json_str(s, &mut out);
        return Some(out);
    }
    let first = s.chars().next().unwrap_or(' ');
    let not_plain = "-?:,[]{}#&*!|>'\"%@` ".contains(first)
        || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':');
    not_plain.then(|| format!("'{}'", s.replace('\'', "''")))
}

/// `2026-01-01` or `2026-01-01T00:00:00Z`: go-yaml resolves these as timestamps.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || matches!(b[10], b'T' | b't' | b' '))
}

/// `kubectl get -o json` style (4-space indentation).
pub fn to_json(node: &Node) -> String {
    let mut out = String::new();
    json(node, 0, &mut out);
    out.push('\n');
    out
}

fn json(node: &Node, indent: usize, out: &mut String) {
    match &node.kind {
        NodeKind::Null => out.push_str("null"),
        NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeKind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        NodeKind::Float(f) => {
            let _ = write!(out, "{f}");
        }
        NodeKind::Str(s) => json_str(s, out),
        NodeKind::Seq(items) if items.is_empty() => out.push_str("[]"),
        NodeKind::Map(entries) if entries.is_empty() => out.push_str("{}"),
        NodeKind::Seq(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(out, indent + 4);
                json(item, indent + 4, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push(']');
        }
        NodeKind::Map(entries) => {
            out.push_str("{\n");
            for (i, (k, v)) in entries.iter().enumerate() {
                pad(out, indent + 4);
                json_str(k, out);
                out.push_str(": ");
                json(v, indent + 4, out);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push('}');
        }
    }
}

/// A JSON string literal, escaped as Go's encoding/json does for the characters we meet.
pub fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            // encoding/json escapes the line and paragraph separators too (JavaScript
            // would end a line there).
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `%q` (`strconv.Quote`), which the API server's messages use: `<`, `>` and `&` stay as
/// they are (unlike [`json_str`]), control and non-printable characters are escaped, so an
/// annotation cannot clear the learner's screen through an error message.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_special(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters a terminal would act on or hide (C1 controls, line/paragraph separators, the
/// byte-order mark): escaped by both Go's `%q` and go-yaml's emitter.
fn is_special(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Does go-yaml's emitter have to double-quote `s` (libyaml's `is_printable` fails)?
fn needs_escapes(s: &str) -> bool {
    s.chars().any(|c| (c < ' ' && c != '\n') || c == '\u{7f}' || is_special(c))
}

/// A YAML double-quoted scalar with libyaml's escapes (`\e`, `\a`, `\L`, `\xXX`, ...).
fn yaml_double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        let esc = match c {
            '\0' => "\\0",
            '\u{7}' => "\\a",
            '\u{8}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{b}' => "\\v",
            '\u{c}' => "\\f",
            '\r' => "\\r",
            '\u{1b}' => "\\e",
            '"' => "\\\"",
            '\\' => "\\\\",
            '\u{85}' => "\\N",
            '\u{a0}' => "\\_",
            '\u{2028}' => "\\L",
            '\u{2029}' => "\\P",
            c if (c as u32) < 0x20 || c == '\u{7f}' || is_special(c) => {
                let v = c as u32;
                let _ = if v <= 0xff { write!(out, "\\x{v:02X}") } else { write!(out, "\\u{v:04X}") };
                continue;
            }
            c => {
                out.push(c);
                continue;
            }
        };
        out.push_str(esc);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse_documents;
    use super::*;

    #[test]
    fn yaml_round_trips_in_kubectl_layout() {
        let src = "apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: api\n  name: x\nspec:\n  clusterIP: None\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 3000\n  selector: {}\n";
        let (docs, _) = parse_documents(src);
        let out = to_yaml(docs[0].root.as_ref().unwrap());
        assert_eq!(out, src);
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        let n = Node::map().with("a", Node::str("80")).with("b", Node::str("")).with("c", Node::str("true"));
        assert_eq!(to_yaml(&n), "a: \"80\"\nb: \"\"\nc: \"true\"\n");
        let n = Node::map()
            .with("t", Node::str("2026-01-01T00:00:00Z"))
            .with("s", Node::str("*"))
            .with("p", Node::str("plain"));
        assert_eq!(to_yaml(&n), "t: \"2026-01-01T00:00:00Z\"\ns: '*'\np: plain\n");
    }

    #[test]
    fn json_layout() {
        let n = Node::map().with("a", Node::seq(vec![Node::int(1), Node::str("x")])).with("b", Node::map());
        assert_eq!(to_json(&n), "{\n    \"a\": [\n        1,\n        \"x\"\n    ],\n    \"b\": {}\n}\n");
    }
}
